// Attachments over gRPC.
#include "attachment_source.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "jobledger/server/client.h"
#include "jobledger/server/trace.h"

namespace jobledger::notification {
namespace {

absl::Status FromGrpc(const grpc::Status& status, absl::string_view service) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(service, ": ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcAttachmentSource>> GrpcAttachmentSource::Connect(
    const server::ServerConfig& config, const std::string& job_address,
    const std::string& billing_address, absl::Duration timeout) {
  auto tokens = server::ServiceTokens::Create(config);
  if (!tokens.ok()) return tokens.status();
  auto source = std::unique_ptr<GrpcAttachmentSource>(new GrpcAttachmentSource());
  source->jobs_ = job::v1::JobService::NewStub(
      grpc::CreateChannel(job_address, grpc::InsecureChannelCredentials()));
  source->billing_ = billing::v1::BillingService::NewStub(
      grpc::CreateChannel(billing_address, grpc::InsecureChannelCredentials()));
  source->tokens_ = *std::move(tokens);
  source->timeout_ = timeout;
  return source;
}

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> GrpcAttachmentSource::Context(
    const std::string& tenant) {
  auto token = tokens_->TokenFor(tenant);
  if (!token.ok()) return token.status();
  return server::MakeClientContext(timeout_, *token, server::TraceContext::NewRoot());
}

absl::StatusOr<EmailAttachment> GrpcAttachmentSource::Fetch(const std::string& tenant,
                                                            const std::string& job_id,
                                                            const v1::Attachment& attachment) {
  auto context = Context(tenant);
  if (!context.ok()) return context.status();
  EmailAttachment out;
  out.name = attachment.name();
  out.media_type = attachment.media_type();
  if (!attachment.invoice_id().empty()) {
    billing::v1::GetInvoiceRequest request;
    request.set_invoice_id(attachment.invoice_id());
    auto reader = billing_->GetInvoicePdf(context->get(), request);
    billing::v1::DocumentChunk chunk;
    while (reader->Read(&chunk)) out.content.append(chunk.content());
    if (absl::Status s = FromGrpc(reader->Finish(), "billing service"); !s.ok()) return s;
    return out;
  }
  job::v1::DownloadAttachmentRequest request;
  request.set_job_id(job_id);
  request.set_attachment_id(attachment.job_attachment_id());
  auto reader = jobs_->DownloadAttachment(context->get(), request);
  job::v1::AttachmentChunk chunk;
  while (reader->Read(&chunk)) out.content.append(chunk.content());
  if (absl::Status s = FromGrpc(reader->Finish(), "job service"); !s.ok()) return s;
  return out;
}

}  // namespace jobledger::notification
