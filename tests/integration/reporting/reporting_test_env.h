// The reporting service over the whole system: the notification test environment (the real job,
// scheduling, billing and notification services with an SMTP server and an SMS sink, one log)
// plus the real reporting service, all in-process on port 0, on the same FakeClock.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "jobledger/reporting/v1/reporting_service.grpc.pb.h"
#include "notification_test_env.h"
#include "reporting_server.h"

namespace jobledger::reporting::testing {

using job::testing::Backend;
using job::testing::IsOk;
using notification::testing::ContactSpec;
using notification::testing::EnvOptions;
using notification::testing::NotificationEnv;

class ReportingEnv {
 public:
  explicit ReportingEnv(EnvOptions options = {});
  ~ReportingEnv();

  // Starts (or restarts) the reporting server on the same directory; waits until ready.
  void Start();
  void Stop();
  // Restarts the reporting server with these bounds on past boards.
  void RestartWith(BoardSnapshotLimits limits);

  NotificationEnv& system() { return system_; }
  v1::ReportingService::Stub& reports() { return *stub_; }
  std::string address() const;
  const std::string& data_dir() const { return data_dir_; }
  // Waits until the reporting projection has read every topic to its end (what the other services
  // wrote so far).
  void CatchUp();

 private:
  NotificationEnv system_;
  std::string data_dir_;
  BoardSnapshotLimits board_snapshots_;
  std::unique_ptr<ReportingServer> server_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
};

}  // namespace jobledger::reporting::testing
