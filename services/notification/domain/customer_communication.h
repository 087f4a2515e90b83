// A message a person sends to a job's customer (SendCustomerCommunication): the request's checks
// and each contact's address on the channel. Pure.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jobledger/job/v1/job.pb.h"
#include "jobledger/notification/v1/notification_service.pb.h"

namespace jobledger::notification {

inline constexpr int kMaxRecipients = 20;
inline constexpr int kMaxAttachments = 10;
inline constexpr size_t kMaxSubjectBytes = 200;
inline constexpr size_t kMaxBodyBytes = 20'000;
inline constexpr size_t kMaxSmsBytes = 1'600;

// The request's own fields, before anything is read: INVALID_ARGUMENT naming the field (an SMS
// longer than one message says its length and segment count unless allow_multiple_segments).
// Returns the SMS's segment count (0 for email).
absl::StatusOr<int> ValidateSendRequest(const v1::SendCustomerCommunicationRequest& request);

// The contact's address on the channel, or why the message may not go to them:
// FAILED_PRECONDITION when they do not accept the channel or have no address on it, NOT_FOUND when
// they are not the customer's. `field` names the contact in the request ("contact_ids[1]").
absl::StatusOr<v1::Recipient> ContactRecipient(const job::v1::Customer& customer,
                                               const std::string& contact_id, v1::Channel channel,
                                               const std::string& field);

}  // namespace jobledger::notification
