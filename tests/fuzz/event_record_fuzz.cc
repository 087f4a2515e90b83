// Fuzzes the embedded log's stored-record decoder and the event decoder behind it: any bytes give
// an error or a record (and then an event or an error), never a crash, and whatever decodes
// encodes back to itself.
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz_check.h"
#include "google/protobuf/util/message_differencer.h"
#include "internal/record_codec.h"
#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::eventlog {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int64_t kOffset = 42;

bool SameRecord(const Record& a, const Record& b) {
  return a.key == b.key && a.value == b.value && a.headers == b.headers &&
         a.timestamp == b.timestamp;
}

void CheckEvent(const Record& record) {
  events::v1::Event event;
  const absl::Status verified = DecodeEventInto(record, event);
  if (!verified.ok()) {
    JL_FUZZ_CHECK(verified.code() == absl::StatusCode::kDataLoss ||
                  verified.code() == absl::StatusCode::kInvalidArgument);
  }
  // Without the hash check the decoder goes further into the fields of mutated inputs.
  event.Clear();
  const absl::Status decoded = DecodeEventInto(record, event, {.verify_hash = false});
  if (!decoded.ok()) {
    JL_FUZZ_CHECK(!verified.ok());
    JL_FUZZ_CHECK(decoded.code() == absl::StatusCode::kDataLoss ||
                  decoded.code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  // decode(encode(event)) == event, and a decoded event's hash check agrees with the first one.
  const Record encoded = EncodeEvent(event);
  events::v1::Event again;
  JL_FUZZ_CHECK_OK(DecodeEventInto(encoded, again, {.verify_hash = false}));
  JL_FUZZ_CHECK(MessageDifferencer::Equals(event, again));
  JL_FUZZ_CHECK(DecodeEventInto(encoded, again).ok() == verified.ok());
}

}  // namespace
}  // namespace jobledger::eventlog

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jobledger::eventlog;
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Record> record = internal::DecodeStoredRecord(bytes, kOffset);
  if (!record.ok()) {
    JL_FUZZ_CHECK(record.status().code() == absl::StatusCode::kDataLoss);
    return 0;
  }
  JL_FUZZ_CHECK(record->offset == kOffset);
  const std::string stored = internal::EncodeStoredRecord(*record, record->timestamp);
  absl::StatusOr<Record> reread = internal::DecodeStoredRecord(stored, kOffset);
  JL_FUZZ_CHECK_OK(reread.status());
  JL_FUZZ_CHECK(SameRecord(*record, *reread));
  CheckEvent(*record);
  return 0;
}
