// Fault injection: the five service processes `jl up` starts, under a command load
// (fault_workload.h) while something fails: services killed with SIGKILL one at a time (on the
// embedded log and on the dev broker), a slow SMTP server, the dev broker down and back. Afterwards
// no acknowledged command is lost, nothing unacknowledged was added, no customer got the same
// message twice, every projection equals a clean rebuild, and the services are serving again
// without anyone repairing them. Each load runs a few seconds in CI; JL_FAULT_SECONDS=N runs it for
// N seconds by hand (docs/operations.md, "Fault injection").
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "e2e_system.h"
#include "fault_workload.h"
#include "jobledger/testing/python_peer.h"
#include "jobledger/testing/small_filesystem.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"

namespace jobledger::fault {
namespace {

using e2e::Backend;
using e2e::System;
using jobledger::testing::SmallFilesystem;
using jobledger::testing::WaitUntil;

// How long the checks wait for the services to catch up once the load has stopped.
constexpr absl::Duration kCatchUp = absl::Seconds(120);

std::string Summary(const Workload& load) {
  std::vector<std::string> retried;
  for (const auto& [code, count] : load.Retried())
    retried.push_back(absl::StrCat(code, " ", count));
  return absl::StrCat(
      load.commands_acknowledged(), " commands acknowledged, ", load.Acked().size(),
      " jobs, attempts retried: ", retried.empty() ? "none" : absl::StrJoin(retried, ", "));
}

// The checks every test ends with, while the system runs.
void ExpectNothingLostOrRepeated(Workload& load, bool emails) {
  EXPECT_EQ(absl::StrJoin(load.Failures(), "\n"), "");
  EXPECT_EQ(load.CheckJobsAndSchedules(kCatchUp), "");
  EXPECT_EQ(load.CheckReporting(kCatchUp), "");
  EXPECT_EQ(load.CheckTexts(kCatchUp), "");
  if (emails) {
    EXPECT_EQ(load.CheckEmails(kCatchUp), "");
  }
}

// The system stopped, then every projection compared with a clean rebuild from the log: `jl
// projections verify` rebuilds each into a scratch store up to the offsets the live store applied
// and compares checksums.
void ExpectProjectionsEqualARebuild(System& system) {
  const absl::Status down = system.Down();
  ASSERT_TRUE(down.ok()) << down;
  const absl::Status verified = system.VerifyProjections();
  EXPECT_TRUE(verified.ok()) << verified;
}

WorkloadOptions Clients(int clients) {
  WorkloadOptions options;
  options.clients = clients;
  return options;
}

// A seed for the choice of victims: JL_FAULT_SEED to replay a run, else the clock's.
unsigned Seed() {
  const char* text = std::getenv("JL_FAULT_SEED");
  unsigned seed = 0;
  if (text != nullptr && absl::SimpleAtoi(text, &seed)) return seed;
  return static_cast<unsigned>(absl::ToUnixNanos(absl::Now()));
}

// Issue #12's kill loop on `backend`: under load, every 1–3 s a random service (never the same
// twice in a row; never the dev broker, which keeps its topics in memory) gets SIGKILL and `jl up`
// starts it again. Then nothing acknowledged is lost, nobody is texted or emailed twice, and every
// projection equals a clean rebuild.
void KillServicesOneAtATimeUnderLoad(Backend backend) {
  jobledger::testing::TempDir temp;
  System system(backend, temp.path() + "/data", PortOffset());
  const absl::Status up = system.Up();
  ASSERT_TRUE(up.ok()) << up;
  Workload load(system, Clients(2));
  const absl::Status business = load.SetUpBusiness();
  ASSERT_TRUE(business.ok()) << business;

  const unsigned seed = Seed();
  std::cout << "[ " << e2e::BackendName(backend) << " ] JL_FAULT_SEED=" << seed << "\n";
  std::mt19937 random(seed);
  const std::vector<std::string>& services = e2e::ServiceNames();
  std::map<std::string, int> kills;
  std::string previous;
  load.Start();
  const absl::Time end = absl::Now() + LoadDuration(absl::Seconds(20));
  while (absl::Now() < end) {
    std::string victim;
    do {
      victim = services[random() % services.size()];
    } while (victim == previous);  // never the same service twice in a row
    previous = victim;
    const absl::Status killed = system.Kill(victim);
    ASSERT_TRUE(killed.ok()) << victim << ": " << killed;
    ++kills[victim];
    // What a supervisor would do: `jl up` starts the missing service, keeps the others, and
    // returns once all five are ready.
    const absl::Status restarted = system.Up();
    ASSERT_TRUE(restarted.ok()) << "restarting " << victim << ": " << restarted;
    // Pacing between kills (1–3 s), so commands also get through between failures.
    absl::SleepFor(absl::Milliseconds(1000 + random() % 2000));
  }
  load.Stop();
  std::vector<std::string> killed;
  for (const auto& [service, count] : kills) killed.push_back(absl::StrCat(service, " ", count));
  std::cout << "[ " << e2e::BackendName(backend) << " ] killed: " << absl::StrJoin(killed, ", ")
            << "; " << Summary(load) << "\n";
  EXPECT_GE(kills.size(), 2u);
  EXPECT_GT(load.Acked().size(), 4u) << Summary(load);

  ExpectNothingLostOrRepeated(load, /*emails=*/true);
  ExpectProjectionsEqualARebuild(system);
}

TEST(FaultTest, ServicesKilledOneAtATimeUnderLoadLoseNothingAndRecover) {
  KillServicesOneAtATimeUnderLoad(Backend::kEmbedded);
}

// The same on the Kafka backend (a dev broker): each service appends through an idempotent
// producer and reads the topics over the network. Only the services are killed, never the broker.
TEST(FaultTest, ServicesKilledOneAtATimeUnderLoadOnKafkaLoseNothingAndRecover) {
  KillServicesOneAtATimeUnderLoad(Backend::kKafka);
}

TEST(FaultTest, ASlowSmtpServerDelaysNoCommandAndGetsEachEmailOnce) {
  jobledger::testing::TempDir temp;
  const std::string data_dir = temp.path() + "/data";
  // Every email takes this long to be accepted; commands must not wait for delivery.
  constexpr absl::Duration kSmtpDelay = absl::Seconds(3);
  absl::StatusOr<jobledger::testing::PythonPeer> smtp = jobledger::testing::StartPythonPeer(
      std::string(JL_TEST_PEERS_DIR) + "/smtp_sink.py",
      {"--record-dir", data_dir + "/outbox/mail", "--delay-seconds",
       absl::StrCat(absl::ToDoubleSeconds(kSmtpDelay))});
  ASSERT_TRUE(smtp.ok()) << smtp.status();
  System system(Backend::kEmbedded, data_dir, PortOffset(),
                {"--smtp-url", absl::StrCat("smtp://127.0.0.1:", smtp->port)});
  const absl::Status up = system.Up();
  ASSERT_TRUE(up.ok()) << up;
  WorkloadOptions options = Clients(2);
  options.max_jobs_per_client = 6;
  Workload load(system, options);
  const absl::Status business = load.SetUpBusiness();
  ASSERT_TRUE(business.ok()) << business;
  load.Start();
  load.Wait();
  std::cout << Summary(load) << "; slowest command " << load.SlowestOkAttempt() << "\n";
  EXPECT_LT(load.SlowestOkAttempt(), kSmtpDelay) << "a command waited for an email";

  ExpectNothingLostOrRepeated(load, /*emails=*/true);
  ExpectProjectionsEqualARebuild(system);
}

// The dev broker keeps its data in memory, so a stopped process would lose every topic: the
// outage is `jl devbroker`'s own (SIGUSR1: every broker drops and refuses connections; SIGUSR2:
// back), which a real cluster's outage looks like to the services.
TEST(FaultTest, TheBrokerDownMidLoadFailsCommandsCleanlyAndLosesNothing) {
  jobledger::testing::TempDir temp;
  System system(Backend::kKafka, temp.path() + "/data", PortOffset());
  const absl::Status up = system.Up();
  ASSERT_TRUE(up.ok()) << up;
  Workload load(system, Clients(2));
  const absl::Status business = load.SetUpBusiness();
  ASSERT_TRUE(business.ok()) << business;
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.commands_acknowledged() >= 20; }, absl::Seconds(60)))
      << Summary(load);

  ASSERT_TRUE(system.BrokerDown().ok());
  const int before_outage = load.commands_acknowledged();
  // The outage lasts this long (a pacing delay, not a wait for a condition).
  absl::SleepFor(LoadDuration(absl::Seconds(8)) / 2);
  const int during_outage = load.commands_acknowledged() - before_outage;
  ASSERT_TRUE(system.BrokerUp().ok());
  const int after_outage = load.commands_acknowledged();
  EXPECT_TRUE(
      WaitUntil([&] { return load.commands_acknowledged() >= after_outage + 20; }, kCatchUp))
      << "commands did not succeed again after the broker came back: " << Summary(load);
  load.Stop();
  std::cout << during_outage << " commands acknowledged during the outage; " << Summary(load)
            << "\n";
  // The outage was seen: attempts failed (any code but UNAVAILABLE or DEADLINE_EXCEEDED is a
  // failure, reported by ExpectNothingLostOrRepeated) and were retried.
  EXPECT_FALSE(load.Retried().empty()) << Summary(load);
  ExpectNothingLostOrRepeated(load, /*emails=*/true);

  // Every projection equals a rebuild: the job, scheduling and reporting stores deleted while
  // the system is down are rebuilt from the topics to the same answers.
  const absl::Status down = system.Down();
  ASSERT_TRUE(down.ok()) << down;
  for (const char* service : {"job", "scheduling", "reporting"}) {
    const std::string store = absl::StrCat(system.data_dir(), "/", service, "/projections");
    ASSERT_TRUE(std::filesystem::exists(store)) << store;
    std::filesystem::remove_all(store);
  }
  const absl::Status again = system.Up();
  ASSERT_TRUE(again.ok()) << again;
  EXPECT_EQ(load.CheckJobsAndSchedules(kCatchUp), "");
  EXPECT_EQ(load.CheckReporting(kCatchUp), "");
  EXPECT_EQ(load.CheckTexts(kCatchUp), "") << "texts sent again after the rebuild";
}

// The job service's topic of the embedded log (its only writer) on a small filesystem that
// fills up mid-load: its commands must be refused (never acknowledged without being durable), and
// the same process must serve again once there is space, with no one restarting it.
TEST(FaultTest, AFullDiskRefusesCommandsAndTheServiceServesAgainWhenThereIsSpace) {
  jobledger::testing::TempDir temp;
  const std::string data_dir = temp.path() + "/data";
  absl::StatusOr<std::unique_ptr<SmallFilesystem>> disk =
      SmallFilesystem::Mount(data_dir + "/log/jobledger.job.events", 64);
  if (!disk.ok()) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN: " << disk.status();
  System system(Backend::kEmbedded, data_dir, PortOffset());
  const absl::Status up = system.Up();
  ASSERT_TRUE(up.ok()) << up;
  const absl::StatusOr<std::vector<e2e::StartedProcess>> started = system.Processes();
  ASSERT_TRUE(started.ok()) << started.status();
  WorkloadOptions options = Clients(2);
  options.also_retry = {grpc::StatusCode::RESOURCE_EXHAUSTED};
  Workload load(system, options);
  const absl::Status business = load.SetUpBusiness();
  ASSERT_TRUE(business.ok()) << business;
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.commands_acknowledged() >= 20; }, absl::Seconds(60)))
      << Summary(load);

  const absl::Status filled = (*disk)->Fill();
  ASSERT_TRUE(filled.ok()) << filled;
  // The disk stays full this long (a pacing delay, not a wait for a condition).
  absl::SleepFor(LoadDuration(absl::Seconds(8)) / 2);
  (*disk)->Free();
  const int after_full = load.commands_acknowledged();
  EXPECT_TRUE(WaitUntil([&] { return load.commands_acknowledged() >= after_full + 20; }, kCatchUp))
      << "commands did not succeed again once there was space: " << Summary(load);
  load.Stop();
  std::vector<std::string> examples;
  for (const auto& [code, message] : load.RetriedExamples()) {
    examples.push_back(absl::StrCat(code, ": ", message));
  }
  std::cout << Summary(load) << "\n  " << absl::StrJoin(examples, "\n  ") << "\n";
  EXPECT_FALSE(load.Retried().empty()) << "no command was refused while the disk was full";
  for (const e2e::StartedProcess& process : *started) {
    EXPECT_EQ(kill(process.pid, 0), 0) << process.name << " exited";
  }

  ExpectNothingLostOrRepeated(load, /*emails=*/true);
  ExpectProjectionsEqualARebuild(system);
}

}  // namespace
}  // namespace jobledger::fault
