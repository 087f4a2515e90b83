// The gRPC handlers of the notification service's API: translate, delegate, translate back.
#pragma once

#include "jobledger/notification/v1/notification_service.grpc.pb.h"
#include "notification_commands.h"
#include "notification_queries.h"

namespace jobledger::notification {

using Context = grpc::ServerContext;

class NotificationService final : public v1::NotificationService::Service {
 public:
  NotificationService(NotificationCommands* commands, const NotificationQueries* queries)
      : commands_(commands), queries_(queries) {}

  grpc::Status SetNotificationSettings(Context*, const v1::SetNotificationSettingsRequest*,
                                       v1::NotificationSettingsReply*) override;
  grpc::Status GetNotificationSettings(Context*, const v1::GetNotificationSettingsRequest*,
                                       v1::NotificationSettings*) override;
  grpc::Status SaveTemplate(Context*, const v1::SaveTemplateRequest*, v1::TemplateReply*) override;
  grpc::Status ListTemplates(Context*, const v1::ListTemplatesRequest*,
                             v1::ListTemplatesResponse*) override;
  grpc::Status SendCustomerCommunication(Context*, const v1::SendCustomerCommunicationRequest*,
                                         v1::SendCustomerCommunicationReply*) override;
  grpc::Status MeasureSms(Context*, const v1::MeasureSmsRequest*, v1::SmsMeasurement*) override;
  grpc::Status ResendMessage(Context*, const v1::ResendMessageRequest*, v1::MessageReply*) override;
  grpc::Status GetMessage(Context*, const v1::GetMessageRequest*, v1::Message*) override;
  grpc::Status ListJobMessages(Context*, const v1::ListJobMessagesRequest*,
                               v1::ListMessagesResponse*) override;
  grpc::Status ListCustomerMessages(Context*, const v1::ListCustomerMessagesRequest*,
                                    v1::ListMessagesResponse*) override;
  grpc::Status ListFailedMessages(Context*, const v1::ListFailedMessagesRequest*,
                                  v1::ListMessagesResponse*) override;

 private:
  NotificationCommands* commands_;
  const NotificationQueries* queries_;
};

}  // namespace jobledger::notification
