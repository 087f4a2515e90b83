// The Status macros and the RocksDB status conversion.
#include "jobledger/common/status.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "rocksdb/status.h"

namespace jobledger {
namespace {

absl::Status FailWith(absl::StatusCode code) { return absl::Status(code, "inner"); }

absl::Status ReturnsFirstError(int* steps) {
  ++*steps;
  JL_RETURN_IF_ERROR(absl::OkStatus());
  ++*steps;
  JL_RETURN_IF_ERROR(FailWith(absl::StatusCode::kNotFound));
  ++*steps;  // must not be reached
  return absl::OkStatus();
}

TEST(ReturnIfError, ReturnsTheFirstErrorAndStops) {
  int steps = 0;
  const absl::Status status = ReturnsFirstError(&steps);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "inner");
  EXPECT_EQ(steps, 2);
}

absl::Status PropagatesStatusOrError() {
  JL_RETURN_IF_ERROR(absl::StatusOr<int>(absl::AbortedError("stale")));
  return absl::OkStatus();
}

TEST(ReturnIfError, AcceptsStatusOr) {
  EXPECT_EQ(PropagatesStatusOrError().code(), absl::StatusCode::kAborted);
}

absl::StatusOr<std::unique_ptr<int>> MakeValue(bool ok) {
  if (!ok) return absl::InvalidArgumentError("field x");
  return std::make_unique<int>(42);
}

absl::StatusOr<int> Doubled(bool ok, int* evaluations) {
  ++*evaluations;
  JL_ASSIGN_OR_RETURN(auto value, MakeValue(ok));  // move-only value
  int result = 0;
  JL_ASSIGN_OR_RETURN(result, absl::StatusOr<int>(*value * 2));  // assignment to existing
  return result;
}

TEST(AssignOrReturn, DeclaresAssignsAndPropagates) {
  int evaluations = 0;
  auto good = Doubled(true, &evaluations);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 84);
  auto bad = Doubled(false, &evaluations);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "field x");
  EXPECT_EQ(evaluations, 2);
}

TEST(FromRocksDb, MapsCodesAndKeepsMessage) {
  EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK()).ok());
  EXPECT_EQ(FromRocksDb(rocksdb::Status::NotFound("k")).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Corruption("crc")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::InvalidArgument("x")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::IOError("disk")).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::NoSpace("full")).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Busy()).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::TimedOut()).code(), absl::StatusCode::kDeadlineExceeded);

  const absl::Status annotated = FromRocksDb(rocksdb::Status::Corruption("bad block"), "open log");
  EXPECT_EQ(annotated.message(), "open log: Corruption: bad block");
}

TEST(Annotate, PrefixesErrorsOnly) {
  EXPECT_TRUE(Annotate(absl::OkStatus(), "ctx").ok());
  EXPECT_EQ(Annotate(absl::NotFoundError("job"), "load").message(), "load: job");
}

}  // namespace
}  // namespace jobledger
