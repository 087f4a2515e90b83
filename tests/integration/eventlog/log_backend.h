// A log backend under test: the conformance suite runs the same cases against each one.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "jobledger/eventlog/event_log.h"

namespace jobledger::eventlog {

class LogBackend {
 public:
  virtual ~LogBackend() = default;
  // The client that owns and writes the topics (created with the given specs).
  virtual std::unique_ptr<EventLog> Writer() = 0;
  // A second, independent client, as another process or machine would be.
  virtual std::unique_ptr<EventLog> Reader() = 0;
};

struct BackendFactory {
  std::string name;
  std::function<std::unique_ptr<LogBackend>(const std::vector<TopicSpec>& topics)> make;
};

inline void PrintTo(const BackendFactory& factory, std::ostream* out) { *out << factory.name; }

// The backends built into this test binary.
std::vector<BackendFactory> AllBackends();

}  // namespace jobledger::eventlog
