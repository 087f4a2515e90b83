// Decide: a job command against the job's current state gives the events to append, or the
// error that refuses it. Pure: ids, times and whatever other services said come in as arguments.
#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/job_events.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/job/v1/job_service.pb.h"

namespace jobledger::job {

using aggregate::Head;
using NewId = absl::FunctionRef<std::string()>;

// Which kind of attached item a removal names.
enum class JobItemKind {
  kLineItem,
  kExpense,
  kEquipment,
  kNote,
  kChecklistItem,
  kWorkEntry,
  kAttachment
};

// The line with its total (quantity × unit price, half away from zero) and an id when it had
// none.
absl::StatusOr<v1::LineItem> PriceLineItem(v1::LineItem item, NewId new_id);

// The record a CreateJob makes: defaults resolved (address from the property or the customer's
// primary, title from the first line item), ids given to its lines and checklist items.
// `parent` is the parent job of a subjob (nullptr otherwise).
absl::StatusOr<v1::Job> BuildNewJob(const v1::CreateJobRequest& request,
                                    const v1::Customer& customer, const v1::Job* parent,
                                    absl::string_view job_id, int64_t number, NewId new_id);

// A copy for DuplicateJob: same customer, property and scope (line items, checklist undone,
// requirements), none of the work done, new dates.
v1::CreateJobRequest DuplicateRequest(const v1::Job& original,
                                      const v1::DuplicateJobRequest& request);

absl::StatusOr<std::vector<JobEvent>> DecideCreateJob(const v1::Job& state, const Head& head,
                                                      const v1::Job& initial,
                                                      const v1::Note* initial_note);
absl::StatusOr<std::vector<JobEvent>> DecideUpdateJob(const v1::Job& job, const Head& head,
                                                      const v1::UpdateJobRequest& request);
absl::StatusOr<std::vector<JobEvent>> DecideChangeStatus(const v1::Job& job, const Head& head,
                                                         v1::JobStatus to,
                                                         const std::string& reason,
                                                         v1::StatusChangeCause cause);
// `unvoided_invoices`: what billing says the job has (numbers of invoices that are not void).
absl::StatusOr<std::vector<JobEvent>> DecideReopen(
    const v1::Job& job, const Head& head, const std::string& reason,
    const std::vector<std::string>& unvoided_invoices);
absl::StatusOr<std::vector<JobEvent>> DecideLinkRecall(const v1::Job& job, const Head& head,
                                                       const std::string& original_job_id);

absl::StatusOr<std::vector<JobEvent>> DecideAddLineItem(const v1::Job& job, const Head& head,
                                                        const v1::LineItem& item);
absl::StatusOr<std::vector<JobEvent>> DecideUpdateLineItem(const v1::Job& job, const Head& head,
                                                           const v1::LineItem& item);
absl::StatusOr<std::vector<JobEvent>> DecideAddExpense(const v1::Job& job, const Head& head,
                                                       const v1::Expense& expense);
absl::StatusOr<std::vector<JobEvent>> DecideAddEquipment(const v1::Job& job, const Head& head,
                                                         const v1::InstalledEquipment& equipment);
absl::StatusOr<std::vector<JobEvent>> DecideAddNote(const v1::Job& job, const Head& head,
                                                    const v1::Note& note);
absl::StatusOr<std::vector<JobEvent>> DecideAddAttachment(const v1::Job& job, const Head& head,
                                                          const v1::Attachment& attachment);
absl::StatusOr<std::vector<JobEvent>> DecideAddChecklistItem(const v1::Job& job, const Head& head,
                                                             const v1::ChecklistItem& item);
absl::StatusOr<std::vector<JobEvent>> DecideSetChecklistItemDone(const v1::Job& job,
                                                                 const Head& head,
                                                                 const std::string& item_id,
                                                                 bool done);
absl::StatusOr<std::vector<JobEvent>> DecideSetRequirements(
    const v1::Job& job, const Head& head, const v1::CompletionRequirements& requirements);
absl::StatusOr<std::vector<JobEvent>> DecideRemoveItem(const v1::Job& job, const Head& head,
                                                       JobItemKind kind,
                                                       const std::string& item_id);

// Clock-in: a work session starts and a job not yet underway moves to In progress.
struct ClockInCommand {
  std::string entry_id;
  std::string employee_id;
  std::string type;
  absl::Time at;
  absl::TimeZone zone;  // the tenant's: the entry's date is the local day of `at`
  const v1::GeoPoint* location = nullptr;
};
absl::StatusOr<std::vector<JobEvent>> DecideClockIn(const v1::Job& job, const Head& head,
                                                    const ClockInCommand& clock_in);

struct ClockOutCommand {
  std::string employee_id;
  absl::Time at;
  const v1::GeoPoint* location = nullptr;
  std::string notes;
};
absl::StatusOr<std::vector<JobEvent>> DecideClockOut(const v1::Job& job, const Head& head,
                                                     const ClockOutCommand& clock_out);
absl::StatusOr<std::vector<JobEvent>> DecideLogWork(const v1::Job& job, const Head& head,
                                                    const v1::WorkEntry& entry);

}  // namespace jobledger::job
