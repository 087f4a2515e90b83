// Field validation of the job service's requests: INVALID_ARGUMENT naming the offending field,
// before anything is loaded or written. Pure.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/common/field_checks.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/job/v1/job_service.pb.h"

namespace jobledger::job {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxTextLength = 10'000;
inline constexpr int kMaxBulkJobs = 500;
inline constexpr int kMaxOfflineCommands = 1000;

absl::Status ValidateMoney(absl::string_view field, const common::v1::Money& money);

absl::Status ValidateCustomer(const v1::CreateCustomerRequest& request);
absl::Status ValidateUpdateCustomer(const v1::UpdateCustomerRequest& request);
absl::Status ValidateContact(absl::string_view field, const v1::Contact& contact);
absl::Status ValidateProperty(absl::string_view field, const v1::Property& property);
absl::Status ValidateSubmitRequest(const v1::SubmitRequestRequest& request);
// The conversion's own fields (its job is validated as a CreateJob): a key, short enough for the
// customer and the job it makes to take it with "/customer" and "/job" appended.
absl::Status ValidateConvertRequest(const v1::ConvertRequestRequest& request);

absl::Status ValidateCreateJob(const v1::CreateJobRequest& request);
absl::Status ValidateUpdateJob(const v1::UpdateJobRequest& request);
absl::Status ValidateLineItem(absl::string_view field, const v1::LineItem& item);
absl::Status ValidateExpense(absl::string_view field, const v1::Expense& expense);
absl::Status ValidateEquipment(absl::string_view field, const v1::InstalledEquipment& equipment);
absl::Status ValidateWorkEntry(absl::string_view field, const v1::WorkEntry& entry);
absl::Status ValidateGeoPoint(absl::string_view field, const v1::GeoPoint& point);

// An upload's first message: what the attachment is, and a size of at most `max_bytes`.
absl::Status ValidateUploadMetadata(const v1::UploadAttachmentChunk::Metadata& metadata,
                                    int64_t max_bytes);
// The batch as a whole; each job's or command's own request is validated as its RPC's is.
absl::Status ValidateBulkChangeStatus(const v1::BulkChangeStatusRequest& request);
absl::Status ValidateOfflineBatch(const v1::OfflineBatchRequest& request);

}  // namespace jobledger::job
