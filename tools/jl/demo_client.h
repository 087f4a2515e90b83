// The demo seeder's connection to the five services: stubs, a bearer token per (role, user), one
// deadline for the whole seed, and retries while a service is still starting.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "demo_seed.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"

namespace jobledger::cli::demo {

// Who makes a call: the role the token carries and the user it names.
struct Actor {
  auth::Role role;
  std::string subject;
};

// The office's people, and the technicians, as the seeder acts for them.
Actor Dispatcher();
Actor Manager();
Actor BillingClerk();
Actor TechnicianActor(const std::string& technician_id);

// A command's metadata: the idempotency key "demo/<what>" (fixed, so that a second run finds the
// first one's work), and when it happened in the field (unset: the service's now).
common::v1::CommandMeta Meta(absl::string_view what, absl::Time occurred_at = absl::InfinitePast());

class DemoClient {
 public:
  explicit DemoClient(const DemoSeedOptions& options);

  job::v1::CustomerService::Stub& customers() { return *customers_; }
  job::v1::JobService::Stub& jobs() { return *jobs_; }
  scheduling::v1::TechnicianService::Stub& technicians() { return *technicians_; }
  scheduling::v1::DispatchService::Stub& dispatch() { return *dispatch_; }
  billing::v1::BillingService::Stub& billing() { return *billing_; }

  // Calls `method` as `actor`. UNAVAILABLE (a service starting, or catching up with the log before
  // it takes commands) is retried until the seed's deadline: every command carries an idempotency
  // key, so a retry never does anything twice. An error names `what` was being done.
  template <typename Stub, typename Request, typename Reply>
  absl::StatusOr<Reply> Call(absl::string_view what, const Actor& actor, Stub& stub,
                             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                          Reply*),
                             const Request& request) {
    absl::StatusOr<std::string> token = Token(actor);
    if (!token.ok()) return Failed(what, token.status());
    absl::Duration backoff = absl::Milliseconds(50);
    while (true) {
      grpc::ClientContext context;
      context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
      context.set_deadline(absl::ToChronoTime(deadline_));
      // A service still binding its port is waited for rather than failed at once.
      context.set_wait_for_ready(true);
      Reply reply;
      const grpc::Status status = (stub.*method)(&context, request, &reply);
      if (status.ok()) return reply;
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
          absl::Now() + backoff >= deadline_) {
        return Failed(what, status);
      }
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(1));
    }
  }

 private:
  absl::StatusOr<std::string> Token(const Actor& actor);
  static absl::Status Failed(absl::string_view what, const absl::Status& status);
  static absl::Status Failed(absl::string_view what, const grpc::Status& status);

  DemoTokenSource token_source_;
  absl::Time deadline_;
  std::map<std::pair<auth::Role, std::string>, std::string> tokens_;
  std::unique_ptr<job::v1::CustomerService::Stub> customers_;
  std::unique_ptr<job::v1::JobService::Stub> jobs_;
  std::unique_ptr<scheduling::v1::TechnicianService::Stub> technicians_;
  std::unique_ptr<scheduling::v1::DispatchService::Stub> dispatch_;
  std::unique_ptr<billing::v1::BillingService::Stub> billing_;
};

}  // namespace jobledger::cli::demo
