// SHA-256 through OpenSSL's EVP interface: one-shot and incremental.
#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace jobledger {

// The 32 raw bytes of SHA-256(data).
std::string Sha256(absl::string_view data);

class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(absl::string_view data);
  // The 32 raw bytes; the hasher is spent afterwards.
  std::string Finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace jobledger
