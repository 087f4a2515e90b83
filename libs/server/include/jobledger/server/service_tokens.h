// The service's own bearer tokens, for calls it makes on no caller's behalf (reacting to events):
// role "service", one per tenant, short-lived and renewed before they expire.
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jobledger/common/clock.h"
#include "jobledger/server/config.h"

namespace jobledger::server {

class ServiceTokens {
 public:
  // HS256 configurations sign with the shared key; RS256 ones need
  // --service-signing-key-file (FAILED_PRECONDITION naming it otherwise).
  static absl::StatusOr<std::unique_ptr<ServiceTokens>> Create(const ServerConfig& config,
                                                               const Clock* clock = &SystemClock());

  // A token for `tenant`, valid for at least five more minutes.
  absl::StatusOr<std::string> TokenFor(const std::string& tenant) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ServiceTokens(std::string subject, auth::JwtAlgorithm algorithm, std::string key,
                const Clock* clock)
      : subject_(std::move(subject)), algorithm_(algorithm), key_(std::move(key)), clock_(clock) {}

  struct Minted {
    std::string token;
    absl::Time expires_at;
  };
  const std::string subject_;
  const auth::JwtAlgorithm algorithm_;
  const std::string key_;
  const Clock* clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Minted> tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobledger::server
