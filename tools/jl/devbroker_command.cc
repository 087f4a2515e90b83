// `jl devbroker`: a local in-memory Kafka (librdkafka's mock cluster) for running jobledger.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "jobledger/eventlog/dev_broker.h"
#include "jobledger/eventlog/topics.h"

namespace jobledger::cli {
namespace {

struct DevBrokerFlags {
  int brokers = 1;
  int partitions = eventlog::kDefaultPartitions;
  std::vector<std::string> topics;
  std::string bootstrap_file;
};

constexpr char kLimits[] =
    R"(Limits (this is librdkafka's mock cluster, for development and tests only):
  - in memory only: everything is lost when it stops;
  - each partition keeps about 5 MiB or 100k message sets, the oldest are dropped;
  - transactions write no commit markers;
  - no offset-for-timestamp lookups.
SIGUSR1 takes every broker down (connections dropped and refused, data kept), SIGUSR2 brings
them up again: an outage for fault-injection tests.
It runs until SIGINT (Ctrl-C) or SIGTERM and then exits 0.)";

// Written to a temporary name and renamed, so a reader never sees a partial address.
absl::Status WriteBootstrapFile(const std::string& path, const std::string& servers) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << servers << "\n";
    out.flush();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temporary, " to ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

int RunDevBroker(const DevBrokerFlags& flags) {
  // Blocked before any thread starts, so every thread inherits the mask and the signals are
  // taken only by sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  sigaddset(&stop_signals, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  eventlog::DevBrokerOptions options;
  options.brokers = flags.brokers;
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> names = flags.topics;
  if (names.empty()) {
    for (absl::string_view topic : eventlog::kAllTopics) names.emplace_back(topic);
  }
  for (const std::string& name : names) {
    if (seen.insert(name).second) options.topics.push_back({name, flags.partitions});
  }

  auto broker = eventlog::DevBroker::Start(options);
  if (!broker.ok()) {
    std::cerr << "jl devbroker: " << broker.status().message() << "\n";
    return EXIT_FAILURE;
  }
  const std::string& servers = (*broker)->bootstrap_servers();
  if (!flags.bootstrap_file.empty()) {
    if (const absl::Status written = WriteBootstrapFile(flags.bootstrap_file, servers);
        !written.ok()) {
      std::cerr << "jl devbroker: " << written.message() << "\n";
      return EXIT_FAILURE;
    }
  }

  const int replication = std::min(3, flags.brokers);
  std::cout << "jl devbroker: in-memory Kafka with " << flags.brokers << " broker"
            << (flags.brokers == 1 ? "" : "s") << " (data is lost when it stops)\n"
            << "bootstrap servers: " << servers << "\n";
  for (const eventlog::TopicSpec& topic : (*broker)->topics()) {
    std::cout << "topic: " << topic.name << " (" << topic.partitions
              << " partitions, replication factor " << replication << ")\n";
  }
  std::cout << "ready; stop with Ctrl-C or SIGTERM" << std::endl;

  int signal_number = 0;
  while (true) {
    if (sigwait(&stop_signals, &signal_number) != 0) continue;
    if (signal_number != SIGUSR1 && signal_number != SIGUSR2) break;
    const bool down = signal_number == SIGUSR1;
    const absl::Status changed =
        down ? (*broker)->SetAllBrokersDown() : (*broker)->SetAllBrokersUp();
    if (changed.ok()) {
      std::cout << "jl devbroker: " << (down ? "brokers down (SIGUSR1)" : "brokers up (SIGUSR2)")
                << std::endl;
    } else {
      std::cerr << "jl devbroker: " << changed.message() << std::endl;
    }
  }
  std::cout << "jl devbroker: stopping on " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << std::endl;
  broker->reset();
  if (!flags.bootstrap_file.empty()) {
    // The address is dead now; a stale file would send clients to it.
    std::error_code ignored;
    std::filesystem::remove(flags.bootstrap_file, ignored);
  }
  return EXIT_SUCCESS;
}

}  // namespace

void RegisterDevBrokerCommand(CLI::App& app) {
  auto flags = std::make_shared<DevBrokerFlags>();
  CLI::App* command = app.add_subcommand(
      "devbroker", "Run a local in-memory Kafka (librdkafka's mock cluster) with the topics");
  command->footer(kLimits);
  command->add_option("--brokers", flags->brokers, "Number of brokers, each on its own port")
      ->envname("JOBLEDGER_DEVBROKER_BROKERS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->add_option("--partitions", flags->partitions, "Partitions of every topic")
      ->envname("JOBLEDGER_DEVBROKER_PARTITIONS")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command
      ->add_option("--topic", flags->topics,
                   "Topic to create (repeatable; default: all jobledger topics)")
      ->envname("JOBLEDGER_DEVBROKER_TOPICS")
      ->delimiter(',');
  command
      ->add_option("--bootstrap-file", flags->bootstrap_file,
                   "Write the bootstrap address to this file once ready (removed on exit)")
      ->envname("JOBLEDGER_DEVBROKER_BOOTSTRAP_FILE");
  command->callback([flags] {
    // The exit status is the command's result; all resources are released by now.
    if (const int code = RunDevBroker(*flags); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
