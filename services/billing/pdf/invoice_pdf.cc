// Invoice PDFs: the invoice is first formatted into rows of text the fonts can show
// (InvoiceView), then laid out top-down on Letter pages with libharu.
#include "pdf/invoice_pdf.h"

#include <hpdf.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "domain/invoicing.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/local_time.h"
#include "jobledger/common/money.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/common/status.h"
#include "jobledger/common/v1/common.pb.h"

namespace jobledger::billing {
namespace {

// ---- text the base-14 fonts can show

// What Windows-1252 (WinAnsiEncoding) puts at bytes 0x80..0x9F; 0 where it has nothing.
constexpr char32_t kWinAnsi80[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
constexpr char32_t kMalformed = 0xFFFD;

// The code point starting at text[*pos], moving *pos past it. Malformed UTF-8 (stray or missing
// continuation bytes, overlong forms, surrogates) gives U+FFFD and moves one byte.
char32_t NextCodePoint(absl::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[*pos + i]); };
  const auto malformed = [&] {
    ++*pos;
    return kMalformed;
  };
  const unsigned char lead = byte(0);
  size_t length = 1;
  char32_t code = lead;
  char32_t smallest = 0;  // anything below is an overlong form
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
    smallest = 0x10000;
  } else if (lead >= 0x80) {
    return malformed();
  }
  if (text.size() - *pos < length) return malformed();
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return malformed();
    code = (code << 6) | (byte(i) & 0x3F);
  }
  if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return malformed();
  }
  *pos += length;
  return code;
}

// The WinAnsi byte that shows `code`: '?' for what the fonts cannot show, '\0' for a combining
// accent (dropped: the letter it decorates still shows).
char WinAnsiByte(char32_t code) {
  if (code == '\t' || code == '\n' || code == '\r') return ' ';
  if ((code >= 0x20 && code < 0x7F) || (code >= 0xA0 && code <= 0xFF)) {
    return static_cast<char>(code);
  }
  if (code >= 0x0300 && code <= 0x036F) return '\0';
  for (int i = 0; i < 32; ++i) {
    if (kWinAnsi80[i] != 0 && kWinAnsi80[i] == code) return static_cast<char>(0x80 + i);
  }
  return '?';
}

// Text as the page's fonts show it: WinAnsiEncoding, one byte a character. Made by Shown() only,
// so that no UTF-8 reaches libharu, which would show its bytes as Latin-1 mojibake.
struct PdfText {
  std::string bytes;
  bool empty() const { return bytes.empty(); }
};

PdfText Shown(absl::string_view utf8) {
  PdfText text;
  text.bytes.reserve(utf8.size());
  for (size_t pos = 0; pos < utf8.size();) {
    if (const char byte = WinAnsiByte(NextCodePoint(utf8, &pos)); byte != '\0') {
      text.bytes.push_back(byte);
    }
  }
  return text;
}

// ---- the invoice as rows of text

struct LineRow {
  PdfText name, quantity, unit_price, net, tax;
};
struct AmountRow {
  PdfText label, amount;
  bool bold = false;
};
struct Fact {
  PdfText label, value;
};

struct InvoiceView {
  PdfText business_name;    // empty: none
  PdfText title;            // "INVOICE INV-12"
  PdfText continued_title;  // "INVOICE INV-12 (continued)"
  PdfText label;            // "INV-12", in every page's footer
  bool is_void = false;
  std::vector<Fact> facts;        // status, dates, job, currency
  std::vector<PdfText> customer;  // name, then the address lines
  std::vector<LineRow> lines;
  std::vector<AmountRow> totals;      // subtotal, tax, total
  std::vector<AmountRow> payments;    // payments and refunds, in order
  std::vector<AmountRow> settlement;  // paid, balance
  std::vector<PdfText> notes;         // paragraphs
};

absl::StatusOr<Money> MoneyOf(const common::v1::Money& proto, absl::string_view field) {
  absl::StatusOr<Money> money = Money::FromProto(proto);
  if (!money.ok()) return Invalid(field, money.status().message());
  return money;
}

absl::StatusOr<PdfText> Amount(const common::v1::Money& proto, absl::string_view field) {
  JL_ASSIGN_OR_RETURN(Money money, MoneyOf(proto, field));
  return Shown(money.FormatAmount());
}

// "2", "1.5", "0.125": thousandths with up to three decimals, without trailing zeros.
std::string Quantity(int64_t milli) {
  const uint64_t magnitude =
      milli < 0 ? 0 - static_cast<uint64_t>(milli) : static_cast<uint64_t>(milli);
  std::string text = absl::StrCat(milli < 0 ? "-" : "", magnitude / 1000);
  if (const uint64_t fraction = magnitude % 1000; fraction != 0) {
    std::string decimals = absl::StrFormat("%03d", fraction);
    decimals.erase(decimals.find_last_not_of('0') + 1);
    absl::StrAppend(&text, ".", decimals);
  }
  return text;
}

std::string DateOf(const google::protobuf::Timestamp& time, absl::TimeZone zone) {
  return FormatLocalDate(LocalDay(TimeFromProto(time), zone));
}

const char* StatusName(v1::InvoiceStatus status) {
  switch (status) {
    case v1::INVOICE_STATUS_DRAFT:
      return "Draft";
    case v1::INVOICE_STATUS_ISSUED:
      return "Issued";
    case v1::INVOICE_STATUS_PARTIALLY_PAID:
      return "Partially paid";
    case v1::INVOICE_STATUS_PAID:
      return "Paid";
    case v1::INVOICE_STATUS_VOID:
      return "VOID";
    default:
      return "Unknown";
  }
}

absl::StatusOr<std::vector<Fact>> FactsOf(const v1::Invoice& invoice,
                                          const InvoiceDocument& document) {
  std::vector<Fact> facts;
  const auto add = [&](absl::string_view label, absl::string_view value) {
    facts.push_back({Shown(label), Shown(value)});
  };
  add("Status", StatusName(invoice.status()));
  if (!invoice.void_reason().empty()) add("Void reason", invoice.void_reason());
  add("Issued",
      invoice.has_issued_at() ? DateOf(invoice.issued_at(), document.time_zone) : "not yet");
  const common::v1::LocalDate& due = invoice.due_date();
  if (due.year() != 0 || due.month() != 0 || due.day() != 0) {
    absl::StatusOr<absl::CivilDay> day = LocalDateFromProto(due);
    if (!day.ok()) return Invalid("due_date", day.status().message());
    add("Due", FormatLocalDate(*day));
  }
  if (!document.job_label.empty()) add("Job", document.job_label);
  add("Currency", invoice.total().currency());
  return facts;
}

absl::StatusOr<LineRow> LineRowOf(const v1::InvoiceLine& line, const std::string& field) {
  LineRow row;
  row.name = Shown(line.name());
  row.quantity = Shown(Quantity(line.quantity_milli()));
  JL_ASSIGN_OR_RETURN(row.unit_price, Amount(line.unit_price(), Field(field, "unit_price")));
  JL_ASSIGN_OR_RETURN(row.net, Amount(line.net(), Field(field, "net")));
  JL_ASSIGN_OR_RETURN(row.tax, Amount(line.tax(), Field(field, "tax")));
  return row;
}

// "2026-03-02, Refund, card, ref 4411": refunds show as negative amounts.
absl::StatusOr<AmountRow> PaymentRowOf(const v1::Payment& payment, const std::string& field,
                                       absl::TimeZone zone) {
  const bool refund = payment.kind() == v1::PAYMENT_KIND_REFUND;
  JL_ASSIGN_OR_RETURN(Money amount, MoneyOf(payment.amount(), Field(field, "amount")));
  std::vector<std::string> parts;
  if (payment.has_received_at()) parts.push_back(DateOf(payment.received_at(), zone));
  parts.push_back(refund ? "Refund" : "Payment");
  if (!payment.method().empty()) parts.push_back(payment.method());
  if (!payment.reference().empty()) parts.push_back(absl::StrCat("ref ", payment.reference()));
  if (payment.has_to_credit() && payment.to_credit().minor_units() != 0) {
    JL_ASSIGN_OR_RETURN(Money credit, MoneyOf(payment.to_credit(), Field(field, "to_credit")));
    parts.push_back(absl::StrCat(credit.FormatAmount(), " kept as credit"));
  }
  return AmountRow{.label = Shown(absl::StrJoin(parts, ", ")),
                   .amount = Shown((refund ? amount.Negated() : amount).FormatAmount())};
}

absl::StatusOr<InvoiceView> ViewOf(const v1::Invoice& invoice, const InvoiceDocument& document) {
  InvoiceView view;
  const std::string label = InvoiceLabel(invoice);
  const bool credit_note = invoice.kind() == v1::INVOICE_KIND_CREDIT_NOTE;
  view.business_name = Shown(document.business_name);
  const std::string title = absl::StrCat(credit_note ? "CREDIT NOTE " : "INVOICE ", label);
  view.title = Shown(title);
  view.continued_title = Shown(absl::StrCat(title, " (continued)"));
  view.label = Shown(label);
  view.is_void = invoice.status() == v1::INVOICE_STATUS_VOID;
  JL_ASSIGN_OR_RETURN(view.facts, FactsOf(invoice, document));
  if (!document.customer_name.empty()) view.customer.push_back(Shown(document.customer_name));
  for (absl::string_view line : absl::StrSplit(document.customer_address, '\n')) {
    if (!line.empty()) view.customer.push_back(Shown(line));
  }
  for (int i = 0; i < invoice.lines_size(); ++i) {
    JL_ASSIGN_OR_RETURN(LineRow row, LineRowOf(invoice.lines(i), Indexed("lines", i)));
    view.lines.push_back(std::move(row));
  }
  JL_ASSIGN_OR_RETURN(PdfText subtotal, Amount(invoice.subtotal(), "subtotal"));
  JL_ASSIGN_OR_RETURN(PdfText tax, Amount(invoice.tax(), "tax"));
  JL_ASSIGN_OR_RETURN(PdfText total, Amount(invoice.total(), "total"));
  view.totals = {{Shown("Subtotal"), subtotal}, {Shown("Tax"), tax}, {Shown("Total"), total, true}};
  for (int i = 0; i < invoice.payments_size(); ++i) {
    JL_ASSIGN_OR_RETURN(AmountRow row, PaymentRowOf(invoice.payments(i), Indexed("payments", i),
                                                    document.time_zone));
    view.payments.push_back(std::move(row));
  }
  JL_ASSIGN_OR_RETURN(PdfText paid, Amount(invoice.paid(), "paid"));
  JL_ASSIGN_OR_RETURN(PdfText balance, Amount(invoice.balance(), "balance"));
  view.settlement = {{Shown("Paid"), paid},
                     {Shown(credit_note ? "Balance" : "Balance due"), balance, true}};
  if (!invoice.notes().empty()) {
    for (absl::string_view paragraph : absl::StrSplit(invoice.notes(), '\n')) {
      view.notes.push_back(Shown(paragraph));
    }
  }
  return view;
}

// ---- pages

constexpr float kPageWidth = 612;  // US Letter, in points
constexpr float kPageHeight = 792;
constexpr float kMargin = 50;
constexpr float kRightEdge = kPageWidth - kMargin;
constexpr float kTop = kPageHeight - kMargin;
constexpr float kBottom = 60;  // content stays above the footer
constexpr float kFooterBaseline = 30;
constexpr float kRow = 14;
constexpr float kDescent = 4;      // baseline above a row's bottom edge
constexpr float kBodySize = 9.5;   // table, totals, notes
constexpr float kLabelX = 340;     // facts, totals and settlement labels
constexpr float kItemWidth = 235;  // the line name column, from kMargin
// Right edges of the number columns.
constexpr float kQuantityRight = 335;
constexpr float kUnitPriceRight = 410;
constexpr float kNetRight = 486;
constexpr float kTaxRight = kRightEdge;
constexpr size_t kMaxCustomerLines = 8;  // the header is never more than a page

enum class Align { kLeft, kRight };
struct Rgb {
  float r, g, b;
};
constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kVoidRed{0.8f, 0.05f, 0.05f};

struct Style {
  HPDF_Font font;
  float size;
};

// Lays text out from the top of a page down: a cursor `y` that Reserve() moves onto a new page
// (headed "<title> (continued)") when the next rows do not fit above the footer. Drawing calls
// ignore libharu's return codes: its error handler records the first error and the caller checks
// it once at the end.
class PageWriter {
 public:
  // `continued` heads the pages after the first; `is_void` marks them VOID too, so that no page
  // of a void invoice can pass for a valid one.
  PageWriter(HPDF_Doc doc, HPDF_Font regular, HPDF_Font bold, PdfText continued, bool is_void)
      : doc_(doc),
        regular_(regular),
        bold_(bold),
        continued_(std::move(continued)),
        is_void_(is_void) {}

  Style Regular(float size) const { return {regular_, size}; }
  Style Bold(float size) const { return {bold_, size}; }
  float y() const { return y_; }
  void Down(float points) { y_ -= points; }

  void NewPage() {
    HPDF_Page page = HPDF_AddPage(doc_);
    if (page != nullptr) HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
    pages_.push_back(page);
    y_ = kTop;
    if (pages_.size() > 1) {
      const Style style = Bold(11);
      const float baseline = NextRow(kRow + 4);
      Text(kMargin, baseline, style, Fit(style, continued_, kLabelX - kMargin));
      if (is_void_) Text(kRightEdge, baseline, Bold(14), Shown("VOID"), Align::kRight, kVoidRed);
      Down(6);
    }
  }

  // Makes room for `height` points under the cursor, on a new page when this one is full; true
  // when it started a new page.
  bool Reserve(float height) {
    if (!pages_.empty() && y_ - height >= kBottom) return false;
    NewPage();
    return true;
  }

  // The baseline of a row `height` high under the cursor, moving the cursor below it.
  float NextRow(float height = kRow) {
    y_ -= height;
    return y_ + kDescent;
  }

  float Width(Style style, const PdfText& text) const {
    const HPDF_TextWidth width = HPDF_Font_TextWidth(style.font, Bytes(text), Length(text));
    return static_cast<float>(width.width) * style.size / 1000;
  }

  // The text cut short with "..." when wider than `width`.
  PdfText Fit(Style style, const PdfText& text, float width) const {
    if (Width(style, text) <= width) return text;
    const PdfText ellipsis = Shown("...");
    const size_t kept = Measure(style, text, width - Width(style, ellipsis), false);
    return {text.bytes.substr(0, kept) + ellipsis.bytes};
  }

  // The text broken into lines no wider than `width`, between words where it can be.
  std::vector<PdfText> Wrap(Style style, PdfText text, float width) const {
    std::vector<PdfText> lines;
    do {
      size_t length = Measure(style, text, width, true);
      if (length == 0) length = Measure(style, text, width, false);  // a word wider than a line
      length = std::max<size_t>(length, 1);
      std::string line = text.bytes.substr(0, length);
      line.erase(line.find_last_not_of(' ') + 1);
      lines.push_back({std::move(line)});
      text.bytes.erase(0, length);
    } while (!text.empty());
    return lines;
  }

  void Text(float x, float baseline, Style style, const PdfText& text, Align align = Align::kLeft,
            Rgb color = kBlack) {
    DrawText(pages_.back(), x, baseline, style, text, align, color);
  }

  // A thin horizontal line across the content width at the cursor.
  void Rule() {
    HPDF_Page page = pages_.back();
    if (page == nullptr) return;
    HPDF_Page_SetLineWidth(page, 0.6f);
    HPDF_Page_MoveTo(page, kMargin, y_);
    HPDF_Page_LineTo(page, kRightEdge, y_);
    HPDF_Page_Stroke(page);
  }

  // "INV-12" and "Page i of n" at the foot of every page: drawn last, when n is known.
  void Footers(const PdfText& label) {
    const Style style = Regular(8);
    for (size_t i = 0; i < pages_.size(); ++i) {
      DrawText(pages_[i], kMargin, kFooterBaseline, style, label, Align::kLeft, kBlack);
      DrawText(pages_[i], kRightEdge, kFooterBaseline, style,
               Shown(absl::StrCat("Page ", i + 1, " of ", pages_.size())), Align::kRight, kBlack);
    }
  }

 private:
  static const HPDF_BYTE* Bytes(const PdfText& text) {
    return reinterpret_cast<const HPDF_BYTE*>(text.bytes.data());
  }
  static HPDF_UINT Length(const PdfText& text) { return static_cast<HPDF_UINT>(text.bytes.size()); }

  // How many leading bytes fit in `width`; with `at_space`, only up to and including a space.
  size_t Measure(Style style, const PdfText& text, float width, bool at_space) const {
    return HPDF_Font_MeasureText(style.font, Bytes(text), Length(text), width, style.size, 0, 0,
                                 at_space ? HPDF_TRUE : HPDF_FALSE, nullptr);
  }

  void DrawText(HPDF_Page page, float x, float baseline, Style style, const PdfText& text,
                Align align, Rgb color) {
    if (page == nullptr || text.empty()) return;
    if (align == Align::kRight) x -= Width(style, text);
    HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, style.font, style.size);
    HPDF_Page_TextOut(page, x, baseline, text.bytes.c_str());
    HPDF_Page_EndText(page);
  }

  HPDF_Doc doc_;
  HPDF_Font regular_;
  HPDF_Font bold_;
  PdfText continued_;
  bool is_void_;
  std::vector<HPDF_Page> pages_;
  float y_ = kTop;
};

// Business name, title, a red VOID when void; the customer on the left and the facts on the right.
void DrawHeader(PageWriter& w, const InvoiceView& view) {
  if (view.is_void) {
    w.Text(kRightEdge, kTop - 30, w.Bold(36), Shown("VOID"), Align::kRight, kVoidRed);
  }
  const float name_width = kLabelX - kMargin;
  if (!view.business_name.empty()) {
    const Style style = w.Bold(14);
    w.Text(kMargin, w.NextRow(18), style, w.Fit(style, view.business_name, name_width));
  }
  const Style title = w.Bold(20);
  w.Text(kMargin, w.NextRow(26), title, w.Fit(title, view.title, name_width));
  w.Down(14);

  const float top = w.y();
  const Style body = w.Regular(kBodySize);
  const Style bold = w.Bold(kBodySize);
  size_t left_rows = 0;
  if (!view.customer.empty()) {
    w.Text(kMargin, top - kRow + kDescent, bold, Shown("Bill to"));
    left_rows = 1 + std::min(view.customer.size(), kMaxCustomerLines);
    for (size_t i = 1; i < left_rows; ++i) {
      w.Text(kMargin, top - kRow * static_cast<float>(i + 1) + kDescent, body,
             w.Fit(body, view.customer[i - 1], name_width - 20));
    }
  }
  for (size_t i = 0; i < view.facts.size(); ++i) {
    const float baseline = top - kRow * static_cast<float>(i + 1) + kDescent;
    w.Text(kLabelX, baseline, bold, view.facts[i].label);
    w.Text(kRightEdge, baseline, body, w.Fit(body, view.facts[i].value, kRightEdge - kLabelX - 70),
           Align::kRight);
  }
  w.Down(kRow * static_cast<float>(std::max(left_rows, view.facts.size())) + 16);
}

void DrawTableHeader(PageWriter& w) {
  const Style bold = w.Bold(kBodySize);
  const float baseline = w.NextRow();
  w.Text(kMargin, baseline, bold, Shown("Item"));
  w.Text(kQuantityRight, baseline, bold, Shown("Qty"), Align::kRight);
  w.Text(kUnitPriceRight, baseline, bold, Shown("Unit price"), Align::kRight);
  w.Text(kNetRight, baseline, bold, Shown("Net"), Align::kRight);
  w.Text(kTaxRight, baseline, bold, Shown("Tax"), Align::kRight);
  w.Down(2);
  w.Rule();
}

// The lines, continued on as many pages as they need, each with the column headings.
void DrawLines(PageWriter& w, const InvoiceView& view) {
  const Style body = w.Regular(kBodySize);
  w.Reserve(kRow * 3);  // the headings never end a page alone
  DrawTableHeader(w);
  for (const LineRow& row : view.lines) {
    if (w.Reserve(kRow)) DrawTableHeader(w);
    const float baseline = w.NextRow();
    w.Text(kMargin, baseline, body, w.Fit(body, row.name, kItemWidth));
    w.Text(kQuantityRight, baseline, body, row.quantity, Align::kRight);
    w.Text(kUnitPriceRight, baseline, body, row.unit_price, Align::kRight);
    w.Text(kNetRight, baseline, body, row.net, Align::kRight);
    w.Text(kTaxRight, baseline, body, row.tax, Align::kRight);
  }
  w.Down(3);
  w.Rule();
}

void DrawAmounts(PageWriter& w, const std::vector<AmountRow>& rows, float label_x) {
  for (const AmountRow& row : rows) {
    w.Reserve(kRow);
    const Style style = row.bold ? w.Bold(kBodySize) : w.Regular(kBodySize);
    const float baseline = w.NextRow();
    w.Text(label_x, baseline, style, w.Fit(style, row.label, kRightEdge - label_x - 90));
    w.Text(kRightEdge, baseline, style, row.amount, Align::kRight);
  }
}

// A bold heading kept on the page of the row that follows it.
void DrawHeading(PageWriter& w, absl::string_view heading) {
  w.Reserve(kRow * 2 + 8);
  w.Down(8);
  w.Text(kMargin, w.NextRow(), w.Bold(kBodySize + 1), Shown(heading));
}

void DrawNotes(PageWriter& w, const InvoiceView& view) {
  if (view.notes.empty()) return;
  DrawHeading(w, "Notes");
  const Style body = w.Regular(kBodySize);
  for (const PdfText& paragraph : view.notes) {
    for (const PdfText& line : w.Wrap(body, paragraph, kRightEdge - kMargin)) {
      w.Reserve(kRow);
      w.Text(kMargin, w.NextRow(), body, line);
    }
  }
}

// ---- libharu

// The first error libharu reported. The handler only records it: throwing or longjmp-ing through
// C would skip libharu's own cleanup, and its calls return an error code after one anyway.
struct HpdfError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void HPDF_STDCALL RecordHpdfError(HPDF_STATUS code, HPDF_STATUS detail, void* user_data) {
  auto* error = static_cast<HpdfError*>(user_data);
  if (error->code == HPDF_OK) *error = {code, detail};
}

absl::Status HpdfStatus(const HpdfError& error, absl::string_view doing,
                        absl::string_view invoice) {
  // The codes are listed in hpdf_error.h, in hex.
  return absl::InternalError(absl::StrFormat("libharu error 0x%04X (detail %d) while %s %s",
                                             error.code, error.detail, doing, invoice));
}

using HpdfDoc = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)>;

absl::StatusOr<std::string> SavedPdf(HPDF_Doc doc, const HpdfError& error,
                                     absl::string_view label) {
  if (HPDF_SaveToStream(doc) != HPDF_OK || error.code != HPDF_OK) {
    return HpdfStatus(error, "saving", label);
  }
  std::string pdf(HPDF_GetStreamSize(doc), '\0');
  auto size = static_cast<HPDF_UINT32>(pdf.size());
  // Exactly the stream's size: asking for more reads to its end, which libharu reports as an error.
  HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(pdf.data()), &size);
  if (error.code != HPDF_OK || size != pdf.size()) return HpdfStatus(error, "reading", label);
  return pdf;
}

}  // namespace

absl::StatusOr<std::string> RenderInvoicePdf(const v1::Invoice& invoice,
                                             const InvoiceDocument& document) {
  JL_ASSIGN_OR_RETURN(const InvoiceView view, ViewOf(invoice, document));
  const std::string label = InvoiceLabel(invoice);
  HpdfError error;  // outlives the document, whose handler writes to it
  HpdfDoc doc(HPDF_New(RecordHpdfError, &error), HPDF_Free);
  if (doc == nullptr) return absl::InternalError("libharu could not create a document");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, label.c_str());
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "jobledger");
  HPDF_Font regular = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  if (regular == nullptr || bold == nullptr) return HpdfStatus(error, "loading fonts for", label);

  PageWriter writer(doc.get(), regular, bold, view.continued_title, view.is_void);
  writer.NewPage();
  DrawHeader(writer, view);
  DrawLines(writer, view);
  writer.Reserve(kRow * static_cast<float>(view.totals.size()));  // kept together
  DrawAmounts(writer, view.totals, kLabelX);
  if (!view.payments.empty()) {
    DrawHeading(writer, "Payments and refunds");
    DrawAmounts(writer, view.payments, kMargin);
  }
  writer.Reserve(kRow * static_cast<float>(view.settlement.size()) + 6);
  writer.Down(6);
  DrawAmounts(writer, view.settlement, kLabelX);
  DrawNotes(writer, view);
  writer.Footers(view.label);
  if (error.code != HPDF_OK) return HpdfStatus(error, "drawing", label);
  return SavedPdf(doc.get(), error, label);
}

std::string InvoicePdfFileName(const v1::Invoice& invoice) {
  return absl::StrCat(InvoiceLabel(invoice), ".pdf");
}

}  // namespace jobledger::billing
