// The list of backends the conformance suite runs against.
#include "log_backend.h"

namespace jobledger::eventlog {

BackendFactory EmbeddedBackendFactory();
BackendFactory KafkaBackendFactory();

std::vector<BackendFactory> AllBackends() {
  return {EmbeddedBackendFactory(), KafkaBackendFactory()};
}

}  // namespace jobledger::eventlog
