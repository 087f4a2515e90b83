// What the command fuzz targets share: an input is one selector byte (which command) and the
// serialized request; a command is validated like its handler does, decided against a small fixed
// state, and the events it decides are applied with Evolve.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fuzz_check.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::fuzz {

// The instant every fuzzed command happens at: 2026-03-02 15:00 UTC.
inline constexpr int64_t kNowSeconds = 1'772'463'600;

inline absl::Time Now() { return absl::FromUnixSeconds(kNowSeconds); }

// The id a command's handler would generate.
inline std::string NewId() { return "0190a1b2-c3d4-7e5f-8a9b-0000000000aa"; }

// A fuzzed request: the bytes after the selector, parsed; false when they are not one.
template <typename Request>
bool ParseRequest(absl::string_view bytes, Request& request) {
  return request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// A validator refuses with INVALID_ARGUMENT only (naming the field); returns whether it accepted.
inline bool Accepted(const absl::Status& validation) {
  if (!validation.ok()) JL_FUZZ_CHECK(validation.code() == absl::StatusCode::kInvalidArgument);
  return validation.ok();
}

// A decision refuses with a client's error, never INTERNAL or UNKNOWN; the events of an accepted
// one all apply to the state it was decided on.
template <typename State, typename Event, typename Evolve>
void CheckDecision(const absl::StatusOr<std::vector<Event>>& decided, State state,
                   const aggregate::Head& head, Evolve evolve) {
  if (!decided.ok()) {
    const absl::StatusCode code = decided.status().code();
    JL_FUZZ_CHECK(code != absl::StatusCode::kInternal && code != absl::StatusCode::kUnknown &&
                  code != absl::StatusCode::kDataLoss);
    return;
  }
  events::v1::Envelope envelope;
  envelope.set_event_id("0190a1b2-c3d4-7e5f-8a9b-00000000ffff");
  envelope.set_tenant("acme");
  envelope.mutable_actor()->set_user_id("u-dispatcher");
  envelope.mutable_occurred_at()->set_seconds(kNowSeconds);
  int64_t sequence = head.version;
  for (const Event& event : *decided) {
    envelope.set_sequence(++sequence);
    JL_FUZZ_CHECK_OK(evolve(state, envelope, event));
  }
}

// The state after `decided` (which must be accepted) is applied to `state`: how the targets make
// their states with the domain itself, so that they are states the service can reach.
template <typename State, typename Event, typename Evolve>
State Made(State state, const absl::StatusOr<std::vector<Event>>& decided, Evolve evolve) {
  JL_FUZZ_CHECK_OK(decided.status());
  events::v1::Envelope envelope;
  envelope.set_sequence(1);
  envelope.mutable_occurred_at()->set_seconds(kNowSeconds);
  for (const Event& event : *decided) JL_FUZZ_CHECK_OK(evolve(state, envelope, event));
  return state;
}

// Commands by selector byte: the input's first byte picks one (modulo their count) and, with what
// is left of it (the quotient), which state the command meets; the rest is its request.
class CommandTable {
 public:
  using Command = std::function<void(int state, absl::string_view request)>;

  void Add(Command command) { commands_.push_back(std::move(command)); }

  // A command taking a `Request`: inputs that do not parse as one are skipped.
  template <typename Request, typename Run>
  void On(Run run) {
    Add([run](int state, absl::string_view bytes) {
      Request request;
      if (ParseRequest(bytes, request)) run(state, request);
    });
  }

  void Run(const uint8_t* data, size_t size) const {
    if (size == 0) return;
    const absl::string_view request(reinterpret_cast<const char*>(data) + 1, size - 1);
    commands_[data[0] % commands_.size()](static_cast<int>(data[0] / commands_.size()), request);
  }

 private:
  std::vector<Command> commands_;
};

}  // namespace jobledger::fuzz

// The fuzz entry point of a command target: runs the table `make_table()` returns (made once).
#define JL_FUZZ_COMMAND_TARGET(make_table)                                  \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    static const ::jobledger::fuzz::CommandTable* const commands =          \
        new ::jobledger::fuzz::CommandTable(make_table());                  \
    commands->Run(data, size);                                              \
    return 0;                                                               \
  }
