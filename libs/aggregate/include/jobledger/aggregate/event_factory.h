// Turns a command's payloads into sealed, chained events ready to append.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "jobledger/aggregate/aggregate.h"
#include "jobledger/common/uuid.h"
#include "jobledger/events/v1/envelope.pb.h"

namespace jobledger::aggregate {

// The next event of `key`: envelope filled from the command and `head` (sequence and previous
// hash), payload serialized deterministically, then sealed. Advances `head` past it.
events::v1::Event MakeEvent(const AggregateKey& key, const CommandMeta& meta,
                            absl::string_view source, absl::Time occurred_at, const Uuid& event_id,
                            const google::protobuf::Message& payload, Head& head);

// The id of an aggregate created by a command with an idempotency key: derived from the tenant,
// the aggregate type and the key (a UUIDv8 of their SHA-256), so that a retried create names the
// same aggregate and finds it already made, instead of making a second one.
Uuid DerivedAggregateId(absl::string_view tenant, absl::string_view type,
                        absl::string_view idempotency_key);

}  // namespace jobledger::aggregate
