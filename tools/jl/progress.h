// Progress reporting for long `jl` work: a bar with rate and ETA on a terminal, periodic plain
// lines when stderr is a file or pipe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/time/time.h"

namespace jobledger::cli {

// "[########------------]  40.0%  400,000/1,000,000 events  250,000 ev/s  ETA 0:02"
std::string FormatProgress(int64_t done, int64_t total, absl::Duration elapsed);

class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out = stderr);
  // Redraws at most ten times a second on a terminal, every five seconds otherwise.
  void Update(int64_t done, int64_t total);
  // Draws the final state and ends the line.
  void Finish(int64_t done, int64_t total);

 private:
  std::FILE* out_;
  const bool terminal_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
};

}  // namespace jobledger::cli
