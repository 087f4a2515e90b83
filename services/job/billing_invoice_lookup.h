// InvoiceLookup over gRPC: asks the billing service which of a job's invoices are not void.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "job_commands.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"

namespace jobledger::job {

class BillingInvoiceLookup final : public InvoiceLookup {
 public:
  BillingInvoiceLookup(std::shared_ptr<grpc::ChannelInterface> channel, absl::Duration timeout)
      : stub_(billing::v1::BillingService::NewStub(std::move(channel))), timeout_(timeout) {}

  absl::StatusOr<std::vector<std::string>> UnvoidedInvoices(const server::Caller& caller,
                                                            const std::string& job_id) override;

 private:
  std::unique_ptr<billing::v1::BillingService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace jobledger::job
