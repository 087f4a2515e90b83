// SIGINT/SIGTERM through a blocked signal mask and sigtimedwait.
#include <cerrno>
#include <ctime>

#include "jobledger/server/server.h"

namespace jobledger::server {

ShutdownSignals::ShutdownSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
}

ShutdownSignals::~ShutdownSignals() { pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr); }

int ShutdownSignals::Wait(absl::Duration timeout) {
  const timespec wait = absl::ToTimespec(timeout);
  const int signal_number = sigtimedwait(&signals_, nullptr, &wait);
  return signal_number > 0 ? signal_number : 0;  // -1: EAGAIN (timeout) or EINTR
}

}  // namespace jobledger::server
