// How long a customer text takes from the notification service's OK to the SMS provider: a job
// for a customer who accepts texts, then `messages` SendCustomerCommunication calls at `rate`, each
// body carrying its number; the provider's record (the local sms_sink.py's messages.jsonl, with
// each message's arrival time) says when each one arrived.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jobledger/loadgen/loadgen.h"

namespace jobledger::loadgen {

struct SmsPropagationOptions {
  std::string job_target;           // host:port of the job service (the customer and the job)
  std::string notification_target;  // host:port of the notification service
  std::string token;                // a dispatcher's bearer token
  std::string sms_record_file;      // the provider's messages.jsonl
  int messages = 100;
  double rate = 20;                         // texts per second
  absl::Duration wait = absl::Seconds(60);  // for the last text to arrive
};

// The name of the figures in the returned RpcStats.
inline constexpr absl::string_view kSmsPropagation = "text handed to the SMS provider";

// Latency from each call's OK to the text's arrival at the provider; a text that never arrived
// within `wait` is counted under errors["NOT_DELIVERED"], a failed call under its gRPC code.
absl::StatusOr<RpcStats> MeasureSmsPropagation(const SmsPropagationOptions& options);

}  // namespace jobledger::loadgen
