// Invoice PDFs read back with poppler's pdftotext and pdfinfo: what a customer would see.
#include "pdf/invoice_pdf.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::billing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

common::v1::Money Usd(int64_t cents) {
  common::v1::Money money;
  money.set_minor_units(cents);
  money.set_currency("USD");
  return money;
}

std::string Formatted(const common::v1::Money& proto) {
  absl::StatusOr<Money> money = Money::FromProto(proto);
  EXPECT_TRUE(money.ok()) << money.status();
  return money.ok() ? money->FormatAmount() : "";
}

google::protobuf::Timestamp At(const char* rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  return ProtoFromTime(time);
}

// INV-12, issued, with `line_count` lines "Part-001"... (1.5 × 20.00 + 8.25 % tax each), a $10
// card payment and a $2.50 refund by check.
v1::Invoice SampleInvoice(int line_count = 3) {
  v1::Invoice invoice;
  invoice.set_invoice_id("0190a1b2-c3d4-7e5f-8a9b-00000000aa12");
  invoice.set_number(12);
  invoice.set_kind(v1::INVOICE_KIND_STANDARD);
  invoice.set_status(v1::INVOICE_STATUS_PARTIALLY_PAID);
  *invoice.mutable_issued_at() = At("2026-03-01T15:00:00Z");
  invoice.mutable_due_date()->set_year(2026);
  invoice.mutable_due_date()->set_month(3);
  invoice.mutable_due_date()->set_day(31);
  int64_t net = 0;
  int64_t tax = 0;
  for (int i = 1; i <= line_count; ++i) {
    v1::InvoiceLine& line = *invoice.add_lines();
    line.set_name(absl::StrFormat("Part-%03d", i));
    line.set_quantity_milli(1500);
    *line.mutable_unit_price() = Usd(2000);
    *line.mutable_net() = Usd(3000);
    line.set_tax_rate_ppm(82'500);
    *line.mutable_tax() = Usd(248);
    net += 3000;
    tax += 248;
  }
  v1::Payment& payment = *invoice.add_payments();
  payment.set_kind(v1::PAYMENT_KIND_PAYMENT);
  *payment.mutable_amount() = Usd(1000);
  payment.set_method("card");
  payment.set_reference("ch_4411");
  *payment.mutable_received_at() = At("2026-03-02T10:00:00Z");
  v1::Payment& refund = *invoice.add_payments();
  refund.set_kind(v1::PAYMENT_KIND_REFUND);
  *refund.mutable_amount() = Usd(250);
  refund.set_method("check");
  *refund.mutable_received_at() = At("2026-03-05T10:00:00Z");
  *invoice.mutable_subtotal() = Usd(net);
  *invoice.mutable_tax() = Usd(tax);
  *invoice.mutable_total() = Usd(net + tax);
  *invoice.mutable_paid() = Usd(750);
  *invoice.mutable_balance() = Usd(net + tax - 750);
  invoice.set_notes("Thank you for your business.\nGate code 4412.");
  return invoice;
}

InvoiceDocument SampleDocument() {
  return {.business_name = "Bright Plumbing LLC",
          .customer_name = "Ada Lovelace",
          .customer_address = "12 Analytical Way\nAustin, TX 78701",
          .job_label = "JOB-7"};
}

std::string Render(const v1::Invoice& invoice, const InvoiceDocument& document) {
  absl::StatusOr<std::string> pdf = RenderInvoicePdf(invoice, document);
  EXPECT_TRUE(pdf.ok()) << pdf.status();
  return pdf.ok() ? *pdf : "";
}

// The PDF in a temporary file for poppler's tools, removed when done.
class PdfFile {
 public:
  explicit PdfFile(const std::string& pdf) {
    path_ = ::testing::TempDir() + "invoice_pdf_XXXXXX";
    const int fd = mkstemp(path_.data());
    EXPECT_NE(fd, -1) << "mkstemp " << path_;
    if (fd == -1) return;
    EXPECT_EQ(write(fd, pdf.data(), pdf.size()), static_cast<ssize_t>(pdf.size()));
    close(fd);
  }
  ~PdfFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What `command` prints on stdout; the test fails when it exits non-zero. A missing poppler
// fails rather than skips: these tests are how the PDF is known to be right.
std::string Run(const std::string& tool, const std::string& arguments) {
  if (std::system(absl::StrCat("command -v ", tool, " >/dev/null 2>&1").c_str()) != 0) {
    ADD_FAILURE() << tool << " not found: install the Debian package poppler-utils "
                  << "(tools/install-deps does; CI has it)";
    return "";
  }
  const std::string command = absl::StrCat(tool, " ", arguments);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen " << command;
    return "";
  }
  std::string output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << " failed: " << status;
  return output;
}

std::string TextOf(const std::string& pdf) {
  PdfFile file(pdf);
  return Run("pdftotext", absl::StrCat("-layout '", file.path(), "' -"));
}

int PagesOf(const std::string& pdf) {
  PdfFile file(pdf);
  for (absl::string_view line : absl::StrSplit(Run("pdfinfo", "'" + file.path() + "'"), '\n')) {
    int pages = 0;
    if (absl::ConsumePrefix(&line, "Pages:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &pages)) {
      return pages;
    }
  }
  ADD_FAILURE() << "pdfinfo printed no page count";
  return 0;
}

// The line of pdftotext's output that contains `needle`.
std::string LineWith(const std::string& text, absl::string_view needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  ADD_FAILURE() << "no line with " << needle << " in:\n" << text;
  return "";
}

TEST(InvoicePdfTest, IsACompletePdfFile) {
  const std::string pdf = Render(SampleInvoice(), SampleDocument());
  EXPECT_TRUE(absl::StartsWith(pdf, "%PDF-")) << pdf.substr(0, 16);
  absl::string_view tail = pdf;
  absl::ConsumeSuffix(&tail, "\n");
  absl::ConsumeSuffix(&tail, "\r");
  EXPECT_TRUE(absl::EndsWith(tail, "%%EOF"));
}

TEST(InvoicePdfTest, ShowsNumberCustomerLinesTotalsPaymentsAndNotes) {
  const v1::Invoice invoice = SampleInvoice();
  const std::string text = TextOf(Render(invoice, SampleDocument()));
  EXPECT_THAT(text, HasSubstr("INVOICE INV-12"));
  EXPECT_THAT(text, HasSubstr("Bright Plumbing LLC"));
  EXPECT_THAT(text, HasSubstr("Ada Lovelace"));
  EXPECT_THAT(text, HasSubstr("Austin, TX 78701"));
  EXPECT_THAT(text, HasSubstr("JOB-7"));
  EXPECT_THAT(text, HasSubstr("2026-03-01"));  // issued
  EXPECT_THAT(text, HasSubstr("2026-03-31"));  // due
  EXPECT_THAT(text, HasSubstr("USD"));
  for (const v1::InvoiceLine& line : invoice.lines()) EXPECT_THAT(text, HasSubstr(line.name()));
  EXPECT_THAT(text, HasSubstr("1.5"));
  EXPECT_THAT(text, HasSubstr("20.00"));
  EXPECT_THAT(text, HasSubstr(Formatted(invoice.subtotal())));
  EXPECT_THAT(text, HasSubstr(Formatted(invoice.total())));
  EXPECT_THAT(text, HasSubstr(Formatted(invoice.balance())));
  EXPECT_THAT(text, HasSubstr("2026-03-02, Payment, card, ref ch_4411"));
  EXPECT_THAT(text, HasSubstr("2026-03-05, Refund, check"));
  EXPECT_THAT(text, HasSubstr("-2.50"));
  EXPECT_THAT(text, HasSubstr("7.50"));  // paid
  EXPECT_THAT(text, HasSubstr("Gate code 4412."));
  EXPECT_THAT(text, HasSubstr("Page 1 of 1"));
  EXPECT_THAT(text, Not(HasSubstr("VOID")));
  EXPECT_THAT(text, Not(HasSubstr("CREDIT NOTE")));
}

TEST(InvoicePdfTest, QuantitiesShowUpToThreeDecimals) {
  v1::Invoice invoice = SampleInvoice(3);
  invoice.mutable_lines(0)->set_quantity_milli(2375);
  invoice.mutable_lines(1)->set_quantity_milli(40);
  invoice.mutable_lines(2)->set_quantity_milli(12'000);
  const std::string text = TextOf(Render(invoice, SampleDocument()));
  EXPECT_THAT(LineWith(text, "Part-001"), HasSubstr(" 2.375 "));
  EXPECT_THAT(LineWith(text, "Part-002"), HasSubstr(" 0.04 "));
  EXPECT_THAT(LineWith(text, "Part-003"), HasSubstr(" 12 "));
}

TEST(InvoicePdfTest, CreditNoteSaysCreditNote) {
  v1::Invoice note = SampleInvoice(1);
  note.set_number(13);
  note.set_kind(v1::INVOICE_KIND_CREDIT_NOTE);
  note.set_status(v1::INVOICE_STATUS_ISSUED);
  const std::string text = TextOf(Render(note, SampleDocument()));
  EXPECT_THAT(text, HasSubstr("CREDIT NOTE INV-13"));
  EXPECT_THAT(text, Not(HasSubstr("INVOICE INV-13")));
}

TEST(InvoicePdfTest, VoidInvoiceSaysVoidOnEveryPageAndWhy) {
  v1::Invoice invoice = SampleInvoice(120);
  invoice.set_status(v1::INVOICE_STATUS_VOID);
  invoice.set_void_reason("billed to the wrong customer");
  const std::string pdf = Render(invoice, SampleDocument());
  const std::string text = TextOf(pdf);
  EXPECT_THAT(text, HasSubstr("billed to the wrong customer"));
  EXPECT_THAT(text, HasSubstr("INVOICE INV-12"));
  // The mark on each page, and the status in the header.
  const std::vector<std::string> pieces = absl::StrSplit(text, "VOID");
  EXPECT_EQ(static_cast<int>(pieces.size()) - 1, PagesOf(pdf) + 1);
}

TEST(InvoicePdfTest, ManyLinesContinueOnMorePagesWithTheirHeadings) {
  const v1::Invoice invoice = SampleInvoice(120);
  const std::string pdf = Render(invoice, SampleDocument());
  const int pages = PagesOf(pdf);
  EXPECT_GT(pages, 1);
  const std::string text = TextOf(pdf);
  for (const v1::InvoiceLine& line : invoice.lines()) EXPECT_THAT(text, HasSubstr(line.name()));
  for (int page = 1; page <= pages; ++page) {
    EXPECT_THAT(text, HasSubstr(absl::StrCat("Page ", page, " of ", pages)));
  }
  EXPECT_THAT(text, HasSubstr("INVOICE INV-12 (continued)"));
  std::vector<std::string> headings = absl::StrSplit(text, "Unit price");
  EXPECT_GE(headings.size() - 1, 2u) << "the table headings are repeated on the next page";
  EXPECT_THAT(text, HasSubstr(Formatted(invoice.total())));
  EXPECT_THAT(text, HasSubstr(Formatted(invoice.balance())));
}

TEST(InvoicePdfTest, TextOutsideWinAnsiShowsAsQuestionMarks) {
  v1::Invoice invoice = SampleInvoice(2);
  invoice.mutable_lines(0)->set_name(
      "Caf\u00e9 \u2615 r\u00e9paration \u20ac5 \u2014 \u201cok\u201d");
  invoice.mutable_lines(1)->set_name("Broken \xff\xfe utf8 \xe6\x9d");
  invoice.set_notes("Merci, Zo\u00eb \u6771\u4eac. Cafe\u0301 gr\u00fc\u00dfe.");
  InvoiceDocument document = SampleDocument();
  document.business_name = "M\u00fcller & S\u00f6hne";
  document.customer_name = "Zo\u00eb \u6771\u4eac";
  const std::string text = TextOf(Render(invoice, document));
  EXPECT_THAT(text, HasSubstr("Zo\u00eb ??"));
  EXPECT_THAT(text, HasSubstr("M\u00fcller & S\u00f6hne"));
  EXPECT_THAT(text, HasSubstr("Caf\u00e9 ? r\u00e9paration \u20ac5 \u2014 \u201cok\u201d"));
  EXPECT_THAT(text, HasSubstr("Broken ?? utf8 ??"));
  EXPECT_THAT(text, HasSubstr("Cafe gr\u00fc\u00dfe."));  // the combining accent is dropped
}

TEST(InvoicePdfTest, LongTextIsCutOrWrappedNotLost) {
  v1::Invoice invoice = SampleInvoice(1);
  invoice.mutable_lines(0)->set_name(std::string(300, 'W'));
  std::string notes;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&notes, "word", i, " ");
  absl::StrAppend(&notes, std::string(400, 'x'));  // one word wider than the page
  invoice.set_notes(notes);
  const std::string text = TextOf(Render(invoice, SampleDocument()));
  EXPECT_THAT(text, HasSubstr("WWW..."));
  EXPECT_THAT(text, Not(HasSubstr(std::string(300, 'W'))));
  EXPECT_THAT(text, HasSubstr("word0 "));
  EXPECT_THAT(text, HasSubstr("word199"));
  size_t xs = 0;  // the long word, broken over lines
  for (absl::string_view word : absl::StrSplit(text, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    if (word.find_first_not_of('x') == absl::string_view::npos) xs += word.size();
  }
  EXPECT_EQ(xs, 400u);
}

TEST(InvoicePdfTest, DatesAreTheTenantsDays) {
  v1::Invoice invoice = SampleInvoice(1);
  *invoice.mutable_issued_at() = At("2026-03-01T03:00:00Z");  // evening of Feb 28 in Austin
  InvoiceDocument document = SampleDocument();
  absl::StatusOr<absl::TimeZone> zone = LoadTenantTimeZone("America/Chicago");
  ASSERT_TRUE(zone.ok()) << zone.status();
  document.time_zone = *zone;
  EXPECT_THAT(TextOf(Render(invoice, document)), HasSubstr("2026-02-28"));
}

TEST(InvoicePdfTest, DraftWithoutDatesRenders) {
  v1::Invoice invoice = SampleInvoice(1);
  invoice.set_status(v1::INVOICE_STATUS_DRAFT);
  invoice.clear_issued_at();
  invoice.clear_due_date();
  invoice.clear_payments();
  invoice.clear_notes();
  const std::string text = TextOf(Render(invoice, InvoiceDocument{}));
  EXPECT_THAT(text, HasSubstr("INVOICE INV-12"));
  EXPECT_THAT(text, HasSubstr("Draft"));
  EXPECT_THAT(text, Not(HasSubstr("Payments")));
}

TEST(InvoicePdfTest, MalformedAmountIsInvalidArgumentNamingTheField) {
  v1::Invoice invoice = SampleInvoice(2);
  invoice.mutable_lines(1)->mutable_net()->set_currency("");
  absl::StatusOr<std::string> pdf = RenderInvoicePdf(invoice, SampleDocument());
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(pdf.status().message(), HasSubstr("lines[1].net"));
}

TEST(InvoicePdfTest, FileNameIsTheInvoiceNumber) {
  v1::Invoice invoice = SampleInvoice(1);
  EXPECT_EQ(InvoicePdfFileName(invoice), "INV-12.pdf");
  invoice.set_number(13);
  invoice.set_kind(v1::INVOICE_KIND_CREDIT_NOTE);
  EXPECT_EQ(InvoicePdfFileName(invoice), "INV-13.pdf");
}

}  // namespace
}  // namespace jobledger::billing
