#include "service_probe.h"

#include <curl/curl.h>

#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "jobledger/server/server.h"

namespace jobledger::cli {
namespace {

constexpr char kLagMetric[] = "jobledger_projection_lag_events";

size_t AppendToString(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

Readiness ProbeReadiness(const std::string& grpc_address, absl::Duration timeout) {
  auto channel = grpc::CreateChannel(grpc_address, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(server::kReadinessService);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return Readiness::kUnreachable;
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? Readiness::kServing
             : Readiness::kNotServing;
}

std::map<std::string, double> ProjectionLagFromMetrics(const std::string& exposition) {
  std::map<std::string, double> lag;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::ConsumePrefix(&line, kLagMetric) || !absl::ConsumePrefix(&line, "{")) continue;
    const size_t labels_end = line.find('}');
    if (labels_end == absl::string_view::npos) continue;
    std::string projection;
    for (absl::string_view label : absl::StrSplit(line.substr(0, labels_end), ',')) {
      if (absl::ConsumePrefix(&label, "projection=\"") && absl::ConsumeSuffix(&label, "\"")) {
        projection = std::string(label);
      }
    }
    double value = 0;
    const std::vector<absl::string_view> rest =
        absl::StrSplit(line.substr(labels_end + 1), ' ', absl::SkipEmpty());
    if (projection.empty() || rest.empty() || !absl::SimpleAtod(rest[0], &value)) continue;
    lag[projection] += value;
  }
  return lag;
}

absl::StatusOr<std::map<std::string, double>> ProbeProjectionLag(const std::string& metrics_address,
                                                                 absl::Duration timeout) {
  std::unique_ptr<CURL, void (*)(CURL*)> easy(curl_easy_init(), curl_easy_cleanup);
  if (easy == nullptr) return absl::InternalError("curl_easy_init failed");
  const std::string url = absl::StrCat("http://", metrics_address, "/metrics");
  std::string body;
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, AppendToString);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode result = curl_easy_perform(easy.get());
  long http_status = 0;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &http_status);
  if (result != CURLE_OK || http_status != 200) {
    return absl::UnavailableError(absl::StrCat(
        url, ": ",
        result != CURLE_OK ? curl_easy_strerror(result) : absl::StrCat("HTTP ", http_status)));
  }
  return ProjectionLagFromMetrics(body);
}

}  // namespace jobledger::cli
