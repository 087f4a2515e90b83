// The job lifecycle rules.
#include "domain/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace jobledger::job {

using v1::JobStatus;

std::string StatusLabel(JobStatus status) {
  switch (status) {
    case v1::JOB_STATUS_DRAFT:
      return "Draft";
    case v1::JOB_STATUS_OPEN:
      return "Open";
    case v1::JOB_STATUS_SCHEDULED:
      return "Scheduled";
    case v1::JOB_STATUS_IN_PROGRESS:
      return "In progress";
    case v1::JOB_STATUS_ON_HOLD:
      return "On hold";
    case v1::JOB_STATUS_COMPLETED:
      return "Completed";
    case v1::JOB_STATUS_CANCELLED:
      return "Cancelled";
    case v1::JOB_STATUS_DEFERRED:
      return "Deferred";
    default:
      return "Unspecified";
  }
}

bool IsAllowedTransition(JobStatus from, JobStatus to) {
  if (from == to) return false;
  switch (from) {
    case v1::JOB_STATUS_DRAFT:
      return to == v1::JOB_STATUS_OPEN || to == v1::JOB_STATUS_SCHEDULED ||
             to == v1::JOB_STATUS_CANCELLED;
    case v1::JOB_STATUS_OPEN:
    case v1::JOB_STATUS_SCHEDULED:
    case v1::JOB_STATUS_ON_HOLD:
    case v1::JOB_STATUS_DEFERRED:
      // Anything but going back to Draft.
      return to != v1::JOB_STATUS_DRAFT && to != v1::JOB_STATUS_UNSPECIFIED;
    case v1::JOB_STATUS_IN_PROGRESS:
      // Work has started: it is finished, paused, called off or set aside, never unstarted.
      return to == v1::JOB_STATUS_ON_HOLD || to == v1::JOB_STATUS_COMPLETED ||
             to == v1::JOB_STATUS_CANCELLED || to == v1::JOB_STATUS_DEFERRED;
    default:
      return false;  // Completed (see ReopenJob) and Cancelled are final here
  }
}

bool RequiresReason(JobStatus to) {
  return to == v1::JOB_STATUS_ON_HOLD || to == v1::JOB_STATUS_CANCELLED;
}

std::string JobLabel(const v1::Job& job) { return absl::StrCat("JOB-", job.number()); }

absl::Status CheckStatusChange(const v1::Job& job, JobStatus to, const std::string& reason) {
  if (!IsAllowedTransition(job.status(), to)) {
    std::string hint;
    if (job.status() == v1::JOB_STATUS_COMPLETED && to == v1::JOB_STATUS_IN_PROGRESS) {
      hint = " (use ReopenJob)";
    }
    return absl::FailedPreconditionError(
        absl::StrCat(JobLabel(job), " is ", StatusLabel(job.status()), ": it cannot move to ",
                     StatusLabel(to), hint));
  }
  if (RequiresReason(to) && reason.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("reason: required to move a job to ", StatusLabel(to)));
  }
  if (to == v1::JOB_STATUS_COMPLETED) {
    const std::vector<std::string> missing = CompletionBlockers(job);
    if (!missing.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(JobLabel(job), " cannot be completed yet: ", absl::StrJoin(missing, "; ")));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> CompletionBlockers(const v1::Job& job) {
  std::vector<std::string> missing;
  for (const v1::ChecklistItem& item : job.checklist()) {
    if (item.required() && !item.done()) {
      missing.push_back(absl::StrCat("checklist item \"", item.text(), "\" is not done"));
    }
  }
  auto has_kind = [&](v1::AttachmentKind kind) {
    for (const v1::Attachment& attachment : job.attachments()) {
      if (attachment.kind() == kind) return true;
    }
    return false;
  };
  if (job.completion_requirements().photo_required() && !has_kind(v1::ATTACHMENT_KIND_PHOTO)) {
    missing.push_back("a photo is required");
  }
  if (job.completion_requirements().signature_required() &&
      !has_kind(v1::ATTACHMENT_KIND_SIGNATURE)) {
    missing.push_back("a signature is required");
  }
  return missing;
}

}  // namespace jobledger::job
