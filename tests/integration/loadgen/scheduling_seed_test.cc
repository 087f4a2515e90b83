// The scheduling seed read back from the log: technicians registered with skills and shifts, no
// technician's visits overlap or fall off shift, backlog jobs Open without a visit; and the mix
// names of the scheduling operations.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "google/protobuf/util/time_util.h"
#include "jobledger/eventlog/embedded_log.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/loadgen/mix.h"
#include "jobledger/loadgen/seed.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "jobledger/testing/temp_dir.h"

namespace jobledger::loadgen {
namespace {

using google::protobuf::util::TimeUtil;

TEST(SchedulingMixTest, ParsesTheSchedulingOperations) {
  auto mix = CommandMix::Parse("assign=3,free_slots=1");
  ASSERT_TRUE(mix.ok()) << mix.status();
  EXPECT_EQ(mix->ToString(), "assign=3,free_slots=1");
  EXPECT_TRUE(mix->IsScheduling());
  EXPECT_FALSE(mix->IsMixedServices());
  EXPECT_TRUE(CommandMix::Parse("create=1,assign=1")->IsMixedServices());
  EXPECT_FALSE(CommandMix::Parse("create=1,status=2")->IsScheduling());
}

TEST(SchedulingSeedTest, CalendarsFillWithoutOverlaps) {
  jobledger::testing::TempDir dir;
  SeedOptions options;
  options.log_dir = dir.Sub("log");
  options.jobs = 5'000;
  options.customers = 20;
  options.scheduling_technicians = 20;
  options.partitions = 2;
  auto seeded = SeedJobs(options);
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  EXPECT_EQ(seeded->technicians, 20);
  EXPECT_EQ(seeded->appointments, options.jobs - SeededBacklogJobs(options.jobs));

  eventlog::EmbeddedLogOptions log_options;
  log_options.directory = dir.Sub("log");
  auto log = eventlog::EmbeddedLog::Open(log_options);
  ASSERT_TRUE(log.ok()) << log.status();
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> busy;  // technician: visits
  std::set<std::string> registered, with_shifts, scheduled;
  std::map<std::string, int> status;
  for (absl::string_view topic : {eventlog::kJobTopic, eventlog::kSchedulingTopic}) {
    for (int32_t partition = 0; partition < options.partitions; ++partition) {
      auto records = (*log)->Read(topic, partition, 0, 1'000'000);
      ASSERT_TRUE(records.ok()) << records.status();
      for (const eventlog::Record& record : *records) {
        auto event = eventlog::DecodeEvent(record);
        ASSERT_TRUE(event.ok()) << event.status();
        const std::string& type = event->envelope().type();
        if (type == scheduling::v1::AppointmentScheduled::descriptor()->full_name()) {
          scheduling::v1::AppointmentScheduled visit;
          ASSERT_TRUE(visit.ParseFromString(event->payload()));
          scheduled.insert(visit.job_id());
          const int64_t start = TimeUtil::TimestampToSeconds(visit.window().start());
          const int64_t end = std::max(TimeUtil::TimestampToSeconds(visit.window().end()),
                                       start + visit.duration_minutes() * 60);
          for (const std::string& technician : visit.technician_ids()) {
            busy[technician].emplace_back(start, end);
          }
        } else if (type == scheduling::v1::TechnicianRegistered::descriptor()->full_name()) {
          scheduling::v1::TechnicianRegistered technician;
          ASSERT_TRUE(technician.ParseFromString(event->payload()));
          EXPECT_FALSE(technician.skills().empty());
          registered.insert(technician.technician_id());
        } else if (type == scheduling::v1::ShiftsSet::descriptor()->full_name()) {
          scheduling::v1::ShiftsSet shifts;
          ASSERT_TRUE(shifts.ParseFromString(event->payload()));
          EXPECT_EQ(shifts.shifts_size(), 6);
          with_shifts.insert(shifts.technician_id());
        } else if (type == job::v1::JobCreated::descriptor()->full_name()) {
          job::v1::JobCreated created;
          ASSERT_TRUE(created.ParseFromString(event->payload()));
          EXPECT_EQ(created.job().required_skills_size(), 1);
          status[created.job().job_id()] = created.job().status();
        } else if (type == job::v1::JobStatusChanged::descriptor()->full_name()) {
          job::v1::JobStatusChanged changed;
          ASSERT_TRUE(changed.ParseFromString(event->payload()));
          status[event->envelope().aggregate_id()] = changed.to();
        }
      }
    }
  }
  EXPECT_EQ(registered.size(), 20u);
  EXPECT_EQ(with_shifts, registered);
  for (auto& [technician, visits] : busy) {
    EXPECT_TRUE(registered.contains(technician)) << technician;
    std::sort(visits.begin(), visits.end());
    for (size_t i = 0; i < visits.size(); ++i) {
      if (i > 0) {
        EXPECT_GE(visits[i].first, visits[i - 1].second) << technician;
      }
      const int64_t since_midnight = visits[i].first % 86400;
      EXPECT_GE(since_midnight, 7 * 3600) << technician;
      EXPECT_LE(since_midnight + (visits[i].second - visits[i].first), 19 * 3600) << technician;
      EXPECT_NE((visits[i].first / 86400 + 3) % 7, 6) << technician << " works on a Sunday";
    }
  }
  for (int64_t k = 0; k < SeededBacklogJobs(options.jobs); ++k) {
    const std::string id = SeededBacklogJobId(k);
    EXPECT_FALSE(scheduled.contains(id)) << id;
    EXPECT_EQ(status[id], job::v1::JOB_STATUS_OPEN) << id;
  }
}

}  // namespace
}  // namespace jobledger::loadgen
