// Builders shared by the job domain tests: jobs in a given state, envelopes, times, money.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/job/v1/job.pb.h"

namespace jobledger::job::testing {

inline constexpr char kJobId[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
inline constexpr char kCustomerId[] = "0190a1b2-c3d4-7e5f-8a9b-000000000001";

inline absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

inline google::protobuf::Timestamp Ts(absl::Time time) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

inline common::v1::Money MoneyOf(int64_t minor_units, const std::string& currency = "USD") {
  common::v1::Money money;
  money.set_minor_units(minor_units);
  money.set_currency(currency);
  return money;
}

// A job that exists (version 3) with `status`, number 7 → "JOB-7".
inline v1::Job JobIn(v1::JobStatus status) {
  v1::Job job;
  job.set_job_id(kJobId);
  job.set_number(7);
  job.set_title("Fix the leak");
  job.set_customer_id(kCustomerId);
  job.set_status(status);
  job.set_version(3);
  return job;
}

inline aggregate::Head HeadOf(const v1::Job& job) { return {job.version(), "hash"}; }

inline events::v1::Envelope Envelope(int64_t sequence, absl::Time occurred_at,
                                     const std::string& user = "user-dispatcher") {
  events::v1::Envelope envelope;
  envelope.set_aggregate_type("job");
  envelope.set_aggregate_id(kJobId);
  envelope.set_sequence(sequence);
  *envelope.mutable_occurred_at() = Ts(occurred_at);
  envelope.mutable_actor()->set_user_id(user);
  return envelope;
}

inline v1::LineItem Line(const std::string& id, const std::string& name, int64_t quantity_milli,
                         int64_t unit_minor, const std::string& currency = "USD") {
  v1::LineItem line;
  line.set_line_item_id(id);
  line.set_kind(v1::LINE_ITEM_KIND_SERVICE);
  line.set_name(name);
  line.set_quantity_milli(quantity_milli);
  *line.mutable_unit_price() = MoneyOf(unit_minor, currency);
  return line;
}

// Applies `events` one after another from sequence `first_sequence`, a minute apart.
inline absl::Status EvolveAll(v1::Job& job, const std::vector<JobEvent>& events,
                              int64_t first_sequence, absl::Time first_at) {
  for (size_t i = 0; i < events.size(); ++i) {
    const int64_t sequence = first_sequence + static_cast<int64_t>(i);
    absl::Status s = EvolveJob(
        job, Envelope(sequence, first_at + absl::Minutes(static_cast<int64_t>(i))), events[i]);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// Asserts the code and that the message contains `text`.
MATCHER_P2(StatusIs, code, text,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message with \"", text,
                        "\"")) {
  const absl::Status& status = arg;
  *result_listener << "status is " << status;
  return status.code() == code && status.message().find(text) != absl::string_view::npos;
}

// The only event of `events`, as alternative T (fails the test otherwise).
template <typename T>
const T& Only(const std::vector<JobEvent>& events) {
  EXPECT_EQ(events.size(), 1u);
  EXPECT_TRUE(!events.empty() && std::holds_alternative<T>(events[0]));
  return std::get<T>(events.at(0));
}

}  // namespace jobledger::job::testing
