// The projections this build of `jl` knows how to verify and rebuild: each service's library
// adds its own here as it is linked in.
#pragma once

#include <memory>
#include <vector>

#include "jobledger/projection/projection.h"

namespace jobledger::cli {

std::vector<std::unique_ptr<projection::Projection>> KnownProjections();

}  // namespace jobledger::cli
