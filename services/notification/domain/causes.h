// Which events a rule reacts to, and what each says about the message it causes. Pure: reads the
// event alone; the reactions add what the copies of jobs, customers and technicians know.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/events/v1/envelope.pb.h"
#include "jobledger/notification/v1/notification.pb.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::notification {

struct Cause {
  v1::Trigger trigger = v1::TRIGGER_UNSPECIFIED;
  std::string job_id;          // empty for an invoice's or payment's (found from the invoice)
  std::string appointment_id;  // scheduling causes
  std::optional<scheduling::v1::ArrivalWindow> window;  // when the event states it
  std::optional<scheduling::v1::ArrivalWindow> previous_window;
  // Technicians the event states: the ones who hear of it (scheduled, reassigned; empty: the
  // appointment's), and the ones {{technician.name}} names (reassigned: the new ones; en route and
  // arrived: the one on the way).
  std::vector<std::string> technicians_told;
  bool technicians_from_appointment = false;
  std::vector<std::string> technicians_named;
  std::string invoice_id;
  std::optional<common::v1::Money> payment;
};

// The cause in `event`, nullopt when no rule reacts to it; DATA_LOSS for a payload that does not
// parse.
absl::StatusOr<std::optional<Cause>> CauseOf(const events::v1::Event& event);

}  // namespace jobledger::notification
