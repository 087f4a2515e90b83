// Event selection for the analyst commands.
#include "event_filter.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "jobledger/common/proto_time.h"

namespace jobledger::cli {
namespace {

// Events nest their records a level or two deep; the bound only guards against a recursive
// message type.
constexpr int kMaxJobIdDepth = 4;

bool MentionsJobAt(const google::protobuf::Message& message, absl::string_view job_id, int depth) {
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated()) continue;
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING &&
        field->name() == "job_id") {
      std::string scratch;
      if (reflection->GetStringReference(message, field, &scratch) == job_id) return true;
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
               depth < kMaxJobIdDepth && reflection->HasField(message, field) &&
               MentionsJobAt(reflection->GetMessage(message, field), job_id, depth + 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool TypeNameMatches(absl::string_view type, absl::string_view wanted) {
  if (type == wanted) return true;
  return type.size() > wanted.size() && absl::EndsWith(type, wanted) &&
         type[type.size() - wanted.size() - 1] == '.';
}

bool MentionsJob(const google::protobuf::Message& message, absl::string_view job_id) {
  return MentionsJobAt(message, job_id, 0);
}

bool EventFilter::Matches(const events::v1::Event& event, PayloadDecoder& decoder) const {
  const events::v1::Envelope& envelope = event.envelope();
  if (!options_.tenant.empty() && envelope.tenant() != options_.tenant) return false;
  if (options_.from_time.has_value() || options_.until_time.has_value()) {
    const absl::Time occurred_at = TimeFromProto(envelope.occurred_at());
    if (options_.from_time.has_value() && occurred_at < *options_.from_time) return false;
    if (options_.until_time.has_value() && occurred_at >= *options_.until_time) return false;
  }
  if (!options_.types.empty() &&
      std::none_of(options_.types.begin(), options_.types.end(), [&](const std::string& type) {
        return TypeNameMatches(envelope.type(), type);
      })) {
    return false;
  }
  if (!options_.job_id.empty() && envelope.aggregate_id() != options_.job_id) {
    // A payload that cannot be decoded names no job that we could see.
    const absl::StatusOr<const google::protobuf::Message*> payload =
        decoder.Decode(envelope.type(), event.payload());
    return payload.ok() && MentionsJob(**payload, options_.job_id);
  }
  return true;
}

bool ParseTimeFlag(absl::string_view text, absl::Time* time, std::string* error) {
  std::string date_error;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), time, &date_error)) return true;
  return absl::ParseTime(absl::RFC3339_full, text, time, error);
}

}  // namespace jobledger::cli
