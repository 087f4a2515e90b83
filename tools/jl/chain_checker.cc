// Per-aggregate sequence and hash chain checks.
#include "chain_checker.h"

#include "absl/strings/str_cat.h"
#include "jobledger/eventlog/envelope_codec.h"

namespace jobledger::cli {

std::string ChainChecker::AggregateName(const events::v1::Envelope& envelope) {
  return absl::StrCat(envelope.tenant(), "/", envelope.aggregate_type(), "/",
                      envelope.aggregate_id());
}

std::vector<std::string> ChainChecker::Check(const events::v1::Envelope& envelope,
                                             absl::string_view payload) {
  std::vector<std::string> problems;
  if (eventlog::ComputeEventHash(envelope, payload) != envelope.hash()) {
    problems.push_back(absl::StrCat("event ", envelope.event_id(),
                                    " does not match its hash: its contents were altered"));
  }
  const auto [it, first] = last_.try_emplace(AggregateName(envelope));
  Link& last = it->second;
  const int64_t expected = last.sequence + 1;
  if (envelope.sequence() < expected) {
    problems.push_back(absl::StrCat("sequence ", envelope.sequence(),
                                    " repeated (the aggregate is at ", last.sequence, ")"));
    return problems;
  }
  if (envelope.sequence() > expected) {
    const int64_t missing = envelope.sequence() - expected;
    problems.push_back(absl::StrCat(
        "sequence ", envelope.sequence(),
        first ? " is the aggregate's first event" : absl::StrCat(" follows ", last.sequence), ": ",
        missing, missing == 1 ? " event" : " events", " missing"));
  } else if (envelope.previous_hash() != last.hash) {
    problems.push_back(first
                           ? std::string("sequence 1 has a previous_hash; the first event has none")
                           : absl::StrCat("sequence ", envelope.sequence(),
                                          ": previous_hash does not equal the hash of sequence ",
                                          last.sequence));
  }
  last.sequence = envelope.sequence();
  last.hash = envelope.hash();
  return problems;
}

}  // namespace jobledger::cli
