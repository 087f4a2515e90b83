// `jl up`: runs the whole system on this machine: the five services as separate processes (on the
// embedded log in <data-dir>/log, or on Kafka with --kafka), local stand-ins for the email and SMS
// providers, waits until every service is ready, seeds the demo tenant unless it is there, and
// prints the endpoints, a dispatcher token and example calls. The processes keep running after
// `jl up` returns; `jl status`, `jl logs` and `jl down` find them through <data-dir>/run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "commands.h"
#include "demo_seed.h"
#include "dev_key.h"
#include "jobledger/auth/roles.h"
#include "output_tail.h"
#include "service_probe.h"
#include "system_layout.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

struct UpFlags {
  std::string data_dir = "./data";
  std::string kafka;
  std::string time_zone = "UTC";
  int port_offset = 0;
  std::string smtp_url;
  std::string sms_endpoint;
  std::string tenant = "demo";
  bool no_demo = false;
  int ready_timeout_seconds = 180;
};

std::string Local(int port) { return absl::StrCat("127.0.0.1:", port); }

int Fail(absl::string_view message) {
  std::cerr << "jl up: " << message << "\n";
  return EXIT_FAILURE;
}

bool PortAccepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

// The command line of one service: the shared flags, then the addresses of the services it calls.
std::vector<std::string> ServiceArgs(const ServiceSpec& service, const std::string& binary,
                                     const UpFlags& flags, const SystemLayout& layout,
                                     const std::string& smtp_url, const std::string& sms_endpoint) {
  const auto address_of = [&](const std::string& name) {
    for (const ServiceSpec& other : SystemServices()) {
      if (other.name == name) return Local(other.grpc_port + flags.port_offset);
    }
    return std::string();
  };
  std::vector<std::string> args = {
      binary,
      "--listen=" + Local(service.grpc_port + flags.port_offset),
      "--metrics-listen=" + Local(service.metrics_port + flags.port_offset),
      "--data-dir=" + layout.service_dir(service.name),
      "--jwt-hs256-key-file=" + layout.key_file(),
      "--time-zone=" + flags.time_zone,
  };
  args.push_back(flags.kafka.empty() ? "--log-dir=" + layout.log_dir()
                                     : "--kafka-bootstrap=" + flags.kafka);
  if (service.name == "job") args.push_back("--billing-address=" + address_of("billing"));
  if (service.name == "scheduling" || service.name == "billing" || service.name == "notification") {
    args.push_back("--job-address=" + address_of("job"));
  }
  if (service.name == "notification") {
    args.push_back("--billing-address=" + address_of("billing"));
    args.push_back("--smtp-url=" + smtp_url);
    args.push_back("--sms-endpoint=" + sms_endpoint);
  }
  return args;
}

// Starts `wanted` unless the state says it is already running, and records it in the state file.
// Its `ports` must be free: another process listening there would answer the readiness probes in
// its place (and ours, unable to listen, would exit).
absl::Status EnsureRunning(SystemState& state, const SystemLayout& layout, RunningProcess wanted,
                           const std::vector<std::string>& argv, const std::vector<int>& ports) {
  if (const RunningProcess* running = state.Find(wanted.name);
      running != nullptr && IsRunning(running->process)) {
    std::cout << "  " << wanted.name << ": already running (pid " << running->process.pid << ")\n";
    return absl::OkStatus();
  }
  for (int port : ports) {
    if (PortAccepts(port)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "port ", port, " (", wanted.name, ") is in use by another process: stop it, or run ",
          "this system on other ports with --port-offset"));
    }
  }
  wanted.output_file = absl::StrCat(layout.logs_dir(), "/", wanted.name, ".log");
  absl::StatusOr<ProcessRef> started = StartDetached(argv, wanted.output_file);
  if (!started.ok()) return started.status();
  wanted.process = *started;
  state.Put(wanted);
  return WriteSystemState(layout.state_file(), state);
}

absl::Status StartProviders(SystemState& state, const SystemLayout& layout, const UpFlags& flags,
                            std::string& smtp_url, std::string& sms_endpoint) {
  struct Provider {
    std::string name, script, channel;
    int port;
    std::string* url;
    std::string url_format;
  };
  std::vector<Provider> wanted;
  if (smtp_url.empty()) {
    wanted.push_back({"smtp", "smtp_sink.py", "mail", kDevSmtpPort + flags.port_offset, &smtp_url,
                      "smtp://127.0.0.1:%d"});
  }
  if (sms_endpoint.empty()) {
    wanted.push_back({"sms", "sms_sink.py", "sms", kDevSmsPort + flags.port_offset, &sms_endpoint,
                      "http://127.0.0.1:%d/v1/messages"});
  }
  if (wanted.empty()) return absl::OkStatus();
  const std::string scripts = FindDevProvidersDir();
  if (scripts.empty()) {
    return absl::FailedPreconditionError(
        "the local email and SMS providers (tools/dev-providers) are not installed here: pass "
        "--smtp-url and --sms-endpoint");
  }
  for (const Provider& provider : wanted) {
    std::filesystem::create_directories(layout.outbox_dir(provider.channel));
    RunningProcess process{.name = provider.name,
                           .process = {},
                           .grpc_address = "",
                           .metrics_address = "",
                           .output_file = ""};
    const std::vector<std::string> argv = {"/usr/bin/python3",
                                           absl::StrCat(scripts, "/", provider.script),
                                           absl::StrCat("--port=", provider.port),
                                           "--record-dir=" + layout.outbox_dir(provider.channel)};
    if (absl::Status s = EnsureRunning(state, layout, process, argv, {provider.port}); !s.ok()) {
      return s;
    }
    *provider.url = absl::StrFormat(provider.url_format.c_str(), provider.port);
  }
  // The notification service tolerates providers that are not up yet (it retries), but a
  // provider that cannot start at all should be reported now, with its output.
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  for (const Provider& provider : wanted) {
    const RunningProcess* process = state.Find(provider.name);
    while (!PortAccepts(provider.port)) {
      if (!IsRunning(process->process) || absl::Now() > deadline) {
        return absl::UnavailableError(absl::StrCat("the local ", provider.name,
                                                   " provider did not start:\n",
                                                   OutputTail(process->output_file, 20)));
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  return absl::OkStatus();
}

// Polls every service's readiness until all are SERVING; a service that exits meanwhile ends
// the wait with its last lines of output.
absl::Status WaitUntilReady(const SystemState& state, absl::Duration timeout) {
  const absl::Time start = absl::Now();
  std::set<std::string> waiting;
  for (const ServiceSpec& service : SystemServices()) waiting.insert(service.name);
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const RunningProcess& process = *state.Find(*it);
      if (!IsRunning(process.process)) {
        return absl::UnavailableError(absl::StrCat("the ", *it, " service exited; its output (",
                                                   process.output_file, ") ends with:\n",
                                                   OutputTail(process.output_file, 20)));
      }
      if (ProbeReadiness(process.grpc_address, absl::Seconds(1)) == Readiness::kServing) {
        std::cout << absl::StrFormat("  %-13s ready after %.1f s\n", *it,
                                     absl::ToDoubleSeconds(absl::Now() - start));
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    if (waiting.empty()) break;
    if (absl::Now() - start > timeout) {
      return absl::DeadlineExceededError(
          absl::StrCat("not ready after ", absl::FormatDuration(timeout), ": ",
                       absl::StrJoin(waiting, ", "), " (see `jl logs`)"));
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return absl::OkStatus();
}

void PrintSummary(const SystemState& state, const SystemLayout& layout, const UpFlags& flags,
                  const std::string& token) {
  std::cout << "\njobledger is running ("
            << (flags.kafka.empty() ? "embedded log in " + layout.log_dir()
                                    : "Kafka at " + flags.kafka)
            << "):\n";
  for (const ServiceSpec& service : SystemServices()) {
    const RunningProcess& process = *state.Find(service.name);
    std::cout << absl::StrFormat("  %-13s gRPC %s   metrics http://%s/metrics\n", service.name,
                                 process.grpc_address, process.metrics_address);
  }
  if (state.Find("smtp") != nullptr) {
    std::cout << "  emails sent are kept in " << layout.outbox_dir("mail") << "/accepted\n";
  }
  if (state.Find("sms") != nullptr) {
    std::cout << "  texts sent are kept in " << layout.outbox_dir("sms") << "/messages.jsonl\n";
  }
  const std::string data_flag =
      flags.data_dir == "./data" ? "" : absl::StrCat(" --data-dir ", flags.data_dir);
  std::cout << "\nA dispatcher's token for tenant \"" << flags.tenant << "\" (valid 12 hours):\n"
            << "  export JOBLEDGER_TOKEN=" << token << "\n"
            << "\nTry:\n"
            << "  ./jl call" << data_flag << " reporting ReportingService/GetDispatchCounts '{}'\n"
            << "  ./jl call" << data_flag
            << " scheduling DispatchService/ListUnassigned '{}'       # the hot list\n"
            << "  ./jl call" << data_flag
            << " reporting ReportingService/ExportJobsCsv '{\"view\": \"VIEW_SCHEDULED_TODAY\"}'\n"
            << "\nThen: ./jl status" << data_flag << ", ./jl logs" << data_flag
            << " [SERVICE] [-f], ./jl down" << data_flag << "\n";
}

int RunUp(const UpFlags& flags) {
  const SystemLayout layout = LayoutFor(flags.data_dir);
  std::error_code error;
  for (const std::string& dir : {layout.data_dir, layout.logs_dir(), layout.run_dir()}) {
    if (!std::filesystem::create_directories(dir, error) && error) {
      return Fail(absl::StrCat("--data-dir: cannot create ", dir, ": ", error.message()));
    }
  }
  absl::StatusOr<std::string> key = EnsureDevKey(layout.key_file());
  if (!key.ok()) return Fail(key.status().message());

  absl::StatusOr<SystemState> state = ReadSystemState(layout.state_file());
  if (absl::IsNotFound(state.status())) state = SystemState{};
  if (!state.ok()) return Fail(state.status().message());
  const std::string backend = flags.kafka.empty() ? "embedded" : flags.kafka;
  for (const RunningProcess& process : state->processes) {
    if (!process.grpc_address.empty() && IsRunning(process.process) && state->backend != backend) {
      return Fail(absl::StrCat("already running on ", state->backend, " from ", layout.data_dir,
                               ": run `jl down` first"));
    }
  }
  state->backend = backend;

  std::cout << "Starting jobledger from " << layout.data_dir << "\n";
  std::string smtp_url = flags.smtp_url;
  std::string sms_endpoint = flags.sms_endpoint;
  if (absl::Status s = StartProviders(*state, layout, flags, smtp_url, sms_endpoint); !s.ok()) {
    return Fail(s.message());
  }
  for (const ServiceSpec& service : SystemServices()) {
    const std::string binary = FindServiceBinary(service.name);
    if (binary.empty()) {
      return Fail(absl::StrCat("jobledger-", service.name, " is not built (looked beside ",
                               ExecutableDir(), " and in the build tree)"));
    }
    RunningProcess process{.name = service.name,
                           .process = {},
                           .grpc_address = Local(service.grpc_port + flags.port_offset),
                           .metrics_address = Local(service.metrics_port + flags.port_offset),
                           .output_file = ""};
    const std::vector<std::string> argv =
        ServiceArgs(service, binary, flags, layout, smtp_url, sms_endpoint);
    if (absl::Status s = EnsureRunning(
            *state, layout, process, argv,
            {service.grpc_port + flags.port_offset, service.metrics_port + flags.port_offset});
        !s.ok()) {
      return Fail(s.message());
    }
  }
  if (absl::Status s = WaitUntilReady(*state, absl::Seconds(flags.ready_timeout_seconds));
      !s.ok()) {
    return Fail(s.message());
  }

  if (!flags.no_demo) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(flags.time_zone, &zone)) {
      return Fail(absl::StrCat("--time-zone: unknown zone \"", flags.time_zone, "\""));
    }
    DemoSeedOptions seed;
    seed.endpoints = DemoEndpoints{.job = state->Find("job")->grpc_address,
                                   .scheduling = state->Find("scheduling")->grpc_address,
                                   .billing = state->Find("billing")->grpc_address,
                                   .notification = state->Find("notification")->grpc_address,
                                   .reporting = state->Find("reporting")->grpc_address};
    seed.tenant = flags.tenant;
    seed.token = DevTokenSource(*key, flags.tenant, absl::Minutes(30));
    seed.now = absl::Now();
    seed.zone = zone;
    absl::StatusOr<DemoSeedResult> seeded = SeedDemoTenant(seed);
    if (!seeded.ok())
      return Fail(absl::StrCat("seeding the demo tenant: ", seeded.status().message()));
    std::cout << (seeded->already_seeded ? "\nThe demo tenant was already there.\n"
                                         : "\nSeeded the demo tenant:\n");
    for (const std::string& line : seeded->lines) std::cout << "  " << line << "\n";
  }
  absl::StatusOr<std::string> token = DevTokenSource(*key, flags.tenant, absl::Hours(12))(
      auth::Role::kDispatcher, "demo-dispatcher");
  if (!token.ok()) return Fail(token.status().message());
  PrintSummary(*state, layout, flags, *token);
  return EXIT_SUCCESS;
}

}  // namespace

void RegisterUpCommand(CLI::App& app) {
  auto flags = std::make_shared<UpFlags>();
  CLI::App* command = app.add_subcommand(
      "up", "Run all five services (embedded log or Kafka) with demo data, in the background");
  command->add_option("--data-dir", flags->data_dir, "Directory holding logs, projections, state")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command->add_option("--kafka", flags->kafka,
                      "Kafka bootstrap servers (e.g. from `jl devbroker`) instead of the "
                      "embedded log");
  command->add_option("--time-zone", flags->time_zone, "The tenants' time zone (IANA name)")
      ->capture_default_str();
  command
      ->add_option("--port-offset", flags->port_offset,
                   "Added to every port (gRPC 7101–7105, metrics 9101–9105, providers "
                   "2525 and 8025), to run two systems side by side")
      ->check(CLI::Range(0, 50000))
      ->capture_default_str();
  command->add_option("--smtp-url", flags->smtp_url,
                      "A real SMTP server instead of the local one that keeps emails in "
                      "<data-dir>/outbox/mail");
  command->add_option("--sms-endpoint", flags->sms_endpoint,
                      "A real SMS provider instead of the local one (<data-dir>/outbox/sms)");
  command->add_option("--tenant", flags->tenant, "The demo tenant's id")->capture_default_str();
  command->add_flag("--no-demo", flags->no_demo, "Do not seed the demo tenant");
  command
      ->add_option("--ready-timeout-seconds", flags->ready_timeout_seconds,
                   "How long to wait for every service to be ready")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([flags] {
    if (const int code = RunUp(*flags); code != EXIT_SUCCESS) std::exit(code);
  });
}

}  // namespace jobledger::cli
