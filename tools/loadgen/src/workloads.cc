// The job service's command mix, the echo baseline's calls, the in-process echo server, and the
// choice of service by mix.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "driver.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/loadgen/loadgen.h"
#include "jobledger/loadgen/seed.h"
#include "jobledger/server/server.h"
#include "jobledger/testing/v1/echo.grpc.pb.h"
#include "propagation_probe.h"

namespace jobledger::loadgen {
namespace {

using google::protobuf::util::TimeUtil;
using internal::Done;
namespace jv1 = job::v1;

using internal::Call;

// Jobs this run may change. A job is taken while a command on it is in flight, so that commands
// on one job never race (a status change decides from the status the client last saw).
class JobPool {
 public:
  struct Entry {
    std::string id;
    jv1::JobStatus status = jv1::JOB_STATUS_OPEN;
  };

  void Put(Entry entry) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(std::move(entry));
  }
  void Known(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    all_.push_back(id);
  }
  std::optional<Entry> Take(std::mt19937_64& random) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (idle_.empty()) return std::nullopt;
    const size_t index = random() % idle_.size();
    std::swap(idle_[index], idle_.back());
    Entry entry = std::move(idle_.back());
    idle_.pop_back();
    return entry;
  }
  std::optional<std::string> Any(std::mt19937_64& random) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (all_.empty()) return std::nullopt;
    return all_[random() % all_.size()];
  }

 private:
  absl::Mutex mu_;
  std::vector<Entry> idle_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> all_ ABSL_GUARDED_BY(mu_);
};

// The next status of a job in the cycle In progress ⇄ On hold, which never ends a job.
jv1::JobStatus NextStatus(jv1::JobStatus status) {
  return status == jv1::JOB_STATUS_IN_PROGRESS ? jv1::JOB_STATUS_ON_HOLD
                                               : jv1::JOB_STATUS_IN_PROGRESS;
}

class JobWorkload final : public internal::Workload {
 public:
  explicit JobWorkload(const LoadOptions& options) : options_(options) {
    for (const auto& channel : internal::OpenChannels(options.target, options.clients)) {
      stubs_.push_back(jv1::JobService::NewStub(channel));
      customer_stubs_.push_back(jv1::CustomerService::NewStub(channel));
    }
  }

  absl::Status Setup() {
    if (options_.seeded_jobs > 0) {
      for (int i = 0; i < options_.seeded_customers; ++i) {
        customer_ids_.push_back(SeededCustomerId(i));
      }
      return absl::OkStatus();
    }
    for (int i = 0; i < options_.setup_customers; ++i) {
      jv1::CreateCustomerRequest request;
      request.set_name(absl::StrCat("Loadgen Customer ", i));
      request.add_tags(SeededTags()[i % SeededTags().size()]);
      jv1::Property& property = *request.add_properties();
      property.set_name("Main");
      property.mutable_address()->set_line1(absl::StrCat(i + 1, " Load Street"));
      property.mutable_address()->set_city("Springfield");
      jv1::CustomerReply reply;
      // A service that has just started answers UNAVAILABLE until its projection caught up.
      const absl::Time give_up = absl::Now() + absl::Seconds(60);
      grpc::Status status;
      do {
        grpc::ClientContext context;
        internal::PrepareContext(context, options_);
        status = customer_stubs_[0]->CreateCustomer(&context, request, &reply);
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
        absl::SleepFor(absl::Milliseconds(200));
      } while (absl::Now() < give_up);
      if (!status.ok()) {
        return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                            absl::StrCat("creating the run's customers: ", status.error_message()));
      }
      customer_ids_.push_back(reply.result().aggregate_id());
    }
    return absl::OkStatus();
  }

  // Measures propagation to reporting from the commands acknowledged from now on.
  void set_probe(internal::PropagationProbe* probe) { probe_ = probe; }

  void Issue(std::mt19937_64& random, Done done) override {
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    switch (options_.mix.Pick(u)) {
      case Operation::kStatus:
      case Operation::kNote:
      case Operation::kLineItem:
      case Operation::kLogTime: {
        const Operation operation = options_.mix.Pick(u);
        std::optional<JobPool::Entry> job = jobs_.Take(random);
        if (!job.has_value()) return Create(random, std::move(done));
        return OnJob(operation, *std::move(job), random, std::move(done));
      }
      case Operation::kGet:
        return Get(random, std::move(done));
      case Operation::kList:
        return List(random, std::move(done));
      case Operation::kCreate:
      case Operation::kEcho:
      case Operation::kAssign:  // refused by RunJobLoad
      case Operation::kFreeSlots:
        return Create(random, std::move(done));
    }
  }

 private:
  jv1::JobService::StubInterface::async_interface* Stub() {
    return stubs_[next_stub_.fetch_add(1) % stubs_.size()]->async();
  }

  void Acknowledged(const common::v1::CommandResult& result) {
    if (probe_ != nullptr) probe_->Sample(result.position(), absl::Now());
  }

  void Create(std::mt19937_64& random, Done done) {
    auto call = std::make_shared<Call<jv1::CreateJobRequest, jv1::JobReply>>();
    internal::PrepareContext(call->context, options_);
    jv1::CreateJobRequest& request = call->request;
    request.set_customer_id(customer_ids_[random() % customer_ids_.size()]);
    request.set_title(
        absl::StrCat("Repair ", SeededTitleWords()[random() % 14], " ", random() % 1000));
    request.set_description("Customer reports the unit makes a grinding noise on start-up.");
    request.set_priority(jv1::JOB_PRIORITY_NORMAL);
    request.set_estimated_minutes(90);
    const absl::Time start = absl::Now() + absl::Hours(24 + static_cast<int64_t>(random() % 500));
    *request.mutable_scheduled_start() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
    *request.mutable_scheduled_end() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start + absl::Minutes(90)));
    Stub()->CreateJob(&call->context, &call->request, &call->response,
                      [this, call, done = std::move(done)](grpc::Status status) {
                        if (status.ok()) {
                          Acknowledged(call->response.result());
                          jobs_.Known(call->response.job().job_id());
                          jobs_.Put({call->response.job().job_id(), call->response.job().status()});
                        }
                        done("CreateJob", status.error_code());
                      });
  }

  void OnJob(Operation operation, JobPool::Entry job, std::mt19937_64& random, Done done) {
    auto finish = [this, job, done = std::move(done)](absl::string_view rpc, grpc::Status status,
                                                      std::optional<jv1::JobStatus> now) mutable {
      if (status.ok() && now.has_value()) job.status = *now;
      jobs_.Put(std::move(job));
      done(rpc, status.error_code());
    };
    switch (operation) {
      case Operation::kStatus: {
        auto call = std::make_shared<Call<jv1::ChangeJobStatusRequest, jv1::JobReply>>();
        internal::PrepareContext(call->context, options_);
        call->request.set_job_id(job.id);
        call->request.set_status(NextStatus(job.status));
        if (call->request.status() == jv1::JOB_STATUS_ON_HOLD) {
          call->request.set_reason("waiting for parts");
        }
        Stub()->ChangeJobStatus(
            &call->context, &call->request, &call->response,
            [this, call, finish = std::move(finish)](grpc::Status status) mutable {
              if (status.ok()) Acknowledged(call->response.result());
              finish("ChangeJobStatus", status, call->request.status());
            });
        return;
      }
      case Operation::kNote: {
        auto call = std::make_shared<Call<jv1::AddNoteRequest, jv1::JobReply>>();
        internal::PrepareContext(call->context, options_);
        call->request.set_job_id(job.id);
        call->request.set_text("Called the customer: the side gate is unlocked from 8 to 12.");
        call->request.set_visibility(random() % 2 == 0 ? jv1::NOTE_VISIBILITY_INTERNAL
                                                       : jv1::NOTE_VISIBILITY_PUBLIC);
        Stub()->AddNote(&call->context, &call->request, &call->response,
                        [call, finish = std::move(finish)](grpc::Status status) mutable {
                          finish("AddNote", status, std::nullopt);
                        });
        return;
      }
      case Operation::kLineItem: {
        auto call = std::make_shared<Call<jv1::AddLineItemRequest, jv1::JobReply>>();
        internal::PrepareContext(call->context, options_);
        call->request.set_job_id(job.id);
        jv1::LineItem& line = *call->request.mutable_line_item();
        line.set_kind(jv1::LINE_ITEM_KIND_MATERIAL);
        line.set_name("Copper pipe 15 mm");
        line.set_quantity_milli(1000 * (1 + static_cast<int64_t>(random() % 5)));
        line.mutable_unit_price()->set_minor_units(1299);
        line.mutable_unit_price()->set_currency("USD");
        line.set_billable(true);
        Stub()->AddLineItem(&call->context, &call->request, &call->response,
                            [call, finish = std::move(finish)](grpc::Status status) mutable {
                              finish("AddLineItem", status, std::nullopt);
                            });
        return;
      }
      default: {
        auto call = std::make_shared<Call<jv1::LogWorkRequest, jv1::JobReply>>();
        internal::PrepareContext(call->context, options_);
        call->request.set_job_id(job.id);
        jv1::WorkEntry& entry = *call->request.mutable_entry();
        entry.set_employee_id(SeededTechnicianId(static_cast<int64_t>(random() % 50)));
        const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
        entry.mutable_date()->set_year(static_cast<int32_t>(today.year()));
        entry.mutable_date()->set_month(today.month());
        entry.mutable_date()->set_day(today.day());
        entry.set_type("regular");
        entry.set_minutes(15 + static_cast<int64_t>(random() % 120));
        Stub()->LogWork(&call->context, &call->request, &call->response,
                        [call, finish = std::move(finish)](grpc::Status status) mutable {
                          finish("LogWork", status, std::nullopt);
                        });
        return;
      }
    }
  }

  void Get(std::mt19937_64& random, Done done) {
    std::optional<std::string> id;
    if (options_.seeded_jobs > 0) {
      id = SeededJobId(static_cast<int64_t>(random() % options_.seeded_jobs));
    } else {
      id = jobs_.Any(random);
    }
    if (!id.has_value()) return Create(random, std::move(done));
    auto call = std::make_shared<Call<jv1::GetJobRequest, jv1::JobView>>();
    internal::PrepareContext(call->context, options_);
    call->request.set_job_id(*id);
    Stub()->GetJob(&call->context, &call->request, &call->response,
                   [call, done = std::move(done)](grpc::Status status) {
                     done("GetJob", status.error_code());
                   });
  }

  void List(std::mt19937_64& random, Done done) {
    auto call = std::make_shared<Call<jv1::ListJobsRequest, jv1::ListJobsResponse>>();
    internal::PrepareContext(call->context, options_);
    jv1::ListJobsRequest& request = call->request;
    request.set_page_size(options_.list_page_size);
    const std::string& kind = options_.list_filters[random() % options_.list_filters.size()];
    if (kind == "status") {
      request.add_statuses(static_cast<jv1::JobStatus>(2 + random() % 6));
    } else if (kind == "customer") {
      request.set_customer_id(customer_ids_[random() % customer_ids_.size()]);
    } else if (kind == "technician") {
      request.set_technician_id(
          SeededTechnicianId(static_cast<int64_t>(random() % options_.seeded_technicians)));
    } else if (kind == "unassigned") {
      request.set_unassigned(true);
    } else if (kind == "dates") {
      // One week somewhere in the year either side of today, earliest first.
      const absl::Time from = absl::Now() - absl::Hours(24 * 365) +
                              absl::Hours(24 * static_cast<int64_t>(random() % 723));
      *request.mutable_scheduled_from() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(from));
      *request.mutable_scheduled_to() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(from + absl::Hours(24 * 7)));
      request.set_sort(jv1::JOB_SORT_SCHEDULED_ASC);
    } else if (kind == "text") {
      request.set_text(SeededTitleWords()[random() % SeededTitleWords().size()]);
    } else if (kind == "tag") {
      request.set_customer_tag(SeededTags()[random() % SeededTags().size()]);
    }
    auto name = std::make_shared<std::string>(absl::StrCat("ListJobs[", kind, "]"));
    Stub()->ListJobs(&call->context, &call->request, &call->response,
                     [call, name, done = std::move(done)](grpc::Status status) {
                       done(*name, status.error_code());
                     });
  }

  const LoadOptions& options_;
  std::vector<std::unique_ptr<jv1::JobService::Stub>> stubs_;
  std::vector<std::unique_ptr<jv1::CustomerService::Stub>> customer_stubs_;
  std::atomic<size_t> next_stub_{0};
  std::vector<std::string> customer_ids_;
  JobPool jobs_;
  internal::PropagationProbe* probe_ = nullptr;
};

class EchoWorkload final : public internal::Workload {
 public:
  explicit EchoWorkload(const LoadOptions& options) : options_(options) {
    for (const auto& channel : internal::OpenChannels(options.target, options.clients)) {
      stubs_.push_back(testing::v1::EchoService::NewStub(channel));
    }
  }

  void Issue(std::mt19937_64&, Done done) override {
    auto call = std::make_shared<Call<testing::v1::EchoRequest, testing::v1::EchoResponse>>();
    internal::PrepareContext(call->context, options_);
    call->request.set_text(std::string(256, 'x'));
    stubs_[next_stub_.fetch_add(1) % stubs_.size()]->async()->Echo(
        &call->context, &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status status) { done("Echo", status.error_code()); });
  }

 private:
  const LoadOptions& options_;
  std::vector<std::unique_ptr<testing::v1::EchoService::Stub>> stubs_;
  std::atomic<size_t> next_stub_{0};
};

// The baseline's handler: the reply is the request, nothing else.
class PlainEcho final : public testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const testing::v1::EchoRequest* request,
                    testing::v1::EchoResponse* response) override {
    response->set_text(request->text());
    return grpc::Status::OK;
  }
};

}  // namespace

struct EchoBaseline::Parts {
  PlainEcho service;
  std::unique_ptr<server::Server> server;
};

EchoBaseline::EchoBaseline(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

EchoBaseline::~EchoBaseline() {
  if (parts_->server != nullptr) parts_->server->Shutdown().IgnoreError();
}

int EchoBaseline::port() const { return parts_->server->port(); }

absl::StatusOr<std::unique_ptr<EchoBaseline>> EchoBaseline::Start(const std::string& jwt_hs256_key,
                                                                  server::Level log_level) {
  auto parts = std::make_unique<Parts>();
  server::ServerOptions options;
  options.config.service_name = "echo-baseline";
  options.config.listen = "127.0.0.1:0";
  options.config.metrics_listen = "127.0.0.1:0";
  options.config.jwt.algorithm = auth::JwtAlgorithm::kHs256;
  options.config.jwt.key = jwt_hs256_key;
  options.config.log_level = log_level;
  options.AddService<testing::v1::EchoService>(&parts->service);
  const std::string prefix = "/jobledger.testing.v1.EchoService/";
  for (const char* method : {"Echo", "WhoAmI", "Hold", "Forward", "EchoStream", "Collect"}) {
    options.method_roles.Allow(prefix + method, auth::RoleSet::All());
  }
  auto started = server::Server::Start(std::move(options));
  if (!started.ok()) return started.status();
  parts->server = *std::move(started);
  return std::unique_ptr<EchoBaseline>(new EchoBaseline(std::move(parts)));
}

absl::StatusOr<LoadReport> RunJobLoad(const LoadOptions& options) {
  if (options.mix.IsScheduling() || options.mix.IsMixedServices()) {
    return absl::InvalidArgumentError(
        absl::StrCat("mix: assign and free_slots are the scheduling service's, not the job "
                     "service's: ",
                     options.mix.ToString()));
  }
  JobWorkload workload(options);
  if (absl::Status s = workload.Setup(); !s.ok()) return s;
  if (options.propagation_target.empty()) {
    return internal::RunLoad(options, workload, "job service", options.mix.ToString());
  }
  internal::PropagationProbe probe(options, absl::Now() + options.warmup);
  workload.set_probe(&probe);
  LoadReport report = internal::RunLoad(options, workload, "job service", options.mix.ToString());
  // Beside the calls, before "all": not one of the run's calls.
  report.rpcs.insert(report.rpcs.end() - 1, probe.Take());
  return report;
}

absl::StatusOr<LoadReport> RunServiceLoad(const LoadOptions& options) {
  if (options.mix.IsMixedServices()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mix: ", options.mix.ToString(),
        " mixes the job service's operations with the scheduling service's (assign, free_slots); "
        "a run drives one service"));
  }
  return options.mix.IsScheduling() ? RunSchedulingLoad(options) : RunJobLoad(options);
}

absl::StatusOr<LoadReport> RunEchoLoad(const LoadOptions& options) {
  EchoWorkload workload(options);
  return internal::RunLoad(options, workload, "echo baseline", "echo=1");
}

}  // namespace jobledger::loadgen
