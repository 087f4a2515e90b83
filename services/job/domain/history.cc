// History lines for job events.
#include "domain/history.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/lifecycle.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/aggregate/overloaded.h"
#include "jobledger/common/money.h"

namespace jobledger::job {
namespace {

std::string FormatMoney(const common::v1::Money& money) {
  auto parsed = Money::FromProto(money);
  return parsed.ok() ? parsed->ToString() : "?";
}

std::string FormatQuantity(int64_t milli) {
  std::string text = absl::StrCat(milli / 1000);
  if (milli % 1000 != 0) {
    std::string fraction = absl::StrCat(1000 + milli % 1000).substr(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    absl::StrAppend(&text, ".", fraction);
  }
  return text;
}

// A field's value as text: scalars plainly, messages in protobuf text format on one line.
std::string FieldText(const v1::Job& job, const google::protobuf::FieldDescriptor* field) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  printer.SetUseUtf8StringEscaping(true);  // "Église", not "\303\211glise"
  const auto* reflection = job.GetReflection();
  const bool is_string = field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING;
  if (field->is_repeated()) {
    std::vector<std::string> values;
    for (int i = 0; i < reflection->FieldSize(job, field); ++i) {
      std::string value;
      if (is_string) {
        value = reflection->GetRepeatedString(job, field, i);
      } else {
        printer.PrintFieldValueToString(job, field, i, &value);
      }
      values.push_back(value);
    }
    return absl::StrJoin(values, ", ");
  }
  // The text format would quote and escape them.
  if (is_string) return reflection->GetString(job, field);
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
      !job.GetReflection()->HasField(job, field)) {
    return "";
  }
  if (field->name() == "contract_amount") return FormatMoney(job.contract_amount());
  if (field->message_type() == google::protobuf::Timestamp::descriptor()) {
    const auto& time = static_cast<const google::protobuf::Timestamp&>(
        job.GetReflection()->GetMessage(job, field));
    return google::protobuf::util::TimeUtil::ToString(time);
  }
  std::string text;
  printer.PrintFieldValueToString(job, field, -1, &text);
  return text;
}

std::string LineText(const v1::LineItem& line) {
  return absl::StrCat(line.name(), " (", FormatQuantity(line.quantity_milli()), " × ",
                      FormatMoney(line.unit_price()), ")");
}

}  // namespace

HistoryDescription DescribeJobEvent(const v1::Job& before, const v1::Job& after,
                                    const JobEvent& event) {
  HistoryDescription description;
  description.summary = std::visit(
      Overloaded{
          [&](const v1::JobCreated&) {
            return absl::StrCat("Created ", JobLabel(after), " \"", after.title(), "\" as ",
                                StatusLabel(after.status()));
          },
          [&](const v1::JobDetailsChanged& e) {
            for (const std::string& name : e.changed_fields()) {
              const auto* field = v1::Job::descriptor()->FindFieldByName(name);
              if (field == nullptr) continue;
              v1::FieldChange change;
              change.set_field(name);
              change.set_before(FieldText(before, field));
              change.set_after(FieldText(after, field));
              description.changes.push_back(std::move(change));
            }
            return absl::StrCat("Changed ", absl::StrJoin(e.changed_fields(), ", "));
          },
          [&](const v1::JobStatusChanged& e) {
            v1::FieldChange change;
            change.set_field("status");
            change.set_before(StatusLabel(e.from()));
            change.set_after(StatusLabel(e.to()));
            description.changes.push_back(std::move(change));
            std::string text =
                absl::StrCat("Status: ", StatusLabel(e.from()), " → ", StatusLabel(e.to()));
            if (!e.reason().empty()) absl::StrAppend(&text, " (", e.reason(), ")");
            if (e.cause() == v1::STATUS_CHANGE_CAUSE_REOPEN) absl::StrAppend(&text, ", reopened");
            return text;
          },
          [&](const v1::LineItemAdded& e) {
            return absl::StrCat("Line item added: ", LineText(e.line_item()));
          },
          [&](const v1::LineItemChanged& e) {
            return absl::StrCat("Line item changed: ", LineText(e.line_item()));
          },
          [&](const v1::LineItemRemoved& e) {
            for (const v1::LineItem& line : before.line_items()) {
              if (line.line_item_id() == e.line_item_id()) {
                return absl::StrCat("Line item removed: ", LineText(line));
              }
            }
            return std::string("Line item removed");
          },
          [&](const v1::ExpenseAdded& e) {
            return absl::StrCat("Expense added: ", e.expense().description(), " ",
                                FormatMoney(e.expense().amount()));
          },
          [&](const v1::ExpenseRemoved&) { return std::string("Expense removed"); },
          [&](const v1::EquipmentInstalled& e) {
            return absl::StrCat("Equipment installed: ", e.equipment().name());
          },
          [&](const v1::EquipmentRemoved&) { return std::string("Installed equipment removed"); },
          [&](const v1::WorkSessionStarted& e) {
            return absl::StrCat("Clock-in: ", e.employee_id());
          },
          [&](const v1::WorkSessionEnded& e) {
            return absl::StrCat("Clock-out after ", e.minutes(), " min");
          },
          [&](const v1::WorkEntryLogged& e) {
            return absl::StrCat("Time logged: ", e.entry().employee_id(), " ", e.entry().minutes(),
                                " min ", e.entry().type());
          },
          [&](const v1::WorkEntryRemoved&) { return std::string("Work entry removed"); },
          [&](const v1::NoteAdded& e) {
            return absl::StrCat(
                e.note().visibility() == v1::NOTE_VISIBILITY_PUBLIC ? "Public" : "Internal",
                " note added");
          },
          [&](const v1::NoteRemoved&) { return std::string("Note removed"); },
          [&](const v1::AttachmentAdded& e) {
            return absl::StrCat("Attached ", e.attachment().name(), " (",
                                e.attachment().size_bytes(), " bytes)");
          },
          [&](const v1::AttachmentRemoved&) { return std::string("Attachment removed"); },
          [&](const v1::ChecklistItemAdded& e) {
            return absl::StrCat("Checklist item added: ", e.item().text(),
                                e.item().required() ? " (required)" : "");
          },
          [&](const v1::ChecklistItemCompleted& e) {
            for (const v1::ChecklistItem& item : after.checklist()) {
              if (item.item_id() == e.item_id()) return absl::StrCat("Checked: ", item.text());
            }
            return std::string("Checklist item checked");
          },
          [&](const v1::ChecklistItemReopened& e) {
            for (const v1::ChecklistItem& item : after.checklist()) {
              if (item.item_id() == e.item_id()) return absl::StrCat("Unchecked: ", item.text());
            }
            return std::string("Checklist item unchecked");
          },
          [&](const v1::ChecklistItemRemoved&) { return std::string("Checklist item removed"); },
          [&](const v1::CompletionRequirementsChanged& e) {
            return absl::StrCat("Completion requires: photo ",
                                e.requirements().photo_required() ? "yes" : "no", ", signature ",
                                e.requirements().signature_required() ? "yes" : "no");
          },
          [&](const v1::RecallLinked& e) {
            return absl::StrCat("Linked as a recall of job ", e.original_job_id());
          },
      },
      event);
  return description;
}

}  // namespace jobledger::job
