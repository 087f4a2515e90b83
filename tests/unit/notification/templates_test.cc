// Notification message templates: syntax, validation against the known placeholders, rendering.
#include "domain/templates.h"

#include <map>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jobledger::notification {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::map<std::string, std::string> SampleValues() {
  return {{"customer.name", "Ana"},
          {"job.number", "JOB-12"},
          {"appointment.window", "9:00\u201311:00"},
          {"technician.name", "Sam"}};
}

TEST(KnownPlaceholdersTest, OffersTheDocumentedSet) {
  EXPECT_EQ(KnownPlaceholders(),
            (std::set<std::string>{"customer.name", "job.number", "job.title", "appointment.window",
                                   "appointment.date", "appointment.previous_window",
                                   "technician.name", "invoice.number", "invoice.total",
                                   "invoice.balance", "invoice.due_date", "payment.amount",
                                   "business.name", "note.public"}));
}

TEST(KnownPlaceholdersTest, NeverOffersInternalNotes) {
  EXPECT_THAT(KnownPlaceholders(), Not(Contains("note.internal")));
  EXPECT_THAT(KnownPlaceholders(), Not(Contains("note")));
  EXPECT_FALSE(ValidateTemplate("{{note.internal}}", KnownPlaceholders()).ok());
}

TEST(ValidateTemplateTest, AcceptsKnownPlaceholdersAndPlainText) {
  EXPECT_TRUE(ValidateTemplate("", KnownPlaceholders()).ok());
  EXPECT_TRUE(ValidateTemplate("No placeholders { } }} here.", KnownPlaceholders()).ok());
  EXPECT_TRUE(ValidateTemplate("Hi {{customer.name}}, {{technician.name}} is on the way "
                               "({{appointment.window}}) for {{job.number}}.",
                               KnownPlaceholders())
                  .ok());
}

TEST(ValidateTemplateTest, NamesTheFirstUnknownPlaceholderAndItsOffset) {
  const absl::Status status =
      ValidateTemplate("Your job is: {{job.numbr}} {{bogus}}", KnownPlaceholders());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              AllOf(HasSubstr("unknown placeholder {{job.numbr}} at 13"), HasSubstr("known: "),
                    HasSubstr("job.number"), Not(HasSubstr("bogus"))));
}

TEST(ValidateTemplateTest, OffsetsAreInBytes) {
  // "é" is two bytes, so the placeholder starts at byte 3, not character 2.
  const absl::Status status = ValidateTemplate("é {{x}}", KnownPlaceholders());
  EXPECT_THAT(std::string(status.message()), HasSubstr("{{x}} at 3"));
}

TEST(ValidateTemplateTest, UsesTheGivenKnownSet) {
  EXPECT_TRUE(ValidateTemplate("{{a_1.b}}", {"a_1.b"}).ok());
  EXPECT_FALSE(ValidateTemplate("{{customer.name}}", {"a_1.b"}).ok());
}

TEST(ValidateTemplateTest, RejectsUnterminatedPlaceholder) {
  for (const char* text : {"Hi {{customer.name", "Hi {{", "Hi {{customer.name}"}) {
    const absl::Status status = ValidateTemplate(text, KnownPlaceholders());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(status.message()), HasSubstr("unterminated {{ at 3")) << text;
  }
}

TEST(ValidateTemplateTest, RejectsEmptyName) {
  const absl::Status status = ValidateTemplate("a {{}} b", KnownPlaceholders());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("empty placeholder {{}} at 2"));
}

TEST(ValidateTemplateTest, RejectsMalformedNames) {
  for (const char* text : {"{{ customer.name }}", "{{customer-name}}", "{{.name}}", "{{name.}}",
                           "{{a..b}}", "{{a}b}}", "{{é}}"}) {
    const absl::Status status = ValidateTemplate(text, KnownPlaceholders());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(status.message()), HasSubstr("invalid placeholder")) << text;
  }
  EXPECT_THAT(std::string(ValidateTemplate("{{a b}}", KnownPlaceholders()).message()),
              HasSubstr("unexpected character at 3"));
}

TEST(ValidateTemplateTest, QuadrupleBraceIsNotAnEscape) {
  const absl::Status status = ValidateTemplate("{{{{customer.name}}", KnownPlaceholders());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("invalid placeholder"));
}

TEST(ValidateTemplateTest, RejectsInvalidUtf8) {
  for (const std::string& text :
       {std::string("ab\xFF"), std::string("ab\xC3"), std::string("ab\xC0\xAF"),
        std::string("ab\xED\xA0\x80"), std::string("ab\xF4\x90\x80\x80")}) {
    const absl::Status status = ValidateTemplate(text, KnownPlaceholders());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr("not valid UTF-8 at 2"));
  }
  EXPECT_TRUE(ValidateTemplate("ok \xF0\x9F\x94\xA7 \u2013", KnownPlaceholders()).ok());
}

TEST(ValidateTemplateTest, LimitsSizeToTenThousandBytes) {
  EXPECT_TRUE(ValidateTemplate(std::string(kMaxTemplateBytes, 'a'), KnownPlaceholders()).ok());
  const absl::Status status =
      ValidateTemplate(std::string(kMaxTemplateBytes + 1, 'a'), KnownPlaceholders());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("10001 bytes"));
}

TEST(RenderTemplateTest, SubstitutesEveryPlaceholder) {
  const absl::StatusOr<std::string> text = RenderTemplate(
      "Hi {{customer.name}}, {{technician.name}} arrives {{appointment.window}} "
      "({{job.number}}). {{customer.name}}!",
      SampleValues());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "Hi Ana, Sam arrives 9:00\u201311:00 (JOB-12). Ana!");
}

TEST(RenderTemplateTest, LeavesLiteralBracesAlone) {
  const absl::StatusOr<std::string> text = RenderTemplate("{ } }} {{job.number}}}", SampleValues());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "{ } }} JOB-12}");
}

TEST(RenderTemplateTest, MissingValueIsFailedPreconditionNamingIt) {
  const absl::StatusOr<std::string> text =
      RenderTemplate("Invoice {{invoice.number}} is due", SampleValues());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("{{invoice.number}} at 8"));
}

TEST(RenderTemplateTest, DoesNotReExpandValues) {
  std::map<std::string, std::string> values = SampleValues();
  values["customer.name"] = "{{job.number}} {{unterminated";
  const absl::StatusOr<std::string> text = RenderTemplate("Hi {{customer.name}}", values);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "Hi {{job.number}} {{unterminated");
}

TEST(RenderTemplateTest, RejectsMalformedTemplates) {
  EXPECT_EQ(RenderTemplate("Hi {{customer.name", SampleValues()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderTemplate("Hi {{}}", SampleValues()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderTemplate("Hi \xFF", SampleValues()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderTemplate(std::string(kMaxTemplateBytes + 1, 'a'), SampleValues()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RenderTemplateTest, RejectsValuesThatAreNotUtf8) {
  std::map<std::string, std::string> values = SampleValues();
  values["customer.name"] = "An\xE1";
  const absl::StatusOr<std::string> text = RenderTemplate("Hi {{customer.name}}", values);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("{{customer.name}}"));
}

}  // namespace
}  // namespace jobledger::notification
