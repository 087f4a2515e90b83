// The catalogue of projections `jl projections verify|rebuild` can build: each service's
// projections, constructed as the service constructs them.
#include "projection_catalog.h"

#include <string>

#include "jobledger/eventlog/topics.h"
#include "projections/billing_projection.h"
#include "projections/job_projection.h"
#include "projections/notification_projection.h"
#include "projections/reporting_projection.h"
#include "projections/scheduling_projection.h"

namespace jobledger::cli {

std::vector<std::unique_ptr<projection::Projection>> KnownProjections(absl::TimeZone zone) {
  std::vector<std::unique_ptr<projection::Projection>> projections;
  projections.push_back(std::make_unique<job::JobProjection>(
      std::string(eventlog::kJobTopic), std::string(eventlog::kSchedulingTopic)));
  projections.push_back(std::make_unique<scheduling::SchedulingProjection>(
      std::string(eventlog::kSchedulingTopic), std::string(eventlog::kJobTopic)));
  projections.push_back(std::make_unique<billing::BillingProjection>(
      std::string(eventlog::kBillingTopic), std::string(eventlog::kJobTopic)));
  projections.push_back(
      std::make_unique<notification::NotificationProjection>(notification::NotificationTopics{
          std::string(eventlog::kNotificationTopic), std::string(eventlog::kJobTopic),
          std::string(eventlog::kSchedulingTopic), std::string(eventlog::kBillingTopic)}));
  projections.push_back(std::make_unique<reporting::ReportingProjection>(
      reporting::ReportingTopics{
          std::string(eventlog::kJobTopic), std::string(eventlog::kSchedulingTopic),
          std::string(eventlog::kBillingTopic), std::string(eventlog::kNotificationTopic)},
      zone));
  return projections;
}

}  // namespace jobledger::cli
