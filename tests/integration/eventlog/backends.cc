// The list of backends the conformance suite runs against.
#include "log_backend.h"

namespace jobledger::eventlog {

BackendFactory EmbeddedBackendFactory();

std::vector<BackendFactory> AllBackends() { return {EmbeddedBackendFactory()}; }

}  // namespace jobledger::eventlog
