// The scheduling service test environment.
#include "scheduling_test_env.h"

#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/wait.h"

namespace jobledger::scheduling::testing {

absl::Time Utc(absl::CivilMinute minute) { return absl::FromCivil(minute, absl::UTCTimeZone()); }
google::protobuf::Timestamp At(absl::CivilMinute minute) { return ProtoFromTime(Utc(minute)); }

SchedulingEnv::SchedulingEnv(Backend backend)
    : jobs_env_(backend), data_dir_(jobs_env_.data_dir() + "-scheduling") {
  Start();
}

SchedulingEnv::~SchedulingEnv() { Stop(); }

void SchedulingEnv::Start() {
  SchedulingServerOptions options;
  options.server = job::testing::TestServerConfig("scheduling", data_dir_);
  options.log = &jobs_env_.scheduling_log();
  options.job_address = jobs_env_.address();
  options.time_zone = absl::UTCTimeZone();
  options.topic_wait = absl::Seconds(10);
  options.agreement_planning_interval = absl::Hours(24);  // tests wake it
  auto server = SchedulingServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                     grpc::InsecureChannelCredentials());
  technician_stub_ = v1::TechnicianService::NewStub(channel);
  dispatch_stub_ = v1::DispatchService::NewStub(channel);
  agreement_stub_ = v1::AgreementService::NewStub(channel);
}

void SchedulingEnv::Stop() {
  if (server_ == nullptr) return;
  EXPECT_TRUE(server_->Shutdown().ok());
  server_.reset();
}

v1::Technician SchedulingEnv::RegisterTechnician(const std::string& id, const std::string& name,
                                                 std::vector<std::string> skills,
                                                 const std::string& tenant) {
  v1::RegisterTechnicianRequest request;
  request.set_technician_id(id);
  request.set_name(name);
  for (const std::string& skill : skills) {
    v1::Skill* added = request.add_skills();
    added->set_name(skill);
    added->set_level(3);
  }
  for (int weekday = 1; weekday <= 7; ++weekday) {
    v1::ShiftPeriod* period = request.add_shifts();
    period->set_weekday(weekday);
    period->set_start_minute(6 * 60);
    period->set_end_minute(22 * 60);
  }
  v1::TechnicianReply reply;
  EXPECT_TRUE(IsOk(technicians().RegisterTechnician(Dispatcher(tenant).get(), request, &reply)));
  return reply.technician();
}

std::string SchedulingEnv::CreateJob(const std::string& title, std::vector<std::string> skills,
                                     int64_t minutes, const std::string& tenant) {
  const job::v1::Customer customer = jobs_env_.CreateCustomer("Customer of " + title, tenant);
  job::v1::CreateJobRequest request;
  request.set_customer_id(customer.customer_id());
  request.set_title(title);
  for (const std::string& skill : skills) request.add_required_skills(skill);
  request.set_estimated_minutes(minutes);
  job::v1::JobReply reply;
  EXPECT_TRUE(IsOk(jobs().CreateJob(Dispatcher(tenant).get(), request, &reply)));
  return reply.job().job_id();
}

grpc::Status SchedulingEnv::Schedule(const std::string& job_id, absl::Time start, int hours,
                                     std::vector<std::string> technicians, v1::ScheduleReply* reply,
                                     bool allow_overlap) {
  v1::ScheduleAppointmentRequest request;
  request.set_job_id(job_id);
  *request.mutable_window()->mutable_start() = ProtoFromTime(start);
  *request.mutable_window()->mutable_end() = ProtoFromTime(start + absl::Hours(hours));
  for (const std::string& technician : technicians) request.add_technician_ids(technician);
  request.set_allow_overlap(allow_overlap);
  return dispatch().ScheduleAppointment(Dispatcher().get(), request, reply);
}

job::v1::JobStatus SchedulingEnv::JobStatus(const std::string& job_id) {
  job::v1::GetJobRequest request;
  request.set_job_id(job_id);
  job::v1::JobView view;
  const grpc::Status status = jobs().GetJob(Dispatcher().get(), request, &view);
  if (!status.ok()) return job::v1::JOB_STATUS_UNSPECIFIED;
  return view.job().status();
}

}  // namespace jobledger::scheduling::testing
