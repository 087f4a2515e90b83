// The values a message's template is filled with, from what the event and the service's copies
// of jobs, customers, technicians, appointments and invoices say. Every known placeholder gets a
// value (empty when the message has nothing for it), so rendering never fails for a template the
// tenant saved. Times in the tenant's zone; texts stay within the GSM-7 alphabet where the data
// allows, so an ordinary SMS is one segment.
#pragma once

#include <map>
#include <string>

#include "absl/time/time.h"
#include "jobledger/billing/v1/billing.pb.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::notification {

struct MessageFacts {
  const job::v1::Job* job = nullptr;
  const job::v1::Customer* customer = nullptr;
  std::string technician_name;  // empty: "your technician"
  const scheduling::v1::ArrivalWindow* window = nullptr;
  const scheduling::v1::ArrivalWindow* previous_window = nullptr;
  const billing::v1::Invoice* invoice = nullptr;
  const common::v1::Money* payment = nullptr;
  std::string business_name;
};

std::map<std::string, std::string> PlaceholderValues(const MessageFacts& facts,
                                                     absl::TimeZone zone);

// "10:00-12:00" (an ASCII hyphen: an en dash would make a text UCS-2).
std::string FormatWindow(const scheduling::v1::ArrivalWindow& window, absl::TimeZone zone);
// "Tue 24 Nov".
std::string FormatDay(absl::Time at, absl::TimeZone zone);
// "USD 120.00".
std::string FormatMoney(const common::v1::Money& money);

}  // namespace jobledger::notification
