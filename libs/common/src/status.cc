// Conversions from third-party error codes to absl::Status.
#include "jobledger/common/status.h"

#include "absl/strings/str_cat.h"
#include "rocksdb/status.h"

namespace jobledger {

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok() || context.empty()) return status;
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = status.ToString();
  absl::StatusCode code = absl::StatusCode::kInternal;
  switch (status.code()) {
    case rocksdb::Status::kNotFound:
      code = absl::StatusCode::kNotFound;
      break;
    case rocksdb::Status::kCorruption:
      code = absl::StatusCode::kDataLoss;
      break;
    case rocksdb::Status::kNotSupported:
      code = absl::StatusCode::kUnimplemented;
      break;
    case rocksdb::Status::kInvalidArgument:
      code = absl::StatusCode::kInvalidArgument;
      break;
    case rocksdb::Status::kIOError:
      // A full disk may clear up; other I/O errors are not retryable blindly either, but the
      // caller can try again later, so both are UNAVAILABLE.
      code = absl::StatusCode::kUnavailable;
      break;
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
      code = absl::StatusCode::kAborted;
      break;
    case rocksdb::Status::kTimedOut:
      code = absl::StatusCode::kDeadlineExceeded;
      break;
    case rocksdb::Status::kAborted:
      code = absl::StatusCode::kAborted;
      break;
    case rocksdb::Status::kShutdownInProgress:
    case rocksdb::Status::kIncomplete:
      code = absl::StatusCode::kUnavailable;
      break;
    case rocksdb::Status::kColumnFamilyDropped:
      code = absl::StatusCode::kFailedPrecondition;
      break;
    default:
      code = absl::StatusCode::kInternal;
      break;
  }
  if (status.IsNoSpace()) code = absl::StatusCode::kResourceExhausted;
  return Annotate(absl::Status(code, message), context);
}

}  // namespace jobledger
