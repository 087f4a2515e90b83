// What hangs off a job: attachments streamed into the content store, history from the log with
// its hash chain, bulk and offline batches, subjobs, recalls and duplicates; and a rebuild of the
// projection equal to the live one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "absl/strings/escaping.h"
#include "google/protobuf/util/time_util.h"
#include "job_test_env.h"
#include "jobledger/common/sha256.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/projection/counter.h"
#include "jobledger/projection/key_codec.h"
#include "jobledger/projection/store.h"
#include "jobledger/projection/tools.h"
#include "jobledger/scheduling/v1/events.pb.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/wait.h"
#include "projections/job_projection.h"
#include "projections/job_tables.h"

namespace jobledger::job::testing {
namespace {

using auth::Role;
using ::testing::HasSubstr;

class JobRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    customer_ = env_.CreateCustomer("Ada");
    job_ = env_.CreateJob(customer_.customer_id(), "Kitchen remodel").job();
  }

  grpc::Status Upload(const std::string& name, const std::string& content,
                      const std::string& sha256, v1::JobReply* reply,
                      v1::AttachmentKind kind = v1::ATTACHMENT_KIND_PHOTO) {
    auto context = env_.As("tech-1", Role::kDispatcher);
    auto writer = env_.jobs().UploadAttachment(context.get(), reply);
    v1::UploadAttachmentChunk first;
    first.mutable_metadata()->set_job_id(job_.job_id());
    first.mutable_metadata()->set_kind(kind);
    first.mutable_metadata()->set_name(name);
    first.mutable_metadata()->set_media_type("image/jpeg");
    first.mutable_metadata()->set_size_bytes(static_cast<int64_t>(content.size()));
    first.mutable_metadata()->set_sha256(sha256);
    writer->Write(first);
    for (size_t offset = 0; offset < content.size(); offset += 700'000) {
      v1::UploadAttachmentChunk chunk;
      chunk.set_content(content.substr(offset, 700'000));
      if (!writer->Write(chunk)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  static std::string RandomBytes(size_t size) {
    std::mt19937 random(42);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    return bytes;
  }

  JobServiceEnv env_;
  v1::Customer customer_;
  v1::Job job_;
};

TEST_F(JobRecordsTest, AttachmentsRoundTripWithTheirChecksum) {
  const std::string photo = RandomBytes(3'000'000);
  const std::string sha256 = absl::BytesToHexString(Sha256(photo));
  v1::JobReply reply;
  ASSERT_TRUE(IsOk(Upload("before.jpg", photo, sha256, &reply)));
  ASSERT_EQ(reply.job().attachments_size(), 1);
  const v1::Attachment attachment = reply.job().attachments(0);
  EXPECT_EQ(attachment.sha256(), sha256);
  EXPECT_EQ(attachment.size_bytes(), 3'000'000);
  ASSERT_TRUE(IsOk(Upload("signature.png", "signed", "", &reply, v1::ATTACHMENT_KIND_SIGNATURE)));

  v1::DownloadAttachmentRequest download;
  download.set_job_id(job_.job_id());
  download.set_attachment_id(attachment.attachment_id());
  auto context = env_.As("d", Role::kDispatcher);
  auto reader = env_.jobs().DownloadAttachment(context.get(), download);
  v1::AttachmentChunk chunk;
  std::string received;
  v1::Attachment described;
  while (reader->Read(&chunk)) {
    if (chunk.has_attachment()) described = chunk.attachment();
    received += chunk.content();
  }
  ASSERT_TRUE(IsOk(reader->Finish()));
  EXPECT_EQ(described.name(), "before.jpg");
  EXPECT_EQ(received, photo);

  v1::DownloadAllAttachmentsRequest all;
  all.set_job_id(job_.job_id());
  auto all_context = env_.As("d", Role::kDispatcher);
  auto all_reader = env_.jobs().DownloadAllAttachments(all_context.get(), all);
  std::map<std::string, std::string> files;
  std::string current;
  while (all_reader->Read(&chunk)) {
    if (chunk.has_attachment()) current = chunk.attachment().name();
    files[current] += chunk.content();
  }
  ASSERT_TRUE(IsOk(all_reader->Finish()));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files["before.jpg"], photo);
  EXPECT_EQ(files["signature.png"], "signed");

  // Content that does not match its stated checksum or size is refused and not recorded.
  grpc::Status status = Upload("after.jpg", "some bytes", sha256, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS);
  v1::GetJobRequest get;
  get.set_job_id(job_.job_id());
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  EXPECT_EQ(view.counts().attachments(), 2);
  // Another tenant cannot download it.
  auto foreign = env_.As("d", Role::kDispatcher, "globex");
  auto refused = env_.jobs().DownloadAttachment(foreign.get(), download);
  while (refused->Read(&chunk)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(JobRecordsTest, HistoryComesFromTheLogWithAVerifiableChain) {
  v1::ChangeJobStatusRequest hold;
  hold.set_job_id(job_.job_id());
  hold.set_status(v1::JOB_STATUS_ON_HOLD);
  hold.set_reason("waiting for parts");
  v1::JobReply reply;
  ASSERT_TRUE(
      IsOk(env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), hold, &reply)));
  v1::UpdateJobRequest update;
  update.set_job_id(job_.job_id());
  update.mutable_details()->set_title("Kitchen remodel, phase 1");
  update.add_update_fields("title");
  ASSERT_TRUE(IsOk(env_.jobs().UpdateJob(env_.As("d", Role::kDispatcher).get(), update, &reply)));

  v1::GetJobHistoryRequest request;
  request.set_job_id(job_.job_id());
  v1::GetJobHistoryResponse history;
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    return env_.jobs()
               .GetJobHistory(env_.As("d", Role::kDispatcher).get(), request, &history)
               .ok() &&
           history.entries_size() == 3;
  }));
  EXPECT_TRUE(history.chain_verified());
  EXPECT_THAT(history.entries(1).summary(), HasSubstr("Open → On hold (waiting for parts)"));
  EXPECT_EQ(history.entries(1).envelope().actor().user_id(), "d");
  ASSERT_EQ(history.entries(2).changes_size(), 1);
  EXPECT_EQ(history.entries(2).changes(0).field(), "title");
  EXPECT_THAT(history.entries(2).changes(0).before(), HasSubstr("Kitchen remodel"));
  EXPECT_THAT(history.entries(2).changes(0).after(), HasSubstr("phase 1"));
  // The caller can check the chain on its own: each hash covers the content and the one before.
  std::string previous;
  for (const v1::HistoryEntry& entry : history.entries()) {
    EXPECT_EQ(entry.envelope().previous_hash(), previous);
    EXPECT_EQ(eventlog::ComputeEventHash(entry.envelope(), entry.payload()),
              entry.envelope().hash());
    previous = entry.envelope().hash();
  }
  request.set_page_size(2);
  ASSERT_TRUE(
      IsOk(env_.jobs().GetJobHistory(env_.As("d", Role::kDispatcher).get(), request, &history)));
  ASSERT_EQ(history.entries_size(), 2);
  request.set_page_token(history.next_page_token());
  ASSERT_TRUE(
      IsOk(env_.jobs().GetJobHistory(env_.As("d", Role::kDispatcher).get(), request, &history)));
  ASSERT_EQ(history.entries_size(), 1);
  EXPECT_EQ(history.entries(0).envelope().sequence(), 3);
}

TEST_F(JobRecordsTest, BulkStatusChangeReportsEachJob) {
  const v1::Job second = env_.CreateJob(customer_.customer_id(), "Second").job();
  v1::ChangeJobStatusRequest cancel;
  cancel.set_job_id(second.job_id());
  cancel.set_status(v1::JOB_STATUS_CANCELLED);
  cancel.set_reason("customer cancelled");
  v1::JobReply reply;
  ASSERT_TRUE(
      IsOk(env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), cancel, &reply)));
  v1::BulkChangeStatusRequest bulk;
  bulk.set_idempotency_key("end-of-day");
  bulk.add_job_ids(job_.job_id());
  bulk.add_job_ids(second.job_id());
  bulk.add_job_ids("00000000-0000-7000-8000-000000000000");
  bulk.set_status(v1::JOB_STATUS_COMPLETED);
  v1::BulkChangeStatusResponse response;
  ASSERT_TRUE(
      IsOk(env_.jobs().BulkChangeStatus(env_.As("d", Role::kDispatcher).get(), bulk, &response)));
  ASSERT_EQ(response.outcomes_size(), 3);
  EXPECT_EQ(response.outcomes(0).code(), 0);
  EXPECT_EQ(response.outcomes(1).code(), static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(response.outcomes(1).message(), HasSubstr("Cancelled"));
  EXPECT_EQ(response.outcomes(2).code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(response.succeeded(), 1);
  EXPECT_EQ(response.failed(), 2);
  // The same bulk again changes nothing.
  const int64_t events = env_.JobTopicEvents();
  ASSERT_TRUE(
      IsOk(env_.jobs().BulkChangeStatus(env_.As("d", Role::kDispatcher).get(), bulk, &response)));
  EXPECT_TRUE(response.outcomes(0).result().replayed());
  EXPECT_EQ(env_.JobTopicEvents(), events);
  // A malformed id refuses the whole selection, naming it, before any job is changed.
  bulk.set_idempotency_key("end-of-day-2");
  bulk.add_job_ids("not a job id");
  const grpc::Status refused =
      env_.jobs().BulkChangeStatus(env_.As("d", Role::kDispatcher).get(), bulk, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("job_ids[3]"));
  EXPECT_EQ(env_.JobTopicEvents(), events);
}

TEST_F(JobRecordsTest, AnOfflineBatchAppliesOnceInOrderAndReportsConflicts) {
  const v1::Job cancelled = env_.CreateJob(customer_.customer_id(), "Called off").job();
  v1::ChangeJobStatusRequest cancel;
  cancel.set_job_id(cancelled.job_id());
  cancel.set_status(v1::JOB_STATUS_CANCELLED);
  cancel.set_reason("customer cancelled");
  v1::JobReply reply;
  ASSERT_TRUE(
      IsOk(env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), cancel, &reply)));

  v1::OfflineBatchRequest batch;
  batch.set_device_id("phone-7");
  auto at = [](int minute) {
    return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(absl::FromUnixSeconds(1'800'000'000) + absl::Minutes(minute)));
  };
  v1::OfflineCommand* clock_in = batch.add_commands();
  clock_in->set_command_id("c1");
  *clock_in->mutable_occurred_at() = at(0);
  clock_in->mutable_clock_in()->set_job_id(job_.job_id());
  v1::OfflineCommand* note = batch.add_commands();
  note->set_command_id("c2");
  *note->mutable_occurred_at() = at(5);
  note->mutable_add_note()->set_job_id(job_.job_id());
  note->mutable_add_note()->set_text("replaced the trap");
  v1::OfflineCommand* late = batch.add_commands();
  late->set_command_id("c3");
  *late->mutable_occurred_at() = at(6);
  late->mutable_add_note()->set_job_id(cancelled.job_id());
  late->mutable_add_note()->set_text("on my way");
  v1::OfflineCommand* clock_out = batch.add_commands();
  clock_out->set_command_id("c4");
  *clock_out->mutable_occurred_at() = at(47);
  clock_out->mutable_clock_out()->set_job_id(job_.job_id());
  v1::OfflineCommand* finish = batch.add_commands();
  finish->set_command_id("c5");
  *finish->mutable_occurred_at() = at(48);
  finish->mutable_change_status()->set_job_id(cancelled.job_id());
  finish->mutable_change_status()->set_status(v1::JOB_STATUS_COMPLETED);

  v1::OfflineBatchResponse response;
  ASSERT_TRUE(IsOk(
      env_.jobs().ApplyOfflineBatch(env_.As("tech-1", Role::kTechnician).get(), batch, &response)));
  ASSERT_EQ(response.outcomes_size(), 5);
  // tech-1 is not assigned to these jobs: each command is refused on its own (NOT_FOUND)
  // and nothing is recorded, so the same batch can still be applied by someone who may.
  for (const auto& outcome : response.outcomes()) {
    EXPECT_EQ(outcome.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND)) << outcome.id();
  }
  ASSERT_TRUE(
      IsOk(env_.jobs().ApplyOfflineBatch(env_.As("d", Role::kDispatcher).get(), batch, &response)));
  EXPECT_EQ(response.outcomes(0).code(), 0);
  EXPECT_EQ(response.outcomes(1).code(), 0);
  EXPECT_EQ(response.outcomes(2).code(), 0);  // a note on a cancelled job is still history
  EXPECT_EQ(response.outcomes(3).code(), 0);
  EXPECT_EQ(response.outcomes(4).code(), static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(response.outcomes(4).message(), HasSubstr("Cancelled"));

  const int64_t events = env_.JobTopicEvents();
  ASSERT_TRUE(
      IsOk(env_.jobs().ApplyOfflineBatch(env_.As("d", Role::kDispatcher).get(), batch, &response)));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(response.outcomes(i).result().replayed()) << i;
  EXPECT_EQ(env_.JobTopicEvents(), events);

  v1::GetJobRequest get;
  get.set_job_id(job_.job_id());
  v1::JobView view;
  ASSERT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  ASSERT_EQ(view.job().work_log_size(), 1);
  EXPECT_EQ(view.job().work_log(0).minutes(), 47);
  EXPECT_EQ(view.job().notes_size(), 1);
  EXPECT_EQ(view.job().status(), v1::JOB_STATUS_IN_PROGRESS);
}

TEST_F(JobRecordsTest, SubjobsRecallsAndDuplicates) {
  v1::CreateJobRequest subjob;
  subjob.set_customer_id(customer_.customer_id());
  subjob.set_parent_job_id(job_.job_id());
  subjob.set_title("Day 1: demolition");
  subjob.set_progress_share_percent(20);
  v1::JobReply child;
  ASSERT_TRUE(IsOk(env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), subjob, &child)));
  EXPECT_EQ(child.job().parent_job_id(), job_.job_id());
  subjob.set_parent_job_id(child.job().job_id());
  v1::JobReply nested;
  EXPECT_EQ(
      env_.jobs().CreateJob(env_.As("d", Role::kDispatcher).get(), subjob, &nested).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  v1::JobReply recall = env_.CreateJob(customer_.customer_id(), "Warranty visit");
  v1::LinkRecallRequest link;
  link.set_job_id(recall.job().job_id());
  link.set_original_job_id(job_.job_id());
  v1::JobReply linked;
  ASSERT_TRUE(IsOk(env_.jobs().LinkRecall(env_.As("d", Role::kDispatcher).get(), link, &linked)));
  EXPECT_EQ(linked.job().recall_of_job_id(), job_.job_id());

  v1::DuplicateJobRequest duplicate;
  duplicate.set_job_id(job_.job_id());
  v1::JobReply copy;
  ASSERT_TRUE(
      IsOk(env_.jobs().DuplicateJob(env_.As("d", Role::kDispatcher).get(), duplicate, &copy)));
  EXPECT_EQ(copy.job().title(), "Kitchen remodel");
  EXPECT_NE(copy.job().job_id(), job_.job_id());
  EXPECT_EQ(copy.job().customer_id(), customer_.customer_id());

  v1::GetJobRequest get;
  get.set_job_id(job_.job_id());
  *get.mutable_min_position() = linked.result().position();
  v1::JobView view;
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    return env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view).ok() &&
           view.subjob_ids_size() == 1;
  }));
  EXPECT_EQ(view.subjob_ids(0), child.job().job_id());
  ASSERT_EQ(view.recall_job_ids_size(), 1);
  EXPECT_EQ(view.recall_job_ids(0), recall.job().job_id());
}

// Every key of `store` that starts with `prefix`, with its value.
std::map<std::string, std::string> KeysUnder(const projection::ProjectionStore& store,
                                             const std::string& prefix) {
  std::map<std::string, std::string> keys;
  auto it = store.NewIterator(prefix, projection::PrefixEnd(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    keys.emplace(std::string(it->key()), std::string(it->value()));
  }
  EXPECT_TRUE(it->status().ok()) << it->status();
  return keys;
}

// A change rewrites only the list entries and status counts that moved, so a missed one would
// stay behind: after statuses, assignments, a reassignment and a new title, the store's entries
// and counts must be exactly those its list rows imply.
TEST_F(JobRecordsTest, ListEntriesAndCountsAreExactlyWhatTheRowsImply) {
  const std::string other =
      env_.CreateJob(customer_.customer_id(), "Boiler service").job().job_id();
  auto schedule = [&](const std::string& job_id, const std::string& technician,
                      const std::string& crew) {
    scheduling::v1::AppointmentScheduled scheduled;
    scheduled.set_appointment_id("appointment-" + job_id);
    scheduled.set_job_id(job_id);
    scheduled.add_technician_ids(technician);
    if (!crew.empty()) scheduled.add_crew_ids(crew);
    env_.AppendScheduling("acme", "job_schedule", job_id, scheduled);
  };
  schedule(job_.job_id(), "tech-1", "");
  schedule(other, "tech-2", "crew-north");
  scheduling::v1::CrewMemberAdded member;
  member.set_crew_id("crew-north");
  member.set_technician_id("tech-3");
  env_.AppendScheduling("acme", "crew", "crew-north", member);
  scheduling::v1::AppointmentReassigned reassigned;
  reassigned.set_appointment_id("appointment-" + job_.job_id());
  reassigned.set_job_id(job_.job_id());
  reassigned.add_technician_ids("tech-2");
  reassigned.add_previous_technician_ids("tech-1");
  env_.AppendScheduling("acme", "job_schedule", job_.job_id(), reassigned);

  auto change = [&](const std::string& job_id, v1::JobStatus to, const std::string& reason) {
    v1::ChangeJobStatusRequest request;
    request.set_job_id(job_id);
    request.set_status(to);
    request.set_reason(reason);
    v1::JobReply reply;
    EXPECT_TRUE(
        IsOk(env_.jobs().ChangeJobStatus(env_.As("d", Role::kDispatcher).get(), request, &reply)));
  };
  change(job_.job_id(), v1::JOB_STATUS_SCHEDULED, "");
  change(job_.job_id(), v1::JOB_STATUS_IN_PROGRESS, "");
  change(job_.job_id(), v1::JOB_STATUS_ON_HOLD, "waiting for parts");
  change(job_.job_id(), v1::JOB_STATUS_IN_PROGRESS, "");
  change(job_.job_id(), v1::JOB_STATUS_COMPLETED, "");
  v1::UpdateJobRequest update;
  update.set_job_id(other);
  update.mutable_details()->set_title("Boiler repair");
  update.add_update_fields("title");
  v1::JobReply updated;
  ASSERT_TRUE(IsOk(env_.jobs().UpdateJob(env_.As("d", Role::kDispatcher).get(), update, &updated)));
  change(other, v1::JOB_STATUS_CANCELLED, "customer moved away");

  // The list shows every change once the projection has applied both topics.
  auto listed = [&](const std::string& technician) {
    v1::ListJobsRequest request;
    request.set_technician_id(technician);
    v1::ListJobsResponse page;
    EXPECT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), request, &page)));
    std::map<std::string, v1::JobStatus> statuses;
    for (const v1::JobSummary& job : page.jobs()) statuses[job.title()] = job.status();
    return statuses;
  };
  const std::map<std::string, v1::JobStatus> expected = {
      {"Kitchen remodel", v1::JOB_STATUS_COMPLETED}, {"Boiler repair", v1::JOB_STATUS_CANCELLED}};
  ASSERT_TRUE(jobledger::testing::WaitUntil(
      [&] { return listed("tech-2") == expected && listed("tech-1").empty(); }, absl::Seconds(30)));
  env_.Stop();

  auto stored = projection::ListProjections(env_.projections_dir(), nullptr);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->size(), 1u);
  projection::StoreOptions options;
  options.path = env_.projections_dir() + "/job/" + stored->front().store_name;
  options.read_only = true;
  auto store = projection::ProjectionStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();

  std::set<std::string> implied_entries;
  std::map<std::string, int64_t> implied_counts;
  const auto rows =
      KeysUnder(**store, projection::KeyBuilder().String("listrow").String("acme").key());
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& [key, bytes] : rows) {
    v1::JobListRow row;
    ASSERT_TRUE(row.ParseFromString(bytes));
    for (const std::string& entry : ListIndexKeys("acme", row)) implied_entries.insert(entry);
    ++implied_counts[StatusCountKey("acme", "", row.summary().status())];
    for (const std::string& person : row.visible_to()) {
      ++implied_counts[StatusCountKey("acme", person, row.summary().status())];
    }
  }
  std::set<std::string> entries;
  for (const auto& [key, value] :
       KeysUnder(**store, projection::KeyBuilder().String("list").String("acme").key())) {
    entries.insert(key);
  }
  EXPECT_EQ(entries, implied_entries);
  std::map<std::string, int64_t> counts;
  for (const auto& [key, value] :
       KeysUnder(**store, projection::KeyBuilder().String("count").String("acme").key())) {
    auto count = projection::ReadCounter(**store, key);
    ASSERT_TRUE(count.ok()) << count.status();
    counts[key] = *count;
  }
  EXPECT_EQ(counts, implied_counts);
  // The crew's new member sees the job the crew is on.
  EXPECT_EQ(implied_counts[StatusCountKey("acme", "tech-3", v1::JOB_STATUS_CANCELLED)], 1);
}

TEST_F(JobRecordsTest, ARebuiltProjectionEqualsTheLiveOne) {
  // The last position written to each partition, to wait until the projection has it all.
  std::map<int32_t, common::v1::LogPosition> last;
  for (int i = 0; i < 20; ++i) {
    v1::AddNoteRequest note;
    note.set_job_id(job_.job_id());
    note.set_text(absl::StrCat("note ", i));
    v1::JobReply reply;
    ASSERT_TRUE(IsOk(env_.jobs().AddNote(env_.As("d", Role::kDispatcher).get(), note, &reply)));
    last[reply.result().position().partition()] = reply.result().position();
    const v1::JobReply created = env_.CreateJob(customer_.customer_id(), absl::StrCat("Job ", i));
    last[created.result().position().partition()] = created.result().position();
  }
  for (const auto& [partition, position] : last) {
    v1::ListJobsRequest wait;
    *wait.mutable_min_position() = position;
    v1::ListJobsResponse page;
    ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), wait, &page)));
  }
  env_.Stop();
  JobProjection projection("jobledger.job.events", "jobledger.scheduling.events");
  auto verified =
      projection::VerifyProjection(projection, env_.projections_dir(), env_.log(), nullptr);
  ASSERT_TRUE(verified.ok()) << verified.status();
  // The customer, 21 jobs and 20 notes.
  EXPECT_EQ(verified->events, 42);
  EXPECT_TRUE(verified->matches());
}

TEST_F(JobRecordsTest, JlProjectionsVerifiesAndRebuildsTheJobProjection) {
  env_.CreateJob(customer_.customer_id(), "Another");
  env_.Stop();
  auto run = [&](const std::string& command) {
    auto child = jobledger::testing::ChildProcess::Spawn(
        {JL_CLI_PATH, "projections", command, "job", "--data-dir", env_.data_dir()});
    EXPECT_TRUE(child.ok()) << child.status();
    std::string output;
    while (auto line = (*child)->ReadLine(absl::Seconds(60))) output += *line + "\n";
    return std::make_pair((*child)->Wait(), output);
  };
  auto [verified, verify_output] = run("verify");
  EXPECT_EQ(verified, 0) << verify_output;
  EXPECT_THAT(verify_output, HasSubstr("OK: the live state equals a clean rebuild"));
  auto [rebuilt, rebuild_output] = run("rebuild");
  EXPECT_EQ(rebuilt, 0) << rebuild_output;
  // The service starts on the rebuilt store and still knows the jobs.
  env_.Start();
  v1::GetJobRequest get;
  get.set_job_id(job_.job_id());
  v1::JobView view;
  EXPECT_TRUE(IsOk(env_.jobs().GetJob(env_.As("d", Role::kDispatcher).get(), get, &view)));
  v1::ListJobsResponse list;
  ASSERT_TRUE(IsOk(env_.jobs().ListJobs(env_.As("d", Role::kDispatcher).get(), {}, &list)));
  EXPECT_EQ(list.jobs_size(), 2);
}

}  // namespace
}  // namespace jobledger::job::testing
