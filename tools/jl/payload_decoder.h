// Event payloads decoded by their type name, through the protobuf descriptors linked into `jl`.
#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace jobledger::cli {

class PayloadDecoder {
 public:
  PayloadDecoder();

  // The payload parsed as the message `type` names (e.g. "jobledger.job.v1.JobCreated"). The
  // message is owned by the decoder and reused: it is valid until the next Decode of that type.
  // NOT_FOUND when this build links no such message type, DATA_LOSS when the bytes do not parse.
  absl::StatusOr<const google::protobuf::Message*> Decode(absl::string_view type,
                                                          absl::string_view payload);

  // The payload as proto3 JSON on one line: field names as in the .proto (snake_case), enums by
  // name, 64-bit integers as strings, and fields at their default value (empty, zero, false, the
  // enum's UNSPECIFIED) left out as proto3 JSON leaves them out. Printing them would more than
  // double the time protobuf's printer takes per event. Errors as Decode's.
  absl::StatusOr<std::string> ToJson(absl::string_view type, absl::string_view payload);

 private:
  // One message per type seen; nullptr remembers a type this build does not know.
  absl::flat_hash_map<std::string, std::unique_ptr<google::protobuf::Message>> messages_;
};

}  // namespace jobledger::cli
