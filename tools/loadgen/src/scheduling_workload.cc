// The scheduling service's operations over a scheduling seed: conflict-checked bookings of backlog
// jobs into the seeded calendars, and free-slot searches across the technicians with a skill.
#include <grpcpp/grpcpp.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "driver.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/loadgen/loadgen.h"
#include "jobledger/loadgen/seed.h"
#include "jobledger/scheduling/v1/scheduling_service.grpc.pb.h"

namespace jobledger::loadgen {
namespace {

using google::protobuf::util::TimeUtil;
using internal::Call;
using internal::Done;
namespace sv1 = scheduling::v1;

constexpr char kSchedule[] = "ScheduleAppointment";
constexpr char kScheduleRefused[] = "ScheduleAppointment[refused]";
constexpr char kFreeSlots[] = "FindFreeSlots";
constexpr int kFreeSlotDays = 7;

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

class SchedulingWorkload final : public internal::Workload {
 public:
  explicit SchedulingWorkload(const LoadOptions& options)
      : options_(options),
        backlog_(SeededBacklogJobs(options.seeded_jobs)),
        calendar_(SeededSchedulingCalendar(options.seeded_jobs, options.seeded_technicians,
                                           absl::Now())) {
    for (const auto& channel : internal::OpenChannels(options.target, options.clients)) {
      stubs_.push_back(sv1::DispatchService::NewStub(channel));
    }
  }

  // Checks the service holds the seed this run assumes, waiting while it is still catching up.
  absl::Status Setup() {
    if (backlog_ == 0 || options_.seeded_technicians <= 0) {
      return absl::InvalidArgumentError(
          "assign and free_slots work on a scheduling seed (`jl loadgen seed "
          "--scheduling-technicians N`): give its --seeded-jobs (at least 10) and --technicians");
    }
    sv1::FindFreeSlotsRequest request;
    request.set_job_id(SeededBacklogJobId(0));
    request.set_days(1);
    sv1::FindFreeSlotsResponse response;
    const absl::Time give_up = absl::Now() + absl::Seconds(60);
    grpc::Status status;
    do {
      grpc::ClientContext context;
      internal::PrepareContext(context, options_);
      status = stubs_[0]->FindFreeSlots(&context, request, &response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(200));
    } while (absl::Now() < give_up);
    if (!status.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(status.error_code()),
          absl::StrCat("the scheduling service does not answer for seeded job ",
                       SeededBacklogJobId(0), " (seeded with --scheduling-technicians and ",
                       options_.seeded_jobs, " jobs?): ", status.error_message()));
    }
    return absl::OkStatus();
  }

  void Issue(std::mt19937_64& random, Done done) override {
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    if (options_.mix.Pick(u) == Operation::kFreeSlots) return FreeSlots(random, std::move(done));
    return Assign(random, std::move(done));
  }

  bool IsRefusal(absl::string_view rpc, grpc::StatusCode code) const override {
    return rpc == kScheduleRefused && code == grpc::StatusCode::FAILED_PRECONDITION;
  }

 private:
  sv1::DispatchService::StubInterface::async_interface* Stub() {
    return stubs_[next_stub_.fetch_add(1) % stubs_.size()]->async();
  }

  std::string BacklogJob(std::mt19937_64& random) const {
    return SeededBacklogJobId(static_cast<int64_t>(random() % backlog_));
  }

  // A dispatcher booking a waiting job into a two-hour slot of the seeded calendar, whatever the
  // technician's day already holds: the service decides whether it conflicts.
  void Assign(std::mt19937_64& random, Done done) {
    auto call = std::make_shared<Call<sv1::ScheduleAppointmentRequest, sv1::ScheduleReply>>();
    internal::PrepareContext(call->context, options_);
    sv1::ScheduleAppointmentRequest& request = call->request;
    request.set_job_id(BacklogJob(random));
    const absl::Time start =
        calendar_.SlotStart(static_cast<int64_t>(random() % calendar_.slots()));
    *request.mutable_window()->mutable_start() = ToProto(start);
    *request.mutable_window()->mutable_end() =
        ToProto(start + absl::Hours(SeededCalendar::kSlotHours));
    request.add_technician_ids(
        SeededTechnicianId(static_cast<int64_t>(random() % options_.seeded_technicians)));
    Stub()->ScheduleAppointment(&call->context, &call->request, &call->response,
                                [call, done = std::move(done)](grpc::Status status) {
                                  const bool refused =
                                      status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
                                  done(refused ? kScheduleRefused : kSchedule, status.error_code());
                                });
  }

  void FreeSlots(std::mt19937_64& random, Done done) {
    auto call = std::make_shared<Call<sv1::FindFreeSlotsRequest, sv1::FindFreeSlotsResponse>>();
    internal::PrepareContext(call->context, options_);
    sv1::FindFreeSlotsRequest& request = call->request;
    request.set_job_id(BacklogJob(random));
    // A week that lies within the seeded days where the calendar has them.
    const size_t days = calendar_.working_days.size();
    const size_t last_start = days > kFreeSlotDays - 1 ? days - (kFreeSlotDays - 1) : 1;
    const absl::CivilDay first = calendar_.working_days[random() % last_start];
    request.mutable_first_day()->set_year(static_cast<int32_t>(first.year()));
    request.mutable_first_day()->set_month(first.month());
    request.mutable_first_day()->set_day(first.day());
    request.set_days(kFreeSlotDays);
    Stub()->FindFreeSlots(&call->context, &call->request, &call->response,
                          [call, done = std::move(done)](grpc::Status status) {
                            done(kFreeSlots, status.error_code());
                          });
  }

  const LoadOptions& options_;
  const int64_t backlog_;
  const SeededCalendar calendar_;
  std::vector<std::unique_ptr<sv1::DispatchService::Stub>> stubs_;
  std::atomic<size_t> next_stub_{0};
};

}  // namespace

absl::StatusOr<LoadReport> RunSchedulingLoad(const LoadOptions& options) {
  if (!options.mix.IsScheduling()) {
    return absl::InvalidArgumentError(
        absl::StrCat("mix: the scheduling service takes assign and free_slots only, not ",
                     options.mix.ToString()));
  }
  SchedulingWorkload workload(options);
  if (absl::Status s = workload.Setup(); !s.ok()) return s;
  return internal::RunLoad(options, workload, "scheduling service", options.mix.ToString());
}

}  // namespace jobledger::loadgen
