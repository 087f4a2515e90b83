// Structured JSON log lines built with nlohmann-json.
#include "jobledger/server/log.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace jobledger::server {
namespace {

thread_local absl::string_view current_trace_id;

bool IsFixedKey(absl::string_view key) {
  return key == "time" || key == "level" || key == "msg" || key == "service" || key == "trace_id";
}

std::string Text(absl::string_view text) { return std::string(text.data(), text.size()); }

}  // namespace

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::optional<Level> ParseLevel(absl::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warning" || name == "warn") return Level::kWarning;
  if (name == "error") return Level::kError;
  return std::nullopt;
}

std::string FormatLogLine(absl::Time time, Level level, absl::string_view service,
                          absl::string_view msg, absl::string_view trace_id,
                          std::initializer_list<LogField> fields) {
  // ordered_json keeps the fixed keys first, which makes lines readable by eye too.
  nlohmann::ordered_json line;
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
  line["level"] = Text(LevelName(level));
  line["msg"] = Text(msg);
  line["service"] = Text(service);
  if (!trace_id.empty()) line["trace_id"] = Text(trace_id);
  for (const LogField& field : fields) {
    if (field.key == "trace_id") continue;  // given separately (Logger::Log takes it from here)
    const std::string key = IsFixedKey(field.key) ? absl::StrCat("_", field.key) : Text(field.key);
    std::visit(
        [&](const auto& value) {
          if constexpr (std::is_same_v<std::decay_t<decltype(value)>, absl::string_view>) {
            line[key] = Text(value);
          } else {
            line[key] = value;
          }
        },
        field.value.value());
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text.push_back('\n');
  return text;
}

ScopedLogTrace::ScopedLogTrace(absl::string_view trace_id) : previous_(current_trace_id) {
  current_trace_id = trace_id;
}

ScopedLogTrace::~ScopedLogTrace() { current_trace_id = previous_; }

absl::string_view ScopedLogTrace::Current() { return current_trace_id; }

Logger::Sink Logger::StdoutSink() {
  return [](absl::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
  };
}

Logger::Logger(std::string service, Level level, Sink sink)
    : level_(static_cast<int>(level)), service_(std::move(service)), sink_(std::move(sink)) {}

void Logger::set_service(std::string service) {
  absl::MutexLock lock(&mu_);
  service_ = std::move(service);
}

void Logger::set_sink(Sink sink) {
  absl::MutexLock lock(&mu_);
  sink_ = std::move(sink);
}

void Logger::Log(Level level, absl::string_view msg, std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;
  absl::string_view trace_id = ScopedLogTrace::Current();
  for (const LogField& field : fields) {
    if (field.key == "trace_id" && std::holds_alternative<absl::string_view>(field.value.value())) {
      trace_id = std::get<absl::string_view>(field.value.value());
    }
  }
  std::string service;
  {
    absl::MutexLock lock(&mu_);
    service = service_;
  }
  // Formatted outside the lock; only the write is serialised, so lines never interleave.
  const std::string line = FormatLogLine(absl::Now(), level, service, msg, trace_id, fields);
  absl::MutexLock lock(&mu_);
  sink_(line);
}

Logger& DefaultLogger() {
  static Logger* const logger = new Logger("jobledger", Level::kInfo);
  return *logger;
}

void ConfigureLogging(std::string service, Level level) {
  DefaultLogger().set_service(std::move(service));
  DefaultLogger().set_level(level);
}

}  // namespace jobledger::server
