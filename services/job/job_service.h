// The gRPC handlers of jobledger.job.v1.JobService: translate, delegate, translate back.
#pragma once

#include "job_commands.h"
#include "job_queries.h"
#include "jobledger/blobstore/content_store.h"
#include "jobledger/job/v1/job_service.grpc.pb.h"

namespace jobledger::job {

class JobService final : public v1::JobService::Service {
 public:
  JobService(JobCommands* commands, const JobQueries* queries, blobstore::ContentStore* attachments)
      : commands_(commands), queries_(queries), attachments_(attachments) {}

  using Context = grpc::ServerContext;
  grpc::Status CreateJob(Context*, const v1::CreateJobRequest*, v1::JobReply*) override;
  grpc::Status UpdateJob(Context*, const v1::UpdateJobRequest*, v1::JobReply*) override;
  grpc::Status ChangeJobStatus(Context*, const v1::ChangeJobStatusRequest*, v1::JobReply*) override;
  grpc::Status ReopenJob(Context*, const v1::ReopenJobRequest*, v1::JobReply*) override;
  grpc::Status DuplicateJob(Context*, const v1::DuplicateJobRequest*, v1::JobReply*) override;
  grpc::Status LinkRecall(Context*, const v1::LinkRecallRequest*, v1::JobReply*) override;
  grpc::Status AddLineItem(Context*, const v1::AddLineItemRequest*, v1::JobReply*) override;
  grpc::Status UpdateLineItem(Context*, const v1::UpdateLineItemRequest*, v1::JobReply*) override;
  grpc::Status RemoveLineItem(Context*, const v1::RemoveJobItemRequest*, v1::JobReply*) override;
  grpc::Status AddExpense(Context*, const v1::AddExpenseRequest*, v1::JobReply*) override;
  grpc::Status RemoveExpense(Context*, const v1::RemoveJobItemRequest*, v1::JobReply*) override;
  grpc::Status AddInstalledEquipment(Context*, const v1::AddInstalledEquipmentRequest*,
                                     v1::JobReply*) override;
  grpc::Status RemoveInstalledEquipment(Context*, const v1::RemoveJobItemRequest*,
                                        v1::JobReply*) override;
  grpc::Status AddNote(Context*, const v1::AddNoteRequest*, v1::JobReply*) override;
  grpc::Status RemoveNote(Context*, const v1::RemoveJobItemRequest*, v1::JobReply*) override;
  grpc::Status AddChecklistItem(Context*, const v1::AddChecklistItemRequest*,
                                v1::JobReply*) override;
  grpc::Status SetChecklistItemDone(Context*, const v1::SetChecklistItemDoneRequest*,
                                    v1::JobReply*) override;
  grpc::Status RemoveChecklistItem(Context*, const v1::RemoveJobItemRequest*,
                                   v1::JobReply*) override;
  grpc::Status SetCompletionRequirements(Context*, const v1::SetCompletionRequirementsRequest*,
                                         v1::JobReply*) override;
  grpc::Status ClockIn(Context*, const v1::ClockInRequest*, v1::JobReply*) override;
  grpc::Status ClockOut(Context*, const v1::ClockOutRequest*, v1::JobReply*) override;
  grpc::Status LogWork(Context*, const v1::LogWorkRequest*, v1::JobReply*) override;
  grpc::Status RemoveWorkEntry(Context*, const v1::RemoveJobItemRequest*, v1::JobReply*) override;
  grpc::Status UploadAttachment(Context*, grpc::ServerReader<v1::UploadAttachmentChunk>*,
                                v1::JobReply*) override;
  grpc::Status DownloadAttachment(Context*, const v1::DownloadAttachmentRequest*,
                                  grpc::ServerWriter<v1::AttachmentChunk>*) override;
  grpc::Status DownloadAllAttachments(Context*, const v1::DownloadAllAttachmentsRequest*,
                                      grpc::ServerWriter<v1::AttachmentChunk>*) override;
  grpc::Status RemoveAttachment(Context*, const v1::RemoveJobItemRequest*, v1::JobReply*) override;
  grpc::Status BulkChangeStatus(Context*, const v1::BulkChangeStatusRequest*,
                                v1::BulkChangeStatusResponse*) override;
  grpc::Status ApplyOfflineBatch(Context*, const v1::OfflineBatchRequest*,
                                 v1::OfflineBatchResponse*) override;
  grpc::Status GetJob(Context*, const v1::GetJobRequest*, v1::JobView*) override;
  grpc::Status ListJobs(Context*, const v1::ListJobsRequest*, v1::ListJobsResponse*) override;
  grpc::Status GetJobHistory(Context*, const v1::GetJobHistoryRequest*,
                             v1::GetJobHistoryResponse*) override;

 private:
  JobCommands* commands_;
  const JobQueries* queries_;
  blobstore::ContentStore* attachments_;
};

}  // namespace jobledger::job
