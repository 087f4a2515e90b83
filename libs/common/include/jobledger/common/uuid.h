// UUIDs (RFC 9562) and the time-ordered UUIDv7 generator used for event and entity ids.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "jobledger/common/clock.h"

namespace jobledger {

class Uuid {
 public:
  using Bytes = std::array<uint8_t, 16>;

  constexpr Uuid() = default;  // the nil UUID
  constexpr explicit Uuid(const Bytes& bytes) : bytes_(bytes) {}

  // Parses the canonical 36-character form (hex digits in either case).
  static absl::StatusOr<Uuid> Parse(absl::string_view text);
  // Takes exactly 16 raw bytes, as stored in keys and protobuf `bytes` fields.
  static absl::StatusOr<Uuid> FromBytes(absl::string_view raw);

  const Bytes& bytes() const { return bytes_; }
  absl::string_view AsBytes() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  std::string ToString() const;  // lowercase 8-4-4-4-12
  int version() const { return bytes_[6] >> 4; }
  bool is_nil() const { return *this == Uuid(); }
  // The embedded creation time of a version 7 UUID; nullopt for other versions.
  std::optional<absl::Time> Timestamp() const;

  // Byte order is big-endian time first, so for v7 ids this is creation order.
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const Uuid& id) {
    return H::combine(std::move(h), id.bytes_);
  }

 private:
  Bytes bytes_{};
};

// Source of new ids; production uses UuidV7Generator, tests may inject a seeded one.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual Uuid NewId() = 0;
};

// Generates UUIDv7 ids that strictly increase within this generator, even when the clock stalls
// or steps back: the 12-bit `rand_a` field is a counter within a millisecond (RFC 9562 §6.2,
// method 1), and when it runs out the timestamp is advanced by one millisecond. Thread-safe.
class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock = SystemClock());
  // Deterministic random bits, for reproducible tests.
  UuidV7Generator(const Clock& clock, uint64_t seed);

  Uuid NewId() override;

 private:
  const Clock& clock_;
  absl::Mutex mu_;
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
  int64_t last_millis_ ABSL_GUARDED_BY(mu_) = -1;
  uint16_t counter_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobledger
