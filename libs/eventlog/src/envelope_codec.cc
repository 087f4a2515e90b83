// CloudEvents binary-mode mapping of the envelope, and the hash chain.
#include "jobledger/eventlog/envelope_codec.h"

#include <array>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "jobledger/common/sha256.h"
#include "jobledger/common/status.h"

namespace jobledger::eventlog {
namespace {

using events::v1::Envelope;
using events::v1::Event;

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
    for (const Header& header : record.headers) {
      const auto known = KnownHeaders().find(header.key);
      if (known == KnownHeaders().end()) continue;  // other headers are allowed and ignored
      const std::string*& slot = values_[known->second];
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
    const std::string* value = values_[KnownHeaders().at(name)];
    if (value == nullptr || value->empty()) {
      return Bad(absl::StrCat("header ", name, " is missing"));
    }
    return absl::string_view(*value);
  }

  absl::string_view Optional(absl::string_view name) const {
    const std::string* value = values_[KnownHeaders().at(name)];
    return value == nullptr ? absl::string_view() : absl::string_view(*value);
  }

  absl::Status Bad(absl::string_view why) const {
    return absl::DataLossError(
        absl::StrCat("record at offset ", record_.offset, " is not a valid event: ", why));
  }

 private:
  static const absl::flat_hash_map<absl::string_view, size_t>& KnownHeaders() {
    static const auto* const known = [] {
      auto* names = new absl::flat_hash_map<absl::string_view, size_t>();
      for (absl::string_view name :
           {kSpecVersion, kId, kType, kSource, kSubject, kTime, kContentType, kTenant,
            kAggregateType, kSequence, kActorId, kActorRole, kActorName, kCorrelationId,
            kCausationId, kIdempotencyKey, kTraceparent, kPreviousHash, kHash}) {
        names->emplace(name, names->size());
      }
      return names;
    }();
    return *known;
  }
  static constexpr size_t kKnownCount = 19;

  const Record& record_;
  std::array<const std::string*, kKnownCount> values_{};
  std::string duplicate_;
};

absl::StatusOr<std::string> DecodeHash(const HeaderReader& reader, absl::string_view name,
                                       absl::string_view hex) {
  const bool valid = hex.size() == 2 * kHashSize &&
                     hex.find_first_not_of("0123456789abcdef") == absl::string_view::npos;
  if (!valid) return reader.Bad(absl::StrCat("header ", name, " is not a lower-case SHA-256 hex"));
  return absl::HexStringToBytes(hex);
}

}  // namespace

std::string ComputeEventHash(const Envelope& envelope, absl::string_view payload) {
  std::string canonical;
  canonical.reserve(256 + payload.size());
  canonical.append(envelope.previous_hash());
  AppendField(canonical, envelope.event_id());
  AppendField(canonical, envelope.type());
  AppendField(canonical, envelope.source());
  AppendField(canonical, envelope.tenant());
  AppendField(canonical, envelope.aggregate_type());
  AppendField(canonical, envelope.aggregate_id());
  AppendField(canonical, absl::StrCat(envelope.sequence()));
  AppendField(canonical, absl::StrCat(envelope.occurred_at().seconds(), ".",
                                      absl::Dec(envelope.occurred_at().nanos(), absl::kZeroPad9)));
  AppendField(canonical, envelope.actor().user_id());
  AppendField(canonical, envelope.actor().role());
  AppendField(canonical, envelope.actor().name());
  AppendField(canonical, envelope.correlation_id());
  AppendField(canonical, envelope.causation_id());
  AppendField(canonical, envelope.idempotency_key());
  AppendField(canonical, envelope.traceparent());
  AppendField(canonical, payload);
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

  Event event;
  Envelope& envelope = *event.mutable_envelope();
  const auto set_required = [&](absl::string_view name, std::string* field) -> absl::Status {
    JL_ASSIGN_OR_RETURN(const absl::string_view value, headers.Required(name));
    field->assign(value.data(), value.size());
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
  if (!absl::ParseTime(absl::RFC3339_full, time_text, &occurred_at, &time_error)) {
    return headers.Bad(absl::StrCat("ce_time \"", time_text, "\": ", time_error));
  }
  FromTime(occurred_at, envelope.mutable_occurred_at());

  const absl::string_view actor_id = headers.Optional(kActorId);
  const absl::string_view actor_role = headers.Optional(kActorRole);
  const absl::string_view actor_name = headers.Optional(kActorName);
  if (!actor_id.empty() || !actor_role.empty() || !actor_name.empty()) {
    events::v1::Actor& actor = *envelope.mutable_actor();
    actor.set_user_id(std::string(actor_id));
    actor.set_role(std::string(actor_role));
    actor.set_name(std::string(actor_name));
  }
  envelope.set_correlation_id(std::string(headers.Optional(kCorrelationId)));
  envelope.set_causation_id(std::string(headers.Optional(kCausationId)));
  envelope.set_idempotency_key(std::string(headers.Optional(kIdempotencyKey)));
  envelope.set_traceparent(std::string(headers.Optional(kTraceparent)));

  const absl::string_view previous_hex = headers.Optional(kPreviousHash);
  if (!previous_hex.empty()) {
    JL_ASSIGN_OR_RETURN(*envelope.mutable_previous_hash(),
                        DecodeHash(headers, kPreviousHash, previous_hex));
  }
  JL_ASSIGN_OR_RETURN(const absl::string_view hash_hex, headers.Required(kHash));
  JL_ASSIGN_OR_RETURN(*envelope.mutable_hash(), DecodeHash(headers, kHash, hash_hex));

  event.set_payload(record.value);
  if (ComputeEventHash(envelope, event.payload()) != envelope.hash()) {
    return headers.Bad(absl::StrCat("event ", envelope.event_id(),
                                    " does not match its ce_hash: its contents were altered"));
  }
  return event;
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
