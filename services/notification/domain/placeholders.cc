// Placeholder values.
#include "domain/placeholders.h"

#include "absl/strings/str_cat.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::notification {
namespace {

// The job's most recent public note: internal notes never reach a customer.
std::string LatestPublicNote(const job::v1::Job& job) {
  for (int i = job.notes_size() - 1; i >= 0; --i) {
    if (job.notes(i).visibility() == job::v1::NOTE_VISIBILITY_PUBLIC) return job.notes(i).text();
  }
  return "";
}

// "2026-11-24", or empty for an unset date.
std::string FormatDate(const common::v1::LocalDate& date) {
  auto day = LocalDateFromProto(date);
  return day.ok() ? FormatLocalDate(*day) : "";
}

}  // namespace

std::string FormatWindow(const scheduling::v1::ArrivalWindow& window, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%H:%M", TimeFromProto(window.start()), zone), "-",
                      absl::FormatTime("%H:%M", TimeFromProto(window.end()), zone));
}

std::string FormatDay(absl::Time at, absl::TimeZone zone) {
  // "%e" pads a one-digit day with a space; "Wed 4 Nov" reads better and costs one less septet.
  const absl::CivilDay day = absl::ToCivilDay(at, zone);
  return absl::StrCat(absl::FormatTime("%a", at, zone), " ", day.day(), " ",
                      absl::FormatTime("%b", at, zone));
}

std::string FormatMoney(const common::v1::Money& money) {
  auto parsed = Money::FromProto(money);
  if (!parsed.ok()) return "";
  return parsed->ToString();
}

std::map<std::string, std::string> PlaceholderValues(const MessageFacts& facts,
                                                     absl::TimeZone zone) {
  std::map<std::string, std::string> values = {
      {"business.name", facts.business_name},
      {"technician.name",
       facts.technician_name.empty() ? "your technician" : facts.technician_name},
  };
  values["customer.name"] = facts.customer != nullptr ? facts.customer->name() : "";
  if (facts.job != nullptr) {
    values["job.number"] = absl::StrCat("JOB-", facts.job->number());
    values["job.title"] = facts.job->title();
    values["note.public"] = LatestPublicNote(*facts.job);
  } else {
    values["job.number"] = values["job.title"] = values["note.public"] = "";
  }
  if (facts.window != nullptr) {
    values["appointment.window"] = FormatWindow(*facts.window, zone);
    values["appointment.date"] = FormatDay(TimeFromProto(facts.window->start()), zone);
  } else {
    values["appointment.window"] = values["appointment.date"] = "";
  }
  values["appointment.previous_window"] =
      facts.previous_window != nullptr
          ? absl::StrCat(FormatDay(TimeFromProto(facts.previous_window->start()), zone), " ",
                         FormatWindow(*facts.previous_window, zone))
          : "";
  if (facts.invoice != nullptr) {
    values["invoice.number"] = absl::StrCat("INV-", facts.invoice->number());
    values["invoice.total"] = FormatMoney(facts.invoice->total());
    values["invoice.balance"] = FormatMoney(facts.invoice->balance());
    values["invoice.due_date"] = FormatDate(facts.invoice->due_date());
  } else {
    values["invoice.number"] = values["invoice.total"] = values["invoice.balance"] =
        values["invoice.due_date"] = "";
  }
  values["payment.amount"] = facts.payment != nullptr ? FormatMoney(*facts.payment) : "";
  return values;
}

}  // namespace jobledger::notification
