// What several benchmarks share: CPU time and memory of this process or a child, and the raw
// RocksDB WriteBatch baseline that projection rebuilds are compared with.
#pragma once

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "jobledger/testing/temp_dir.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

extern char** environ;

namespace jobledger::bench {

inline double CpuSeconds(const rusage& usage) {
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return CpuSeconds(usage);
}

// This process's resident set now, in MiB (from /proc/self/statm).
inline double RssMiB() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0;
  int64_t resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident * sysconf(_SC_PAGESIZE)) / (1 << 20);
}

struct ChildRun {
  absl::Duration wall;
  double cpu_seconds = 0;
  double peak_rss_mib = 0;
};

// Runs this binary again with `args` and waits for it: a fresh process whose peak RSS is its own
// (a fork's RocksDB threads would not survive). Fails unless it exits with 0.
inline absl::StatusOr<ChildRun> RunSelf(const std::vector<std::string>& args) {
  const std::string self = "/proc/self/exe";
  std::vector<char*> argv = {const_cast<char*>(self.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const absl::Time start = absl::Now();
  pid_t child = 0;
  if (posix_spawn(&child, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    return absl::InternalError("cannot start the child process");
  }
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError("the child process failed");
  }
  return ChildRun{.wall = absl::Now() - start,
                  .cpu_seconds = CpuSeconds(usage),
                  .peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0};
}

// Baseline: unsynced WriteBatches of 1,000 puts of job-row-sized values into RocksDB.
inline void BM_RawWriteBatchPuts(benchmark::State& state) {
  jobledger::testing::TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir.path(), &raw).ok()) return state.SkipWithError("open");
  std::unique_ptr<rocksdb::DB> db(raw);
  const std::string value(120, 'v');
  int64_t key = 0;
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 1000; ++i) batch.Put(absl::StrCat("jobs/tenant-1/job-", key++), value);
    db->Write(rocksdb::WriteOptions(), &batch).PermitUncheckedError();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}

}  // namespace jobledger::bench
