// Settings, price book and job billing records through their writers.
#include "billing_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/chargeback.h"
#include "domain/invoice_rules.h"
#include "domain/invoicing.h"
#include "domain/price_book.h"
#include "domain/progress.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/common/field_checks.h"
#include "projections/billing_tables.h"
#include "projections/invoice_reads.h"
#include "projections/job_copies.h"

namespace jobledger::billing {
namespace {

using aggregate::FillCommandResult;
using server::Caller;

template <typename Reply, typename State>
void FillReply(const std::string& id, const aggregate::Outcome<State>& outcome, Reply& reply) {
  FillCommandResult(id, outcome.version, outcome.position, outcome.replayed,
                    reply.mutable_result());
}

// The job's stages from its subjobs' progress shares (in job number order), and the remainder
// of the contract as a last stage when the shares leave one.
absl::StatusOr<google::protobuf::RepeatedPtrField<v1::BillingStage>> StagesFromSubjobs(
    const projection::StateReader& state, const std::string& tenant, const std::string& job_id) {
  google::protobuf::RepeatedPtrField<v1::BillingStage> stages;
  auto subjobs = JobCopyTable().ScanIndex(state, "subjob", TenantValuePrefix(tenant, job_id),
                                          {.cursor = "", .limit = kMaxStages + 1});
  if (!subjobs.ok()) return subjobs.status();
  int64_t total = 0;
  for (const v1::JobCopyRow& row : subjobs->rows) {
    if (row.job().progress_share_percent() <= 0) continue;
    v1::BillingStage* stage = stages.Add();
    stage->set_label(
        absl::StrCat(JobLabel(row.job()), " ", row.job().title()).substr(0, kMaxStageLabelLength));
    stage->set_share_ppm(int64_t{row.job().progress_share_percent()} * 10'000);
    total += stage->share_ppm();
  }
  if (stages.empty()) {
    return Invalid("stages", "required: the job has no subjobs with progress shares to bill by");
  }
  if (total < 1'000'000) {
    v1::BillingStage* rest = stages.Add();
    rest->set_label("Remainder");
    rest->set_share_ppm(1'000'000 - total);
  }
  return stages;
}

}  // namespace

std::string JobLeaseKey(absl::string_view tenant, absl::string_view job_id) {
  return projection::KeyBuilder().String("job").String(tenant).String(job_id).key();
}

std::string CodeLeaseKey(absl::string_view tenant) {
  return projection::KeyBuilder().String("code").String(tenant).key();
}

absl::StatusOr<v1::BillingSettings> BillingCommands::SettingsOf(const std::string& tenant) {
  auto settings = options_.settings->Read(options_.settings->Key(tenant, tenant));
  if (!settings.ok()) return settings.status();
  if (settings->first.currency().empty()) {
    return absl::FailedPreconditionError(
        "set the tenant's billing settings (currency, tax rates) first");
  }
  return std::move(settings->first);
}

absl::StatusOr<v1::BillingSettingsReply> BillingCommands::SetBillingSettings(
    const Caller& caller, const v1::SetBillingSettingsRequest& request) {
  if (absl::Status s = ValidateSetBillingSettings(request); !s.ok()) return s;
  auto outcome =
      options_.settings->Execute(options_.settings->Key(caller.tenant, caller.tenant),
                                 server::CommandMetaOf(caller, request.meta()),
                                 [&](const v1::BillingSettings& current, const Head& head) {
                                   return DecideSetBillingSettings(current, head, request);
                                 });
  if (!outcome.ok()) return outcome.status();
  v1::BillingSettingsReply reply;
  FillReply(caller.tenant, *outcome, reply);
  *reply.mutable_settings() = outcome->state;
  return reply;
}

absl::StatusOr<v1::PriceItemReply> BillingCommands::OnPriceItem(const Caller& caller,
                                                                const common::v1::CommandMeta& meta,
                                                                const std::string& price_item_id,
                                                                const std::string* new_code,
                                                                PriceItemDecide decide) {
  // Codes are unique per tenant: commands that set one take turns, each seeing the last.
  std::optional<projection::WriteLeases::Lease> lease;
  if (new_code != nullptr) {
    auto acquired = options_.leases->Acquire({CodeLeaseKey(caller.tenant)},
                                             options_.clock->Now() + options_.wait);
    if (!acquired.ok()) return acquired.status();
    lease.emplace(*std::move(acquired));
    auto holder = PriceItemTable().ScanIndex(
        *options_.projection->store(), "code",
        projection::KeyBuilder().String(caller.tenant).String(NormalizedCode(*new_code)).key(),
        {.cursor = "", .limit = 1});
    if (!holder.ok()) return holder.status();
    if (!holder->rows.empty() && holder->rows[0].item().price_item_id() != price_item_id) {
      return absl::AlreadyExistsError(absl::StrCat("item.code: ", *new_code, " is the code of ",
                                                   holder->rows[0].item().name()));
    }
  }
  auto outcome =
      options_.price_items->Execute(options_.price_items->Key(caller.tenant, price_item_id),
                                    server::CommandMetaOf(caller, meta), decide);
  if (!outcome.ok()) return outcome.status();
  if (lease.has_value() && outcome->position.has_value()) lease->Wrote(*outcome->position);
  v1::PriceItemReply reply;
  FillReply(price_item_id, *outcome, reply);
  *reply.mutable_item() = outcome->state;
  return reply;
}

absl::StatusOr<v1::PriceItemReply> BillingCommands::CreatePriceItem(
    const Caller& caller, const v1::CreatePriceItemRequest& request) {
  if (absl::Status s = ValidateCreatePriceItem(request); !s.ok()) return s;
  auto settings = SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  const std::string id = request.meta().idempotency_key().empty()
                             ? options_.ids->NewId().ToString()
                             : aggregate::DerivedAggregateId(caller.tenant, kPriceItemAggregate,
                                                             request.meta().idempotency_key())
                                   .ToString();
  return OnPriceItem(caller, request.meta(), id, &request.item().code(),
                     [&](const v1::PriceItem&, const Head& head) {
                       return DecideCreatePriceItem(head, request, settings->currency());
                     });
}

absl::StatusOr<v1::PriceItemReply> BillingCommands::UpdatePriceItem(
    const Caller& caller, const v1::UpdatePriceItemRequest& request) {
  if (absl::Status s = ValidateUpdatePriceItem(request); !s.ok()) return s;
  const auto& fields = request.update_fields();
  const bool recodes = std::find(fields.begin(), fields.end(), "code") != fields.end();
  return OnPriceItem(caller, request.meta(), request.price_item_id(),
                     recodes ? &request.item().code() : nullptr,
                     [&](const v1::PriceItem& item, const Head& head) {
                       return DecideUpdatePriceItem(item, head, request);
                     });
}

absl::StatusOr<v1::PriceItemReply> BillingCommands::ChangePrice(
    const Caller& caller, const v1::ChangePriceRequest& request) {
  if (absl::Status s = ValidateChangePrice(request); !s.ok()) return s;
  return OnPriceItem(caller, request.meta(), request.price_item_id(), nullptr,
                     [&](const v1::PriceItem& item, const Head& head) {
                       return DecideChangePrice(item, head, request);
                     });
}

absl::StatusOr<v1::PriceItemReply> BillingCommands::SetPriceItemActive(
    const Caller& caller, const v1::SetPriceItemActiveRequest& request) {
  if (absl::Status s = ValidateSetPriceItemActive(request); !s.ok()) return s;
  return OnPriceItem(caller, request.meta(), request.price_item_id(), nullptr,
                     [&](const v1::PriceItem& item, const Head& head) {
                       return DecideSetPriceItemActive(item, head, request);
                     });
}

absl::StatusOr<v1::JobBillingReply> BillingCommands::OnJobBilling(
    const Caller& caller, const common::v1::CommandMeta& meta, const std::string& job_id,
    JobBillingDecide decide) {
  auto outcome = options_.job_billing->Execute(options_.job_billing->Key(caller.tenant, job_id),
                                               server::CommandMetaOf(caller, meta), decide);
  if (!outcome.ok()) return outcome.status();
  v1::JobBillingReply reply;
  FillReply(job_id, *outcome, reply);
  *reply.mutable_billing() = outcome->state;
  reply.mutable_billing()->set_job_id(job_id);
  return reply;
}

absl::StatusOr<v1::JobBillingReply> BillingCommands::SetBillingSchedule(
    const Caller& caller, const v1::SetBillingScheduleRequest& request) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (!request.stages().empty()) {
    if (absl::Status s = ValidateStages(request.stages()); !s.ok()) return s;
  }
  auto settings = SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  const absl::Time deadline = options_.clock->Now() + options_.wait;
  auto job = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                          request.job_id(), deadline);
  if (!job.ok()) return job.status();
  // Progress invoices are made under the same lease: none slips in while the schedule changes.
  auto lease = options_.leases->Acquire({JobLeaseKey(caller.tenant, request.job_id())}, deadline);
  if (!lease.ok()) return lease.status();
  v1::SetBillingScheduleRequest effective = request;
  if (effective.stages().empty()) {
    auto stages = StagesFromSubjobs(*options_.projection->store(), caller.tenant, job->job_id());
    if (!stages.ok()) return stages.status();
    *effective.mutable_stages() = *std::move(stages);
  }
  auto invoices = InvoicesOfJob(*options_.projection->store(), caller.tenant, request.job_id());
  if (!invoices.ok()) return invoices.status();
  std::vector<v1::Invoice> progress;
  for (v1::Invoice& invoice : *invoices) {
    if (invoice.kind() == v1::INVOICE_KIND_PROGRESS) progress.push_back(std::move(invoice));
  }
  auto reply = OnJobBilling(caller, request.meta(), request.job_id(),
                            [&](const v1::JobBilling&, const Head&) {
                              return DecideSetBillingSchedule(effective, job->contract_amount(),
                                                              settings->currency(), progress);
                            });
  if (reply.ok() && reply->result().has_position()) {
    const common::v1::LogPosition& at = reply->result().position();
    lease->Wrote({at.topic(), at.partition(), at.offset()});
  }
  return reply;
}

absl::StatusOr<v1::JobBillingReply> BillingCommands::ChangeCommission(
    const Caller& caller, const v1::CommissionRequest& request, bool defer) {
  if (absl::Status s = ValidateMeta(request.meta()); !s.ok()) return s;
  if (absl::Status s = ValidateId("job_id", request.job_id(), true); !s.ok()) return s;
  if (absl::Status s = ValidateText("note", request.note(), kMaxReasonLength, false); !s.ok()) {
    return s;
  }
  auto job = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                          request.job_id(), options_.clock->Now() + options_.wait);
  if (!job.ok()) return job.status();
  return OnJobBilling(caller, request.meta(), request.job_id(),
                      [&](const v1::JobBilling& billing, const Head&) {
                        return DecideCommission(billing, defer, request.note());
                      });
}

absl::StatusOr<v1::JobBillingReply> BillingCommands::RecordChargeback(
    const Caller& caller, const std::string& recall_job_id) {
  const absl::Time deadline = options_.clock->Now() + options_.wait;
  auto recall = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic, caller.tenant,
                             recall_job_id, deadline);
  if (!recall.ok()) return recall.status();
  if (recall->recall_of_job_id().empty() || recall->status() != job::v1::JOB_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(*recall), " is not a completed recall job"));
  }
  auto original = KnownJobCopy(*options_.projection, *options_.log, options_.job_topic,
                               caller.tenant, recall->recall_of_job_id(), deadline);
  if (!original.ok()) return original.status();
  auto settings = SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  const std::string chargeback_id =
      aggregate::DerivedAggregateId(caller.tenant, "chargeback", recall_job_id).ToString();
  auto chargeback = ComputeChargeback(*recall, *original, *settings, chargeback_id);
  if (!chargeback.ok()) return chargeback.status();
  common::v1::CommandMeta meta;
  meta.set_idempotency_key(absl::StrCat("chargeback/", recall_job_id));
  return OnJobBilling(caller, meta, original->job_id(),
                      [&](const v1::JobBilling& billing,
                          const Head&) -> absl::StatusOr<std::vector<JobBillingEvent>> {
                        return DecideChargeback(billing, *chargeback);
                      });
}

}  // namespace jobledger::billing
