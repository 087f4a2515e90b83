// Handlers of BillingService.
#include "billing_service.h"

#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"
#include "jobledger/server/status.h"

namespace jobledger::billing {
namespace {

server::Caller CallerFor(const grpc::ServerContext* context) {
  return server::CallerOf(server::CallContext::Of(context));
}

}  // namespace

#define JL_RPC(Method, Request, Reply, Call)                                                    \
  grpc::Status BillingService::Method(Context* context, const Request* request, Reply* reply) { \
    return server::Respond(Call, reply);                                                        \
  }

JL_RPC(GetJobBillingStatus, v1::GetJobBillingStatusRequest, v1::JobBillingStatus,
       h_.queries->GetJobBillingStatus(CallerFor(context), *request))
JL_RPC(SetBillingSettings, v1::SetBillingSettingsRequest, v1::BillingSettingsReply,
       h_.billing->SetBillingSettings(CallerFor(context), *request))
JL_RPC(GetBillingSettings, v1::GetBillingSettingsRequest, v1::BillingSettings,
       h_.queries->GetBillingSettings(CallerFor(context), *request))
JL_RPC(CreatePriceItem, v1::CreatePriceItemRequest, v1::PriceItemReply,
       h_.billing->CreatePriceItem(CallerFor(context), *request))
JL_RPC(UpdatePriceItem, v1::UpdatePriceItemRequest, v1::PriceItemReply,
       h_.billing->UpdatePriceItem(CallerFor(context), *request))
JL_RPC(ChangePrice, v1::ChangePriceRequest, v1::PriceItemReply,
       h_.billing->ChangePrice(CallerFor(context), *request))
JL_RPC(SetPriceItemActive, v1::SetPriceItemActiveRequest, v1::PriceItemReply,
       h_.billing->SetPriceItemActive(CallerFor(context), *request))
JL_RPC(GetPriceItem, v1::GetPriceItemRequest, v1::PriceItem,
       h_.queries->GetPriceItem(CallerFor(context), *request))
JL_RPC(ListPriceItems, v1::ListPriceItemsRequest, v1::ListPriceItemsResponse,
       h_.queries->ListPriceItems(CallerFor(context), *request))
JL_RPC(DraftEstimate, v1::DraftEstimateRequest, v1::EstimateReply,
       h_.estimates->DraftEstimate(CallerFor(context), *request))
JL_RPC(ReviseEstimate, v1::ReviseEstimateRequest, v1::EstimateReply,
       h_.estimates->ReviseEstimate(CallerFor(context), *request))
JL_RPC(SendEstimate, v1::EstimateActionRequest, v1::EstimateReply,
       h_.estimates->SendEstimate(CallerFor(context), *request))
JL_RPC(ApproveEstimate, v1::ApproveEstimateRequest, v1::EstimateReply,
       h_.estimates->ApproveEstimate(CallerFor(context), *request))
JL_RPC(DeclineEstimate, v1::DeclineEstimateRequest, v1::EstimateReply,
       h_.estimates->DeclineEstimate(CallerFor(context), *request))
JL_RPC(ConvertEstimate, v1::EstimateActionRequest, v1::EstimateReply,
       h_.estimates->ConvertEstimate(CallerFor(context), *request))
JL_RPC(GetEstimate, v1::GetEstimateRequest, v1::Estimate,
       h_.queries->GetEstimate(CallerFor(context), *request))
JL_RPC(GetJobCost, v1::GetJobCostRequest, v1::JobCost,
       h_.queries->GetJobCost(CallerFor(context), *request))
JL_RPC(GetJobFinancials, v1::GetJobFinancialsRequest, v1::JobFinancials,
       h_.queries->GetJobFinancials(CallerFor(context), *request))
JL_RPC(SetBillingSchedule, v1::SetBillingScheduleRequest, v1::JobBillingReply,
       h_.billing->SetBillingSchedule(CallerFor(context), *request))
JL_RPC(DeferCommission, v1::CommissionRequest, v1::JobBillingReply,
       h_.billing->ChangeCommission(CallerFor(context), *request, true))
JL_RPC(ReleaseCommission, v1::CommissionRequest, v1::JobBillingReply,
       h_.billing->ChangeCommission(CallerFor(context), *request, false))
JL_RPC(CreateInvoice, v1::CreateInvoiceRequest, v1::InvoiceReply,
       h_.invoices->CreateInvoice(CallerFor(context), *request))
JL_RPC(CreateProgressInvoice, v1::CreateProgressInvoiceRequest, v1::InvoiceReply,
       h_.invoices->CreateProgressInvoice(CallerFor(context), *request))
JL_RPC(CreateCreditNote, v1::CreateCreditNoteRequest, v1::InvoiceReply,
       h_.invoices->CreateCreditNote(CallerFor(context), *request))
JL_RPC(IssueInvoice, v1::InvoiceActionRequest, v1::InvoiceReply,
       h_.invoices->IssueInvoice(CallerFor(context), *request))
JL_RPC(VoidInvoice, v1::VoidInvoiceRequest, v1::InvoiceReply,
       h_.invoices->VoidInvoice(CallerFor(context), *request))
JL_RPC(RecordPayment, v1::RecordPaymentRequest, v1::InvoiceReply,
       h_.invoices->RecordPayment(CallerFor(context), *request))
JL_RPC(RecordRefund, v1::RecordRefundRequest, v1::InvoiceReply,
       h_.invoices->RecordRefund(CallerFor(context), *request))
JL_RPC(GetInvoice, v1::GetInvoiceRequest, v1::Invoice,
       h_.queries->GetInvoice(CallerFor(context), *request))
JL_RPC(ListInvoices, v1::ListInvoicesRequest, v1::ListInvoicesResponse,
       h_.queries->ListInvoices(CallerFor(context), *request))
JL_RPC(ListAwaitingBilling, v1::ListAwaitingBillingRequest, v1::ListAwaitingBillingResponse,
       h_.queries->ListAwaitingBilling(CallerFor(context), *request))
JL_RPC(GetCustomerStatement, v1::GetCustomerStatementRequest, v1::CustomerStatement,
       h_.queries->GetCustomerStatement(CallerFor(context), *request))

#undef JL_RPC

grpc::Status BillingService::GetInvoicePdf(Context* context, const v1::GetInvoiceRequest* request,
                                           grpc::ServerWriter<v1::DocumentChunk>* writer) {
  auto chunks = h_.queries->GetInvoicePdf(CallerFor(context), *request);
  if (!chunks.ok()) return server::ToGrpcStatus(chunks.status());
  for (const v1::DocumentChunk& chunk : *chunks) {
    if (!writer->Write(chunk)) return grpc::Status(grpc::StatusCode::CANCELLED, "client gone");
  }
  return grpc::Status::OK;
}

}  // namespace jobledger::billing
