// What both senders share of libcurl: one global initialisation per process, handles freed when
// they go out of scope, options set with the first failure kept, and the wording of errors.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jobledger::notification::internal {

// curl_global_init must not race with other threads' use of curl, so it runs once, before the
// first handle any sender makes.
inline CURLcode InitCurlOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

struct CurlEasyCleanup {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyCleanup>;

struct CurlSlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistFree>;

// The entries as a curl list; false when curl could not allocate one (`list` is then empty).
[[nodiscard]] inline bool MakeSlist(const std::vector<std::string>& entries, CurlSlist& list) {
  list.reset();
  for (const std::string& entry : entries) {
    curl_slist* appended = curl_slist_append(list.get(), entry.c_str());
    if (appended == nullptr) {
      list.reset();
      return false;
    }
    static_cast<void>(list.release());  // owned again through `appended`, the same list
    list.reset(appended);
  }
  return true;
}

// Sets options one after another and keeps the first failure, so a transfer never starts with
// an option silently missing.
class EasyOptions {
 public:
  explicit EasyOptions(CURL* easy) : easy_(easy) {}

  template <typename T>
  EasyOptions& Set(CURLoption option, T value) {
    if (result_ == CURLE_OK) result_ = curl_easy_setopt(easy_, option, value);
    return *this;
  }
  CURLcode result() const { return result_; }

 private:
  CURL* easy_;
  CURLcode result_ = CURLE_OK;
};

// curl puts option and header values on the wire as they are: a control character (CR, LF) in
// one would end its line early and start a line of the caller's choosing.
inline bool HasControlCharacter(absl::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

// At least one millisecond: curl reads 0 as "no timeout".
inline long CurlMilliseconds(absl::Duration duration) {
  return static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(duration)));
}

// curl's name for the error plus the detail it wrote into the error buffer, if any.
inline std::string CurlErrorText(CURLcode code, const char* error_buffer) {
  const char* name = curl_easy_strerror(code);
  if (error_buffer[0] == '\0' || std::strcmp(error_buffer, name) == 0) return name;
  return absl::StrCat(name, ": ", error_buffer);
}

}  // namespace jobledger::notification::internal
