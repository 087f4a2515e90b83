// Estimates through their writer; conversions through the job service.
#include "estimate_commands.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/event_factory.h"
#include "jobledger/eventlog/partitioner.h"
#include "projections/billing_tables.h"
#include "projections/job_copies.h"

namespace jobledger::billing {
namespace {

using server::Caller;

v1::EstimateReply EstimateReplyOf(const aggregate::Outcome<v1::Estimate>& outcome) {
  v1::EstimateReply reply;
  aggregate::FillCommandResult(outcome.state.estimate_id(), outcome.version, outcome.position,
                               outcome.replayed, reply.mutable_result());
  *reply.mutable_estimate() = outcome.state;
  return reply;
}

absl::Status EstimateNotFound(const std::string& estimate_id) {
  return absl::NotFoundError(absl::StrCat("estimate ", estimate_id, " not found"));
}

absl::StatusOr<std::optional<v1::PriceItem>> StoredPriceItem(
    const projection::ProjectionRunner& projection, const std::string& tenant,
    const std::string& price_item_id) {
  auto row = PriceItemTable().Get(*projection.store(), PrimaryKey(tenant, price_item_id));
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<v1::PriceItem>();
  return std::optional<v1::PriceItem>((*row)->item());
}

}  // namespace

EstimateCommands::EstimateCommands(EstimateCommandsOptions options)
    : options_(std::move(options)),
      numbering_(aggregate::NumberingOptions{.log = options_.log,
                                             .topic = options_.billing_topic,
                                             .projection = options_.projection,
                                             .clock = options_.clock,
                                             .counter_key = EstimateNumberKey}) {}

absl::Time EstimateCommands::CatchUpDeadline(const Caller& caller) const {
  return std::min(caller.deadline, options_.clock->Now() + options_.catch_up_timeout);
}

std::string EstimateCommands::NewAggregateId(const Caller& caller,
                                             const common::v1::CommandMeta& meta) {
  if (meta.idempotency_key().empty()) return options_.ids->NewId().ToString();
  return aggregate::DerivedAggregateId(caller.tenant, kEstimateAggregate, meta.idempotency_key())
      .ToString();
}

absl::StatusOr<v1::BillingSettings> EstimateCommands::SettingsOf(const std::string& tenant) {
  auto settings = options_.settings->Read(options_.settings->Key(tenant, tenant));
  if (!settings.ok()) return settings.status();
  if (settings->second.version == 0 || settings->first.currency().empty()) {
    return absl::FailedPreconditionError("set the tenant's billing settings (currency) first");
  }
  return std::move(settings->first);
}

absl::StatusOr<PriceItemsById> EstimateCommands::PriceItemsOf(
    const std::string& tenant, const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines,
    absl::Time deadline) {
  PriceItemsById items;
  std::set<std::string> missing;
  for (const job::v1::LineItem& line : lines) {
    const std::string& id = line.price_book_item_id();
    if (id.empty() || items.contains(id) || missing.contains(id)) continue;
    auto item = StoredPriceItem(*options_.projection, tenant, id);
    if (!item.ok()) return item.status();
    if (item->has_value()) {
      items.emplace(id, **std::move(item));
    } else {
      missing.insert(id);
    }
  }
  if (missing.empty()) return items;
  // An item created a moment ago may not be projected yet: let the projection read the
  // partitions of the missing items to their ends, then look again.
  auto partitions = options_.log->PartitionCount(options_.billing_topic);
  if (!partitions.ok()) return partitions.status();
  std::set<int32_t> waited;
  for (const std::string& id : missing) {
    const int32_t partition = eventlog::PartitionForKey(id, *partitions);
    if (!waited.insert(partition).second) continue;
    auto end = options_.log->HighWatermark(options_.billing_topic, partition);
    if (!end.ok()) return end.status();
    if (*end == 0) continue;
    if (absl::Status s =
            options_.projection->WaitFor({options_.billing_topic, partition, *end - 1}, deadline);
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& id : missing) {
    auto item = StoredPriceItem(*options_.projection, tenant, id);
    if (!item.ok()) return item.status();
    if (item->has_value()) items.emplace(id, **std::move(item));
  }
  return items;  // still missing: pricing names the line
}

absl::StatusOr<PricedLines> EstimateCommands::Price(
    const Caller& caller, const google::protobuf::RepeatedPtrField<job::v1::LineItem>& lines,
    const v1::BillingSettings& settings) {
  auto items = PriceItemsOf(caller.tenant, lines, CatchUpDeadline(caller));
  if (!items.ok()) return items.status();
  return PriceEstimateLines(lines, *items, settings,
                            [this] { return options_.ids->NewId().ToString(); });
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::OnEstimate(const Caller& caller,
                                                               const common::v1::CommandMeta& meta,
                                                               const std::string& estimate_id,
                                                               Decide decide) {
  auto outcome = options_.estimates->Execute(
      options_.estimates->Key(caller.tenant, estimate_id), server::CommandMetaOf(caller, meta),
      [&](const v1::Estimate& estimate,
          const Head& head) -> absl::StatusOr<std::vector<EstimateEvent>> {
        if (head.version == 0) return EstimateNotFound(estimate_id);
        return decide(estimate, head);
      });
  if (!outcome.ok()) return outcome.status();
  return EstimateReplyOf(*outcome);
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::DraftEstimate(
    const Caller& caller, const v1::DraftEstimateRequest& request) {
  if (absl::Status s = ValidateDraftEstimate(request); !s.ok()) return s;
  auto settings = SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  auto customer = KnownCustomerCopy(*options_.projection, *options_.log, options_.job_topic,
                                    caller.tenant, request.customer_id(), CatchUpDeadline(caller));
  if (absl::IsNotFound(customer.status())) {
    return absl::NotFoundError(absl::StrCat("customer_id: no customer ", request.customer_id()));
  }
  if (!customer.ok()) return customer.status();
  if (!request.property_id().empty()) {
    const auto& properties = customer->properties();
    if (std::none_of(properties.begin(), properties.end(), [&](const job::v1::Property& p) {
          return p.property_id() == request.property_id();
        })) {
      return absl::InvalidArgumentError(absl::StrCat("property_id: customer ", customer->name(),
                                                     " has no property ", request.property_id()));
    }
  }
  auto priced = Price(caller, request.lines(), *settings);
  if (!priced.ok()) return priced.status();
  const std::string estimate_id = NewAggregateId(caller, request.meta());
  const v1::Estimate estimate = NewEstimate(estimate_id, request, *std::move(priced));

  auto outcome = aggregate::CreateNumbered(
      numbering_, *options_.estimates, options_.estimates->Key(caller.tenant, estimate_id),
      server::CommandMetaOf(caller, request.meta()),
      [&](const v1::Estimate&, const Head& head, int64_t number) {
        return DecideDraftEstimate(head, estimate, number);
      });
  if (!outcome.ok()) return outcome.status();
  return EstimateReplyOf(*outcome);
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::ReviseEstimate(
    const Caller& caller, const v1::ReviseEstimateRequest& request) {
  if (absl::Status s = ValidateReviseEstimate(request); !s.ok()) return s;
  auto settings = SettingsOf(caller.tenant);
  if (!settings.ok()) return settings.status();
  auto priced = Price(caller, request.lines(), *settings);
  if (!priced.ok()) return priced.status();
  return OnEstimate(caller, request.meta(), request.estimate_id(),
                    [&](const v1::Estimate& estimate, const Head& head) {
                      return DecideReviseEstimate(estimate, head, request.title(), *priced,
                                                  request.notes());
                    });
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::SendEstimate(
    const Caller& caller, const v1::EstimateActionRequest& request) {
  if (absl::Status s = ValidateEstimateAction(request); !s.ok()) return s;
  return OnEstimate(caller, request.meta(), request.estimate_id(),
                    [](const v1::Estimate& estimate, const Head& head) {
                      return DecideSendEstimate(estimate, head);
                    });
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::ApproveEstimate(
    const Caller& caller, const v1::ApproveEstimateRequest& request) {
  if (absl::Status s = ValidateApproveEstimate(request); !s.ok()) return s;
  return OnEstimate(caller, request.meta(), request.estimate_id(),
                    [&](const v1::Estimate& estimate, const Head& head) {
                      return DecideApproveEstimate(estimate, head, request.approved_by());
                    });
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::DeclineEstimate(
    const Caller& caller, const v1::DeclineEstimateRequest& request) {
  if (absl::Status s = ValidateDeclineEstimate(request); !s.ok()) return s;
  return OnEstimate(caller, request.meta(), request.estimate_id(),
                    [&](const v1::Estimate& estimate, const Head& head) {
                      return DecideDeclineEstimate(estimate, head, request.reason());
                    });
}

absl::StatusOr<v1::EstimateReply> EstimateCommands::ConvertEstimate(
    const Caller& caller, const v1::EstimateActionRequest& request) {
  if (absl::Status s = ValidateEstimateAction(request); !s.ok()) return s;
  auto current =
      options_.estimates->Read(options_.estimates->Key(caller.tenant, request.estimate_id()));
  if (!current.ok()) return current.status();
  const auto& [estimate, head] = *current;
  if (head.version == 0) return EstimateNotFound(request.estimate_id());
  if (absl::Status s = CheckConvertible(estimate); !s.ok()) return s;

  // Converted already: no job service call; the writer answers with the estimate as it is (or the
  // first result of this very command).
  std::string job_id = estimate.job_id();
  if (estimate.status() == v1::ESTIMATE_STATUS_APPROVED) {
    // A stale version is refused before a job is made for it.
    if (request.meta().has_expected_version() &&
        request.meta().expected_version() != head.version) {
      return absl::AbortedError(absl::StrCat(
          "estimate ", request.estimate_id(), " is at version ", head.version,
          ", not the expected ", request.meta().expected_version(), ": reload it and retry"));
    }
    // Keyed by the estimate: a retry, a concurrent conversion or one resumed after a crash
    // between the two steps gets the same job back.
    auto created =
        options_.jobs->CreateJob(caller.tenant, JobRequestOf(estimate), caller.traceparent);
    if (!created.ok()) {
      return absl::Status(created.status().code(),
                          absl::StrCat("job service: ", created.status().message()));
    }
    job_id = created->job().job_id().empty() ? created->result().aggregate_id()
                                             : created->job().job_id();
    if (job_id.empty()) return absl::InternalError("job service: the reply names no job");
  }
  return OnEstimate(caller, request.meta(), request.estimate_id(),
                    [&](const v1::Estimate& latest, const Head& latest_head) {
                      return DecideConvertEstimate(latest, latest_head, job_id);
                    });
}

}  // namespace jobledger::billing
