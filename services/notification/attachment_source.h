// The bytes of an email's attachments, fetched when the email is sent: a job's attachment from the
// job service, an invoice as a PDF from the billing service, both with the notification service's
// own token for the message's tenant.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "delivery/outgoing.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"
#include "jobledger/notification/v1/notification.pb.h"
#include "jobledger/server/config.h"
#include "jobledger/server/service_tokens.h"

namespace jobledger::notification {

class AttachmentSource {
 public:
  virtual ~AttachmentSource() = default;
  // NOT_FOUND (or another code the owner answered that will not change) when it cannot be had;
  // UNAVAILABLE or DEADLINE_EXCEEDED when the owning service cannot answer now.
  virtual absl::StatusOr<EmailAttachment> Fetch(const std::string& tenant,
                                                const std::string& job_id,
                                                const v1::Attachment& attachment) = 0;
};

class GrpcAttachmentSource final : public AttachmentSource {
 public:
  static absl::StatusOr<std::unique_ptr<GrpcAttachmentSource>> Connect(
      const server::ServerConfig& config, const std::string& job_address,
      const std::string& billing_address, absl::Duration timeout = absl::Seconds(30));

  absl::StatusOr<EmailAttachment> Fetch(const std::string& tenant, const std::string& job_id,
                                        const v1::Attachment& attachment) override;

 private:
  GrpcAttachmentSource() = default;
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Context(const std::string& tenant);

  std::unique_ptr<job::v1::JobService::Stub> jobs_;
  std::unique_ptr<billing::v1::BillingService::Stub> billing_;
  std::unique_ptr<server::ServiceTokens> tokens_;
  absl::Duration timeout_;
};

}  // namespace jobledger::notification
