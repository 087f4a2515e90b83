// absl::Status → grpc::Status at the handler edge.
#include "jobledger/server/status.h"

#include "gtest/gtest.h"

namespace jobledger::server {
namespace {

TEST(ToGrpcStatus, KeepsTheCodeAndTheMessage) {
  const grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError("title: empty"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "title: empty");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(ToGrpcStatus, AnErrorWithoutAMessageGetsOne) {
  // An INTERNAL without a message is gRPC's own answer to a request that does not parse, which
  // the server's interceptor reports as INVALID_ARGUMENT: a handler's error must never look so.
  const grpc::Status status = ToGrpcStatus(absl::InternalError(""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_FALSE(status.error_message().empty());
}

}  // namespace
}  // namespace jobledger::server
