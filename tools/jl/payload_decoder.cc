// Payload decoding through the generated descriptor pool.
#include "payload_decoder.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "jobledger/billing/v1/events.pb.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/notification/v1/events.pb.h"
#include "jobledger/scheduling/v1/events.pb.h"

namespace jobledger::cli {

PayloadDecoder::PayloadDecoder() {
  // A generated message's descriptors register only if its object file is linked. Naming one
  // message of each domain's events.proto here links all of them into every binary that decodes,
  // so the generated pool finds every event type by name.
  job::v1::JobCreated::descriptor();
  scheduling::v1::AppointmentScheduled::descriptor();
  billing::v1::InvoiceCreated::descriptor();
  notification::v1::MessageQueued::descriptor();
}

absl::StatusOr<const google::protobuf::Message*> PayloadDecoder::Decode(absl::string_view type,
                                                                        absl::string_view payload) {
  auto it = messages_.find(type);
  if (it == messages_.end()) {
    std::unique_ptr<google::protobuf::Message> message;
    const google::protobuf::Descriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
            std::string(type));
    if (descriptor != nullptr) {
      const google::protobuf::Message* prototype =
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
      if (prototype != nullptr) message.reset(prototype->New());
    }
    it = messages_.emplace(std::string(type), std::move(message)).first;
  }
  google::protobuf::Message* message = it->second.get();
  if (message == nullptr) {
    return absl::NotFoundError(absl::StrCat("this build of jl knows no event type \"", type, "\""));
  }
  if (!message->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError(absl::StrCat("the payload does not parse as ", type));
  }
  return message;
}

absl::StatusOr<std::string> PayloadDecoder::ToJson(absl::string_view type,
                                                   absl::string_view payload) {
  const absl::StatusOr<const google::protobuf::Message*> decoded = Decode(type, payload);
  if (!decoded.ok()) return decoded.status();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(**decoded, &json, options);
  if (!status.ok()) {
    return absl::DataLossError(
        absl::StrCat("cannot print the payload as ", type, ": ", status.ToString()));
  }
  return json;
}

}  // namespace jobledger::cli
