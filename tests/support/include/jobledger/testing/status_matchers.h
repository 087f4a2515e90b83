// gMock matchers for absl::Status and absl::StatusOr results of pure code.
#pragma once

#include <gmock/gmock.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jobledger::testing {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// A Status or StatusOr refused with this code, its message containing `text` (a field name, a
// state): what a user would read.
MATCHER_P2(Fails, code, text,
           absl::StrCat("fails with ", absl::StatusCodeToString(code), " and a message with \"",
                        text, "\"")) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code && absl::StrContains(status.message(), text);
}

MATCHER(IsOkStatus, "is OK") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

}  // namespace jobledger::testing
