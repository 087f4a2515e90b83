// JobService handlers.
#include "job_service.h"

#include "absl/strings/str_cat.h"
#include "domain/validate.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"

namespace jobledger::job {
namespace {

constexpr size_t kMaxChunkBytes = 1 << 20;
constexpr size_t kDownloadChunkBytes = 256 << 10;

server::Caller CallerFor(const grpc::ServerContext* context) {
  return server::CallerOf(server::CallContext::Of(context));
}

// Streams one attachment's content, the metadata on its first chunk.
grpc::Status SendAttachment(const blobstore::ContentStore& store, const std::string& tenant,
                            const v1::Attachment& attachment,
                            grpc::ServerWriter<v1::AttachmentChunk>* writer) {
  auto reader = store.OpenReader(tenant, attachment.sha256());
  if (!reader.ok()) return server::ToGrpcStatus(reader.status());
  bool first = true;
  while (true) {
    auto content = (*reader)->Read(kDownloadChunkBytes);
    if (!content.ok()) return server::ToGrpcStatus(content.status());
    if (content->empty() && !first) return grpc::Status::OK;
    v1::AttachmentChunk chunk;
    if (first) *chunk.mutable_attachment() = attachment;
    chunk.set_content(*std::move(content));
    const bool end = chunk.content().empty();
    if (!writer->Write(chunk)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    first = false;
    if (end) return grpc::Status::OK;
  }
}

}  // namespace

#define JL_JOB_RPC(Method, Request, Call)                                                          \
  grpc::Status JobService::Method(Context* context, const Request* request, v1::JobReply* reply) { \
    return server::Respond(commands_->Call, reply);                                                \
  }

JL_JOB_RPC(CreateJob, v1::CreateJobRequest, CreateJob(CallerFor(context), *request))
JL_JOB_RPC(UpdateJob, v1::UpdateJobRequest, UpdateJob(CallerFor(context), *request))
JL_JOB_RPC(ChangeJobStatus, v1::ChangeJobStatusRequest,
           ChangeStatus(CallerFor(context), *request, v1::STATUS_CHANGE_CAUSE_MANUAL))
JL_JOB_RPC(ReopenJob, v1::ReopenJobRequest, Reopen(CallerFor(context), *request))
JL_JOB_RPC(DuplicateJob, v1::DuplicateJobRequest, Duplicate(CallerFor(context), *request))
JL_JOB_RPC(LinkRecall, v1::LinkRecallRequest, LinkRecall(CallerFor(context), *request))
JL_JOB_RPC(AddLineItem, v1::AddLineItemRequest, AddLineItem(CallerFor(context), *request))
JL_JOB_RPC(UpdateLineItem, v1::UpdateLineItemRequest, UpdateLineItem(CallerFor(context), *request))
JL_JOB_RPC(RemoveLineItem, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kLineItem))
JL_JOB_RPC(AddExpense, v1::AddExpenseRequest, AddExpense(CallerFor(context), *request))
JL_JOB_RPC(RemoveExpense, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kExpense))
JL_JOB_RPC(AddInstalledEquipment, v1::AddInstalledEquipmentRequest,
           AddEquipment(CallerFor(context), *request))
JL_JOB_RPC(RemoveInstalledEquipment, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kEquipment))
JL_JOB_RPC(AddNote, v1::AddNoteRequest, AddNote(CallerFor(context), *request))
JL_JOB_RPC(RemoveNote, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kNote))
JL_JOB_RPC(AddChecklistItem, v1::AddChecklistItemRequest,
           AddChecklistItem(CallerFor(context), *request))
JL_JOB_RPC(SetChecklistItemDone, v1::SetChecklistItemDoneRequest,
           SetChecklistItemDone(CallerFor(context), *request))
JL_JOB_RPC(RemoveChecklistItem, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kChecklistItem))
JL_JOB_RPC(SetCompletionRequirements, v1::SetCompletionRequirementsRequest,
           SetCompletionRequirements(CallerFor(context), *request))
JL_JOB_RPC(ClockIn, v1::ClockInRequest, ClockIn(CallerFor(context), *request))
JL_JOB_RPC(ClockOut, v1::ClockOutRequest, ClockOut(CallerFor(context), *request))
JL_JOB_RPC(LogWork, v1::LogWorkRequest, LogWork(CallerFor(context), *request))
JL_JOB_RPC(RemoveWorkEntry, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kWorkEntry))
JL_JOB_RPC(RemoveAttachment, v1::RemoveJobItemRequest,
           RemoveItem(CallerFor(context), *request, JobItemKind::kAttachment))

#undef JL_JOB_RPC

grpc::Status JobService::BulkChangeStatus(Context* context,
                                          const v1::BulkChangeStatusRequest* request,
                                          v1::BulkChangeStatusResponse* reply) {
  return server::Respond(commands_->BulkChangeStatus(CallerFor(context), *request), reply);
}

grpc::Status JobService::ApplyOfflineBatch(Context* context, const v1::OfflineBatchRequest* request,
                                           v1::OfflineBatchResponse* reply) {
  return server::Respond(commands_->ApplyOfflineBatch(CallerFor(context), *request), reply);
}

grpc::Status JobService::GetJob(Context* context, const v1::GetJobRequest* request,
                                v1::JobView* reply) {
  return server::Respond(queries_->GetJob(CallerFor(context), *request), reply);
}

grpc::Status JobService::ListJobs(Context* context, const v1::ListJobsRequest* request,
                                  v1::ListJobsResponse* reply) {
  return server::Respond(queries_->ListJobs(CallerFor(context), *request), reply);
}

grpc::Status JobService::GetJobHistory(Context* context, const v1::GetJobHistoryRequest* request,
                                       v1::GetJobHistoryResponse* reply) {
  return server::Respond(queries_->GetHistory(CallerFor(context), *request), reply);
}

grpc::Status JobService::UploadAttachment(Context* context,
                                          grpc::ServerReader<v1::UploadAttachmentChunk>* reader,
                                          v1::JobReply* reply) {
  const server::Caller caller = CallerFor(context);
  v1::UploadAttachmentChunk chunk;
  if (!reader->Read(&chunk) || !chunk.has_metadata()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "metadata: the first message must carry the attachment's metadata");
  }
  const v1::UploadAttachmentChunk::Metadata metadata = chunk.metadata();
  if (absl::Status s = ValidateUploadMetadata(metadata, attachments_->options().max_blob_bytes);
      !s.ok()) {
    return server::ToGrpcStatus(s);
  }
  // Refuse early, before storing anything, for a job the caller may not touch.
  auto job = commands_->ReadVisibleJob(caller, metadata.job_id());
  if (!job.ok()) return server::ToGrpcStatus(job.status());
  auto writer = attachments_->NewWriter(caller.tenant);
  if (!writer.ok()) return server::ToGrpcStatus(writer.status());
  while (reader->Read(&chunk)) {
    if (!chunk.has_content()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "content: only the first message carries metadata");
    }
    if (chunk.content().size() > kMaxChunkBytes) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "content: at most 1 MiB a message");
    }
    if ((*writer)->size_bytes() + static_cast<int64_t>(chunk.content().size()) >
        metadata.size_bytes()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "metadata.size_bytes: more content was sent than announced");
    }
    if (absl::Status s = (*writer)->Append(chunk.content()); !s.ok()) {
      return server::ToGrpcStatus(s);
    }
  }
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "upload cancelled");
  auto stored = (*writer)->Finish(metadata.size_bytes(), metadata.sha256());
  if (!stored.ok()) return server::ToGrpcStatus(stored.status());
  v1::Attachment attachment;
  attachment.set_attachment_id(metadata.attachment_id());  // JobCommands assigns one if empty
  attachment.set_kind(metadata.kind());
  attachment.set_name(metadata.name());
  attachment.set_media_type(metadata.media_type());
  attachment.set_size_bytes(stored->size_bytes);
  attachment.set_sha256(stored->sha256);
  attachment.set_uploaded_by(caller.user_id);
  return server::Respond(
      commands_->AddAttachment(caller, metadata.meta(), metadata.job_id(), attachment), reply);
}

grpc::Status JobService::DownloadAttachment(Context* context,
                                            const v1::DownloadAttachmentRequest* request,
                                            grpc::ServerWriter<v1::AttachmentChunk>* writer) {
  const server::Caller caller = CallerFor(context);
  if (absl::Status s = ValidateId("attachment_id", request->attachment_id(), true); !s.ok()) {
    return server::ToGrpcStatus(s);
  }
  auto job = commands_->ReadVisibleJob(caller, request->job_id());
  if (!job.ok()) return server::ToGrpcStatus(job.status());
  for (const v1::Attachment& attachment : job->attachments()) {
    if (attachment.attachment_id() == request->attachment_id()) {
      return SendAttachment(*attachments_, caller.tenant, attachment, writer);
    }
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("attachment ", request->attachment_id(), " not found"));
}

grpc::Status JobService::DownloadAllAttachments(Context* context,
                                                const v1::DownloadAllAttachmentsRequest* request,
                                                grpc::ServerWriter<v1::AttachmentChunk>* writer) {
  const server::Caller caller = CallerFor(context);
  auto job = commands_->ReadVisibleJob(caller, request->job_id());
  if (!job.ok()) return server::ToGrpcStatus(job.status());
  for (const v1::Attachment& attachment : job->attachments()) {
    if (grpc::Status sent = SendAttachment(*attachments_, caller.tenant, attachment, writer);
        !sent.ok()) {
      return sent;
    }
  }
  return grpc::Status::OK;
}

}  // namespace jobledger::job
