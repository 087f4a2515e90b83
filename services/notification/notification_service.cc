// Handlers of NotificationService.
#include "notification_service.h"

#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"

namespace jobledger::notification {
namespace {

server::Caller CallerFor(const grpc::ServerContext* context) {
  return server::CallerOf(server::CallContext::Of(context));
}

}  // namespace

#define JL_RPC(Method, Request, Reply, Call)                                         \
  grpc::Status NotificationService::Method(Context* context, const Request* request, \
                                           Reply* reply) {                           \
    return server::Respond(Call, reply);                                             \
  }

JL_RPC(SetNotificationSettings, v1::SetNotificationSettingsRequest, v1::NotificationSettingsReply,
       commands_->SetSettings(CallerFor(context), *request))
JL_RPC(GetNotificationSettings, v1::GetNotificationSettingsRequest, v1::NotificationSettings,
       queries_->GetSettings(CallerFor(context), *request))
JL_RPC(SaveTemplate, v1::SaveTemplateRequest, v1::TemplateReply,
       commands_->SaveTemplate(CallerFor(context), *request))
JL_RPC(ListTemplates, v1::ListTemplatesRequest, v1::ListTemplatesResponse,
       queries_->ListTemplates(CallerFor(context), *request))
JL_RPC(SendCustomerCommunication, v1::SendCustomerCommunicationRequest,
       v1::SendCustomerCommunicationReply,
       commands_->SendCustomerCommunication(CallerFor(context), *request))
JL_RPC(MeasureSms, v1::MeasureSmsRequest, v1::SmsMeasurement,
       ((void)context, queries_->MeasureSms(*request)))
JL_RPC(ResendMessage, v1::ResendMessageRequest, v1::MessageReply,
       commands_->Resend(CallerFor(context), *request))
JL_RPC(GetMessage, v1::GetMessageRequest, v1::Message,
       queries_->GetMessage(CallerFor(context), *request))
JL_RPC(ListJobMessages, v1::ListJobMessagesRequest, v1::ListMessagesResponse,
       queries_->ListJobMessages(CallerFor(context), *request))
JL_RPC(ListCustomerMessages, v1::ListCustomerMessagesRequest, v1::ListMessagesResponse,
       queries_->ListCustomerMessages(CallerFor(context), *request))
JL_RPC(ListFailedMessages, v1::ListFailedMessagesRequest, v1::ListMessagesResponse,
       queries_->ListFailedMessages(CallerFor(context), *request))

#undef JL_RPC

}  // namespace jobledger::notification
