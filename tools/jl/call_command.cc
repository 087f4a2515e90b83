// `jl call TARGET Service/Method [JSON]`: calls one RPC of a running service with a JSON request
// and prints the replies as JSON (CSV exports as CSV), for trying the APIs by hand. TARGET is a
// service `jl up` started (job, scheduling, billing, notification, reporting) or host:port.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "json_grpc_call.h"
#include "system_layout.h"
#include "system_state.h"

namespace jobledger::cli {
namespace {

struct CallFlags {
  std::string target;
  std::string method;
  std::string request_json = "{}";
  std::string token;
  std::string data_dir = "./data";
  int timeout_seconds = 30;
};

absl::StatusOr<std::string> AddressOf(const CallFlags& flags) {
  if (flags.target.find(':') != std::string::npos) return flags.target;
  absl::StatusOr<SystemState> state = ReadSystemState(LayoutFor(flags.data_dir).state_file());
  if (!state.ok()) return state.status();
  const RunningProcess* process = state->Find(flags.target);
  if (process == nullptr || process->grpc_address.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no service \"", flags.target,
                     "\" (job, scheduling, billing, notification, reporting, or host:port)"));
  }
  return process->grpc_address;
}

int RunCall(const CallFlags& flags) {
  const auto fail = [](const absl::Status& status) {
    std::cerr << "jl call: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
              << "\n";
    return EXIT_FAILURE;
  };
  absl::StatusOr<std::string> address = AddressOf(flags);
  if (!address.ok()) return fail(address.status());
  auto method = FindMethod(flags.method);
  if (!method.ok()) return fail(method.status());
  const absl::Status status =
      CallWithJson(JsonCall{.address = *address,
                            .method = *method,
                            .request_json = flags.request_json,
                            .bearer_token = flags.token,
                            .timeout = absl::Seconds(flags.timeout_seconds)},
                   [](const std::string& reply) {
                     std::cout << reply;
                     if (!reply.empty() && reply.back() != '\n') std::cout << "\n";
                   });
  std::cout.flush();
  return status.ok() ? EXIT_SUCCESS : fail(status);
}

}  // namespace

void RegisterCallCommand(CLI::App& app) {
  auto flags = std::make_shared<CallFlags>();
  CLI::App* command = app.add_subcommand("call", "Call one RPC with a JSON request");
  command->footer(
      "Example: jl call job JobService/ListJobs '{\"pageSize\": 5}'\n"
      "The token comes from --token or JOBLEDGER_TOKEN (`jl up` prints one).");
  command
      ->add_option("target", flags->target,
                   "job, scheduling, billing, notification, reporting, or host:port")
      ->required();
  command->add_option("method", flags->method, "Service/Method, e.g. JobService/GetJob")
      ->required();
  command->add_option("request", flags->request_json, "The request as JSON")->capture_default_str();
  command->add_option("--token", flags->token, "Bearer token")->envname("JOBLEDGER_TOKEN");
  command->add_option("--data-dir", flags->data_dir, "The directory `jl up` ran from")
      ->envname("JOBLEDGER_DATA_DIR")
      ->capture_default_str();
  command->add_option("--timeout-seconds", flags->timeout_seconds, "Deadline of the call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([flags] { std::exit(RunCall(*flags)); });
}

}  // namespace jobledger::cli
