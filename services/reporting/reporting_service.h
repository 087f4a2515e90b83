// The gRPC handlers of the reporting service's API: translate, delegate, translate back.
#pragma once

#include "dispatch_views.h"
#include "job_history.h"
#include "jobledger/reporting/v1/reporting_service.grpc.pb.h"
#include "report_queries.h"

namespace jobledger::reporting {

using Context = grpc::ServerContext;

struct ReportingHandlers {
  const DispatchViews* views = nullptr;
  const ReportQueries* reports = nullptr;
  const JobHistoryReader* history = nullptr;
};

class ReportingService final : public v1::ReportingService::Service {
 public:
  explicit ReportingService(ReportingHandlers handlers) : h_(handlers) {}

  grpc::Status GetTimeAndMaterials(Context*, const v1::TimeAndMaterialsRequest*,
                                   v1::TimeAndMaterialsReport*) override;
  grpc::Status GetProjectReport(Context*, const v1::ProjectReportRequest*,
                                v1::ProjectReport*) override;
  grpc::Status GetRevenue(Context*, const v1::RevenueRequest*, v1::RevenueReport*) override;
  grpc::Status GetDispatchCounts(Context*, const v1::DispatchCountsRequest*,
                                 v1::DispatchCounts*) override;
  grpc::Status ListJobs(Context*, const v1::ListJobsRequest*, v1::ListJobsResponse*) override;
  grpc::Status GetUtilization(Context*, const v1::UtilizationRequest*,
                              v1::UtilizationResponse*) override;
  grpc::Status ExportJobsCsv(Context*, const v1::ListJobsRequest*,
                             grpc::ServerWriter<v1::CsvChunk>*) override;
  grpc::Status ExportTimeAndMaterialsCsv(Context*, const v1::TimeAndMaterialsRequest*,
                                         grpc::ServerWriter<v1::CsvChunk>*) override;
  grpc::Status GetJobHistory(Context*, const v1::JobHistoryRequest*, v1::JobHistory*) override;
  grpc::Status GetJobAsOf(Context*, const v1::JobAsOfRequest*, v1::JobAsOf*) override;

 private:
  ReportingHandlers h_;
};

}  // namespace jobledger::reporting
