// The notification service end to end: the real job, scheduling and billing services make the
// events, the notification service reacts over the log, and a real SMTP server and an SMS sink
// record what arrives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "jobledger/common/proto_time.h"
#include "jobledger/common/sha256.h"
#include "jobledger/testing/wait.h"
#include "notification_test_env.h"

namespace jobledger::notification::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace sched = scheduling::v1;

constexpr char kAnaPhone[] = "+15551230001";
constexpr char kBenPhone[] = "+15551230002";
constexpr char kSamPhone[] = "+15559870001";
constexpr char kRiaPhone[] = "+15559870002";

bool Sent(const v1::Message& message) { return message.status() == v1::MESSAGE_STATUS_SENT; }

// Tomorrow 10:00 UTC: a visit in the future of the service's clock.
absl::Time Tomorrow10(const FakeClock& clock) {
  const absl::CivilDay today = absl::ToCivilDay(clock.Now(), absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilDay(today + 1), absl::UTCTimeZone()) + absl::Hours(10);
}

std::vector<nlohmann::json> TextsTo(const std::vector<nlohmann::json>& texts,
                                    const std::string& to) {
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& text : texts) {
    if (text["to"] == to) out.push_back(text);
  }
  return out;
}

class NotificationTest : public ::testing::Test {
 protected:
  explicit NotificationTest(EnvOptions options = {}) : env_(std::move(options)) {}

  // Ana takes texts and email; Ben only email. Sam (a technician) takes texts.
  void SetUpCustomerJobAndTechnician() {
    customer_ = env_.CustomerWithContacts("Maria Gonzalez",
                                          {{"Ana", kAnaPhone, "ana@example.com", true, true},
                                           {"Ben", kBenPhone, "ben@example.com", false, true}});
    job_id_ = env_.CreateJob(customer_.customer_id(), "Water heater replacement");
    env_.RegisterTechnician("sam", "Sam Patel", kSamPhone);
  }

  // Messages of the job once `count` exist and all are sent.
  std::vector<v1::Message> SentMessages(size_t count) {
    return env_.WaitForJobMessages(job_id_, count, Sent);
  }

  void Dispatch(const std::string& appointment_id, sched::DispatchState state,
                const std::string& technician = "sam") {
    sched::ChangeDispatchStateRequest request;
    request.set_job_id(job_id_);
    request.set_appointment_id(appointment_id);
    request.set_technician_id(technician);
    request.set_state(state);
    sched::ScheduleReply reply;
    ASSERT_TRUE(
        IsOk(env_.dispatch().ChangeDispatchState(env_.Dispatcher().get(), request, &reply)));
  }

  NotificationEnv env_;
  job::v1::Customer customer_;
  std::string job_id_;
};

TEST_F(NotificationTest, SchedulingTextsTheConsentingContactAndTheTechnicianAndEmailsBoth) {
  SetUpCustomerJobAndTechnician();
  env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  // Customer SMS (Ana only: Ben takes no texts), customer email (Ana and Ben), technician SMS.
  const std::vector<v1::Message> messages = SentMessages(4);
  ASSERT_THAT(messages, SizeIs(4));
  const std::vector<nlohmann::json> texts = env_.Texts();
  ASSERT_THAT(TextsTo(texts, kAnaPhone), SizeIs(1));
  EXPECT_THAT(TextsTo(texts, kBenPhone), SizeIs(0));
  ASSERT_THAT(TextsTo(texts, kSamPhone), SizeIs(1));
  const std::string ana_text = TextsTo(texts, kAnaPhone)[0]["body"];
  EXPECT_THAT(ana_text, HasSubstr("Acme Plumbing: your visit for JOB-"));
  EXPECT_THAT(ana_text, HasSubstr("arriving 10:00-12:00"));
  EXPECT_EQ(TextsTo(texts, kAnaPhone)[0]["from"], "+15550000000");
  const std::string sam_text = TextsTo(texts, kSamPhone)[0]["body"];
  EXPECT_THAT(sam_text, HasSubstr("Water heater replacement for Maria Gonzalez"));
  const std::vector<nlohmann::json> emails = env_.Emails();
  ASSERT_THAT(emails, SizeIs(2));
  for (const nlohmann::json& email : emails) {
    EXPECT_EQ(email["subject"], "Your appointment with Acme Plumbing");
    EXPECT_THAT(std::string(email["body"]), HasSubstr("Hello Maria Gonzalez"));
  }
  for (const v1::Message& message : messages) {
    EXPECT_EQ(message.trigger(), v1::TRIGGER_APPOINTMENT_SCHEDULED);
    EXPECT_FALSE(message.cause_event_id().empty());
    ASSERT_THAT(message.attempts(), SizeIs(1));
    EXPECT_EQ(message.attempts(0).outcome(), v1::ATTEMPT_OUTCOME_ACCEPTED);
  }
}

TEST_F(NotificationTest, OnTheWayTextNamesTheTechnicianAndWindowOnce) {
  SetUpCustomerJobAndTechnician();
  const std::string appointment = env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  SentMessages(4);
  Dispatch(appointment, sched::DISPATCH_STATE_EN_ROUTE);
  SentMessages(5);
  const std::vector<nlohmann::json> to_ana = TextsTo(env_.Texts(), kAnaPhone);
  ASSERT_THAT(to_ana, SizeIs(2));
  EXPECT_THAT(std::string(to_ana[1]["body"]), HasSubstr("Sam Patel is on the way for JOB-"));
  EXPECT_THAT(std::string(to_ana[1]["body"]), HasSubstr("arriving 10:00-12:00"));
  // Arrived texts are off by default: nothing more.
  Dispatch(appointment, sched::DISPATCH_STATE_ARRIVED);
  Dispatch(appointment, sched::DISPATCH_STATE_WORKING);
  env_.WaitForJobMessages(job_id_, 6, nullptr, absl::Seconds(1));
  EXPECT_THAT(TextsTo(env_.Texts(), kAnaPhone), SizeIs(2));
}

TEST_F(NotificationTest, ReassignTellsTheCustomerAndBothTechnicians) {
  SetUpCustomerJobAndTechnician();
  env_.RegisterTechnician("ria", "Ria Chen", kRiaPhone);
  const std::string appointment = env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  SentMessages(4);
  sched::ReassignAppointmentRequest request;
  request.set_job_id(job_id_);
  request.set_appointment_id(appointment);
  request.add_technician_ids("ria");
  request.set_reason("Sam is sick");
  sched::ScheduleReply reply;
  ASSERT_TRUE(IsOk(env_.dispatch().ReassignAppointment(env_.Dispatcher().get(), request, &reply)));
  SentMessages(7);  // customer SMS, Ria's and Sam's SMS
  const std::vector<nlohmann::json> texts = env_.Texts();
  ASSERT_THAT(TextsTo(texts, kAnaPhone), SizeIs(2));
  EXPECT_THAT(std::string(TextsTo(texts, kAnaPhone)[1]["body"]),
              HasSubstr("Ria Chen will now handle your visit"));
  ASSERT_THAT(TextsTo(texts, kRiaPhone), SizeIs(1));
  ASSERT_THAT(TextsTo(texts, kSamPhone), SizeIs(2));
  EXPECT_THAT(std::string(TextsTo(texts, kSamPhone)[1]["body"]), HasSubstr("now Ria Chen"));
}

TEST_F(NotificationTest, RescheduleTextsTheNewWindow) {
  SetUpCustomerJobAndTechnician();
  const std::string appointment = env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  SentMessages(4);
  sched::RescheduleAppointmentRequest request;
  request.set_job_id(job_id_);
  request.set_appointment_id(appointment);
  *request.mutable_window()->mutable_start() =
      ProtoFromTime(Tomorrow10(env_.clock()) + absl::Hours(4));
  *request.mutable_window()->mutable_end() =
      ProtoFromTime(Tomorrow10(env_.clock()) + absl::Hours(6));
  request.set_reason("customer asked");
  sched::ScheduleReply reply;
  ASSERT_TRUE(
      IsOk(env_.dispatch().RescheduleAppointment(env_.Dispatcher().get(), request, &reply)));
  SentMessages(8);  // customer SMS, two emails, Sam's SMS
  const std::vector<nlohmann::json> to_ana = TextsTo(env_.Texts(), kAnaPhone);
  ASSERT_THAT(to_ana, SizeIs(2));
  EXPECT_THAT(std::string(to_ana[1]["body"]), HasSubstr("has moved to"));
  EXPECT_THAT(std::string(to_ana[1]["body"]), HasSubstr("arriving 14:00-16:00"));
}

TEST_F(NotificationTest, QuietHoursHoldAutomaticMessagesUntilMorning) {
  SetUpCustomerJobAndTechnician();
  // 22:30 on the night nearest the real time: the events carry real times, and the service does
  // not act on one more than 12 h older than its clock (before 10:30, tonight's 22:30 would be).
  const absl::CivilMinute now = absl::ToCivilMinute(env_.clock().Now(), absl::UTCTimeZone());
  const absl::CivilDay today =
      absl::CivilDay(now) - (now.hour() * 60 + now.minute() < 10 * 60 + 30 ? 1 : 0);
  env_.clock().Set(absl::FromCivil(
      absl::CivilMinute(today.year(), today.month(), today.day(), 22, 30), absl::UTCTimeZone()));
  v1::SetNotificationSettingsRequest settings;
  settings.mutable_settings()->mutable_quiet_hours()->set_start_minute(21 * 60);
  settings.mutable_settings()->mutable_quiet_hours()->set_end_minute(8 * 60);
  settings.add_update_fields("quiet_hours");
  v1::NotificationSettingsReply settings_reply;
  ASSERT_TRUE(IsOk(env_.notifications().SetNotificationSettings(env_.Manager().get(), settings,
                                                                &settings_reply)));
  env_.Schedule(job_id_, Tomorrow10(env_.clock()) + absl::Hours(24), 2, {"sam"});
  const auto held = env_.WaitForJobMessages(
      job_id_, 4, [](const v1::Message& m) { return m.status() == v1::MESSAGE_STATUS_HELD; });
  ASSERT_THAT(held, SizeIs(4));
  const absl::Time morning =
      absl::FromCivil(absl::CivilDay(today + 1), absl::UTCTimeZone()) + absl::Hours(8);
  for (const v1::Message& message : held) {
    EXPECT_EQ(TimeFromProto(message.next_attempt_at()), morning);
  }
  // Nothing goes out during the night...
  env_.clock().Set(morning - absl::Minutes(1));
  EXPECT_FALSE(jobledger::testing::WaitUntil([&] { return !env_.Texts().empty(); },
                                             absl::Milliseconds(500)));
  // ...and everything at 08:00.
  env_.clock().Set(morning);
  EXPECT_THAT(SentMessages(4), SizeIs(4));
  EXPECT_THAT(env_.Texts(), SizeIs(2));
}

TEST_F(NotificationTest, RulesTurnedOffSendNothing) {
  SetUpCustomerJobAndTechnician();
  v1::SetNotificationSettingsRequest settings;
  for (v1::Channel channel : {v1::CHANNEL_SMS, v1::CHANNEL_EMAIL}) {
    v1::Rule* rule = settings.mutable_settings()->add_rules();
    rule->set_trigger(v1::TRIGGER_APPOINTMENT_SCHEDULED);
    rule->set_channel(channel);
    rule->set_audience(v1::AUDIENCE_CUSTOMER);
    rule->set_enabled(false);
  }
  settings.add_update_fields("rules");
  v1::NotificationSettingsReply settings_reply;
  ASSERT_TRUE(IsOk(env_.notifications().SetNotificationSettings(env_.Manager().get(), settings,
                                                                &settings_reply)));
  env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  const std::vector<v1::Message> messages = SentMessages(1);
  ASSERT_THAT(messages, SizeIs(1));
  EXPECT_EQ(messages[0].recipient().audience(), v1::AUDIENCE_TECHNICIAN);
  EXPECT_THAT(TextsTo(env_.Texts(), kAnaPhone), SizeIs(0));
}

TEST_F(NotificationTest, SavedTemplateIsUsedAndUnknownPlaceholdersAreRefused) {
  SetUpCustomerJobAndTechnician();
  v1::SaveTemplateRequest bad;
  bad.set_trigger(v1::TRIGGER_APPOINTMENT_SCHEDULED);
  bad.set_channel(v1::CHANNEL_SMS);
  bad.set_audience(v1::AUDIENCE_CUSTOMER);
  bad.set_body("See you {{appointment.when}}");
  v1::TemplateReply reply;
  const grpc::Status refused = env_.notifications().SaveTemplate(env_.Manager().get(), bad, &reply);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("unknown placeholder {{appointment.when}}"));

  v1::SaveTemplateRequest good = bad;
  good.set_body("{{customer.name}}, see you {{appointment.date}} {{appointment.window}}!");
  ASSERT_TRUE(IsOk(env_.notifications().SaveTemplate(env_.Manager().get(), good, &reply)));
  EXPECT_FALSE(reply.template_().built_in());
  EXPECT_EQ(reply.template_().updated_by(), "manager-1");
  env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  SentMessages(4);
  const std::vector<nlohmann::json> to_ana = TextsTo(env_.Texts(), kAnaPhone);
  ASSERT_THAT(to_ana, SizeIs(1));
  EXPECT_THAT(std::string(to_ana[0]["body"]), HasSubstr("Maria Gonzalez, see you "));
  EXPECT_THAT(std::string(to_ana[0]["body"]), HasSubstr("10:00-12:00!"));
}

TEST_F(NotificationTest, RebuildingTheReactionsNeverSendsTwice) {
  SetUpCustomerJobAndTechnician();
  const std::string appointment = env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  SentMessages(4);
  Dispatch(appointment, sched::DISPATCH_STATE_EN_ROUTE);
  SentMessages(5);
  const size_t texts = env_.Texts().size();
  const size_t emails = env_.Emails().size();
  // Every event is read again from the start: the same causes give the same message ids.
  env_.Stop();
  std::filesystem::remove_all(env_.data_dir() + "/reactions");
  env_.Start();
  // Wait until the rebuilt reactions have read everything: a marker event after the old ones.
  env_.RegisterTechnician("marker", "Marker", "");
  Dispatch(appointment, sched::DISPATCH_STATE_ARRIVED);  // no rule on by default
  const std::vector<v1::Message> after =
      env_.WaitForJobMessages(job_id_, 6, nullptr, absl::Seconds(2));
  EXPECT_THAT(after, SizeIs(5));
  EXPECT_EQ(env_.Texts().size(), texts);
  EXPECT_EQ(env_.Emails().size(), emails);
}

// ---- on request

TEST_F(NotificationTest, SendTextOnRequestCountsSegmentsAndIsIdempotent) {
  SetUpCustomerJobAndTechnician();
  const std::string ana = customer_.contacts(0).contact_id();
  v1::SendCustomerCommunicationRequest request;
  request.set_job_id(job_id_);
  request.set_channel(v1::CHANNEL_SMS);
  request.add_contact_ids(ana);
  request.set_body(std::string(161, 'a'));
  v1::SendCustomerCommunicationReply reply;
  grpc::Status status =
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("161 GSM-7 characters make 2 text messages"));
  // Accented characters outside GSM-7 make it UCS-2: 70 per message.
  request.set_body(std::string("Votre technicien arrive bient\xc3\xb4t ") + std::string(40, 'x'));
  status = env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("UCS-2"));

  request.set_body(std::string(160, 'a'));
  request.mutable_meta()->set_idempotency_key("text-1");
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  ASSERT_THAT(reply.messages(), SizeIs(1));
  EXPECT_EQ(reply.messages(0).sms_segments(), 1);
  const std::string first_id = reply.messages(0).message_id();
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  EXPECT_EQ(reply.messages(0).message_id(), first_id);
  SentMessages(1);
  EXPECT_THAT(TextsTo(env_.Texts(), kAnaPhone), SizeIs(1));

  request.set_body(std::string(300, 'b'));
  request.set_allow_multiple_segments(true);
  request.mutable_meta()->set_idempotency_key("text-2");
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  EXPECT_EQ(reply.messages(0).sms_segments(), 2);
}

TEST_F(NotificationTest, SendingRespectsConsentAndKnowsOnlyTheJobsContacts) {
  SetUpCustomerJobAndTechnician();
  v1::SendCustomerCommunicationRequest request;
  request.set_job_id(job_id_);
  request.set_channel(v1::CHANNEL_SMS);
  request.add_contact_ids(customer_.contacts(1).contact_id());  // Ben takes no texts
  request.set_body("Hello");
  v1::SendCustomerCommunicationReply reply;
  grpc::Status status =
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("Ben does not accept text messages"));
  request.set_contact_ids(0, "not-a-contact");
  status = env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("contact_ids[0]"));
  env_.WaitForJobMessages(job_id_, 1, nullptr, absl::Milliseconds(300));
  EXPECT_THAT(env_.Texts(), SizeIs(0));
}

TEST_F(NotificationTest, EmailCarriesTheJobsAttachmentAndInvoicePdfIntact) {
  env_.billing_env().SetSettings();
  customer_ = env_.CustomerWithContacts("Maria Gonzalez",
                                        {{"Ana", kAnaPhone, "ana@example.com", true, true}});
  job_id_ = env_.billing_env()
                .OpenJob({{.price_item_id = "",
                           .name = "Water heater",
                           .kind = job::v1::LINE_ITEM_KIND_MATERIAL,
                           .quantity_milli = 1000,
                           .unit_price_cents = 1200'00}},
                         0, customer_.customer_id())
                .job_id();
  // A photo of the work, uploaded to the job.
  std::string photo(100'000, '\0');
  for (size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<char>(i * 7 % 256);
  job::v1::UploadAttachmentChunk metadata;
  metadata.mutable_metadata()->set_job_id(job_id_);
  metadata.mutable_metadata()->set_kind(job::v1::ATTACHMENT_KIND_PHOTO);
  metadata.mutable_metadata()->set_name("after.jpg");
  metadata.mutable_metadata()->set_media_type("image/jpeg");
  metadata.mutable_metadata()->set_size_bytes(static_cast<int64_t>(photo.size()));
  job::v1::JobReply uploaded;
  auto context = env_.Dispatcher();
  auto writer = env_.jobs().UploadAttachment(context.get(), &uploaded);
  ASSERT_TRUE(writer->Write(metadata));
  job::v1::UploadAttachmentChunk content;
  content.set_content(photo);
  ASSERT_TRUE(writer->Write(content));
  writer->WritesDone();
  ASSERT_TRUE(IsOk(writer->Finish()));
  ASSERT_THAT(uploaded.job().attachments(), SizeIs(1));
  ASSERT_TRUE(IsOk(env_.billing_env().Complete(job_id_)));
  const billing::v1::Invoice invoice = env_.billing_env().IssuedInvoice(job_id_);

  v1::SendCustomerCommunicationRequest request;
  request.set_job_id(job_id_);
  request.set_channel(v1::CHANNEL_EMAIL);
  request.add_contact_ids(customer_.contacts(0).contact_id());
  request.set_subject("Your invoice and photos");
  request.set_body("Hello Maria,\nattached are the invoice and a photo.");
  request.add_attachments()->set_job_attachment_id(uploaded.job().attachments(0).attachment_id());
  request.add_attachments()->set_invoice_id(invoice.invoice_id());
  v1::SendCustomerCommunicationReply reply;
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  const std::string message_id = reply.messages(0).message_id();
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    for (const nlohmann::json& email : env_.Emails()) {
      if (email["subject"] == "Your invoice and photos") return true;
    }
    return false;
  }));
  nlohmann::json sent;
  for (const nlohmann::json& email : env_.Emails()) {
    if (email["subject"] == "Your invoice and photos") sent = email;
  }
  EXPECT_THAT(std::string(sent["message_id"]), HasSubstr(message_id));
  ASSERT_THAT(sent["attachments"], SizeIs(2));
  EXPECT_EQ(sent["attachments"][0]["filename"], "after.jpg");
  EXPECT_EQ(sent["attachments"][0]["sha256"], uploaded.job().attachments(0).sha256());
  EXPECT_EQ(sent["attachments"][0]["size"], 100'000);
  EXPECT_EQ(sent["attachments"][1]["filename"], absl::StrCat("INV-", invoice.number(), ".pdf"));
  EXPECT_EQ(sent["attachments"][1]["content_type"], "application/pdf");
  EXPECT_GT(sent["attachments"][1]["size"], 500);
  // The automatic "invoice issued" email goes out too, with the PDF.
  nlohmann::json automatic;
  ASSERT_TRUE(jobledger::testing::WaitUntil([&] {
    for (const nlohmann::json& email : env_.Emails()) {
      if (absl::StrContains(std::string(email["subject"]), "Invoice INV-")) automatic = email;
    }
    return !automatic.is_null();
  }));
  ASSERT_THAT(automatic["attachments"], SizeIs(1));
  EXPECT_EQ(automatic["attachments"][0]["content_type"], "application/pdf");
}

TEST_F(NotificationTest, CompletionSummaryShowsPublicNotesOnly) {
  SetUpCustomerJobAndTechnician();
  for (auto [text, visibility] :
       {std::pair{"Replaced the anode rod; flush yearly.", job::v1::NOTE_VISIBILITY_PUBLIC},
        std::pair{"Customer was rude, charge extra", job::v1::NOTE_VISIBILITY_INTERNAL}}) {
    job::v1::AddNoteRequest note;
    note.set_job_id(job_id_);
    note.set_text(text);
    note.set_visibility(visibility);
    job::v1::JobReply reply;
    ASSERT_TRUE(IsOk(env_.jobs().AddNote(env_.Dispatcher().get(), note, &reply)));
  }
  ASSERT_TRUE(IsOk(env_.billing_env().Complete(job_id_)));
  SentMessages(2);  // the summary email to Ana and Ben
  const std::vector<nlohmann::json> emails = env_.Emails();
  ASSERT_THAT(emails, SizeIs(2));
  EXPECT_THAT(std::string(emails[0]["body"]), HasSubstr("Replaced the anode rod"));
  EXPECT_THAT(std::string(emails[0]["body"]), ::testing::Not(HasSubstr("rude")));
}

TEST_F(NotificationTest, TechniciansHaveNoAccessAndTenantsAreApart) {
  SetUpCustomerJobAndTechnician();
  v1::ListJobMessagesRequest request;
  request.set_job_id(job_id_);
  v1::ListMessagesResponse response;
  EXPECT_EQ(env_.notifications()
                .ListJobMessages(env_.As("sam", auth::Role::kTechnician).get(), request, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  env_.Schedule(job_id_, Tomorrow10(env_.clock()), 2, {"sam"});
  const std::vector<v1::Message> messages = SentMessages(4);
  v1::GetMessageRequest get;
  get.set_message_id(messages[0].message_id());
  v1::Message message;
  EXPECT_TRUE(IsOk(env_.notifications().GetMessage(env_.Dispatcher().get(), get, &message)));
  EXPECT_EQ(
      env_.notifications().GetMessage(env_.Dispatcher("globex").get(), get, &message).error_code(),
      grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(IsOk(
      env_.notifications().ListJobMessages(env_.Dispatcher("globex").get(), request, &response)));
  EXPECT_THAT(response.messages(), SizeIs(0));
}

// ---- a provider that fails

class FailingProviderTest : public NotificationTest {
 protected:
  FailingProviderTest()
      : NotificationTest(EnvOptions{.backend = Backend::kEmbedded,
                                    .smtp_args = {},
                                    .sms_args = {"--fail-first", "2", "--reject-to", kBenPhone},
                                    .retry = EnvOptions().retry}) {}
};

TEST_F(FailingProviderTest, TemporaryFailuresAreRetriedWithBackoffUntilSent) {
  SetUpCustomerJobAndTechnician();
  const std::string ana = customer_.contacts(0).contact_id();
  v1::SendCustomerCommunicationRequest request;
  request.set_job_id(job_id_);
  request.set_channel(v1::CHANNEL_SMS);
  request.add_contact_ids(ana);
  request.set_body("Your part has arrived");
  v1::SendCustomerCommunicationReply reply;
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  auto retrying = env_.WaitForJobMessages(
      job_id_, 1, [](const v1::Message& m) { return m.status() == v1::MESSAGE_STATUS_RETRYING; });
  ASSERT_THAT(retrying, SizeIs(1));
  ASSERT_THAT(retrying[0].attempts(), SizeIs(1));
  EXPECT_THAT(retrying[0].failure_reason(), HasSubstr("503"));
  const absl::Duration first_wait =
      TimeFromProto(retrying[0].next_attempt_at()) - env_.clock().Now();
  EXPECT_GE(first_wait, absl::Seconds(14));  // 30 s with jitter in [15, 30]
  EXPECT_LE(first_wait, absl::Seconds(30));
  // Nothing is tried again before the time comes.
  EXPECT_FALSE(jobledger::testing::WaitUntil(
      [&] { return env_.WaitForJobMessages(job_id_, 1)[0].attempts_size() > 1; },
      absl::Milliseconds(300)));
  env_.clock().Advance(absl::Seconds(31));
  retrying = env_.WaitForJobMessages(job_id_, 1,
                                     [](const v1::Message& m) { return m.attempts_size() == 2; });
  env_.clock().Advance(absl::Seconds(61));
  const std::vector<v1::Message> sent = SentMessages(1);
  ASSERT_THAT(sent, SizeIs(1));
  ASSERT_THAT(sent[0].attempts(), SizeIs(3));
  EXPECT_EQ(sent[0].attempts(0).outcome(), v1::ATTEMPT_OUTCOME_TEMPORARY_FAILURE);
  EXPECT_EQ(sent[0].attempts(2).outcome(), v1::ATTEMPT_OUTCOME_ACCEPTED);
  EXPECT_THAT(env_.Texts(), SizeIs(1));
}

TEST_F(FailingProviderTest, PermanentFailuresAreListedWithTheProvidersReasonAndResent) {
  customer_ = env_.CustomerWithContacts("Maria Gonzalez",
                                        {{"Ben", kBenPhone, "ben@example.com", true, true}});
  job_id_ = env_.CreateJob(customer_.customer_id(), "Leak");
  v1::SendCustomerCommunicationRequest request;
  request.set_job_id(job_id_);
  request.set_channel(v1::CHANNEL_SMS);
  request.add_contact_ids(customer_.contacts(0).contact_id());
  request.set_body("Hello");
  v1::SendCustomerCommunicationReply reply;
  ASSERT_TRUE(IsOk(
      env_.notifications().SendCustomerCommunication(env_.Dispatcher().get(), request, &reply)));
  // The first two answers are 503s (retried), the third the provider's refusal.
  env_.WaitForJobMessages(job_id_, 1, [](const v1::Message& m) { return m.attempts_size() == 1; });
  env_.clock().Advance(absl::Seconds(31));
  env_.WaitForJobMessages(job_id_, 1, [](const v1::Message& m) { return m.attempts_size() == 2; });
  env_.clock().Advance(absl::Seconds(61));
  const auto failed = env_.WaitForJobMessages(
      job_id_, 1, [](const v1::Message& m) { return m.status() == v1::MESSAGE_STATUS_FAILED; });
  ASSERT_THAT(failed, SizeIs(1));
  EXPECT_THAT(failed[0].failure_reason(), HasSubstr("invalid destination number"));
  v1::ListFailedMessagesRequest list;
  v1::ListMessagesResponse listed;
  ASSERT_TRUE(
      IsOk(env_.notifications().ListFailedMessages(env_.Dispatcher().get(), list, &listed)));
  ASSERT_THAT(listed.messages(), SizeIs(1));
  EXPECT_EQ(listed.messages(0).message_id(), failed[0].message_id());

  v1::ResendMessageRequest resend;
  resend.set_message_id(failed[0].message_id());
  resend.set_reason("number corrected by the customer");
  v1::MessageReply resent;
  ASSERT_TRUE(IsOk(env_.notifications().ResendMessage(env_.Dispatcher().get(), resend, &resent)));
  EXPECT_EQ(resent.message().round(), 1);
  EXPECT_EQ(resent.message().provider_key(), failed[0].message_id() + "-r1");
  // The resend is attempted (the number is still refused) as round 1.
  const auto refailed = env_.WaitForJobMessages(job_id_, 1, [](const v1::Message& m) {
    return m.status() == v1::MESSAGE_STATUS_FAILED && m.round() == 1;
  });
  ASSERT_THAT(refailed, SizeIs(1));
  EXPECT_EQ(refailed[0].attempts(refailed[0].attempts_size() - 1).round(), 1);
}

}  // namespace
}  // namespace jobledger::notification::testing
