#include "system_layout.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace jobledger::cli {
namespace {

bool IsExecutable(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

const std::vector<ServiceSpec>& SystemServices() {
  static const auto* services = new std::vector<ServiceSpec>{
      {"job", 7101, 9101},          {"scheduling", 7102, 9102}, {"billing", 7103, 9103},
      {"notification", 7104, 9104}, {"reporting", 7105, 9105},
  };
  return *services;
}

SystemLayout LayoutFor(const std::string& data_dir) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(data_dir, error);
  return SystemLayout{
      .data_dir = (error ? std::filesystem::path(data_dir) : absolute).lexically_normal().string()};
}

std::string ExecutableDir() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string(".") : self.parent_path().string();
}

std::string FindServiceBinary(const std::string& service) {
  const std::filesystem::path dir = ExecutableDir();
  const std::string binary = "jobledger-" + service;
  for (const std::filesystem::path& candidate :
       {dir / binary, dir / ".." / ".." / "services" / service / binary}) {
    if (IsExecutable(candidate)) return candidate.lexically_normal().string();
  }
  return "";
}

std::string FindDevProvidersDir() {
  const std::filesystem::path installed =
      std::filesystem::path(ExecutableDir()) / ".." / "share" / "jobledger" / "dev-providers";
  for (const std::filesystem::path& candidate :
       {std::filesystem::path(JL_SOURCE_DIR) / "tools" / "dev-providers", installed}) {
    if (IsExecutable(candidate / "smtp_sink.py")) return candidate.lexically_normal().string();
  }
  return "";
}

}  // namespace jobledger::cli
