// The job service's commands on jobs: validate, check what the caller may see, decide through
// the job writer, reply. No gRPC here: the handlers translate, bulk and offline batches reuse it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/decide.h"
#include "domain/job_events.h"
#include "jobledger/aggregate/command_result.h"
#include "jobledger/aggregate/command_writer.h"
#include "jobledger/aggregate/tenant_numbering.h"
#include "jobledger/common/clock.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/event_log.h"
#include "jobledger/job/v1/job_service.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"

namespace jobledger::job {

using aggregate::FillCommandResult;

using JobWriter = aggregate::CommandWriter<v1::Job, JobEvent>;
using CustomerWriter = aggregate::CommandWriter<v1::Customer, CustomerEvent>;
using RequestWriter = aggregate::CommandWriter<v1::CustomerRequest, RequestEvent>;

// What billing knows about a job's invoices (the billing service, over gRPC, in production).
class InvoiceLookup {
 public:
  virtual ~InvoiceLookup() = default;
  // Numbers of the job's invoices that are not void; UNAVAILABLE when billing cannot be asked.
  virtual absl::StatusOr<std::vector<std::string>> UnvoidedInvoices(const server::Caller& caller,
                                                                    const std::string& job_id) = 0;
};

struct JobCommandsOptions {
  JobWriter* jobs = nullptr;
  CustomerWriter* customers = nullptr;
  const projection::ProjectionRunner* projection = nullptr;
  IdGenerator* ids = nullptr;
  const Clock* clock = &SystemClock();
  absl::TimeZone zone = absl::UTCTimeZone();  // work log dates
  InvoiceLookup* invoices = nullptr;
  // The job topic, to settle job numbers after an append with an unknown outcome.
  eventlog::EventLog* log = nullptr;
  std::string topic;
};

class JobCommands {
 public:
  explicit JobCommands(JobCommandsOptions options);

  absl::StatusOr<v1::JobReply> CreateJob(const server::Caller& caller,
                                         const v1::CreateJobRequest& request);
  absl::StatusOr<v1::JobReply> UpdateJob(const server::Caller& caller,
                                         const v1::UpdateJobRequest& request);
  absl::StatusOr<v1::JobReply> ChangeStatus(const server::Caller& caller,
                                            const v1::ChangeJobStatusRequest& request,
                                            v1::StatusChangeCause cause);
  absl::StatusOr<v1::JobReply> Reopen(const server::Caller& caller,
                                      const v1::ReopenJobRequest& request);
  absl::StatusOr<v1::JobReply> Duplicate(const server::Caller& caller,
                                         const v1::DuplicateJobRequest& request);
  absl::StatusOr<v1::JobReply> LinkRecall(const server::Caller& caller,
                                          const v1::LinkRecallRequest& request);
  absl::StatusOr<v1::JobReply> AddLineItem(const server::Caller& caller,
                                           const v1::AddLineItemRequest& request);
  absl::StatusOr<v1::JobReply> UpdateLineItem(const server::Caller& caller,
                                              const v1::UpdateLineItemRequest& request);
  absl::StatusOr<v1::JobReply> AddExpense(const server::Caller& caller,
                                          const v1::AddExpenseRequest& request);
  absl::StatusOr<v1::JobReply> AddEquipment(const server::Caller& caller,
                                            const v1::AddInstalledEquipmentRequest& request);
  absl::StatusOr<v1::JobReply> AddNote(const server::Caller& caller,
                                       const v1::AddNoteRequest& request);
  absl::StatusOr<v1::JobReply> AddChecklistItem(const server::Caller& caller,
                                                const v1::AddChecklistItemRequest& request);
  absl::StatusOr<v1::JobReply> SetChecklistItemDone(const server::Caller& caller,
                                                    const v1::SetChecklistItemDoneRequest& request);
  absl::StatusOr<v1::JobReply> SetCompletionRequirements(
      const server::Caller& caller, const v1::SetCompletionRequirementsRequest& request);
  absl::StatusOr<v1::JobReply> RemoveItem(const server::Caller& caller,
                                          const v1::RemoveJobItemRequest& request,
                                          JobItemKind kind);
  absl::StatusOr<v1::JobReply> ClockIn(const server::Caller& caller,
                                       const v1::ClockInRequest& request);
  absl::StatusOr<v1::JobReply> ClockOut(const server::Caller& caller,
                                        const v1::ClockOutRequest& request);
  absl::StatusOr<v1::JobReply> LogWork(const server::Caller& caller,
                                       const v1::LogWorkRequest& request);
  // Records an attachment whose content is already in the content store.
  absl::StatusOr<v1::JobReply> AddAttachment(const server::Caller& caller,
                                             const common::v1::CommandMeta& meta,
                                             const std::string& job_id,
                                             const v1::Attachment& attachment);

  // Each job on its own; INVALID_ARGUMENT only for a request that is wrong as a whole.
  absl::StatusOr<v1::BulkChangeStatusResponse> BulkChangeStatus(
      const server::Caller& caller, const v1::BulkChangeStatusRequest& request);
  // Applies a device's offline commands in order, each once (its key is device id/command id),
  // reporting each one's outcome (e.g. FAILED_PRECONDITION: the job was cancelled meanwhile).
  absl::StatusOr<v1::OfflineBatchResponse> ApplyOfflineBatch(
      const server::Caller& caller, const v1::OfflineBatchRequest& request);

  // The job as the caller may see it: NOT_FOUND when it does not exist or is not theirs to see.
  absl::StatusOr<v1::Job> ReadVisibleJob(const server::Caller& caller, const std::string& job_id);

 private:
  using Decide =
      absl::FunctionRef<absl::StatusOr<std::vector<JobEvent>>(const v1::Job&, const Head&)>;
  // Validates the job id and meta, then runs `decide` on the job if the caller may see it.
  absl::StatusOr<v1::JobReply> OnJob(const server::Caller& caller,
                                     const common::v1::CommandMeta& meta, const std::string& job_id,
                                     Decide decide);
  absl::Status CheckVisible(const server::Caller& caller, const v1::Job& job) const;
  std::string NewId() { return options_.ids->NewId().ToString(); }
  absl::Time OccurredAt(const common::v1::CommandMeta& meta) const;

  JobCommandsOptions options_;
  aggregate::TenantNumbering numbering_;
};

// A command's reply from the writer's outcome.
v1::JobReply JobReplyOf(const aggregate::Outcome<v1::Job>& outcome);

}  // namespace jobledger::job
