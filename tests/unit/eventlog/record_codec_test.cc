// The embedded log's on-disk keys and values.
#include "internal/record_codec.h"

#include "gtest/gtest.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::eventlog::internal {
namespace {

TEST(RecordCodec, KeysSortByPartitionThenOffset) {
  EXPECT_LT(RecordKey(0, 5), RecordKey(0, 6));
  EXPECT_LT(RecordKey(0, 255), RecordKey(0, 256));
  EXPECT_LT(RecordKey(0, INT64_MAX), RecordKey(1, 0));
  EXPECT_LT(RecordKey(3, INT64_MAX), PartitionEnd(3));
  EXPECT_LE(PartitionEnd(3), RecordKey(4, 0));
  EXPECT_EQ(OffsetOfKey(RecordKey(2, 1'234'567), 2), 1'234'567);
  EXPECT_EQ(OffsetOfKey(RecordKey(2, 7), 3), -1);
  EXPECT_EQ(OffsetOfKey(kPartitionCountKey, 0), -1);
}

TEST(RecordCodec, StoredRecordsRoundTrip) {
  Record record;
  record.key = "job-1";
  record.value = std::string("\0\x01\x02", 3);
  record.headers = {{"ce_id", "x"}, {"ce_id", "duplicate kept"}, {"bin", std::string("\0", 1)}};
  const absl::Time appended = absl::FromUnixMillis(1'795'000'000'123);
  auto decoded = DecodeStoredRecord(EncodeStoredRecord(record, appended), 42);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->key, record.key);
  EXPECT_EQ(decoded->value, record.value);
  EXPECT_EQ(decoded->headers, record.headers);
  EXPECT_EQ(decoded->offset, 42);
  EXPECT_EQ(decoded->timestamp, appended);
}

TEST(RecordCodec, EncodesExactlyTheStoredRecordMessage) {
  Record record;
  record.key = "job-1";
  record.value = std::string(300, 'v');
  record.headers = {{"ce_id", "x"}, {"", "empty key"}, {"empty value", ""}, {"ce_id", "again"}};
  for (const absl::Time at :
       {absl::FromUnixMillis(1'795'000'000'123), absl::UnixEpoch(), absl::FromUnixMillis(-5)}) {
    events::v1::StoredRecord expected;
    expected.set_key(record.key);
    expected.set_value(record.value);
    for (const Header& header : record.headers) {
      events::v1::Header* added = expected.add_headers();
      added->set_key(header.key);
      added->set_value(header.value);
    }
    expected.set_timestamp_ms(absl::ToUnixMillis(at));
    EXPECT_EQ(EncodeStoredRecord(record, at), expected.SerializeAsString());
  }
  EXPECT_EQ(EncodeStoredRecord(Record{}, absl::UnixEpoch()), "");
}

TEST(RecordCodec, CorruptValueIsDataLoss) {
  EXPECT_EQ(DecodeStoredRecord("\xff\xff\xff", 9).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace jobledger::eventlog::internal
