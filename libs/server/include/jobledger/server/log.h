// Structured logs: one JSON object per line on stdout (time, level, msg, service, trace_id and the
// fields the caller adds, such as job_id or event_id). Thread-safe.
//
//   Log(Level::kInfo, "job created", {{"job_id", id}, {"event_id", event_id}});
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace jobledger::server {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

absl::string_view LevelName(Level level);  // "debug", "info", "warning", "error"
// Accepts the names above and "warn"; nullopt otherwise.
std::optional<Level> ParseLevel(absl::string_view name);

// A field value: text, integer, floating point or boolean. Holds views, so it lives only for the
// duration of the Log call (which is all it needs).
class LogValue {
 public:
  LogValue(absl::string_view text) : value_(text) {}  // NOLINT: implicit on purpose
  LogValue(const std::string& text) : value_(absl::string_view(text)) {}          // NOLINT
  LogValue(const char* text) : value_(absl::string_view(text)) {}                 // NOLINT
  LogValue(bool flag) : value_(flag) {}                                           // NOLINT
  LogValue(int number) : value_(static_cast<int64_t>(number)) {}                  // NOLINT
  LogValue(long number) : value_(static_cast<int64_t>(number)) {}                 // NOLINT
  LogValue(long long number) : value_(static_cast<int64_t>(number)) {}            // NOLINT
  LogValue(unsigned number) : value_(static_cast<int64_t>(number)) {}             // NOLINT
  LogValue(unsigned long number) : value_(static_cast<uint64_t>(number)) {}       // NOLINT
  LogValue(unsigned long long number) : value_(static_cast<uint64_t>(number)) {}  // NOLINT
  LogValue(double number) : value_(number) {}                                     // NOLINT

  const std::variant<absl::string_view, int64_t, uint64_t, double, bool>& value() const {
    return value_;
  }

 private:
  std::variant<absl::string_view, int64_t, uint64_t, double, bool> value_;
};

struct LogField {
  absl::string_view key;
  LogValue value;
};

// One log line (with its trailing newline). Pure, for the logger and for tests. Keys are in this
// order: time (RFC 3339, UTC, microseconds), level, msg, service, trace_id (left out when empty),
// then `fields` in the order given. A field named like one of the fixed keys is written with a
// leading underscore so it cannot overwrite them; invalid UTF-8 is replaced, never thrown on.
std::string FormatLogLine(absl::Time time, Level level, absl::string_view service,
                          absl::string_view msg, absl::string_view trace_id,
                          std::initializer_list<LogField> fields);

// While alive, log lines written by this thread carry `trace_id` (the chassis sets it around each
// RPC handler, so handlers need not pass it).
class ScopedLogTrace {
 public:
  explicit ScopedLogTrace(absl::string_view trace_id);
  ~ScopedLogTrace();
  ScopedLogTrace(const ScopedLogTrace&) = delete;
  ScopedLogTrace& operator=(const ScopedLogTrace&) = delete;

  // The trace id of the innermost live scope on this thread ("" when none).
  static absl::string_view Current();

 private:
  absl::string_view previous_;
};

class Logger {
 public:
  // Receives each complete line, newline included.
  using Sink = std::function<void(absl::string_view line)>;

  // Writes to stdout, flushing each line (pipes and log collectors see it at once).
  static Sink StdoutSink();

  Logger(std::string service, Level level, Sink sink = StdoutSink());

  bool Enabled(Level level) const {
    return static_cast<int>(level) >= level_.load(std::memory_order_relaxed);
  }
  void set_level(Level level) { level_.store(static_cast<int>(level), std::memory_order_relaxed); }
  void set_service(std::string service) ABSL_LOCKS_EXCLUDED(mu_);
  // Replaces where lines go (tests capture the default logger's lines this way).
  void set_sink(Sink sink) ABSL_LOCKS_EXCLUDED(mu_);

  // trace_id comes from a field named "trace_id" if given, else from ScopedLogTrace::Current().
  void Log(Level level, absl::string_view msg, std::initializer_list<LogField> fields = {})
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::atomic<int> level_;
  mutable absl::Mutex mu_;
  std::string service_ ABSL_GUARDED_BY(mu_);
  Sink sink_ ABSL_GUARDED_BY(mu_);
};

// The process-wide logger (service "jobledger", level info, stdout until configured).
Logger& DefaultLogger();
// Sets the default logger's service name and level (the chassis does this from its config).
void ConfigureLogging(std::string service, Level level);

inline void Log(Level level, absl::string_view msg, std::initializer_list<LogField> fields = {}) {
  Logger& logger = DefaultLogger();
  if (logger.Enabled(level)) logger.Log(level, msg, fields);
}

}  // namespace jobledger::server
