#include "json_grpc_call.h"

#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "jobledger/billing/v1/billing_service.pb.h"
#include "jobledger/job/v1/job_service.pb.h"
#include "jobledger/notification/v1/notification_service.pb.h"
#include "jobledger/reporting/v1/reporting_service.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.pb.h"

namespace jobledger::cli {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Touching a message of each service file keeps its descriptors linked into `jl`.
const std::vector<std::string>& Packages() {
  static const auto* packages = new std::vector<std::string>{
      job::v1::ListJobsRequest::descriptor()->file()->package(),
      scheduling::v1::ListUnassignedRequest::descriptor()->file()->package(),
      billing::v1::ListInvoicesRequest::descriptor()->file()->package(),
      notification::v1::ListJobMessagesRequest::descriptor()->file()->package(),
      reporting::v1::ListJobsRequest::descriptor()->file()->package(),
  };
  return *packages;
}

void* Tag(int n) { return reinterpret_cast<void*>(static_cast<intptr_t>(n)); }

// Runs one step of the call on the completion queue; false when the stream has ended.
bool Await(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok;
}

}  // namespace

absl::StatusOr<const MethodDescriptor*> FindMethod(const std::string& name) {
  const size_t slash = name.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == name.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\" is not Service/Method, e.g. JobService/ListJobs"));
  }
  const std::string service_name = name.substr(0, slash);
  const std::string method_name = name.substr(slash + 1);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<std::string> candidates = {service_name};
  for (const std::string& package : Packages()) {
    candidates.push_back(absl::StrCat(package, ".", service_name));
  }
  for (const std::string& candidate : candidates) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(candidate);
    if (service == nullptr) continue;
    if (const MethodDescriptor* method = service->FindMethodByName(method_name)) return method;
    return absl::NotFoundError(absl::StrCat(service->full_name(), " has no method ", method_name));
  }
  return absl::NotFoundError(absl::StrCat("no service ", service_name, " in jobledger's APIs"));
}

absl::Status CallWithJson(const JsonCall& call,
                          const std::function<void(const std::string&)>& on_reply) {
  google::protobuf::MessageFactory& factory =
      *google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory.GetPrototype(call.method->input_type())->New());
  google::protobuf::util::JsonParseOptions parse_options;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(call.request_json, request.get(),
                                                                parse_options);
      !parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("the request is not a ",
                                                   call.method->input_type()->full_name(),
                                                   " in JSON: ", std::string(parsed.message())));
  }
  std::string wire;
  request->SerializeToString(&wire);
  grpc::Slice slice(wire);
  grpc::ByteBuffer request_buffer(&slice, 1);

  auto channel = grpc::CreateChannel(call.address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + call.timeout));
  if (!call.bearer_token.empty()) {
    context.AddMetadata("authorization", "Bearer " + call.bearer_token);
  }
  grpc::CompletionQueue queue;
  const std::string path =
      absl::StrCat("/", call.method->service()->full_name(), "/", call.method->name());
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> stream =
      stub.PrepareCall(&context, path, &queue);
  stream->StartCall(Tag(1));
  bool open = Await(queue);
  if (open) {
    stream->WriteLast(request_buffer, grpc::WriteOptions(), Tag(2));
    open = Await(queue);
  }
  const bool csv = absl::EndsWith(call.method->output_type()->full_name(), ".CsvChunk");
  google::protobuf::util::JsonPrintOptions print_options;
  print_options.add_whitespace = true;
  while (open) {
    grpc::ByteBuffer reply_buffer;
    stream->Read(&reply_buffer, Tag(3));
    if (!Await(queue)) break;
    std::vector<grpc::Slice> slices;
    if (!reply_buffer.Dump(&slices).ok()) break;
    std::string bytes;
    for (const grpc::Slice& part : slices) {
      bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
    std::unique_ptr<Message> reply(factory.GetPrototype(call.method->output_type())->New());
    if (!reply->ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("a reply is not a ", call.method->output_type()->full_name()));
    }
    if (csv) {
      const auto* data = reply->GetDescriptor()->FindFieldByName("data");
      on_reply(reply->GetReflection()->GetString(*reply, data));
      continue;
    }
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(*reply, &json, print_options).ok()) {
      return absl::InternalError("cannot print a reply as JSON");
    }
    on_reply(json);
  }
  grpc::Status status;
  stream->Finish(&status, Tag(4));
  Await(queue);
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace jobledger::cli
