// The notification service's projection: its own aggregates (settings, templates, messages with
// their chain heads, for the command path; messages by job, customer, failure and due time) and
// copies of what its messages need from the other services: jobs and customers (job topic),
// technicians and appointments (scheduling topic), invoices (billing topic).
#pragma once

#include <string>
#include <vector>

#include "jobledger/projection/projection.h"

namespace jobledger::notification {

struct NotificationTopics {
  std::string notification;
  std::string job;
  std::string scheduling;
  std::string billing;
};

class NotificationProjection final : public projection::Projection {
 public:
  explicit NotificationProjection(NotificationTopics topics) : topics_(std::move(topics)) {}

  std::string name() const override { return "notification"; }
  int32_t version() const override { return 1; }
  std::vector<std::string> topics() const override {
    return {topics_.notification, topics_.job, topics_.scheduling, topics_.billing};
  }

  absl::Status Apply(const events::v1::Event& event, const projection::EventPosition& position,
                     projection::StateWriter& state) const override;

 private:
  NotificationTopics topics_;
};

}  // namespace jobledger::notification
