// The 300-byte event record every log benchmark appends, so their figures compare.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "jobledger/eventlog/record.h"

namespace jobledger::eventlog {

inline constexpr int kBenchEventBytes = 300;

// Exactly 300 bytes of key, headers and value. A realistic share goes to CloudEvents headers; the
// value is incompressible, so no compression flatters the figures.
inline Record BenchRecord(int64_t i) {
  Record record;
  record.key = "job-" + std::to_string(i % 10'000);
  record.headers = {{"ce_id", "0190f1c2-0000-7000-8000-" + std::to_string(100'000'000'000 + i)},
                    {"ce_type", "jobledger.job.v1.JobStatusChanged"},
                    {"ce_specversion", "1.0"}};
  size_t used = record.key.size();
  for (const Header& header : record.headers) used += header.key.size() + header.value.size();
  static const std::string* const kRandom = [] {
    std::mt19937_64 random(42);
    auto* bytes = new std::string(4096, '\0');
    for (char& c : *bytes) c = static_cast<char>(random());
    return bytes;
  }();
  const size_t size = kBenchEventBytes - used;
  record.value = kRandom->substr(static_cast<size_t>(i * 7) % (kRandom->size() - size), size);
  return record;
}

}  // namespace jobledger::eventlog
