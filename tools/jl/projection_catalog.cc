// The catalogue of projections `jl projections verify|rebuild` can build. Services register
// theirs here when they exist; until then it is empty and those commands say so.
#include "projection_catalog.h"

namespace jobledger::cli {

std::vector<std::unique_ptr<projection::Projection>> KnownProjections() { return {}; }

}  // namespace jobledger::cli
