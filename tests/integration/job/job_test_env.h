// A job service for integration tests: the real JobServer in-process on port 0, over an embedded
// log in a temp directory, with a scheduling topic the test writes to directly (the scheduling
// service is not needed to test the visibility rule), tokens for any user and role, and stubs.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"
#include "job_commands.h"
#include "job_server.h"
#include "jobledger/auth/roles.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::job::testing {

inline constexpr char kKey[] = "job-service-test-key-job-service-test-key";
inline constexpr int kPartitions = 4;

// What billing says: set by the test, or asked of a real billing service (Forward).
class FakeInvoices final : public InvoiceLookup {
 public:
  void Set(std::vector<std::string> numbers) {
    absl::MutexLock lock(&mu_);
    numbers_ = std::move(numbers);
  }
  void Forward(InvoiceLookup* billing) {
    absl::MutexLock lock(&mu_);
    billing_ = billing;
  }
  absl::StatusOr<std::vector<std::string>> UnvoidedInvoices(const server::Caller& caller,
                                                            const std::string& job_id) override {
    absl::MutexLock lock(&mu_);
    if (billing_ != nullptr) return billing_->UnvoidedInvoices(caller, job_id);
    return numbers_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> numbers_ ABSL_GUARDED_BY(mu_);
  InvoiceLookup* billing_ ABSL_GUARDED_BY(mu_) = nullptr;
};

enum class Backend { kEmbedded, kKafka };

class JobServiceEnv {
 public:
  // The embedded log in a temp directory, or Kafka: an in-process DevBroker (librdkafka's mock
  // cluster over loopback TCP) with both topics.
  explicit JobServiceEnv(Backend backend = Backend::kEmbedded);
  ~JobServiceEnv();

  // Starts (or restarts) the server on the same directories; waits until it is ready.
  void Start();
  void Stop();

  // A bearer token of `user` in `tenant` acting as `role`, and a context carrying one.
  std::string Token(const std::string& user, auth::Role role,
                    const std::string& tenant = "acme") const;
  std::unique_ptr<grpc::ClientContext> As(const std::string& user, auth::Role role,
                                          const std::string& tenant = "acme") const;
  v1::JobService::Stub& jobs() { return *job_stub_; }
  v1::CustomerService::Stub& customers() { return *customer_stub_; }
  FakeInvoices& invoices() { return invoices_; }
  eventlog::EventLog& log() { return *log_; }
  // The scheduling topic's writer: the embedded log's second owner, or the same Kafka log.
  eventlog::EventLog& scheduling_log() {
    return scheduling_log_ != nullptr ? *scheduling_log_ : *log_;
  }
  // The billing topic's writer: the embedded log's third owner, or the same Kafka log.
  eventlog::EventLog& billing_log() { return billing_log_ != nullptr ? *billing_log_ : *log_; }
  // The notification topic's writer: the embedded log's fourth owner (opened on first use, so a
  // test may leave the topic to a service process of its own), or the same Kafka log.
  eventlog::EventLog& notification_log();
  // The embedded log's directory (empty on Kafka): for service processes the test starts.
  std::string log_dir() const { return broker_ == nullptr ? log_dir_ : ""; }
  // The dev broker's bootstrap servers; empty on the embedded log.
  std::string kafka_bootstrap() const {
    return broker_ == nullptr ? "" : broker_->bootstrap_servers();
  }
  std::string address() const;
  const std::string& data_dir() const { return data_dir_; }
  std::string projections_dir() const { return data_dir_ + "/projections"; }

  // Appends a scheduling event about `job_id` (aggregate job_schedule) or a crew.
  void AppendScheduling(const std::string& tenant, const std::string& aggregate_type,
                        const std::string& aggregate_id, const google::protobuf::Message& event);

  // Events appended to the job topic so far (all partitions).
  int64_t JobTopicEvents();

  // Helpers for the common setup: a customer with one property, a job for it.
  v1::Customer CreateCustomer(const std::string& name, const std::string& tenant = "acme");
  v1::JobReply CreateJob(const std::string& customer_id, const std::string& title,
                         const std::string& tenant = "acme");

 private:
  jobledger::testing::TempDir dir_;
  std::string data_dir_;
  std::unique_ptr<eventlog::DevBroker> broker_;
  std::unique_ptr<eventlog::EventLog> log_;
  std::unique_ptr<eventlog::EventLog> scheduling_log_;    // the embedded log's second owner
  std::unique_ptr<eventlog::EventLog> billing_log_;       // and its third
  std::unique_ptr<eventlog::EventLog> notification_log_;  // and its fourth
  std::string log_dir_;
  FakeInvoices invoices_;
  std::unique_ptr<JobServer> server_;
  std::unique_ptr<v1::JobService::Stub> job_stub_;
  std::unique_ptr<v1::CustomerService::Stub> customer_stub_;
  absl::Mutex sequences_mu_;
  std::map<std::string, int64_t> sequences_ ABSL_GUARDED_BY(sequences_mu_);
  std::map<std::string, std::string> hashes_ ABSL_GUARDED_BY(sequences_mu_);
};

// A service's chassis configuration in tests: loopback port 0 for gRPC and metrics, HS256 tokens
// signed with kKey, warnings and errors logged.
server::ServerConfig TestServerConfig(const std::string& service, const std::string& data_dir);

// `count` new customers of `tenant` appended straight to the job topic: a backlog that every
// projection of the job topic works through before it reads what comes after.
void AppendCustomerBacklog(eventlog::EventLog& log, const std::string& tenant, int count);

// An OK status or a failure message with the code and text.
::testing::AssertionResult IsOk(const grpc::Status& status);
// Refused with `code`, the message containing `words` (a field name, a state).
::testing::AssertionResult Refused(const grpc::Status& status, grpc::StatusCode code,
                                   const std::string& words);

}  // namespace jobledger::job::testing
