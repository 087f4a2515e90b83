// The topics of jobledger: one per owning service, all with the same partition count.
#pragma once

#include "absl/strings/string_view.h"

namespace jobledger::eventlog {

inline constexpr absl::string_view kJobTopic = "jobledger.job.events";
inline constexpr absl::string_view kSchedulingTopic = "jobledger.scheduling.events";
inline constexpr absl::string_view kBillingTopic = "jobledger.billing.events";
inline constexpr absl::string_view kNotificationTopic = "jobledger.notification.events";
inline constexpr absl::string_view kAllTopics[] = {kJobTopic, kSchedulingTopic, kBillingTopic,
                                                   kNotificationTopic};
inline constexpr int kDefaultPartitions = 6;

}  // namespace jobledger::eventlog
