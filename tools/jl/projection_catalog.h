// The projections this build of `jl` knows how to verify and rebuild: each service's library
// adds its own here as it is linked in.
#pragma once

#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "jobledger/projection/projection.h"

namespace jobledger::cli {

// `zone`: the services' --time-zone (the reporting projection's local days depend on it).
std::vector<std::unique_ptr<projection::Projection>> KnownProjections(
    absl::TimeZone zone = absl::UTCTimeZone());

}  // namespace jobledger::cli
