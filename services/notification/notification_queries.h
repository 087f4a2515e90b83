// The notification service's reads: settings, templates, messages by id, job, customer and
// failure. Every read is of the caller's tenant only; a request's min_position is waited for.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "jobledger/common/clock.h"
#include "jobledger/notification/v1/notification_service.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"

namespace jobledger::notification {

struct NotificationQueriesOptions {
  const projection::ProjectionRunner* projection = nullptr;
  const Clock* clock = &SystemClock();
  absl::Duration max_wait = absl::Seconds(5);
};

class NotificationQueries {
 public:
  explicit NotificationQueries(NotificationQueriesOptions options) : options_(options) {}

  absl::StatusOr<v1::NotificationSettings> GetSettings(
      const server::Caller& caller, const v1::GetNotificationSettingsRequest& request) const;
  absl::StatusOr<v1::ListTemplatesResponse> ListTemplates(
      const server::Caller& caller, const v1::ListTemplatesRequest& request) const;
  absl::StatusOr<v1::SmsMeasurement> MeasureSms(const v1::MeasureSmsRequest& request) const;
  absl::StatusOr<v1::Message> GetMessage(const server::Caller& caller,
                                         const v1::GetMessageRequest& request) const;
  absl::StatusOr<v1::ListMessagesResponse> ListJobMessages(
      const server::Caller& caller, const v1::ListJobMessagesRequest& request) const;
  absl::StatusOr<v1::ListMessagesResponse> ListCustomerMessages(
      const server::Caller& caller, const v1::ListCustomerMessagesRequest& request) const;
  absl::StatusOr<v1::ListMessagesResponse> ListFailedMessages(
      const server::Caller& caller, const v1::ListFailedMessagesRequest& request) const;

 private:
  absl::Status WaitForPosition(const server::Caller& caller,
                               const common::v1::LogPosition& position) const;
  absl::StatusOr<v1::ListMessagesResponse> ListIndex(const std::string& index,
                                                     const std::string& prefix,
                                                     const std::string& page_token,
                                                     int32_t page_size) const;

  NotificationQueriesOptions options_;
};

}  // namespace jobledger::notification
