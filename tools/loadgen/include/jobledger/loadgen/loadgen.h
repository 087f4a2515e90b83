// The load generator: gRPC clients that drive the job service (or the scheduling service) with a
// command mix, closed-loop (N clients, each waiting for its reply) or open-loop (a fixed arrival
// rate, latency measured from the intended send time), and the same load against a plain echo
// service on the same chassis as the baseline.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/loadgen/histogram.h"
#include "jobledger/loadgen/mix.h"
#include "jobledger/server/log.h"

namespace jobledger::loadgen {

struct LoadOptions {
  std::string target;  // host:port
  std::string token;   // bearer token sent with every call
  CommandMix mix = *CommandMix::Parse("create=1,status=2");
  int clients = 32;  // closed loop: concurrent clients; open loop: connections to spread over
  double rate = 0;   // requests/s; > 0 makes the run open-loop
  absl::Duration duration = absl::Seconds(10);
  int64_t requests = 0;                      // stop after this many (0: by duration)
  absl::Duration warmup = absl::Seconds(1);  // calls started before it are not counted
  int max_in_flight = 20'000;                // open loop: the sender waits beyond this
  absl::Duration call_timeout = absl::Seconds(10);
  uint64_t random_seed = 1;

  // The data to work on. With seeded_jobs > 0 the target holds what `SeedJobs` wrote (its ids);
  // otherwise setup_customers customers are created first and commands work on jobs this run
  // creates. The scheduling operations need a seed with scheduling technicians: seeded_jobs and
  // seeded_technicians then give its jobs and technicians (and so its calendar, see
  // SeededSchedulingCalendar).
  int64_t seeded_jobs = 0;
  int seeded_customers = 2'000;
  int seeded_technicians = 50;
  int setup_customers = 20;
  // Filter kinds a list draws from: status, customer, technician, unassigned, dates, text, tag.
  std::vector<std::string> list_filters = {"status", "customer", "technician", "unassigned",
                                           "dates",  "text",     "tag"};
  int list_page_size = 50;

  // The reporting service (host:port) to measure propagation against, or empty: every
  // propagation_every-th acknowledged create or status change is followed by a reporting query
  // that waits for its log position; the time from the acknowledgement to that answer is
  // reported as kPropagationRpc (not counted in the run's calls or throughput).
  std::string propagation_target;
  int propagation_every = 10;
};

// The name of the propagation figures in a report's rpcs.
inline constexpr absl::string_view kPropagationRpc = "propagation to reporting";

struct RpcStats {
  std::string name;  // e.g. "CreateJob", "ListJobs[status]", "Echo"
  int64_t ok = 0;
  // Calls the service turned down as the operation means it to (a conflict-checked booking
  // refused with FAILED_PRECONDITION): completed calls, not errors.
  int64_t refused = 0;
  std::map<std::string, int64_t> errors;  // by gRPC code name
  LatencyHistogram latency;               // completed calls: successful and refused
};

struct LoadReport {
  std::string label;  // "job service", "echo baseline"
  std::string mode;   // "closed" or "open"
  int clients = 0;
  double target_rate = 0;
  std::string mix;
  absl::Duration measured;  // the window after the warm-up
  int64_t ok = 0;
  int64_t refused = 0;  // completed calls the service refused by design (see RpcStats)
  int64_t errors = 0;
  double throughput = 0;       // completed (successful and refused) calls per second in the window
  int64_t late_sends = 0;      // open loop: calls sent more than 1 ms after their intended time
  std::vector<RpcStats> rpcs;  // one per RPC (name order), then "all"
  const RpcStats& all() const { return rpcs.back(); }
};

// Runs `options` against the job service at options.target.
absl::StatusOr<LoadReport> RunJobLoad(const LoadOptions& options);

// Runs `options` (assign and free_slots) against the scheduling service at options.target, over
// a seed with scheduling technicians:
//   assign: ScheduleAppointment of a random backlog job (SeededBacklogJobId) for a random seeded
//     technician in a random 2-hour slot of the seeded calendar; refused (FAILED_PRECONDITION,
//     the slot conflicts) counts as a completed call, reported as "ScheduleAppointment[refused]".
//   free_slots: FindFreeSlots for a random backlog job (one required skill, its estimate) over 7
//     days from a random day of the seeded calendar.
absl::StatusOr<LoadReport> RunSchedulingLoad(const LoadOptions& options);

// RunSchedulingLoad when the mix is all scheduling operations, RunJobLoad when it has none;
// INVALID_ARGUMENT for a mix of both (each run drives one service).
absl::StatusOr<LoadReport> RunServiceLoad(const LoadOptions& options);

// An echo service on the same chassis as every jobledger service (auth with the same HS256 key,
// role checks, metrics, access-log interceptor), in this process on 127.0.0.1:0. Its access log
// lines are written at `log_level` and above: give the level the measured service runs at.
class EchoBaseline {
 public:
  static absl::StatusOr<std::unique_ptr<EchoBaseline>> Start(
      const std::string& jwt_hs256_key, server::Level log_level = server::Level::kWarning);
  ~EchoBaseline();
  int port() const;

 private:
  struct Parts;
  explicit EchoBaseline(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// The same clients, mode, rate and duration as `options`, each call an Echo of a 256-byte
// message, against options.target (an EchoBaseline).
absl::StatusOr<LoadReport> RunEchoLoad(const LoadOptions& options);

// A human-readable table of each report, and the ratio of the first's throughput to the
// baseline's when both are given.
std::string FormatReport(const LoadReport& report);
std::string FormatComparison(const LoadReport& measured, const LoadReport& baseline);
// One JSON document with every report (and the ratio when there are two).
std::string ReportsToJson(const std::vector<LoadReport>& reports);

}  // namespace jobledger::loadgen
