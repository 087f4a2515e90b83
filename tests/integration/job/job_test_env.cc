// The job service test environment.
#include "job_test_env.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/auth/jwt.h"
#include "jobledger/common/uuid.h"
#include "jobledger/eventlog/envelope_codec.h"
#include "jobledger/eventlog/kafka_log.h"
#include "jobledger/eventlog/partitioner.h"
#include "jobledger/eventlog/topics.h"
#include "jobledger/job/v1/events.pb.h"
#include "jobledger/testing/wait.h"

namespace jobledger::job::testing {

void AppendCustomerBacklog(eventlog::EventLog& log, const std::string& tenant, int count) {
  const auto partitions = log.PartitionCount(eventlog::kJobTopic);
  ASSERT_TRUE(partitions.ok()) << partitions.status();
  std::map<int32_t, std::vector<eventlog::Record>> batches;
  for (int i = 0; i < count; ++i) {
    const std::string id = UuidV7Generator().NewId().ToString();
    v1::CustomerCreated created;
    created.mutable_customer()->set_customer_id(id);
    created.mutable_customer()->set_name(absl::StrCat("Customer ", i));
    events::v1::Event event;
    events::v1::Envelope& envelope = *event.mutable_envelope();
    envelope.set_event_id(UuidV7Generator().NewId().ToString());
    envelope.set_type(created.GetTypeName());
    envelope.set_source("/jobledger/job");
    envelope.set_tenant(tenant);
    envelope.set_aggregate_type("customer");
    envelope.set_aggregate_id(id);
    envelope.set_sequence(1);
    *envelope.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    envelope.mutable_actor()->set_user_id("dispatcher-1");
    envelope.mutable_actor()->set_role("dispatcher");
    event.set_payload(created.SerializeAsString());
    eventlog::SealEvent(event);
    batches[eventlog::PartitionForKey(id, *partitions)].push_back(eventlog::EncodeEvent(event));
  }
  for (auto& [partition, records] : batches) {
    ASSERT_TRUE(log.Append(eventlog::kJobTopic, partition, std::move(records)).ok());
  }
}

::testing::AssertionResult IsOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "code " << status.error_code() << ": " << status.error_message();
}

::testing::AssertionResult Refused(const grpc::Status& status, grpc::StatusCode code,
                                   const std::string& words) {
  if (status.error_code() == code && status.error_message().find(words) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected code " << code << " with \"" << words << "\", got code "
         << status.error_code() << ": " << status.error_message();
}

server::ServerConfig TestServerConfig(const std::string& service, const std::string& data_dir) {
  server::ServerConfig config;
  config.service_name = service;
  config.listen = "127.0.0.1:0";
  config.metrics_listen = "127.0.0.1:0";
  config.jwt.algorithm = auth::JwtAlgorithm::kHs256;
  config.jwt.key = kKey;
  config.data_dir = data_dir;
  config.log_level = server::Level::kWarning;
  return config;
}

JobServiceEnv::JobServiceEnv(Backend backend) : data_dir_(dir_.Sub("job")) {
  if (backend == Backend::kKafka) {
    eventlog::DevBrokerOptions broker_options;
    broker_options.topics = {{std::string(eventlog::kJobTopic), kPartitions},
                             {std::string(eventlog::kSchedulingTopic), kPartitions},
                             {std::string(eventlog::kBillingTopic), kPartitions},
                             {std::string(eventlog::kNotificationTopic), kPartitions}};
    auto broker = eventlog::DevBroker::Start(broker_options);
    EXPECT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    eventlog::KafkaLogOptions log_options;
    log_options.bootstrap_servers = broker_->bootstrap_servers();
    auto log = eventlog::KafkaLog::Create(log_options);
    EXPECT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  } else {
    eventlog::EmbeddedLogOptions options;
    options.directory = dir_.Sub("log");
    options.owned_topics = {{std::string(eventlog::kJobTopic), kPartitions}};
    auto log = eventlog::EmbeddedLog::Open(options);
    EXPECT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    options.owned_topics = {{std::string(eventlog::kSchedulingTopic), kPartitions}};
    auto scheduling = eventlog::EmbeddedLog::Open(options);
    EXPECT_TRUE(scheduling.ok()) << scheduling.status();
    scheduling_log_ = *std::move(scheduling);
    options.owned_topics = {{std::string(eventlog::kBillingTopic), kPartitions}};
    auto billing = eventlog::EmbeddedLog::Open(options);
    EXPECT_TRUE(billing.ok()) << billing.status();
    billing_log_ = *std::move(billing);
    log_dir_ = options.directory;
  }
  Start();
}

JobServiceEnv::~JobServiceEnv() { Stop(); }

eventlog::EventLog& JobServiceEnv::notification_log() {
  if (broker_ != nullptr) return *log_;
  if (notification_log_ == nullptr) {
    eventlog::EmbeddedLogOptions options;
    options.directory = log_dir_;
    options.owned_topics = {{std::string(eventlog::kNotificationTopic), kPartitions}};
    auto notification = eventlog::EmbeddedLog::Open(options);
    EXPECT_TRUE(notification.ok()) << notification.status();
    notification_log_ = *std::move(notification);
  }
  return *notification_log_;
}

void JobServiceEnv::Start() {
  JobServerOptions options;
  options.server = TestServerConfig("job", data_dir_);
  options.log = log_.get();
  options.invoices = &invoices_;
  options.time_zone = absl::UTCTimeZone();
  options.topic_wait = absl::Seconds(10);
  options.max_attachment_bytes = 8 << 20;
  auto server = JobServer::Start(std::move(options));
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] { return server_->grpc_server().ready(); },
                                            absl::Seconds(30)));
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(16 << 20);
  auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                           grpc::InsecureChannelCredentials(), arguments);
  job_stub_ = v1::JobService::NewStub(channel);
  customer_stub_ = v1::CustomerService::NewStub(channel);
}

std::string JobServiceEnv::address() const { return absl::StrCat("127.0.0.1:", server_->port()); }

void JobServiceEnv::Stop() {
  if (server_ == nullptr) return;
  EXPECT_TRUE(server_->Shutdown().ok());
  server_.reset();
}

std::string JobServiceEnv::Token(const std::string& user, auth::Role role,
                                 const std::string& tenant) const {
  auth::TokenClaims claims;
  claims.subject = user;
  claims.tenant = tenant;
  claims.roles = {role};
  claims.name = user;
  claims.expires_at = absl::Now() + absl::Hours(1);
  auto token = auth::MintToken(claims, auth::JwtAlgorithm::kHs256, kKey);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::unique_ptr<grpc::ClientContext> JobServiceEnv::As(const std::string& user, auth::Role role,
                                                       const std::string& tenant) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", Token(user, role, tenant)));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return context;
}

void JobServiceEnv::AppendScheduling(const std::string& tenant, const std::string& aggregate_type,
                                     const std::string& aggregate_id,
                                     const google::protobuf::Message& payload) {
  events::v1::Event event;
  events::v1::Envelope& envelope = *event.mutable_envelope();
  envelope.set_event_id(UuidV7Generator().NewId().ToString());
  envelope.set_type(payload.GetTypeName());
  envelope.set_source("/jobledger/scheduling");
  envelope.set_tenant(tenant);
  envelope.set_aggregate_type(aggregate_type);
  envelope.set_aggregate_id(aggregate_id);
  *envelope.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  envelope.mutable_actor()->set_user_id("dispatcher-1");
  envelope.mutable_actor()->set_role("dispatcher");
  {
    absl::MutexLock lock(&sequences_mu_);
    const std::string key = absl::StrCat(tenant, "/", aggregate_id);
    envelope.set_sequence(++sequences_[key]);
    envelope.set_previous_hash(hashes_[key]);
    event.set_payload(payload.SerializeAsString());
    eventlog::SealEvent(event);
    hashes_[key] = envelope.hash();
  }
  auto appended = scheduling_log().Append(eventlog::kSchedulingTopic,
                                          eventlog::PartitionForKey(aggregate_id, kPartitions),
                                          {eventlog::EncodeEvent(event)});
  ASSERT_TRUE(appended.ok()) << appended.status();
}

int64_t JobServiceEnv::JobTopicEvents() {
  int64_t total = 0;
  for (int partition = 0; partition < kPartitions; ++partition) {
    auto end = log_->HighWatermark(eventlog::kJobTopic, partition);
    EXPECT_TRUE(end.ok());
    total += end.value_or(0);
  }
  return total;
}

v1::Customer JobServiceEnv::CreateCustomer(const std::string& name, const std::string& tenant) {
  v1::CreateCustomerRequest request;
  request.set_name(name);
  request.add_tags("residential");
  v1::Contact& contact = *request.add_contacts();
  contact.set_name(name);
  contact.set_phone("+15551234567");
  contact.set_accepts_sms(true);
  v1::Property& property = *request.add_properties();
  property.set_name("Home");
  property.mutable_address()->set_line1("1 Main St");
  property.mutable_address()->set_city("Springfield");
  property.set_access_notes("gate code 4421");
  v1::CustomerReply reply;
  EXPECT_TRUE(IsOk(customers().CreateCustomer(
      As("dispatcher-1", auth::Role::kDispatcher, tenant).get(), request, &reply)));
  return reply.customer();
}

v1::JobReply JobServiceEnv::CreateJob(const std::string& customer_id, const std::string& title,
                                      const std::string& tenant) {
  v1::CreateJobRequest request;
  request.set_customer_id(customer_id);
  request.set_title(title);
  v1::JobReply reply;
  EXPECT_TRUE(IsOk(jobs().CreateJob(As("dispatcher-1", auth::Role::kDispatcher, tenant).get(),
                                    request, &reply)));
  return reply;
}

}  // namespace jobledger::job::testing
