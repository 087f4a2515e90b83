// The gRPC handlers of the billing service's API: translate, delegate, translate back.
#pragma once

#include "billing_commands.h"
#include "billing_queries.h"
#include "estimate_commands.h"
#include "invoice_commands.h"
#include "jobledger/billing/v1/billing_service.grpc.pb.h"

namespace jobledger::billing {

using Context = grpc::ServerContext;

struct BillingHandlers {
  BillingCommands* billing = nullptr;
  InvoiceCommands* invoices = nullptr;
  EstimateCommands* estimates = nullptr;
  const BillingQueries* queries = nullptr;
};

class BillingService final : public v1::BillingService::Service {
 public:
  explicit BillingService(BillingHandlers handlers) : h_(handlers) {}

  grpc::Status GetJobBillingStatus(Context*, const v1::GetJobBillingStatusRequest*,
                                   v1::JobBillingStatus*) override;
  grpc::Status SetBillingSettings(Context*, const v1::SetBillingSettingsRequest*,
                                  v1::BillingSettingsReply*) override;
  grpc::Status GetBillingSettings(Context*, const v1::GetBillingSettingsRequest*,
                                  v1::BillingSettings*) override;
  grpc::Status CreatePriceItem(Context*, const v1::CreatePriceItemRequest*,
                               v1::PriceItemReply*) override;
  grpc::Status UpdatePriceItem(Context*, const v1::UpdatePriceItemRequest*,
                               v1::PriceItemReply*) override;
  grpc::Status ChangePrice(Context*, const v1::ChangePriceRequest*, v1::PriceItemReply*) override;
  grpc::Status SetPriceItemActive(Context*, const v1::SetPriceItemActiveRequest*,
                                  v1::PriceItemReply*) override;
  grpc::Status GetPriceItem(Context*, const v1::GetPriceItemRequest*, v1::PriceItem*) override;
  grpc::Status ListPriceItems(Context*, const v1::ListPriceItemsRequest*,
                              v1::ListPriceItemsResponse*) override;
  grpc::Status DraftEstimate(Context*, const v1::DraftEstimateRequest*,
                             v1::EstimateReply*) override;
  grpc::Status ReviseEstimate(Context*, const v1::ReviseEstimateRequest*,
                              v1::EstimateReply*) override;
  grpc::Status SendEstimate(Context*, const v1::EstimateActionRequest*,
                            v1::EstimateReply*) override;
  grpc::Status ApproveEstimate(Context*, const v1::ApproveEstimateRequest*,
                               v1::EstimateReply*) override;
  grpc::Status DeclineEstimate(Context*, const v1::DeclineEstimateRequest*,
                               v1::EstimateReply*) override;
  grpc::Status ConvertEstimate(Context*, const v1::EstimateActionRequest*,
                               v1::EstimateReply*) override;
  grpc::Status GetEstimate(Context*, const v1::GetEstimateRequest*, v1::Estimate*) override;
  grpc::Status GetJobCost(Context*, const v1::GetJobCostRequest*, v1::JobCost*) override;
  grpc::Status GetJobFinancials(Context*, const v1::GetJobFinancialsRequest*,
                                v1::JobFinancials*) override;
  grpc::Status SetBillingSchedule(Context*, const v1::SetBillingScheduleRequest*,
                                  v1::JobBillingReply*) override;
  grpc::Status DeferCommission(Context*, const v1::CommissionRequest*,
                               v1::JobBillingReply*) override;
  grpc::Status ReleaseCommission(Context*, const v1::CommissionRequest*,
                                 v1::JobBillingReply*) override;
  grpc::Status CreateInvoice(Context*, const v1::CreateInvoiceRequest*, v1::InvoiceReply*) override;
  grpc::Status CreateProgressInvoice(Context*, const v1::CreateProgressInvoiceRequest*,
                                     v1::InvoiceReply*) override;
  grpc::Status CreateCreditNote(Context*, const v1::CreateCreditNoteRequest*,
                                v1::InvoiceReply*) override;
  grpc::Status IssueInvoice(Context*, const v1::InvoiceActionRequest*, v1::InvoiceReply*) override;
  grpc::Status VoidInvoice(Context*, const v1::VoidInvoiceRequest*, v1::InvoiceReply*) override;
  grpc::Status RecordPayment(Context*, const v1::RecordPaymentRequest*, v1::InvoiceReply*) override;
  grpc::Status RecordRefund(Context*, const v1::RecordRefundRequest*, v1::InvoiceReply*) override;
  grpc::Status GetInvoice(Context*, const v1::GetInvoiceRequest*, v1::Invoice*) override;
  grpc::Status ListInvoices(Context*, const v1::ListInvoicesRequest*,
                            v1::ListInvoicesResponse*) override;
  grpc::Status ListAwaitingBilling(Context*, const v1::ListAwaitingBillingRequest*,
                                   v1::ListAwaitingBillingResponse*) override;
  grpc::Status GetInvoicePdf(Context*, const v1::GetInvoiceRequest*,
                             grpc::ServerWriter<v1::DocumentChunk>*) override;
  grpc::Status GetCustomerStatement(Context*, const v1::GetCustomerStatementRequest*,
                                    v1::CustomerStatement*) override;

 private:
  BillingHandlers h_;
};

}  // namespace jobledger::billing
