// `jl projections`: list projections with offsets and lag, verify one against a rebuild, rebuild
// one offline.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "analyst_flags.h"
#include "commands.h"
#include "jobledger/projection/tools.h"
#include "progress.h"
#include "projection_catalog.h"

namespace jobledger::cli {
namespace {

struct ProjectionsOptions {
  // The service's data dir (projections in <data-dir>/projections) and where its log is: the
  // embedded one (<data-dir>/log, else <data-dir>/../log, or --log-dir) or Kafka.
  LogSourceFlags source;
  std::string name;
  std::string time_zone = "UTC";
};

absl::StatusOr<std::unique_ptr<eventlog::EventLog>> OpenLog(const ProjectionsOptions& options) {
  return OpenLogSource(ToLogSourceOptions(options.source));  // reads only: services own topics
}

std::string ProjectionsDir(const ProjectionsOptions& options) {
  return (std::filesystem::path(options.source.options.data_dir) / "projections").string();
}

int Fail(const absl::Status& status) {
  std::cerr << "jl projections: " << status.message() << "\n";
  return 1;
}

absl::StatusOr<std::unique_ptr<projection::Projection>> FindProjection(
    const ProjectionsOptions& options) {
  const std::string& name = options.name;
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(options.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--time-zone: no time zone called ", options.time_zone));
  }
  std::vector<std::string> names;
  for (auto& known : KnownProjections(zone)) {
    if (known->name() == name) return std::move(known);
    names.push_back(known->name());
  }
  return absl::NotFoundError(
      absl::StrCat("this build knows no projection \"", name,
                   "\"; it knows: ", names.empty() ? "none yet" : absl::StrJoin(names, ", ")));
}

int List(const ProjectionsOptions& options) {
  auto log = OpenLog(options);
  auto listed =
      projection::ListProjections(ProjectionsDir(options), log.ok() ? log->get() : nullptr);
  if (!listed.ok()) return Fail(listed.status());
  std::cout << absl::StrFormat("%-28s %-9s %7s %12s %10s %12s\n", "PROJECTION", "STORE", "VERSION",
                               "APPLIED", "LAG", "DEAD-LETTERS");
  for (const auto& stored : *listed) {
    int64_t applied = 0;
    for (const auto& [partition, offset] : stored.applied) applied += offset;
    std::cout << absl::StrFormat(
        "%-28s %-9s %7d %12d %10s %12d\n", stored.name, stored.store_name, stored.version, applied,
        stored.lag < 0 ? "?" : absl::StrCat(stored.lag), stored.dead_letters);
  }
  return 0;
}

int Verify(const ProjectionsOptions& options) {
  auto projection = FindProjection(options);
  if (!projection.ok()) return Fail(projection.status());
  auto log = OpenLog(options);
  if (!log.ok()) return Fail(log.status());
  ProgressBar bar;
  int64_t last_done = 0;
  int64_t last_total = 0;
  auto result = projection::VerifyProjection(**projection, ProjectionsDir(options), **log,
                                             [&](int64_t done, int64_t total) {
                                               last_done = done;
                                               last_total = total;
                                               bar.Update(done, total);
                                             });
  if (!result.ok()) return Fail(result.status());
  bar.Finish(last_done, last_total);
  std::cout << options.name << ": live " << result->live_checksum << "\n"
            << options.name << ": rebuilt " << result->rebuilt_checksum << "\n"
            << (result->matches() ? "OK: the live state equals a clean rebuild\n"
                                  : "MISMATCH: the live state differs from a clean rebuild\n");
  return result->matches() ? 0 : 2;
}

int Rebuild(const ProjectionsOptions& options) {
  auto projection = FindProjection(options);
  if (!projection.ok()) return Fail(projection.status());
  auto log = OpenLog(options);
  if (!log.ok()) return Fail(log.status());
  ProgressBar bar;
  int64_t last_total = 0;
  auto events = projection::RebuildProjection(**projection, ProjectionsDir(options), **log,
                                              [&](int64_t done, int64_t total) {
                                                last_total = total;
                                                bar.Update(done, total);
                                              });
  if (!events.ok()) return Fail(events.status());
  bar.Finish(*events, last_total);
  std::cout << options.name << ": rebuilt from " << *events << " events\n";
  return 0;
}

}  // namespace

void RegisterProjectionsCommand(CLI::App& app) {
  auto options = std::make_shared<ProjectionsOptions>();
  CLI::App* command = app.add_subcommand(
      "projections", "List, verify and rebuild the projections (read models) under a data dir");
  command->require_subcommand(1);
  AddLogSourceFlags(*command, options->source);
  command
      ->add_option("--time-zone", options->time_zone,
                   "The services' --time-zone (the reporting projection's local days use it)")
      ->envname("JOBLEDGER_TIME_ZONE")
      ->capture_default_str();

  CLI::App* list = command->add_subcommand(
      "list", "Each projection with its store, version, applied events, lag and dead letters");
  list->fallthrough();  // --data-dir and the others may come after the subcommand too
  list->callback([options] { std::exit(List(*options)); });

  CLI::App* verify = command->add_subcommand(
      "verify",
      "Rebuild a projection into a scratch directory up to the offsets the live store has "
      "applied and compare checksums (safe while the service runs); exit 2 on a mismatch");
  verify->add_option("name", options->name, "Projection name")->required();
  verify->fallthrough();
  verify->callback([options] { std::exit(Verify(*options)); });

  CLI::App* rebuild = command->add_subcommand(
      "rebuild",
      "Rebuild a projection from offset 0 into a new store and make it current (its service "
      "must be stopped)");
  rebuild->add_option("name", options->name, "Projection name")->required();
  rebuild->fallthrough();
  rebuild->callback([options] { std::exit(Rebuild(*options)); });
}

}  // namespace jobledger::cli
