// The delivery layer against real peers: email through a local SMTP server (aiosmtpd) and SMS
// through a local HTTP provider, each recording what it accepted the way a provider that drops
// repeats would.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "delivery/outgoing.h"
#include "delivery/sms_sender.h"
#include "delivery/smtp_sender.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/common/sha256.h"
#include "jobledger/testing/child_process.h"
#include "jobledger/testing/python_peer.h"
#include "jobledger/testing/status_matchers.h"
#include "jobledger/testing/temp_dir.h"
#include "jobledger/testing/wait.h"
#include "nlohmann/json.hpp"

namespace jobledger::notification {
namespace {

using ::jobledger::testing::ChildProcess;
using ::jobledger::testing::Fails;
using ::jobledger::testing::IsOkStatus;
using ::jobledger::testing::PythonPeer;
using ::jobledger::testing::StartPythonPeer;
using ::jobledger::testing::TempDir;
using ::jobledger::testing::WaitUntil;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const std::string kPeersDir = JL_TEST_PEERS_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The file's lines; none when it does not exist yet.
std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<nlohmann::json> JsonLines(const std::string& path) {
  std::vector<nlohmann::json> records;
  for (const std::string& line : Lines(path)) records.push_back(nlohmann::json::parse(line));
  return records;
}

std::string HexSha256(const std::string& bytes) { return absl::BytesToHexString(Sha256(bytes)); }

// A loopback port with nothing listening: the socket is bound, so no one else gets the port,
// but not listening, so a connection to it is refused.
class ClosedPort {
 public:
  ClosedPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~ClosedPort() { close(fd_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// Starts the peers a test needs and, at its end, stops them with SIGTERM: each must exit 0.
class PeerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (PythonPeer& peer : peers_) {
      peer.process->Signal(SIGTERM);
      EXPECT_EQ(peer.process->Wait(), 0) << "a peer did not exit cleanly on SIGTERM";
    }
  }

  // The peer's port; 0 (and a test failure) when it did not start.
  int StartPeer(const std::string& script, const std::string& record_dir,
                std::vector<std::string> args) {
    args.insert(args.begin(), {"--port", "0", "--record-dir", record_dir});
    absl::StatusOr<PythonPeer> peer = StartPythonPeer(kPeersDir + "/" + script, args);
    EXPECT_TRUE(peer.ok()) << peer.status();
    if (!peer.ok()) return 0;
    peers_.push_back(*std::move(peer));
    return peers_.back().port;
  }

  TempDir dir_;
  std::vector<PythonPeer> peers_;
};

// ---------------------------------------------------------------------------------------------
// Email

class SmtpDeliveryTest : public PeerTest {
 protected:
  // A sender to a freshly started sink with these flags.
  SmtpEmailSender StartSink(std::vector<std::string> args = {}) {
    const int port = StartPeer("smtp_sink.py", record_dir(), std::move(args));
    return SmtpEmailSender(SmtpOptionsFor(port));
  }

  static SmtpOptions SmtpOptionsFor(int port) {
    SmtpOptions options;
    options.url = absl::StrCat("smtp://127.0.0.1:", port);
    options.timeout = absl::Seconds(10);
    return options;
  }

  std::string record_dir() const { return dir_.Sub("smtp"); }

  // The JSON summaries of the messages the sink stored, in the order it stored them.
  std::vector<nlohmann::json> Accepted() const {
    std::vector<std::string> paths;
    const std::filesystem::path accepted = record_dir() + "/accepted";
    if (!std::filesystem::exists(accepted)) return {};
    for (const auto& entry : std::filesystem::directory_iterator(accepted)) {
      const std::string name = entry.path().filename().string();
      if (name.front() != '.' && entry.path().extension() == ".json") {
        paths.push_back(entry.path().string());
      }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<nlohmann::json> summaries;
    for (const std::string& path : paths)
      summaries.push_back(nlohmann::json::parse(ReadFile(path)));
    return summaries;
  }

  std::vector<std::string> Duplicates() const { return Lines(record_dir() + "/duplicates.txt"); }

  static OutgoingEmail Email(const std::string& message_id) {
    OutgoingEmail email;
    email.from_address = "bureau@dupont-plomberie.invalid";
    email.from_name = "Plomberie Dupont & Fils";
    email.to_address = "zoe@client.invalid";
    email.to_name = "Zoë Lefèvre";
    email.subject = "Réparation prévue — 10:00–12:00 ✓";
    email.body_text =
        "Bonjour Zoë,\n\n"
        "Votre technicien arrive entre 10:00 et 12:00. Une ligne assez longue pour que le codage "
        "quoted-printable doive la couper au moins une fois, sans rien perdre.\n"
        ".\n"  // a lone dot would end the SMTP DATA if it were not escaped
        "Une espace en fin de ligne \n"
        "À bientôt ✓\n";
    email.message_id = message_id;
    return email;
  }
};

std::string EveryByteValue(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i % 256);
  return bytes;
}

TEST_F(SmtpDeliveryTest, UnicodeTextAndBinaryAttachmentsArriveIntact) {
  SmtpEmailSender sender = StartSink();
  OutgoingEmail email = Email("msg-0001@jobledger.invalid");
  email.reply_to = "planning@dupont-plomberie.invalid";
  const EmailAttachment binary{.name = "every-byte.bin",
                               .media_type = "application/octet-stream",
                               .content = EveryByteValue(200 * 1024)};
  const EmailAttachment pdf{.name = "Devis n°42 — Zoë.pdf",
                            .media_type = "application/pdf",
                            .content = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"};
  email.attachments = {binary, pdf};

  const DeliveryResult result = sender.Send(email);

  ASSERT_EQ(result.outcome, DeliveryOutcome::kAccepted) << result.reason;
  EXPECT_EQ(result.provider_message_id, "msg-0001@jobledger.invalid");
  const std::vector<nlohmann::json> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(1));
  const nlohmann::json& stored = accepted[0];
  EXPECT_EQ(stored["message_id"], "msg-0001@jobledger.invalid");
  EXPECT_EQ(stored["subject"], email.subject);
  EXPECT_EQ(stored["body"], email.body_text);
  EXPECT_THAT(
      stored["from"].get<std::string>(),
      AllOf(HasSubstr("Plomberie Dupont & Fils"), HasSubstr("<bureau@dupont-plomberie.invalid>")));
  EXPECT_THAT(stored["to"].get<std::string>(),
              AllOf(HasSubstr("Zoë Lefèvre"), HasSubstr("<zoe@client.invalid>")));
  EXPECT_EQ(stored["reply_to"], "planning@dupont-plomberie.invalid");
  EXPECT_FALSE(stored["date"].is_null());
  ASSERT_THAT(stored["attachments"], SizeIs(2));
  const EmailAttachment* sent[] = {&binary, &pdf};
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(sent[i]->name);
    const nlohmann::json& arrived = stored["attachments"][i];
    EXPECT_EQ(arrived["filename"], sent[i]->name);
    EXPECT_EQ(arrived["content_type"], sent[i]->media_type);
    EXPECT_EQ(arrived["size"], sent[i]->content.size());
    EXPECT_EQ(arrived["sha256"], HexSha256(sent[i]->content));
  }
}

// Lines of the fields the sender writes itself longer than RFC 5322's 78, and any line longer
// than its hard limit of 998. Curl's own Content-Type line (a long boundary) may pass 78.
std::vector<std::string> OverlongLines(const std::string& raw) {
  std::vector<std::string> overlong;
  std::string field;
  for (absl::string_view line : absl::StrSplit(raw, "\r\n")) {
    if (!line.empty() && line[0] != ' ' && line[0] != '\t') {
      field = std::string(line.substr(0, line.find(':')));
    }
    const bool ours = field == "From" || field == "To" || field == "Subject" ||
                      field == "Reply-To" || field == "Content-Disposition";
    if (line.size() > 998 || (ours && line.size() > 78)) overlong.emplace_back(line);
  }
  return overlong;
}

TEST_F(SmtpDeliveryTest, LongSubjectsNamesAndFileNamesStayWithinLineLimits) {
  SmtpEmailSender sender = StartSink();
  OutgoingEmail email = Email("msg-long@jobledger.invalid");
  email.subject.clear();
  for (int i = 0; i < 12; ++i) absl::StrAppend(&email.subject, "Intervention n°", i, " — ✓ ");
  email.to_name =
      "Marie-Thérèse de la Fontaine-Lefèvre, Société Civile Immobilière des Trois Chênes du "
      "Vieux Moulin";
  const std::string long_file_name = std::string(90, 'a') + " — rapport d'intervention é.txt";
  email.attachments = {{.name = long_file_name, .media_type = "text/plain", .content = "ok\n"}};

  const DeliveryResult result = sender.Send(email);

  ASSERT_EQ(result.outcome, DeliveryOutcome::kAccepted) << result.reason;
  const std::vector<nlohmann::json> accepted = Accepted();
  ASSERT_THAT(accepted, SizeIs(1));
  EXPECT_EQ(accepted[0]["subject"], email.subject);
  EXPECT_THAT(accepted[0]["to"].get<std::string>(), HasSubstr(email.to_name));
  ASSERT_THAT(accepted[0]["attachments"], SizeIs(1));
  EXPECT_EQ(accepted[0]["attachments"][0]["filename"], long_file_name);
  EXPECT_THAT(OverlongLines(ReadFile(record_dir() + "/accepted/000001.eml")), IsEmpty());
}

TEST_F(SmtpDeliveryTest, TheSameMessageIdSentTwiceIsStoredOnce) {
  SmtpEmailSender sender = StartSink();
  const OutgoingEmail email = Email("msg-twice@jobledger.invalid");

  EXPECT_EQ(sender.Send(email).outcome, DeliveryOutcome::kAccepted);
  EXPECT_EQ(sender.Send(email).outcome, DeliveryOutcome::kAccepted);

  EXPECT_THAT(Accepted(), SizeIs(1));
  EXPECT_THAT(Duplicates(), ElementsAre("msg-twice@jobledger.invalid"));
}

TEST_F(SmtpDeliveryTest, A4xxReplyIsTemporaryAndTheRetryGoesThrough) {
  SmtpEmailSender sender = StartSink({"--fail-first", "2"});
  const OutgoingEmail email = Email("msg-retry@jobledger.invalid");

  for (int attempt = 1; attempt <= 2; ++attempt) {
    const DeliveryResult result = sender.Send(email);
    EXPECT_EQ(result.outcome, DeliveryOutcome::kTemporaryFailure) << "attempt " << attempt;
    EXPECT_THAT(result.reason, AllOf(HasSubstr("451"), HasSubstr("try again later")));
  }
  const DeliveryResult third = sender.Send(email);

  EXPECT_EQ(third.outcome, DeliveryOutcome::kAccepted) << third.reason;
  EXPECT_THAT(Accepted(), SizeIs(1));
  EXPECT_THAT(Duplicates(), IsEmpty());
}

TEST_F(SmtpDeliveryTest, A5xxReplyIsPermanentWithTheServersWords) {
  SmtpEmailSender sender = StartSink({"--reject-rcpt", "nobody"});
  OutgoingEmail email = Email("msg-nobody@jobledger.invalid");
  email.to_address = "nobody@client.invalid";

  const DeliveryResult result = sender.Send(email);

  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_THAT(result.reason, AllOf(HasSubstr("550"), HasSubstr("no such mailbox")));
  EXPECT_THAT(Accepted(), IsEmpty());
}

TEST_F(SmtpDeliveryTest, AuthWithTheRightCredentialsIsAcceptedAndAWrongPasswordIsPermanent) {
  const int port = StartPeer("smtp_sink.py", record_dir(),
                             {"--auth-user", "mailer", "--auth-password", "s3cret"});
  SmtpOptions right = SmtpOptionsFor(port);
  right.username = "mailer";
  right.password = "s3cret";
  SmtpOptions wrong = right;
  wrong.password = "guess";

  const DeliveryResult accepted = SmtpEmailSender(right).Send(Email("msg-auth@jobledger.invalid"));
  const DeliveryResult refused = SmtpEmailSender(wrong).Send(Email("msg-noauth@jobledger.invalid"));
  const DeliveryResult anonymous =
      SmtpEmailSender(SmtpOptionsFor(port)).Send(Email("msg-anon@jobledger.invalid"));

  EXPECT_EQ(accepted.outcome, DeliveryOutcome::kAccepted) << accepted.reason;
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_THAT(refused.reason, HasSubstr("535"));
  EXPECT_EQ(anonymous.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_THAT(anonymous.reason, HasSubstr("530"));
  const std::vector<nlohmann::json> stored = Accepted();
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0]["message_id"], "msg-auth@jobledger.invalid");
}

TEST_F(SmtpDeliveryTest, NothingListeningIsTemporary) {
  const ClosedPort closed;
  ASSERT_GT(closed.port(), 0);

  const DeliveryResult result =
      SmtpEmailSender(SmtpOptionsFor(closed.port())).Send(Email("msg-closed@jobledger.invalid"));

  EXPECT_EQ(result.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(result.reason, HasSubstr("transport"));
}

TEST_F(SmtpDeliveryTest, ASlowServerTimesOutAsTemporaryWhileItMayStillDeliver) {
  const int port = StartPeer("smtp_sink.py", record_dir(), {"--delay-seconds", "1.5"});
  SmtpOptions options = SmtpOptionsFor(port);
  options.timeout = absl::Milliseconds(300);

  const DeliveryResult result = SmtpEmailSender(options).Send(Email("msg-slow@jobledger.invalid"));

  EXPECT_EQ(result.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(result.reason, HasSubstr("transport"));
  // The server got the whole message before the client gave up: this is why every attempt
  // carries the same Message-ID.
  EXPECT_TRUE(WaitUntil([&] { return Accepted().size() == 1; }));
}

TEST_F(SmtpDeliveryTest, LineBreaksInHeaderFieldsAreRefusedAndNothingIsSent) {
  SmtpEmailSender sender = StartSink();
  OutgoingEmail subject = Email("msg-inject1@jobledger.invalid");
  subject.subject = "Rendez-vous\r\nBcc: x@y";
  OutgoingEmail name = Email("msg-inject2@jobledger.invalid");
  name.to_name = "Zoë\nBcc: x@y";
  OutgoingEmail message_id = Email("msg-inject3@jobledger.invalid\r\nBcc: x@y");
  OutgoingEmail attachment = Email("msg-inject4@jobledger.invalid");
  attachment.attachments = {
      {.name = "a.txt\r\nBcc: x@y", .media_type = "text/plain", .content = ""}};

  for (const auto& [email, field] :
       {std::pair{&subject, "subject"}, std::pair{&name, "to_name"},
        std::pair{&message_id, "message_id"}, std::pair{&attachment, "attachments[0].name"}}) {
    const DeliveryResult result = sender.Send(*email);
    EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanentFailure) << field;
    EXPECT_THAT(result.reason, AllOf(HasSubstr(field), HasSubstr("line break")));
  }

  // A clean message afterwards is the first and only one the server sees.
  ASSERT_EQ(sender.Send(Email("msg-clean@jobledger.invalid")).outcome, DeliveryOutcome::kAccepted);
  const std::vector<nlohmann::json> stored = Accepted();
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0]["message_id"], "msg-clean@jobledger.invalid");
}

// A self-signed certificate for 127.0.0.1, made with the openssl command line.
bool MakeCertificate(const TempDir& dir) {
  auto openssl =
      ChildProcess::Spawn({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                           "/CN=jobledger test sink", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", dir.Sub("key.pem"), "-out", dir.Sub("cert.pem")});
  return openssl.ok() && (*openssl)->Wait() == 0;
}

TEST_F(SmtpDeliveryTest, StartTlsIsUsedAndTheServerCertificateChecked) {
  ASSERT_TRUE(MakeCertificate(dir_));
  const int port =
      StartPeer("smtp_sink.py", record_dir(),
                {"--tls-cert", dir_.Sub("cert.pem"), "--tls-key", dir_.Sub("key.pem")});
  SmtpOptions trusting = SmtpOptionsFor(port);
  trusting.require_tls = true;
  trusting.ca_file = dir_.Sub("cert.pem");
  SmtpOptions system_trust = trusting;
  system_trust.ca_file.clear();

  const DeliveryResult accepted =
      SmtpEmailSender(trusting).Send(Email("msg-tls@jobledger.invalid"));
  const DeliveryResult untrusted =
      SmtpEmailSender(system_trust).Send(Email("msg-untrusted@jobledger.invalid"));

  EXPECT_EQ(accepted.outcome, DeliveryOutcome::kAccepted) << accepted.reason;
  EXPECT_EQ(untrusted.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(untrusted.reason, HasSubstr("transport"));
  EXPECT_THAT(Accepted(), SizeIs(1));
}

// ---------------------------------------------------------------------------------------------
// SMS

constexpr char kToken[] = "test-token";

class SmsDeliveryTest : public PeerTest {
 protected:
  HttpSmsSender StartSink(std::vector<std::string> args = {}) {
    args.insert(args.end(), {"--token", kToken});
    return HttpSmsSender(OptionsFor(StartPeer("sms_sink.py", record_dir(), std::move(args))));
  }

  static SmsHttpOptions OptionsFor(int port, const std::string& token = kToken) {
    SmsHttpOptions options;
    options.endpoint = absl::StrCat("http://127.0.0.1:", port, "/v1/messages");
    options.bearer_token = token;
    options.timeout = absl::Seconds(10);
    return options;
  }

  std::string record_dir() const { return dir_.Sub("sms"); }
  std::vector<nlohmann::json> Messages() const {
    return JsonLines(record_dir() + "/messages.jsonl");
  }
  std::vector<std::string> Replays() const { return Lines(record_dir() + "/replays.txt"); }

  static OutgoingSms Sms(const std::string& key) {
    return OutgoingSms{.to = "+33612345678",
                       .from = "Dupont",
                       .body = "Votre technicien arrive à 10:00 ✓ \"Dupont\"",
                       .idempotency_key = key};
  }
};

TEST_F(SmsDeliveryTest, AcceptedWithTheProvidersIdAndRecorded) {
  HttpSmsSender sender = StartSink();
  const OutgoingSms sms = Sms("sms-key-1");

  const DeliveryResult result = sender.Send(sms);

  ASSERT_EQ(result.outcome, DeliveryOutcome::kAccepted) << result.reason;
  EXPECT_EQ(result.provider_message_id, "sms-1");
  const std::vector<nlohmann::json> messages = Messages();
  ASSERT_THAT(messages, SizeIs(1));
  EXPECT_EQ(messages[0]["to"], sms.to);
  EXPECT_EQ(messages[0]["from"], sms.from);
  EXPECT_EQ(messages[0]["body"], sms.body);
  EXPECT_EQ(messages[0]["key"], "sms-key-1");
  EXPECT_EQ(messages[0]["id"], "sms-1");
}

TEST_F(SmsDeliveryTest, TheSameIdempotencyKeyTwiceSendsOnce) {
  HttpSmsSender sender = StartSink();

  const DeliveryResult first = sender.Send(Sms("sms-key-twice"));
  const DeliveryResult second = sender.Send(Sms("sms-key-twice"));

  EXPECT_EQ(first.outcome, DeliveryOutcome::kAccepted);
  EXPECT_EQ(second.outcome, DeliveryOutcome::kAccepted);
  EXPECT_EQ(second.provider_message_id, first.provider_message_id);
  EXPECT_THAT(Messages(), SizeIs(1));
  EXPECT_THAT(Replays(), ElementsAre("sms-key-twice"));
}

TEST_F(SmsDeliveryTest, A503IsTemporaryAndTheRetryGoesThrough) {
  HttpSmsSender sender = StartSink({"--fail-first", "1"});

  const DeliveryResult first = sender.Send(Sms("sms-key-retry"));
  const DeliveryResult second = sender.Send(Sms("sms-key-retry"));

  EXPECT_EQ(first.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(first.reason, AllOf(HasSubstr("503"), HasSubstr("temporarily unavailable")));
  EXPECT_EQ(second.outcome, DeliveryOutcome::kAccepted) << second.reason;
  EXPECT_THAT(Messages(), SizeIs(1));
}

TEST_F(SmsDeliveryTest, ARefusedNumberIsPermanentWithTheProvidersWords) {
  HttpSmsSender sender = StartSink({"--reject-to", "+33600000000"});
  OutgoingSms sms = Sms("sms-key-bad-number");
  sms.to = "+33600000000";

  const DeliveryResult result = sender.Send(sms);

  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_THAT(result.reason, AllOf(HasSubstr("400"), HasSubstr("invalid destination number")));
  EXPECT_THAT(Messages(), IsEmpty());
}

TEST_F(SmsDeliveryTest, ABadTokenIsPermanent) {
  const int port = StartPeer("sms_sink.py", record_dir(), {"--token", kToken});

  const DeliveryResult result = HttpSmsSender(OptionsFor(port, "wrong")).Send(Sms("sms-key-auth"));

  EXPECT_EQ(result.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_THAT(result.reason, AllOf(HasSubstr("401"), HasSubstr("bad credentials")));
  EXPECT_THAT(Messages(), IsEmpty());
}

TEST_F(SmsDeliveryTest, NothingListeningIsTemporary) {
  const ClosedPort closed;
  ASSERT_GT(closed.port(), 0);

  const DeliveryResult result = HttpSmsSender(OptionsFor(closed.port())).Send(Sms("sms-key-x"));

  EXPECT_EQ(result.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(result.reason, HasSubstr("transport"));
}

TEST_F(SmsDeliveryTest, EightThreadsSendingAtOnceEachGetTheirMessagesThrough) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  HttpSmsSender sender = StartSink();
  std::vector<std::vector<DeliveryResult>> results(kThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        OutgoingSms sms = Sms(absl::StrCat("sms-key-", t, "-", i));
        sms.body = absl::StrCat("message ", i, " from thread ", t);
        results[t].push_back(sender.Send(sms));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::string> ids;
  for (const std::vector<DeliveryResult>& thread_results : results) {
    for (const DeliveryResult& result : thread_results) {
      EXPECT_EQ(result.outcome, DeliveryOutcome::kAccepted) << result.reason;
      ids.insert(result.provider_message_id);
    }
  }
  EXPECT_THAT(ids, SizeIs(kThreads * kPerThread));
  const std::vector<nlohmann::json> messages = Messages();
  EXPECT_THAT(messages, SizeIs(kThreads * kPerThread));
  std::set<std::string> keys;
  for (const nlohmann::json& message : messages) keys.insert(message["key"].get<std::string>());
  EXPECT_THAT(keys, SizeIs(kThreads * kPerThread));
}

// ---------------------------------------------------------------------------------------------
// Options

TEST(DeliveryOptions, SmtpOptionsNameTheBadField) {
  SmtpOptions options;
  options.url = "smtp://mail.example.invalid:587";
  EXPECT_THAT(SmtpEmailSender::ValidateSmtpOptions(options), IsOkStatus());
  options.url = "smtps://mail.example.invalid";
  EXPECT_THAT(SmtpEmailSender::ValidateSmtpOptions(options), IsOkStatus());

  options.url = "http://mail.example.invalid";
  EXPECT_THAT(SmtpEmailSender::ValidateSmtpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "url: scheme must be smtp or smtps"));
  options.url = "smtp://";
  EXPECT_THAT(SmtpEmailSender::ValidateSmtpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "url"));
  options.url = "smtp://mail.example.invalid";
  options.timeout = absl::ZeroDuration();
  EXPECT_THAT(SmtpEmailSender::ValidateSmtpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "timeout"));
}

TEST(DeliveryOptions, SmsOptionsNameTheBadField) {
  SmsHttpOptions options;
  EXPECT_THAT(HttpSmsSender::ValidateSmsHttpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "endpoint: required"));
  options.endpoint = "ftp://sms.example.invalid/send";
  EXPECT_THAT(HttpSmsSender::ValidateSmsHttpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "endpoint: scheme"));
  options.endpoint = "https://sms.example.invalid/v1/messages";
  EXPECT_THAT(HttpSmsSender::ValidateSmsHttpOptions(options), IsOkStatus());
  options.bearer_token = "token\r\nX-Injected: 1";
  EXPECT_THAT(HttpSmsSender::ValidateSmsHttpOptions(options),
              Fails(absl::StatusCode::kInvalidArgument, "bearer_token"));
}

TEST(DeliveryOptions, AMisconfiguredSenderFailsTemporarilyWithoutSending) {
  SmtpOptions smtp_options;
  smtp_options.url = "http://mail.example.invalid";

  const DeliveryResult email = SmtpEmailSender(smtp_options).Send(OutgoingEmail{});
  const DeliveryResult sms = HttpSmsSender(SmsHttpOptions{}).Send(OutgoingSms{});

  EXPECT_EQ(email.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(email.reason, HasSubstr("misconfigured"));
  EXPECT_EQ(sms.outcome, DeliveryOutcome::kTemporaryFailure);
  EXPECT_THAT(sms.reason, HasSubstr("misconfigured"));
}

}  // namespace
}  // namespace jobledger::notification
