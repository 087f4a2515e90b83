// What `jl up` runs and where it keeps things: the five services with their fixed local ports, the
// local stand-ins for the email and SMS providers, and the layout of the data directory that
// `jl up`, `jl down`, `jl status`, `jl logs` and `jl call` share.
#pragma once

#include <string>
#include <vector>

namespace jobledger::cli {

struct ServiceSpec {
  std::string name;  // "job", …; the binary is jobledger-<name>
  int grpc_port;
  int metrics_port;
};

// In start order; fixed ports so that example calls and dashboards can be written down once.
const std::vector<ServiceSpec>& SystemServices();

// Local email and SMS providers (tools/dev-providers) that record what they are sent.
inline constexpr int kDevSmtpPort = 2525;
inline constexpr int kDevSmsPort = 8025;

struct SystemLayout {
  std::string data_dir;

  std::string log_dir() const { return data_dir + "/log"; }  // the embedded log
  std::string service_dir(const std::string& service) const { return data_dir + "/" + service; }
  std::string logs_dir() const { return data_dir + "/logs"; }  // the processes' output
  std::string run_dir() const { return data_dir + "/run"; }
  std::string state_file() const { return run_dir() + "/system.json"; }
  std::string key_file() const { return data_dir + "/jwt-hs256.key"; }
  std::string outbox_dir(const std::string& channel) const {
    return data_dir + "/outbox/" + channel;
  }
};

// The layout of `data_dir`, made absolute (the state file records absolute paths).
SystemLayout LayoutFor(const std::string& data_dir);

// The directory of the running `jl` executable.
std::string ExecutableDir();

// The binary of a service: beside `jl` (an installed or container layout), else in the build tree
// (build/<preset>/services/<name>/). Empty when neither exists.
std::string FindServiceBinary(const std::string& service);

// tools/dev-providers: in the source tree `jl` was built from, or <prefix>/share/jobledger/.
std::string FindDevProvidersDir();

}  // namespace jobledger::cli
