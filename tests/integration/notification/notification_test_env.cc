// The notification service test environment.
#include "notification_test_env.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "domain/rules.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/testing/wait.h"

namespace jobledger::notification::testing {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

std::string PeerScript(const std::string& name) {
  return absl::StrCat(JL_TEST_PEERS_DIR, "/", name);
}

NotificationEnv::NotificationEnv(EnvOptions options)
    : options_(std::move(options)),
      billing_env_(options_.backend),
      clock_(absl::Now()),
      data_dir_(jobs_env().data_dir() + "-notification"),
      scheduling_dir_(jobs_env().data_dir() + "-scheduling"),
      smtp_dir_(jobs_env().data_dir() + "-smtp"),
      sms_dir_(jobs_env().data_dir() + "-sms") {
  StartSinks();
  scheduling::SchedulingServerOptions scheduling_options;
  scheduling_options.server = job::testing::TestServerConfig("scheduling", scheduling_dir_);
  scheduling_options.log = &jobs_env().scheduling_log();
  scheduling_options.job_address = jobs_env().address();
  scheduling_options.time_zone = absl::UTCTimeZone();
  scheduling_options.topic_wait = absl::Seconds(10);
  scheduling_options.agreement_planning_interval = absl::Hours(24);
  auto scheduling = scheduling::SchedulingServer::Start(std::move(scheduling_options));
  EXPECT_TRUE(scheduling.ok()) << scheduling.status();
  scheduling_ = *std::move(scheduling);
  EXPECT_TRUE(jobledger::testing::WaitUntil([&] { return scheduling_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", scheduling_->port()),
                                     grpc::InsecureChannelCredentials());
  technician_stub_ = scheduling::v1::TechnicianService::NewStub(channel);
  dispatch_stub_ = scheduling::v1::DispatchService::NewStub(channel);
  Start();
}

NotificationEnv::~NotificationEnv() {
  Stop();
  if (scheduling_ != nullptr) EXPECT_TRUE(scheduling_->Shutdown().ok());
}

void NotificationEnv::StartSinks() {
  std::filesystem::create_directories(smtp_dir_);
  std::filesystem::create_directories(sms_dir_);
  std::vector<std::string> smtp_args = {"--port", "0", "--record-dir", smtp_dir_};
  smtp_args.insert(smtp_args.end(), options_.smtp_args.begin(), options_.smtp_args.end());
  auto smtp = jobledger::testing::StartPythonPeer(PeerScript("smtp_sink.py"), smtp_args);
  ASSERT_TRUE(smtp.ok()) << smtp.status();
  smtp_ = *std::move(smtp);
  std::vector<std::string> sms_args = {"--port", "0",       "--record-dir",
                                       sms_dir_, "--token", "sms-test-token"};
  sms_args.insert(sms_args.end(), options_.sms_args.begin(), options_.sms_args.end());
  auto sms = jobledger::testing::StartPythonPeer(PeerScript("sms_sink.py"), sms_args);
  ASSERT_TRUE(sms.ok()) << sms.status();
  sms_ = *std::move(sms);
}

void NotificationEnv::Start() {
  NotificationServerOptions options;
  options.server = job::testing::TestServerConfig("notification", data_dir_);
  options.log = &jobs_env().notification_log();
  options.time_zone = absl::UTCTimeZone();
  options.business_name = "Acme Plumbing";
  options.smtp.url = absl::StrCat("smtp://127.0.0.1:", smtp_.port);
  options.smtp.timeout = absl::Seconds(10);
  options.sms.endpoint = absl::StrCat("http://127.0.0.1:", sms_.port, "/v1/messages");
  options.sms.bearer_token = "sms-test-token";
  options.sms_from = "+15550000000";
  options.email_from = "dispatch@acme.example";
  options.job_address = jobs_env().address();
  options.billing_address = absl::StrCat("127.0.0.1:", billing_env_.server().port());
  options.retry = options_.retry;
  options.poll_interval = options_.poll_interval;
  options.clock = &clock_;
  options.topic_wait = absl::Seconds(10);
  auto server = NotificationServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  notification_stub_ = v1::NotificationService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
}

void NotificationEnv::Stop() {
  if (server_ == nullptr) return;
  EXPECT_TRUE(server_->Shutdown().ok());
  server_.reset();
}

std::vector<nlohmann::json> NotificationEnv::Emails() const {
  std::vector<std::string> files;
  const std::string dir = smtp_dir_ + "/accepted";
  if (!std::filesystem::exists(dir)) return {};
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> emails;
  for (const std::string& file : files) {
    std::ifstream in(file);
    emails.push_back(nlohmann::json::parse(in));
  }
  return emails;
}

int NotificationEnv::EmailRepeats() const {
  return static_cast<int>(Lines(smtp_dir_ + "/duplicates.txt").size());
}

std::vector<nlohmann::json> NotificationEnv::Texts() const {
  std::vector<nlohmann::json> texts;
  for (const std::string& line : Lines(sms_dir_ + "/messages.jsonl")) {
    texts.push_back(nlohmann::json::parse(line));
  }
  return texts;
}

int NotificationEnv::TextRepeats() const {
  return static_cast<int>(Lines(sms_dir_ + "/replays.txt").size());
}

job::v1::Customer NotificationEnv::CustomerWithContacts(const std::string& name,
                                                        const std::vector<ContactSpec>& contacts,
                                                        const std::string& tenant) {
  job::v1::CreateCustomerRequest request;
  request.set_name(name);
  for (const ContactSpec& spec : contacts) {
    job::v1::Contact& contact = *request.add_contacts();
    contact.set_name(spec.name);
    contact.set_phone(spec.phone);
    contact.set_email(spec.email);
    contact.set_accepts_sms(spec.accepts_sms);
    contact.set_accepts_email(spec.accepts_email);
  }
  job::v1::Property& property = *request.add_properties();
  property.set_name("Home");
  property.mutable_address()->set_line1("1 Main St");
  property.mutable_address()->set_city("Springfield");
  job::v1::CustomerReply reply;
  EXPECT_TRUE(IsOk(customers().CreateCustomer(Dispatcher(tenant).get(), request, &reply)));
  return reply.customer();
}

std::string NotificationEnv::CreateJob(const std::string& customer_id, const std::string& title,
                                       const std::string& tenant) {
  return jobs_env().CreateJob(customer_id, title, tenant).job().job_id();
}

void NotificationEnv::RegisterTechnician(const std::string& id, const std::string& name,
                                         const std::string& phone, const std::string& email,
                                         const std::string& tenant) {
  scheduling::v1::RegisterTechnicianRequest request;
  request.set_technician_id(id);
  request.set_name(name);
  request.set_phone(phone);
  request.set_email(email);
  scheduling::v1::TechnicianReply reply;
  EXPECT_TRUE(IsOk(technicians().RegisterTechnician(Dispatcher(tenant).get(), request, &reply)));
}

std::string NotificationEnv::Schedule(const std::string& job_id, absl::Time start, int hours,
                                      const std::vector<std::string>& technicians) {
  scheduling::v1::ScheduleAppointmentRequest request;
  request.set_job_id(job_id);
  *request.mutable_window()->mutable_start() = ProtoFromTime(start);
  *request.mutable_window()->mutable_end() = ProtoFromTime(start + absl::Hours(hours));
  for (const std::string& technician : technicians) request.add_technician_ids(technician);
  scheduling::v1::ScheduleReply reply;
  EXPECT_TRUE(IsOk(dispatch().ScheduleAppointment(Dispatcher().get(), request, &reply)));
  return reply.appointment().appointment_id();
}

std::vector<v1::Message> NotificationEnv::WaitForJobMessages(
    const std::string& job_id, size_t count, const std::function<bool(const v1::Message&)>& done,
    absl::Duration timeout) {
  std::vector<v1::Message> messages;
  jobledger::testing::WaitUntil(
      [&] {
        v1::ListJobMessagesRequest request;
        request.set_job_id(job_id);
        request.set_page_size(500);
        v1::ListMessagesResponse response;
        if (!notifications().ListJobMessages(Dispatcher().get(), request, &response).ok()) {
          return false;
        }
        messages.assign(response.messages().begin(), response.messages().end());
        if (messages.size() < count) return false;
        if (done == nullptr) return true;
        for (const v1::Message& message : messages) {
          if (!done(message)) return false;
        }
        return true;
      },
      timeout);
  return messages;
}

grpc::Status NotificationEnv::TurnOffAutomaticMessages(const std::string& tenant) {
  v1::SetNotificationSettingsRequest request;
  for (const Combination& combination : AllCombinations()) {
    v1::Rule& rule = *request.mutable_settings()->add_rules();
    rule.set_trigger(combination.trigger);
    rule.set_channel(combination.channel);
    rule.set_audience(combination.audience);
    rule.set_enabled(false);
  }
  request.add_update_fields("rules");
  v1::NotificationSettingsReply reply;
  return notifications().SetNotificationSettings(Manager(tenant).get(), request, &reply);
}

}  // namespace jobledger::notification::testing
