// CloudEvents binary-mode mapping of the envelope, and the hash chain.
#include "jobledger/eventlog/envelope_codec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "jobledger/common/sha256.h"
#include "jobledger/common/status.h"

namespace jobledger::eventlog {
namespace {

using events::v1::Envelope;
using events::v1::Event;
using google::protobuf::util::TimeUtil;

// Header names (CloudEvents Kafka protocol binding; extensions are lower-case alphanumerics).
constexpr absl::string_view kSpecVersion = "ce_specversion";
constexpr absl::string_view kId = "ce_id";
constexpr absl::string_view kType = "ce_type";
constexpr absl::string_view kSource = "ce_source";
constexpr absl::string_view kSubject = "ce_subject";
constexpr absl::string_view kTime = "ce_time";
constexpr absl::string_view kContentType = "content-type";
constexpr absl::string_view kTenant = "ce_tenant";
constexpr absl::string_view kAggregateType = "ce_aggregatetype";
constexpr absl::string_view kSequence = "ce_sequence";
constexpr absl::string_view kActorId = "ce_actorid";
constexpr absl::string_view kActorRole = "ce_actorrole";
constexpr absl::string_view kActorName = "ce_actorname";
constexpr absl::string_view kCorrelationId = "ce_correlationid";
constexpr absl::string_view kCausationId = "ce_causationid";
constexpr absl::string_view kIdempotencyKey = "ce_idempotencykey";
constexpr absl::string_view kTraceparent = "traceparent";
constexpr absl::string_view kPreviousHash = "ce_prevhash";
constexpr absl::string_view kHash = "ce_hash";

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

void FromTime(absl::Time time, google::protobuf::Timestamp* timestamp) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
}

std::string FormatTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime(absl::RFC3339_full, ToTime(timestamp), absl::UTCTimeZone());
}

// u32 big-endian length, then the bytes: unambiguous whatever the field contains.
void AppendField(std::string& out, absl::string_view field) {
  const auto size = static_cast<uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
  out.append(field.data(), field.size());
}

void AddHeader(Record& record, absl::string_view key, absl::string_view value) {
  record.headers.push_back({std::string(key), std::string(value)});
}

void AddHeaderIfSet(Record& record, absl::string_view key, absl::string_view value) {
  if (!value.empty()) AddHeader(record, key, value);
}

// The headers of one record, found in one pass: each known name's value, or its absence.
class HeaderReader {
 public:
  explicit HeaderReader(const Record& record) : record_(record) {
    size_t expected = 0;  // EncodeEvent's order: where the next known header most likely is
    for (const Header& header : record.headers) {
      size_t index = FindFrom(header.key, expected);
      if (index < kKnownCount) {
        expected = index + 1;
      } else {
        const auto known = KnownHeaders().find(header.key);
        if (known == KnownHeaders().end()) continue;  // other headers are allowed and ignored
        index = known->second;
      }
      const std::string*& slot = values_[index];
      if (slot != nullptr && duplicate_.empty()) duplicate_ = header.key;
      slot = &header.value;
    }
  }

  // A duplicated known header makes the whole record invalid.
  absl::Status CheckNoDuplicates() const {
    if (duplicate_.empty()) return absl::OkStatus();
    return Bad(absl::StrCat("header ", duplicate_, " appears twice"));
  }

  absl::StatusOr<absl::string_view> Required(absl::string_view name) const {
    const std::string* value = values_[IndexOf(name)];
    if (value == nullptr || value->empty()) {
      return Bad(absl::StrCat("header ", name, " is missing"));
    }
    return absl::string_view(*value);
  }

  absl::string_view Optional(absl::string_view name) const {
    const std::string* value = values_[IndexOf(name)];
    return value == nullptr ? absl::string_view() : absl::string_view(*value);
  }

  absl::Status Bad(absl::string_view why) const {
    return absl::DataLossError(
        absl::StrCat("record at offset ", record_.offset, " is not a valid event: ", why));
  }

 private:
  static constexpr size_t kKnownCount = 19;
  // In the order EncodeEvent writes them.
  static constexpr std::array<absl::string_view, kKnownCount> kKnown = {
      kSpecVersion,    kId,          kType,         kSource,        kSubject,
      kTime,           kContentType, kTenant,       kAggregateType, kSequence,
      kActorId,        kActorRole,   kActorName,    kCorrelationId, kCausationId,
      kIdempotencyKey, kTraceparent, kPreviousHash, kHash};

  // The known header named `name` at or after `from` in kKnown; kKnownCount if none. Records
  // written by EncodeEvent keep the order, so this usually matches at once, without hashing.
  static size_t FindFrom(absl::string_view name, size_t from) {
    for (size_t i = from; i < kKnownCount; ++i) {
      if (kKnown[i] == name) return i;
    }
    return kKnownCount;
  }

  // Callers name headers by the constants kKnown holds: their addresses match, no hashing.
  static size_t IndexOf(absl::string_view name) {
    for (size_t i = 0; i < kKnownCount; ++i) {
      if (kKnown[i].data() == name.data() && kKnown[i].size() == name.size()) return i;
    }
    return KnownHeaders().at(name);
  }

  static const absl::flat_hash_map<absl::string_view, size_t>& KnownHeaders() {
    static const auto* const known = [] {
      auto* names = new absl::flat_hash_map<absl::string_view, size_t>();
      for (absl::string_view name : kKnown) names->emplace(name, names->size());
      return names;
    }();
    return *known;
  }

  const Record& record_;
  std::array<const std::string*, kKnownCount> values_{};
  std::string duplicate_;
};

// Lower-case hex digits' values, -1 for every other byte (upper case is refused too: the hash is
// written in lower case).
constexpr std::array<int8_t, 256> kHexDigits = [] {
  std::array<int8_t, 256> digits{};
  for (int c = 0; c < 256; ++c) {
    digits[c] = c >= '0' && c <= '9'   ? static_cast<int8_t>(c - '0')
                : c >= 'a' && c <= 'f' ? static_cast<int8_t>(c - 'a' + 10)
                                       : int8_t{-1};
  }
  return digits;
}();

int HexDigit(char c) { return kHexDigits[static_cast<uint8_t>(c)]; }

// Decodes into `bytes`, reusing its storage.
absl::Status DecodeHash(const HeaderReader& reader, absl::string_view name, absl::string_view hex,
                        std::string& bytes) {
  bool valid = hex.size() == 2 * kHashSize;
  if (valid) {
    bytes.resize(kHashSize);
    for (size_t i = 0; i < kHashSize && valid; ++i) {
      const int high = HexDigit(hex[2 * i]);
      const int low = HexDigit(hex[2 * i + 1]);
      valid = high >= 0 && low >= 0;
      if (valid) bytes[i] = static_cast<char>(high << 4 | low);
    }
  }
  if (!valid) return reader.Bad(absl::StrCat("header ", name, " is not a lower-case SHA-256 hex"));
  return absl::OkStatus();
}

// The canonical bytes the hash covers (see ComputeEventHash), appended to `canonical`.
void AppendCanonical(const Envelope& envelope, absl::string_view payload, std::string& canonical) {
  canonical.append(envelope.previous_hash());
  AppendField(canonical, envelope.event_id());
  AppendField(canonical, envelope.type());
  AppendField(canonical, envelope.source());
  AppendField(canonical, envelope.tenant());
  AppendField(canonical, envelope.aggregate_type());
  AppendField(canonical, envelope.aggregate_id());
  AppendField(canonical, absl::AlphaNum(envelope.sequence()).Piece());
  // "<seconds>.<nanoseconds, 9 digits>", built without a temporary string.
  char time[40];
  const absl::AlphaNum seconds_digits(envelope.occurred_at().seconds());  // owns the digits
  const absl::string_view seconds = seconds_digits.Piece();
  std::copy(seconds.begin(), seconds.end(), time);
  time[seconds.size()] = '.';
  int32_t nanos = envelope.occurred_at().nanos();
  // Out-of-range nanos are not produced by FromTime; they are printed as StrCat always did.
  if (nanos >= 0 && nanos < 1'000'000'000) {
    for (int i = 9; i >= 1; --i, nanos /= 10)
      time[seconds.size() + i] = static_cast<char>('0' + nanos % 10);
    AppendField(canonical, absl::string_view(time, seconds.size() + 10));
  } else {
    AppendField(canonical, absl::StrCat(seconds, ".", absl::Dec(nanos, absl::kZeroPad9)));
  }
  AppendField(canonical, envelope.actor().user_id());
  AppendField(canonical, envelope.actor().role());
  AppendField(canonical, envelope.actor().name());
  AppendField(canonical, envelope.correlation_id());
  AppendField(canonical, envelope.causation_id());
  AppendField(canonical, envelope.idempotency_key());
  AppendField(canonical, envelope.traceparent());
  AppendField(canonical, payload);
}

// Parses `count` decimal digits at text[at..]; -1 if any is not a digit.
int Digits(absl::string_view text, size_t at, size_t count) {
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// ce_time as EncodeEvent writes it: "YYYY-MM-DDTHH:MM:SS[.f{1,9}]+00:00" (or "Z") for a valid
// date. Anything else goes to absl::ParseTime, so the fast path accepts nothing it would not.
std::optional<absl::Time> ParseUtcTimeFast(absl::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;  // days 29-31 and leap seconds: left to ParseTime's own rules
  }
  size_t at = 19;
  int64_t nanos = 0;
  if (text[at] == '.') {
    size_t digits = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      if (digits == 9) return std::nullopt;
      nanos = nanos * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) nanos *= 10;
  }
  const absl::string_view zone = text.substr(at);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone()) +
         absl::Nanoseconds(nanos);
}

bool ParseEventTime(absl::string_view text, absl::Time* time, std::string* error) {
  if (const std::optional<absl::Time> fast = ParseUtcTimeFast(text); fast.has_value()) {
    *time = *fast;
    return true;
  }
  return absl::ParseTime(absl::RFC3339_full, text, time, error);
}

void Assign(std::string* field, absl::string_view value) {
  field->assign(value.data(), value.size());
}

}  // namespace

std::string ComputeEventHash(const Envelope& envelope, absl::string_view payload) {
  // Reused per thread: replay hashes every event, and the buffer's size hardly changes.
  thread_local std::string canonical;
  canonical.clear();
  canonical.reserve(256 + payload.size());
  AppendCanonical(envelope, payload, canonical);
  return Sha256(canonical);
}

void SealEvent(Event& event) {
  event.mutable_envelope()->set_hash(ComputeEventHash(event.envelope(), event.payload()));
}

Record EncodeEvent(const Event& event) {
  const Envelope& envelope = event.envelope();
  Record record;
  record.key = envelope.aggregate_id();
  record.value = event.payload();
  record.headers.reserve(19);
  AddHeader(record, kSpecVersion, kCloudEventsSpecVersion);
  AddHeader(record, kId, envelope.event_id());
  AddHeader(record, kType, envelope.type());
  AddHeader(record, kSource, envelope.source());
  AddHeader(record, kSubject, envelope.aggregate_id());
  AddHeader(record, kTime, FormatTime(envelope.occurred_at()));
  AddHeader(record, kContentType, kProtobufContentType);
  AddHeader(record, kTenant, envelope.tenant());
  AddHeader(record, kAggregateType, envelope.aggregate_type());
  AddHeader(record, kSequence, absl::StrCat(envelope.sequence()));
  AddHeaderIfSet(record, kActorId, envelope.actor().user_id());
  AddHeaderIfSet(record, kActorRole, envelope.actor().role());
  AddHeaderIfSet(record, kActorName, envelope.actor().name());
  AddHeaderIfSet(record, kCorrelationId, envelope.correlation_id());
  AddHeaderIfSet(record, kCausationId, envelope.causation_id());
  AddHeaderIfSet(record, kIdempotencyKey, envelope.idempotency_key());
  AddHeaderIfSet(record, kTraceparent, envelope.traceparent());
  AddHeaderIfSet(record, kPreviousHash, absl::BytesToHexString(envelope.previous_hash()));
  AddHeader(record, kHash, absl::BytesToHexString(envelope.hash()));
  return record;
}

absl::StatusOr<Event> DecodeEvent(const Record& record) {
  Event event;
  JL_RETURN_IF_ERROR(DecodeEventInto(record, event));
  return event;
}

absl::Status DecodeEventInto(const Record& record, Event& event, const DecodeOptions& options) {
  const HeaderReader headers(record);
  JL_ASSIGN_OR_RETURN(const absl::string_view spec_version, headers.Required(kSpecVersion));
  if (spec_version != kCloudEventsSpecVersion) {
    return absl::InvalidArgumentError(absl::StrCat("record at offset ", record.offset,
                                                   " has CloudEvents spec version \"", spec_version,
                                                   "\"; only 1.0 is supported"));
  }
  JL_ASSIGN_OR_RETURN(const absl::string_view content_type, headers.Required(kContentType));
  if (content_type != kProtobufContentType) {
    return absl::InvalidArgumentError(absl::StrCat("record at offset ", record.offset,
                                                   " has content type \"", content_type,
                                                   "\"; expected ", kProtobufContentType));
  }
  JL_RETURN_IF_ERROR(headers.CheckNoDuplicates());

  // Every field is assigned below (set or emptied), so a reused event keeps its strings' storage
  // and nothing of the previous event survives.
  Envelope& envelope = *event.mutable_envelope();
  const auto set_required = [&](absl::string_view name, std::string* field) -> absl::Status {
    JL_ASSIGN_OR_RETURN(const absl::string_view value, headers.Required(name));
    Assign(field, value);
    return absl::OkStatus();
  };
  JL_RETURN_IF_ERROR(set_required(kId, envelope.mutable_event_id()));
  JL_RETURN_IF_ERROR(set_required(kType, envelope.mutable_type()));
  JL_RETURN_IF_ERROR(set_required(kSource, envelope.mutable_source()));
  JL_RETURN_IF_ERROR(set_required(kSubject, envelope.mutable_aggregate_id()));
  JL_RETURN_IF_ERROR(set_required(kTenant, envelope.mutable_tenant()));
  JL_RETURN_IF_ERROR(set_required(kAggregateType, envelope.mutable_aggregate_type()));
  if (record.key != envelope.aggregate_id()) {
    return headers.Bad("record key differs from ce_subject (the aggregate id)");
  }

  JL_ASSIGN_OR_RETURN(const absl::string_view sequence_text, headers.Required(kSequence));
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(sequence_text, &sequence) || sequence < 1) {
    return headers.Bad(
        absl::StrCat("ce_sequence \"", sequence_text, "\" is not a positive number"));
  }
  envelope.set_sequence(sequence);

  JL_ASSIGN_OR_RETURN(const absl::string_view time_text, headers.Required(kTime));
  absl::Time occurred_at;
  std::string time_error;
  if (!ParseEventTime(time_text, &occurred_at, &time_error)) {
    return headers.Bad(absl::StrCat("ce_time \"", time_text, "\": ", time_error));
  }
  // ParseTime also takes "infinite-future" and years past 9999, which no Timestamp can hold.
  if (occurred_at < absl::FromUnixSeconds(TimeUtil::kTimestampMinSeconds) ||
      occurred_at > absl::FromUnixSeconds(TimeUtil::kTimestampMaxSeconds)) {
    return headers.Bad(absl::StrCat("ce_time \"", time_text, "\" is not in the years 1 to 9999"));
  }
  FromTime(occurred_at, envelope.mutable_occurred_at());

  const absl::string_view actor_id = headers.Optional(kActorId);
  const absl::string_view actor_role = headers.Optional(kActorRole);
  const absl::string_view actor_name = headers.Optional(kActorName);
  if (!actor_id.empty() || !actor_role.empty() || !actor_name.empty()) {
    events::v1::Actor& actor = *envelope.mutable_actor();
    Assign(actor.mutable_user_id(), actor_id);
    Assign(actor.mutable_role(), actor_role);
    Assign(actor.mutable_name(), actor_name);
  } else {
    envelope.clear_actor();
  }
  Assign(envelope.mutable_correlation_id(), headers.Optional(kCorrelationId));
  Assign(envelope.mutable_causation_id(), headers.Optional(kCausationId));
  Assign(envelope.mutable_idempotency_key(), headers.Optional(kIdempotencyKey));
  Assign(envelope.mutable_traceparent(), headers.Optional(kTraceparent));

  const absl::string_view previous_hex = headers.Optional(kPreviousHash);
  if (!previous_hex.empty()) {
    JL_RETURN_IF_ERROR(
        DecodeHash(headers, kPreviousHash, previous_hex, *envelope.mutable_previous_hash()));
  } else {
    envelope.mutable_previous_hash()->clear();
  }
  JL_ASSIGN_OR_RETURN(const absl::string_view hash_hex, headers.Required(kHash));
  JL_RETURN_IF_ERROR(DecodeHash(headers, kHash, hash_hex, *envelope.mutable_hash()));

  Assign(event.mutable_payload(), record.value);
  if (options.verify_hash && ComputeEventHash(envelope, event.payload()) != envelope.hash()) {
    return headers.Bad(absl::StrCat("event ", envelope.event_id(),
                                    " does not match its ce_hash: its contents were altered"));
  }
  return absl::OkStatus();
}

absl::Status HashChainVerifier::Check(const Envelope& envelope) {
  const std::string aggregate =
      absl::StrCat(envelope.tenant(), "/", envelope.aggregate_type(), "/", envelope.aggregate_id());
  const auto it = last_.find(aggregate);
  const int64_t expected_sequence = it == last_.end() ? 1 : it->second.sequence + 1;
  if (envelope.sequence() != expected_sequence) {
    return absl::DataLossError(absl::StrCat("aggregate ", aggregate, ": event ",
                                            envelope.event_id(), " has sequence ",
                                            envelope.sequence(), ", expected ", expected_sequence));
  }
  const std::string expected_previous = it == last_.end() ? std::string() : it->second.hash;
  if (envelope.previous_hash() != expected_previous) {
    return absl::DataLossError(absl::StrCat("aggregate ", aggregate, ": event ",
                                            envelope.event_id(),
                                            " does not chain to the previous event's hash"));
  }
  last_[aggregate] = Link{envelope.sequence(), envelope.hash()};
  return absl::OkStatus();
}

}  // namespace jobledger::eventlog
