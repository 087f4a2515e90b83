// The customer text probe: setup through the job service, texts through the notification
// service, arrivals from the provider's record.
#include "jobledger/loadgen/sms_propagation.h"

#include <grpcpp/grpcpp.h>

#include <fstream>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/notification/v1/notification_service.grpc.pb.h"
#include "jobledger/server/status.h"
#include "nlohmann/json.hpp"

namespace jobledger::loadgen {
namespace {

namespace jv1 = job::v1;
namespace nv1 = notification::v1;

// Calls `call` until it answers something other than a code a service still catching up gives
// (UNAVAILABLE, or NOT_FOUND / FAILED_PRECONDITION while the notification service has not yet
// seen the job), or until `until`.
template <typename Call>
grpc::Status Retrying(absl::Time until, const std::string& token, Call call) {
  while (true) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    grpc::Status status = call(context);
    const grpc::StatusCode code = status.error_code();
    const bool catching_up = code == grpc::StatusCode::UNAVAILABLE ||
                             code == grpc::StatusCode::NOT_FOUND ||
                             code == grpc::StatusCode::FAILED_PRECONDITION;
    if (!catching_up || absl::Now() >= until) return status;
    absl::SleepFor(absl::Milliseconds(100));  // a retry's pause, not a wait for a result
  }
}

absl::Status Failed(absl::string_view what, const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// The arrival time of each of this run's texts in the provider's record, by number.
std::map<int, absl::Time> Arrivals(const std::string& path, const std::string& marker) {
  std::map<int, absl::Time> arrivals;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || !record.contains("received_at")) continue;
    const std::string body = record.value("body", "");
    const size_t at = body.find(marker);
    int number = 0;
    if (at == std::string::npos ||
        !absl::SimpleAtoi(absl::string_view(body).substr(at + marker.size()), &number)) {
      continue;
    }
    arrivals.emplace(number, absl::FromUnixMicros(
                                 static_cast<int64_t>(record["received_at"].get<double>() * 1e6)));
  }
  return arrivals;
}

}  // namespace

absl::StatusOr<RpcStats> MeasureSmsPropagation(const SmsPropagationOptions& options) {
  auto job_channel = grpc::CreateChannel(options.job_target, grpc::InsecureChannelCredentials());
  auto customers = jv1::CustomerService::NewStub(job_channel);
  auto jobs = jv1::JobService::NewStub(job_channel);
  auto notifications = nv1::NotificationService::NewStub(
      grpc::CreateChannel(options.notification_target, grpc::InsecureChannelCredentials()));
  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  const absl::Time setup_until = absl::Now() + absl::Seconds(60);

  jv1::CreateCustomerRequest customer;
  customer.mutable_meta()->set_idempotency_key(absl::StrCat("sms-bench-customer-", run));
  customer.set_name("SMS Bench Customer");
  jv1::Contact& contact = *customer.add_contacts();
  contact.set_name("Pat Bench");
  contact.set_phone("+15550100100");
  contact.set_accepts_sms(true);
  customer.add_properties()->mutable_address()->set_line1("1 Bench Street");
  jv1::CustomerReply customer_reply;
  grpc::Status status = Retrying(setup_until, options.token, [&](grpc::ClientContext& context) {
    return customers->CreateCustomer(&context, customer, &customer_reply);
  });
  if (!status.ok()) return Failed("creating the customer", status);

  jv1::CreateJobRequest job;
  job.mutable_meta()->set_idempotency_key(absl::StrCat("sms-bench-job-", run));
  job.set_customer_id(customer_reply.customer().customer_id());
  job.set_title("SMS bench");
  jv1::JobReply job_reply;
  status = Retrying(setup_until, options.token, [&](grpc::ClientContext& context) {
    return jobs->CreateJob(&context, job, &job_reply);
  });
  if (!status.ok()) return Failed("creating the job", status);

  const std::string marker = absl::StrCat("jobledger bench ", run, " #");
  auto send = [&](const std::string& suffix, absl::Time until) {
    nv1::SendCustomerCommunicationRequest request;
    request.mutable_meta()->set_idempotency_key(absl::StrCat("sms-bench-", run, "-", suffix));
    request.set_job_id(job_reply.job().job_id());
    request.set_channel(nv1::CHANNEL_SMS);
    request.add_contact_ids(customer_reply.customer().contacts(0).contact_id());
    request.set_body(marker + suffix);
    nv1::SendCustomerCommunicationReply reply;
    return Retrying(until, options.token, [&](grpc::ClientContext& context) {
      return notifications->SendCustomerCommunication(&context, request, &reply);
    });
  };
  // Not measured: the first text waits for the notification service to have seen the job.
  status = send("warm-up", setup_until);
  if (!status.ok()) return Failed("the first text", status);

  RpcStats stats;
  stats.name = std::string(kSmsPropagation);
  std::map<int, absl::Time> acknowledged;
  const absl::Time start = absl::Now();
  for (int i = 0; i < options.messages; ++i) {
    const absl::Time intended = start + absl::Seconds(i / std::max(options.rate, 0.001));
    if (absl::Now() < intended) absl::SleepFor(intended - absl::Now());
    status = send(absl::StrCat(i), absl::Now());  // measured calls are not retried
    if (status.ok()) {
      acknowledged[i] = absl::Now();
    } else {
      ++stats.errors[std::string(server::GrpcCodeName(static_cast<int>(status.error_code())))];
    }
  }
  // The provider records each text before it answers; re-read its record until every
  // acknowledged text is there or the wait is over.
  const absl::Time give_up = absl::Now() + options.wait;
  std::map<int, absl::Time> arrived;
  while (true) {
    arrived = Arrivals(options.sms_record_file, marker);
    size_t found = 0;
    for (const auto& [number, at] : acknowledged) found += arrived.count(number);
    if (found == acknowledged.size() || absl::Now() >= give_up) break;
    absl::SleepFor(absl::Milliseconds(50));  // polling a file another process appends to
  }
  for (const auto& [number, ok_at] : acknowledged) {
    auto it = arrived.find(number);
    if (it == arrived.end()) {
      ++stats.errors["NOT_DELIVERED"];
      continue;
    }
    ++stats.ok;
    stats.latency.Record(std::max(it->second - ok_at, absl::ZeroDuration()));
  }
  return stats;
}

}  // namespace jobledger::loadgen
