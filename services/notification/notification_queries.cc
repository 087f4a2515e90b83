// Reads of the notification read model.
#include "notification_queries.h"

#include "absl/strings/str_cat.h"
#include "domain/message_ids.h"
#include "domain/rules.h"
#include "domain/sms_text.h"
#include "domain/templates.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/server/read_your_writes.h"
#include "projections/notification_tables.h"

namespace jobledger::notification {
namespace {

using server::Caller;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr size_t kMaxMeasuredBytes = 10'000;

}  // namespace

absl::Status NotificationQueries::WaitForPosition(const Caller& caller,
                                                  const common::v1::LogPosition& position) const {
  return server::WaitForMinPosition(*options_.projection, caller, position, absl::Now(),
                                    options_.max_wait, "the notification read model");
}

absl::StatusOr<v1::NotificationSettings> NotificationQueries::GetSettings(
    const Caller& caller, const v1::GetNotificationSettingsRequest& request) const {
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row =
      SettingsTable().Get(*options_.projection->store(), PrimaryKey(caller.tenant, caller.tenant));
  if (!row.ok()) return row.status();
  v1::NotificationSettings settings =
      row->has_value() ? (*row)->settings() : v1::NotificationSettings();
  // Every combination is listed with its effective state, the defaults included.
  v1::NotificationSettings effective = settings;
  effective.clear_rules();
  for (const Combination& combination : AllCombinations()) {
    v1::Rule* rule = effective.add_rules();
    rule->set_trigger(combination.trigger);
    rule->set_channel(combination.channel);
    rule->set_audience(combination.audience);
    rule->set_enabled(RuleEnabled(settings, combination));
  }
  return effective;
}

absl::StatusOr<v1::ListTemplatesResponse> NotificationQueries::ListTemplates(
    const Caller& caller, const v1::ListTemplatesRequest& request) const {
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  v1::ListTemplatesResponse response;
  for (const Combination& combination : AllCombinations()) {
    auto row = TemplateTable().Get(*options_.projection->store(),
                                   PrimaryKey(caller.tenant, TemplateId(combination)));
    if (!row.ok()) return row.status();
    *response.add_templates() =
        row->has_value() ? (*row)->template_() : DefaultTemplate(combination);
  }
  for (const std::string& name : KnownPlaceholders()) response.add_placeholders(name);
  return response;
}

absl::StatusOr<v1::SmsMeasurement> NotificationQueries::MeasureSms(
    const v1::MeasureSmsRequest& request) const {
  if (request.text().size() > kMaxMeasuredBytes) return Invalid("text", "over 10000 bytes");
  auto length = notification::MeasureSms(request.text());
  if (!length.ok()) return Invalid("text", length.status().message());
  v1::SmsMeasurement measurement;
  measurement.set_gsm7(length->encoding == SmsEncoding::kGsm7);
  measurement.set_units(length->units);
  measurement.set_segments(length->segments);
  measurement.set_single_message_limit(measurement.gsm7() ? kGsm7SingleSegment
                                                          : kUcs2SingleSegment);
  return measurement;
}

absl::StatusOr<v1::Message> NotificationQueries::GetMessage(
    const Caller& caller, const v1::GetMessageRequest& request) const {
  if (absl::Status s = ValidateMessageId("message_id", request.message_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  auto row = MessageTable().Get(*options_.projection->store(),
                                PrimaryKey(caller.tenant, request.message_id()));
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(absl::StrCat("message ", request.message_id(), " not found"));
  }
  return (*row)->message();
}

absl::StatusOr<v1::ListMessagesResponse> NotificationQueries::ListIndex(
    const std::string& index, const std::string& prefix, const std::string& page_token,
    int32_t page_size) const {
  auto size = ValidatePageSize(page_size, kDefaultPageSize, kMaxPageSize);
  if (!size.ok()) return size.status();
  auto page = MessageTable().ScanIndex(*options_.projection->store(), index, prefix,
                                       {.cursor = page_token, .limit = static_cast<size_t>(*size)});
  if (!page.ok()) {
    if (absl::IsInvalidArgument(page.status())) return Invalid("page_token", "not from this query");
    return page.status();
  }
  v1::ListMessagesResponse response;
  for (v1::MessageRow& row : page->rows)
    *response.add_messages() = std::move(*row.mutable_message());
  response.set_next_page_token(std::move(page->next_cursor));
  return response;
}

absl::StatusOr<v1::ListMessagesResponse> NotificationQueries::ListJobMessages(
    const Caller& caller, const v1::ListJobMessagesRequest& request) const {
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ListIndex("job", TenantValuePrefix(caller.tenant, request.job_id()), request.page_token(),
                   request.page_size());
}

absl::StatusOr<v1::ListMessagesResponse> NotificationQueries::ListCustomerMessages(
    const Caller& caller, const v1::ListCustomerMessagesRequest& request) const {
  if (absl::Status s = ValidateId("customer_id", request.customer_id(), true); !s.ok()) return s;
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ListIndex("customer", TenantValuePrefix(caller.tenant, request.customer_id()),
                   request.page_token(), request.page_size());
}

absl::StatusOr<v1::ListMessagesResponse> NotificationQueries::ListFailedMessages(
    const Caller& caller, const v1::ListFailedMessagesRequest& request) const {
  if (absl::Status s = WaitForPosition(caller, request.min_position()); !s.ok()) return s;
  return ListIndex("failed", TenantPrefix(caller.tenant), request.page_token(),
                   request.page_size());
}

}  // namespace jobledger::notification
