// Handlers of ReportingService.
#include "reporting_service.h"

#include "jobledger/server/call_context.h"
#include "jobledger/server/respond.h"
#include "jobledger/server/status.h"

namespace jobledger::reporting {
namespace {

server::Caller CallerFor(const grpc::ServerContext* context) {
  return server::CallerOf(server::CallContext::Of(context));
}

// A CSV export's chunks onto the stream; false once the client is gone.
std::function<bool(std::string&)> ChunkWriter(grpc::ServerWriter<v1::CsvChunk>* writer) {
  return [writer](std::string& data) {
    v1::CsvChunk chunk;
    chunk.set_data(std::move(data));
    data.clear();
    return writer->Write(chunk);
  };
}

}  // namespace

#define JL_RPC(Method, Request, Reply, Call)                                                      \
  grpc::Status ReportingService::Method(Context* context, const Request* request, Reply* reply) { \
    return server::Respond(Call, reply);                                                          \
  }

JL_RPC(GetTimeAndMaterials, v1::TimeAndMaterialsRequest, v1::TimeAndMaterialsReport,
       h_.reports->TimeAndMaterials(CallerFor(context), *request))
JL_RPC(GetProjectReport, v1::ProjectReportRequest, v1::ProjectReport,
       h_.reports->Project(CallerFor(context), *request))
JL_RPC(GetRevenue, v1::RevenueRequest, v1::RevenueReport,
       h_.reports->Revenue(CallerFor(context), *request))
JL_RPC(GetDispatchCounts, v1::DispatchCountsRequest, v1::DispatchCounts,
       h_.views->Counts(CallerFor(context), *request))
JL_RPC(ListJobs, v1::ListJobsRequest, v1::ListJobsResponse,
       h_.views->ListJobs(CallerFor(context), *request))
JL_RPC(GetUtilization, v1::UtilizationRequest, v1::UtilizationResponse,
       h_.reports->Utilization(CallerFor(context), *request))
JL_RPC(GetJobHistory, v1::JobHistoryRequest, v1::JobHistory,
       h_.history->History(CallerFor(context), *request))
JL_RPC(GetJobAsOf, v1::JobAsOfRequest, v1::JobAsOf, h_.history->AsOf(CallerFor(context), *request))

#undef JL_RPC

grpc::Status ReportingService::ExportJobsCsv(Context* context, const v1::ListJobsRequest* request,
                                             grpc::ServerWriter<v1::CsvChunk>* writer) {
  return server::ToGrpcStatus(
      h_.views->ExportCsv(CallerFor(context), *request, ChunkWriter(writer)));
}

grpc::Status ReportingService::ExportTimeAndMaterialsCsv(Context* context,
                                                         const v1::TimeAndMaterialsRequest* request,
                                                         grpc::ServerWriter<v1::CsvChunk>* writer) {
  return server::ToGrpcStatus(
      h_.reports->ExportTimeAndMaterialsCsv(CallerFor(context), *request, ChunkWriter(writer)));
}

}  // namespace jobledger::reporting
