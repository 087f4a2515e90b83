// Customer statements: opening balance, running balances, credit kept, the tenant's local days.
#include "domain/statement.h"

#include "billing_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::billing {
namespace {

using testing::IsMoney;
using testing::kCustomerId;
using testing::P;
using testing::StatusIs;

absl::TimeZone Chicago() { return LoadTenantTimeZone("America/Chicago").value(); }

// An entry at `at` charging `charge` and crediting `credit` (0: that side unset).
v1::AccountEntry Entry(absl::Time at, const std::string& description, int64_t charge,
                       int64_t credit, int64_t to_credit = 0, const std::string& currency = "USD") {
  v1::AccountEntry entry;
  *entry.mutable_at() = ProtoFromTime(at);
  entry.set_description(description);
  entry.set_invoice_id("invoice-1");
  if (charge != 0) *entry.mutable_charge() = P(charge, currency);
  if (credit != 0) *entry.mutable_credit() = P(credit, currency);
  if (to_credit != 0) *entry.mutable_to_credit() = P(to_credit, currency);
  return entry;
}

// Noon on a day of March 2026 in Chicago.
absl::Time March(int day) {
  return AtLocalTime(absl::CivilSecond(2026, 3, day, 12, 0, 0), Chicago());
}

absl::StatusOr<v1::CustomerStatement> March2026(const std::vector<v1::AccountEntry>& entries,
                                                int first = 1, int last = 31) {
  return BuildStatement(kCustomerId, entries, absl::CivilDay(2026, 3, first),
                        absl::CivilDay(2026, 3, last), Chicago(), "USD");
}

absl::CivilDay DayOf(const common::v1::LocalDate& date) { return LocalDateFromProto(date).value(); }

TEST(BuildStatement, OpeningBalanceIsWhatWasOwedBeforeTheFirstDay) {
  const std::vector<v1::AccountEntry> entries = {
      Entry(March(2), "INV-1 issued", 10'000, 0),
      Entry(March(4), "payment on INV-1 (check 1043)", 0, 4'000),
      Entry(March(10), "INV-2 issued", 5'000, 0),
      Entry(March(12), "payment on INV-2 (card)", 0, 5'000),
  };
  absl::StatusOr<v1::CustomerStatement> statement = March2026(entries, 5, 31);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(statement->customer_id(), kCustomerId);
  EXPECT_THAT(statement->opening_balance(), IsMoney(6'000));
  ASSERT_EQ(statement->lines_size(), 2);
  EXPECT_EQ(statement->lines(0).description(), "INV-2 issued");
  EXPECT_EQ(DayOf(statement->lines(0).date()), absl::CivilDay(2026, 3, 10));
  EXPECT_THAT(statement->lines(0).charge(), IsMoney(5'000));
  EXPECT_THAT(statement->lines(0).credit(), IsMoney(0));
  EXPECT_THAT(statement->lines(0).balance(), IsMoney(11'000));
  EXPECT_EQ(statement->lines(0).invoice_id(), "invoice-1");
  EXPECT_THAT(statement->lines(1).charge(), IsMoney(0));
  EXPECT_THAT(statement->lines(1).credit(), IsMoney(5'000));
  EXPECT_THAT(statement->lines(1).balance(), IsMoney(6'000));
  EXPECT_THAT(statement->closing_balance(), IsMoney(6'000));
  EXPECT_THAT(statement->credit_available(), IsMoney(0));
}

TEST(BuildStatement, RunningBalanceOverEveryKindOfEntry) {
  const std::vector<v1::AccountEntry> entries = {
      Entry(March(2), "INV-1 issued", 10'000, 0),
      Entry(March(3), "INV-2 issued", 2'500, 0),
      Entry(March(4), "credit note INV-3", 0, 1'000),
      Entry(March(5), "INV-2 void", 0, 2'500),
      Entry(March(6), "payment on INV-1 (cash)", 0, 9'000),
      Entry(March(7), "refund on INV-1 (cash)", 500, 0),
  };
  absl::StatusOr<v1::CustomerStatement> statement = March2026(entries);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_THAT(statement->opening_balance(), IsMoney(0));
  ASSERT_EQ(statement->lines_size(), 6);
  const int64_t running[] = {10'000, 12'500, 11'500, 9'000, 0, 500};
  for (int i = 0; i < 6; ++i) {
    EXPECT_THAT(statement->lines(i).balance(), IsMoney(running[i])) << "line " << i;
    EXPECT_EQ(statement->lines(i).description(), entries[i].description());
  }
  EXPECT_THAT(statement->closing_balance(), IsMoney(500));
}

TEST(BuildStatement, OverpaymentKeptAsCredit) {
  const std::vector<v1::AccountEntry> entries = {
      Entry(March(2), "INV-1 issued", 10'000, 0),
      // 120.00 paid on 100.00: 20.00 kept as the customer's credit.
      Entry(March(3), "payment on INV-1 (card)", 0, 12'000, 2'000),
  };
  absl::StatusOr<v1::CustomerStatement> statement = March2026(entries);
  ASSERT_TRUE(statement.ok()) << statement.status();
  ASSERT_EQ(statement->lines_size(), 2);
  EXPECT_THAT(statement->lines(1).balance(), IsMoney(-2'000));
  EXPECT_THAT(statement->closing_balance(), IsMoney(-2'000));
  EXPECT_THAT(statement->credit_available(), IsMoney(2'000));

  // Credit kept before the first day still counts; credit kept after the last day does not.
  const std::vector<v1::AccountEntry> more = {
      entries[0], entries[1], Entry(March(20), "INV-2 issued", 1'000, 0),
      Entry(March(21), "payment on INV-2 (card)", 0, 1'500, 500)};
  statement = March2026(more, 10, 20);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_THAT(statement->opening_balance(), IsMoney(-2'000));
  ASSERT_EQ(statement->lines_size(), 1);
  EXPECT_THAT(statement->closing_balance(), IsMoney(-1'000));
  EXPECT_THAT(statement->credit_available(), IsMoney(2'000));
}

TEST(BuildStatement, NoEntriesIsAZeroStatement) {
  absl::StatusOr<v1::CustomerStatement> statement = March2026({});
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_THAT(statement->opening_balance(), IsMoney(0));
  EXPECT_TRUE(statement->lines().empty());
  EXPECT_THAT(statement->closing_balance(), IsMoney(0));
  EXPECT_THAT(statement->credit_available(), IsMoney(0));
}

TEST(BuildStatement, DaysAreTheTenantsLocalDays) {
  // Chicago is UTC-6 in January: its 2 January runs from 06:00Z on the 2nd to 06:00Z on the 3rd.
  const absl::TimeZone utc = absl::UTCTimeZone();
  auto utc_time = [&](int day, int hour, int minute, int second) {
    return absl::FromCivil(absl::CivilSecond(2026, 1, day, hour, minute, second), utc);
  };
  const std::vector<v1::AccountEntry> entries = {
      Entry(utc_time(2, 5, 59, 59), "late on the 1st", 100, 0),  // 1 Jan 23:59:59 local
      Entry(utc_time(2, 6, 0, 0), "midnight", 200, 0),           // 2 Jan 00:00 local
      Entry(utc_time(3, 5, 59, 59), "late on the 2nd", 400, 0),  // 2 Jan 23:59:59 local
      Entry(utc_time(3, 6, 0, 0), "the 3rd", 800, 0),            // 3 Jan 00:00 local
  };
  absl::StatusOr<v1::CustomerStatement> statement =
      BuildStatement(kCustomerId, entries, absl::CivilDay(2026, 1, 2), absl::CivilDay(2026, 1, 2),
                     Chicago(), "USD");
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_THAT(statement->opening_balance(), IsMoney(100));
  ASSERT_EQ(statement->lines_size(), 2);
  EXPECT_EQ(statement->lines(0).description(), "midnight");
  EXPECT_EQ(DayOf(statement->lines(0).date()), absl::CivilDay(2026, 1, 2));
  EXPECT_EQ(statement->lines(1).description(), "late on the 2nd");
  EXPECT_EQ(DayOf(statement->lines(1).date()), absl::CivilDay(2026, 1, 2));
  EXPECT_THAT(statement->closing_balance(), IsMoney(700));

  // In UTC the same entries fall on other days.
  statement = BuildStatement(kCustomerId, entries, absl::CivilDay(2026, 1, 2),
                             absl::CivilDay(2026, 1, 2), utc, "USD");
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_THAT(statement->opening_balance(), IsMoney(0));
  ASSERT_EQ(statement->lines_size(), 2);
  EXPECT_EQ(statement->lines(0).description(), "late on the 1st");
  EXPECT_EQ(statement->lines(1).description(), "midnight");
}

TEST(BuildStatement, EntryInAnotherCurrencyIsRefusedNamingIt) {
  const std::vector<v1::AccountEntry> entries = {
      Entry(March(2), "INV-1 issued", 10'000, 0),
      Entry(March(3), "INV-2 issued", 5'000, 0, 0, "EUR"),
  };
  EXPECT_THAT(March2026(entries).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "EUR"));
  // Also when it is only in the opening balance.
  EXPECT_THAT(March2026(entries, 10, 31).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "INV-2 issued"));
  // But not after the last day.
  EXPECT_TRUE(March2026(entries, 1, 2).ok());
}

TEST(BuildStatement, LastDayBeforeFirstDayIsRefused) {
  EXPECT_THAT(March2026({}, 10, 9).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "last_day"));
}

}  // namespace
}  // namespace jobledger::billing
