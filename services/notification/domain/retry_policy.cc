// Capped exponential backoff with deterministic equal jitter (see retry_policy.h).
#include "domain/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace jobledger::notification {
namespace {

absl::Status CheckDelay(absl::string_view field, absl::Duration delay) {
  if (delay <= absl::ZeroDuration() || delay == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be positive and finite, got ", absl::FormatDuration(delay)));
  }
  return absl::OkStatus();
}

// FNV-1a 64 then the MurmurHash3 finaliser. Spelled out rather than std::hash or absl::Hash, whose
// values may differ between processes and builds; the finaliser spreads the few bits that change
// from one attempt to the next over the whole word.
uint64_t StableHash(absl::string_view key, int attempt) {
  constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
  constexpr uint64_t kFnvPrime = 1099511628211ULL;
  uint64_t hash = kFnvOffsetBasis;
  auto add_byte = [&hash](uint8_t byte) {
    hash ^= byte;
    hash *= kFnvPrime;
  };
  for (const char c : key) add_byte(static_cast<uint8_t>(c));
  const auto attempt_bits = static_cast<uint32_t>(attempt);
  for (int shift = 0; shift < 32; shift += 8) add_byte(static_cast<uint8_t>(attempt_bits >> shift));
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb93fe53e4ec9ULL;
  hash ^= hash >> 33;
  return hash;
}

// A fraction in [0, 1) from the top 53 bits, which a double holds exactly.
double UnitFraction(uint64_t hash) { return static_cast<double>(hash >> 11) * 0x1.0p-53; }

// initial_delay * multiplier^(failed_attempt - 1), capped at max_delay. The growth factor is
// compared with the cap's ratio before any Duration is multiplied, so a large attempt number
// (where the power overflows to infinity) simply yields the cap.
absl::Duration BaseDelay(const RetryPolicy& policy, int failed_attempt) {
  const double growth = std::pow(policy.multiplier, failed_attempt - 1);
  const double cap_ratio = absl::FDivDuration(policy.max_delay, policy.initial_delay);
  if (!(growth < cap_ratio)) return policy.max_delay;
  return std::min(policy.initial_delay * growth, policy.max_delay);
}

}  // namespace

absl::Status ValidateRetryPolicy(const RetryPolicy& policy) {
  if (absl::Status status = CheckDelay("retry_policy.initial_delay", policy.initial_delay);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckDelay("retry_policy.max_delay", policy.max_delay); !status.ok()) {
    return status;
  }
  // Written so that NaN fails too.
  if (!(policy.multiplier >= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("retry_policy.multiplier must be at least 1, got ", policy.multiplier));
  }
  if (policy.max_attempts < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("retry_policy.max_attempts must be at least 1, got ", policy.max_attempts));
  }
  return absl::OkStatus();
}

std::optional<absl::Duration> NextRetryDelay(const RetryPolicy& policy, int failed_attempt,
                                             absl::string_view jitter_key) {
  failed_attempt = std::max(failed_attempt, 1);
  if (failed_attempt >= policy.max_attempts) return std::nullopt;
  const absl::Duration base = BaseDelay(policy, failed_attempt);
  const absl::Duration half = base / 2;
  return half + (base - half) * UnitFraction(StableHash(jitter_key, failed_attempt));
}

}  // namespace jobledger::notification
