// The rules at work: a projection over the job, scheduling and billing topics that, for each event
// a rule reacts to (an appointment scheduled, rescheduled or reassigned, a technician en route or
// arrived, a job completed, an invoice issued, a payment received), queues one message per
// enabled (channel, audience) and recipient who accepts the channel. Each message's id is derived
// from the event's id, the rule and the recipient, so replaying the topics (a restart, a rebuild
// of this projection, a redelivered record) never queues a second message for the same cause.
//
// Events older than max_event_age when they are read are not acted on: a projection rebuilt from
// a year of history must not text every customer about last year's visits.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jobledger/common/clock.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/projection/projection.h"
#include "jobledger/projection/runner.h"
#include "notification_commands.h"
#include "projections/notification_projection.h"

namespace jobledger::notification {

struct ReactionsOptions {
  NotificationTopics topics;
  NotificationCommands* commands = nullptr;
  // The notification projection: jobs, customers, technicians, appointments and invoices as the
  // events so far made them.
  const projection::ProjectionRunner* projection = nullptr;
  // The log the projection reads, to find how far its topics go.
  eventlog::EventLog* log = nullptr;
  absl::TimeZone zone = absl::UTCTimeZone();
  std::string business_name;  // {{business.name}} when the tenant's settings name no sender
  absl::Duration max_event_age = absl::Hours(12);
  const Clock* clock = &SystemClock();
  absl::Duration wait = absl::Seconds(5);
};

class NotificationReactions final : public projection::Projection {
 public:
  explicit NotificationReactions(ReactionsOptions options) : options_(std::move(options)) {}

  std::string name() const override { return "notification_reactions"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override {
    return {options_.topics.job, options_.topics.scheduling, options_.topics.billing};
  }
  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  // Waits until the projection holds every fact the cause could refer to: the cause itself, and
  // everything on the other topics (its job and customer, technicians, invoice) appended before.
  absl::Status WaitForFacts(const projection::EventPosition& position) const;

  ReactionsOptions options_;
};

}  // namespace jobledger::notification
