// Customer statements from account entries.
#include "domain/statement.h"

#include "absl/strings/str_cat.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::billing {
namespace {

// One side of an entry in the statement's currency (zero when the entry does not have it).
absl::StatusOr<Money> SideOf(const v1::AccountEntry& entry, bool present,
                             const common::v1::Money& amount, const Money& zero) {
  if (!present || (amount.minor_units() == 0 && amount.currency().empty())) return zero;
  if (amount.currency() != zero.currency()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the account entry \"", entry.description(), "\" is in ", amount.currency(),
                     ", not the statement's currency ", zero.currency()));
  }
  return Money::Create(amount.minor_units(), zero.currency());
}

// balance += charge − credit (refusing overflow).
absl::Status Post(Money& balance, const Money& charge, const Money& credit) {
  auto charged = balance.Plus(charge);
  if (!charged.ok()) return charged.status();
  auto credited = charged->Minus(credit);
  if (!credited.ok()) return credited.status();
  balance = *std::move(credited);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::CustomerStatement> BuildStatement(const std::string& customer_id,
                                                     const std::vector<v1::AccountEntry>& entries,
                                                     absl::CivilDay first_day,
                                                     absl::CivilDay last_day, absl::TimeZone zone,
                                                     absl::string_view currency) {
  if (last_day < first_day) {
    return absl::InvalidArgumentError("last_day: before first_day");
  }
  auto zero = Money::Zero(currency);
  if (!zero.ok()) return zero.status();
  // The entries up to last_day with their sides in the statement's currency.
  struct Counted {
    const v1::AccountEntry* entry;
    absl::CivilDay day;
    Money charge;
    Money credit;
  };
  std::vector<Counted> counted;
  Money opening = *zero;
  Money credit_available = *zero;
  for (const v1::AccountEntry& entry : entries) {
    const absl::CivilDay day = LocalDay(TimeFromProto(entry.at()), zone);
    if (day > last_day) continue;
    auto charge = SideOf(entry, entry.has_charge(), entry.charge(), *zero);
    if (!charge.ok()) return charge.status();
    auto credit = SideOf(entry, entry.has_credit(), entry.credit(), *zero);
    if (!credit.ok()) return credit.status();
    auto kept = SideOf(entry, entry.has_to_credit(), entry.to_credit(), *zero);
    if (!kept.ok()) return kept.status();
    if (absl::Status s = Post(credit_available, *kept, *zero); !s.ok()) return s;
    if (day < first_day) {
      if (absl::Status s = Post(opening, *charge, *credit); !s.ok()) return s;
      continue;
    }
    counted.push_back({&entry, day, *std::move(charge), *std::move(credit)});
  }

  v1::CustomerStatement statement;
  statement.set_customer_id(customer_id);
  opening.ToProto(statement.mutable_opening_balance());
  Money balance = opening;
  for (const Counted& c : counted) {
    if (absl::Status s = Post(balance, c.charge, c.credit); !s.ok()) return s;
    v1::StatementLine& line = *statement.add_lines();
    LocalDateToProto(c.day, line.mutable_date());
    line.set_description(c.entry->description());
    c.charge.ToProto(line.mutable_charge());
    c.credit.ToProto(line.mutable_credit());
    balance.ToProto(line.mutable_balance());
    line.set_invoice_id(c.entry->invoice_id());
  }
  balance.ToProto(statement.mutable_closing_balance());
  credit_available.ToProto(statement.mutable_credit_available());
  return statement;
}

}  // namespace jobledger::billing
