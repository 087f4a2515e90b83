// Read-your-writes for queries: a request's `min_position` (a command's reply position) is waited
// for, bounded, before the query reads its service's projection.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jobledger/common/v1/common.pb.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/caller.h"

namespace jobledger::server {

// OK at once for an unset position; INVALID_ARGUMENT for a negative one; otherwise waits until
// `projection` has applied it, at most until the caller's deadline or `now + max_wait`, then
// DEADLINE_EXCEEDED naming `read_model` ("the job list") and the position.
absl::Status WaitForMinPosition(const projection::ProjectionRunner& projection,
                                const Caller& caller, const common::v1::LogPosition& position,
                                absl::Time now, absl::Duration max_wait,
                                absl::string_view read_model);

}  // namespace jobledger::server
