// What a fuzz target asserts: a broken property aborts with a message, which libFuzzer reports
// as a crash and saves the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"

namespace jobledger::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              const absl::Status& status = absl::OkStatus()) {
  std::fprintf(stderr, "%s:%d: fuzz property broken: %s %s\n", file, line, what,
               status.ok() ? "" : status.ToString().c_str());
  std::abort();
}

}  // namespace jobledger::fuzz

#define JL_FUZZ_CHECK(condition) \
  if (!(condition)) ::jobledger::fuzz::Fail(__FILE__, __LINE__, #condition)

// A status that must be OK.
#define JL_FUZZ_CHECK_OK(expression)                                          \
  if (const absl::Status jl_fuzz_status = (expression); !jl_fuzz_status.ok()) \
  ::jobledger::fuzz::Fail(__FILE__, __LINE__, #expression, jl_fuzz_status)
