// Event ⇄ log record in CloudEvents Kafka binary mode, and the per-aggregate SHA-256 hash chain.
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jobledger/eventlog/record.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::eventlog {

inline constexpr absl::string_view kCloudEventsSpecVersion = "1.0";
inline constexpr absl::string_view kProtobufContentType = "application/protobuf";
inline constexpr size_t kHashSize = 32;  // SHA-256

// SHA-256 over the envelope's previous_hash followed by this event's canonical bytes (every
// envelope field but the hashes, then the payload; the layout is in docs/events.md so that any
// language can recompute it). `envelope.hash` itself is ignored.
std::string ComputeEventHash(const events::v1::Envelope& envelope, absl::string_view payload);

// Fills in envelope.hash; previous_hash must already hold the aggregate's previous hash.
void SealEvent(events::v1::Event& event);

// Record key = aggregate id, value = payload, envelope in `ce_*` headers. Checks nothing: an event
// is validated before it is sealed.
Record EncodeEvent(const events::v1::Event& event);

// The inverse of EncodeEvent. A record with a missing or malformed header, another spec version or
// content type, a key that is not the aggregate id, or a hash that does not match its contents is
// DATA_LOSS (or INVALID_ARGUMENT for an unsupported format) naming what is wrong; never a crash.
absl::StatusOr<events::v1::Event> DecodeEvent(const Record& record);

struct DecodeOptions {
  // Recompute the SHA-256 over the event and compare it with ce_hash. A reader that trusts the
  // log's own integrity checks may skip it: the check alone catches accidental damage (which the
  // log's CRCs catch too), not tampering (a forger recomputes ce_hash); only following the chain
  // (HashChainVerifier) does that.
  bool verify_hash = true;
};

// DecodeEvent into an existing event, which keeps its strings' storage: a replay decoding every
// record into the same event allocates almost nothing. On error `event` holds a partial decode.
absl::Status DecodeEventInto(const Record& record, events::v1::Event& event,
                             const DecodeOptions& options = {});

// Follows the events of many aggregates in log order and checks each aggregate's chain: sequence
// numbers 1, 2, 3 … without gaps, and every previous_hash equal to the hash before it.
class HashChainVerifier {
 public:
  // DATA_LOSS describing the break; the verifier's state is left unchanged on error.
  absl::Status Check(const events::v1::Envelope& envelope);

 private:
  struct Link {
    int64_t sequence = 0;
    std::string hash;
  };
  absl::flat_hash_map<std::string, Link> last_;  // by tenant / aggregate type / aggregate id
};

}  // namespace jobledger::eventlog
