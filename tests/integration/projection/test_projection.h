// A small projection for the runtime's tests: one row per aggregate counting its events, an
// index by tenant, and an event type it refuses (to exercise dead letters).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/table.h"

namespace jobledger::projection::testing {

inline constexpr char kTopic[] = "test.events";
inline constexpr char kPoisonType[] = "test.v1.Poison";

// Rows reuse the envelope's Actor message: user_id = aggregate id, role = tenant,
// name = "<version>:<count>".
using CountRow = events::v1::Actor;

inline Table<CountRow> CountTable() {
  return Table<CountRow>(
      "counts", [](const CountRow& row) { return KeyBuilder().String(row.user_id()).key(); },
      {{"by_tenant", [](const CountRow& row) {
          return std::vector<std::string>{KeyBuilder().String(row.role()).key()};
        }}});
}

class CountingProjection final : public Projection {
 public:
  explicit CountingProjection(int32_t version = 1, std::string name = "counts")
      : version_(version), name_(std::move(name)) {}

  std::string name() const override { return name_; }
  int32_t version() const override { return version_; }
  std::vector<std::string> topics() const override { return {kTopic}; }

  absl::Status Apply(const events::v1::Event& event, const EventPosition&,
                     StateWriter& state) const override {
    const auto& envelope = event.envelope();
    // Write first, then refuse: proves a refused event's writes are undone.
    CountRow row;
    row.set_user_id(envelope.aggregate_id());
    row.set_role(envelope.tenant());
    auto existing = table_.Get(state, KeyBuilder().String(envelope.aggregate_id()).key());
    if (!existing.ok()) return existing.status();
    int count = 0;
    if (existing->has_value()) {
      const std::string& name = (*existing)->name();
      count = std::stoi(name.substr(name.find(':') + 1));
    }
    row.set_name(absl::StrCat(version_, ":", count + 1));
    if (absl::Status put = table_.Put(state, row); !put.ok()) return put;
    if (envelope.type() == kPoisonType) {
      return absl::InvalidArgumentError("poison events are refused");
    }
    return absl::OkStatus();
  }

  const Table<CountRow>& table() const { return table_; }

 private:
  const int32_t version_;
  const std::string name_;
  const Table<CountRow> table_ = CountTable();
};

inline eventlog::Record MakeEventRecord(const std::string& tenant, const std::string& aggregate,
                                        int64_t sequence,
                                        const std::string& type = "test.v1.Ping") {
  events::v1::Event event;
  auto& envelope = *event.mutable_envelope();
  envelope.set_event_id(absl::StrCat("e-", aggregate, "-", sequence));
  envelope.set_type(type);
  envelope.set_source("/test");
  envelope.set_tenant(tenant);
  envelope.set_aggregate_type("thing");
  envelope.set_aggregate_id(aggregate);
  envelope.set_sequence(sequence);
  envelope.mutable_occurred_at()->set_seconds(1'795'000'000 + sequence);
  event.set_payload(absl::StrCat("payload-", sequence));
  eventlog::SealEvent(event);
  return eventlog::EncodeEvent(event);
}

}  // namespace jobledger::projection::testing
