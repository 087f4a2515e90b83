// Progress bars for long CLI work.
#include "progress.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace jobledger::cli {
namespace {

constexpr int kBarWidth = 20;

std::string Grouped(int64_t value) {
  std::string digits = absl::StrCat(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

std::string Clock(int64_t seconds) {
  if (seconds >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

}  // namespace

std::string FormatProgress(int64_t done, int64_t total, absl::Duration elapsed) {
  const double fraction =
      total > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0)
                : 1.0;
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string eta = "--:--";
  if (rate > 0 && total >= done) {
    eta = Clock(static_cast<int64_t>(static_cast<double>(total - done) / rate + 0.5));
  }
  return absl::StrFormat("[%s%s] %5.1f%%  %s/%s events  %s ev/s  ETA %s", std::string(filled, '#'),
                         std::string(kBarWidth - filled, '-'), fraction * 100, Grouped(done),
                         Grouped(total), Grouped(static_cast<int64_t>(rate)), eta);
}

ProgressBar::ProgressBar(std::FILE* out)
    : out_(out), terminal_(isatty(fileno(out)) == 1), start_(absl::Now()) {}

void ProgressBar::Update(int64_t done, int64_t total) {
  const absl::Time now = absl::Now();
  if (now - last_draw_ < (terminal_ ? absl::Milliseconds(100) : absl::Seconds(5))) return;
  last_draw_ = now;
  const std::string line = FormatProgress(done, total, now - start_);
  std::fprintf(out_, terminal_ ? "\r%s" : "%s\n", line.c_str());
  std::fflush(out_);
}

void ProgressBar::Finish(int64_t done, int64_t total) {
  const std::string line = FormatProgress(done, total, absl::Now() - start_);
  std::fprintf(out_, terminal_ ? "\r%s\n" : "%s\n", line.c_str());
  std::fflush(out_);
}

}  // namespace jobledger::cli
