// Wiring of the scheduling service.
#include "scheduling_server.h"

#include <filesystem>

#include "agreement_commands.h"
#include "appointment_commands.h"
#include "calendars.h"
#include "client/job_client.h"
#include "domain/evolve.h"
#include "jobledger/aggregate/projected_state.h"
#include "jobledger/common/uuid.h"
#include "jobledger/projection/runner.h"
#include "jobledger/server/wait_for_topics.h"
#include "projections/scheduling_projection.h"
#include "projections/scheduling_tables.h"
#include "prometheus/registry.h"
#include "reactions.h"
#include "roster_commands.h"
#include "scheduling_queries.h"
#include "scheduling_services.h"

namespace jobledger::scheduling {
namespace {

using auth::Role;

void AllowMethods(auth::MethodRoles& roles) {
  const auth::RoleSet office = {Role::kDispatcher, Role::kManager, Role::kService};
  const auth::RoleSet field = {Role::kDispatcher, Role::kManager, Role::kTechnician,
                               Role::kService};
  const auth::RoleSet readers = auth::RoleSet::All();
  const std::string technician = "/jobledger.scheduling.v1.TechnicianService/";
  for (const char* method :
       {"RegisterTechnician", "UpdateTechnician", "SetTechnicianActive", "SetShifts", "AddTimeOff",
        "RemoveTimeOff", "CreateCrew", "RenameCrew", "AddCrewMember", "RemoveCrewMember",
        "SaveServiceZone", "GetLiveMap"}) {
    roles.Allow(technician + method, office);
  }
  for (const char* method : {"RecordLocations", "GetBreadcrumbs", "GetTechnician"}) {
    roles.Allow(technician + method, field);
  }
  for (const char* method : {"ListTechnicians", "GetCrew", "ListCrews", "ListServiceZones"}) {
    roles.Allow(technician + method, readers);
  }
  const std::string dispatch = "/jobledger.scheduling.v1.DispatchService/";
  for (const char* method :
       {"ScheduleAppointment", "RescheduleAppointment", "ReassignAppointment", "CancelAppointment",
        "BulkReassign", "BulkReschedule", "FindFreeSlots", "SuggestTechnicians"}) {
    roles.Allow(dispatch + method, office);
  }
  for (const char* method : {"ChangeDispatchState", "GetJobSchedule", "GetTechnicianSchedule"}) {
    roles.Allow(dispatch + method, field);
  }
  for (const char* method : {"ListUnassigned", "GetBoard"}) {
    roles.Allow(dispatch + method,
                {Role::kDispatcher, Role::kManager, Role::kService, Role::kAnalyst});
  }
  const std::string agreements = "/jobledger.scheduling.v1.AgreementService/";
  for (const char* method : {"CreateAgreement", "EndAgreement"}) {
    roles.Allow(agreements + method, office);
  }
  for (const char* method : {"GetAgreement", "ListAgreements"}) {
    roles.Allow(agreements + method, {Role::kDispatcher, Role::kManager, Role::kService,
                                      Role::kAnalyst, Role::kBilling});
  }
}

}  // namespace

struct SchedulingServer::Parts {
  SchedulingServerOptions options;
  UuidV7Generator ids;
  SchedulingProjection projection;
  std::unique_ptr<projection::ProjectionRunner> runner;
  std::unique_ptr<aggregate::RowStateSource<v1::ScheduleRow, v1::JobSchedule>> schedule_source;
  std::unique_ptr<aggregate::RowStateSource<v1::TechnicianRow, v1::Technician>> technician_source;
  std::unique_ptr<aggregate::RowStateSource<v1::CrewRow, v1::Crew>> crew_source;
  std::unique_ptr<aggregate::RowStateSource<v1::ZoneRow, v1::ServiceZone>> zone_source;
  std::unique_ptr<aggregate::RowStateSource<v1::AgreementRow, v1::Agreement>> agreement_source;
  std::unique_ptr<aggregate::RowStateSource<v1::TrackRow, v1::TrackState>> track_source;
  std::unique_ptr<ScheduleWriter> schedules;
  std::unique_ptr<TechnicianWriter> technicians;
  std::unique_ptr<CrewWriter> crews;
  std::unique_ptr<ZoneWriter> zones;
  std::unique_ptr<AgreementWriter> agreements;
  std::unique_ptr<TrackWriter> tracks;
  std::unique_ptr<Calendars> calendars;
  std::unique_ptr<job::GrpcJobs> grpc_jobs;
  std::unique_ptr<AppointmentCommands> appointment_commands;
  std::unique_ptr<RosterCommands> roster_commands;
  std::unique_ptr<AgreementCommands> agreement_commands;
  std::unique_ptr<SchedulingQueries> queries;
  std::unique_ptr<SchedulingReactions> reactions;
  std::unique_ptr<projection::ProjectionRunner> reactions_runner;
  std::unique_ptr<AgreementPlanner> planner;
  std::unique_ptr<TechnicianService> technician_service;
  std::unique_ptr<DispatchService> dispatch_service;
  std::unique_ptr<AgreementService> agreement_service;
  std::unique_ptr<server::Server> server;

  explicit Parts(SchedulingServerOptions scheduling_options)
      : options(std::move(scheduling_options)),
        projection(options.scheduling_topic, options.job_topic) {}
};

SchedulingServer::SchedulingServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

SchedulingServer::~SchedulingServer() { (void)Shutdown(); }

absl::StatusOr<std::unique_ptr<SchedulingServer>> SchedulingServer::Start(
    SchedulingServerOptions options) {
  if (options.log == nullptr) {
    return absl::InvalidArgumentError("the scheduling service needs a log");
  }
  if (options.server.data_dir.empty()) {
    return absl::InvalidArgumentError(
        "--data-dir: the scheduling service keeps its projection there");
  }
  auto parts = std::make_unique<Parts>(std::move(options));
  Parts& p = *parts;
  if (absl::Status s =
          server::WaitForTopics(*p.options.log, p.projection.topics(), p.options.topic_wait);
      !s.ok()) {
    return s;
  }
  JobsPort* jobs = p.options.jobs;
  if (jobs == nullptr) {
    if (p.options.job_address.empty()) {
      return absl::InvalidArgumentError(
          "--job-address: the scheduling service calls the job service");
    }
    auto connected =
        job::GrpcJobs::Connect(p.options.server, p.options.job_address, absl::Seconds(5));
    if (!connected.ok()) return connected.status();
    p.grpc_jobs = *std::move(connected);
    jobs = p.grpc_jobs.get();
  }

  auto metrics = std::make_shared<prometheus::Registry>();
  const projection::RunnerOptions runner_options = projection::ServiceRunnerOptions(
      p.options.server.data_dir, p.options.log, metrics.get(), p.options.projection_cache_bytes);
  auto runner = projection::ProjectionRunner::Start(p.projection, runner_options);
  if (!runner.ok()) return runner.status();
  p.runner = *std::move(runner);

  const projection::ProjectionRunner* r = p.runner.get();
  p.schedule_source =
      aggregate::MakeRowStateSource(r, ScheduleTable(), PrimaryKey, &v1::ScheduleRow::schedule);
  p.technician_source = aggregate::MakeRowStateSource(r, TechnicianTable(), PrimaryKey,
                                                      &v1::TechnicianRow::technician);
  p.crew_source = aggregate::MakeRowStateSource(r, CrewTable(), PrimaryKey, &v1::CrewRow::crew);
  p.zone_source = aggregate::MakeRowStateSource(r, ZoneTable(), PrimaryKey, &v1::ZoneRow::zone);
  p.agreement_source =
      aggregate::MakeRowStateSource(r, AgreementTable(), PrimaryKey, &v1::AgreementRow::agreement);
  p.track_source = aggregate::MakeRowStateSource(r, TrackTable(), PrimaryKey, &v1::TrackRow::track);

  aggregate::WriterOptions writer_options;
  writer_options.log = p.options.log;
  writer_options.topic = p.options.scheduling_topic;
  writer_options.source = "/jobledger/scheduling";
  writer_options.ids = &p.ids;
  absl::Status made = aggregate::CreateWriter(p.schedules, writer_options, kScheduleAggregate,
                                              p.schedule_source.get(), EvolveSchedule);
  if (made.ok()) {
    made = aggregate::CreateWriter(p.technicians, writer_options, kTechnicianAggregate,
                                   p.technician_source.get(), EvolveTechnician);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.crews, writer_options, kCrewAggregate, p.crew_source.get(),
                                   EvolveCrew);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.zones, writer_options, kZoneAggregate, p.zone_source.get(),
                                   EvolveZone);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.agreements, writer_options, kAgreementAggregate,
                                   p.agreement_source.get(), EvolveAgreement);
  }
  if (made.ok()) {
    made = aggregate::CreateWriter(p.tracks, writer_options, kTrackAggregate, p.track_source.get(),
                                   EvolveTrack);
  }
  if (!made.ok()) return made;

  p.calendars = std::make_unique<Calendars>(r);
  AppointmentCommandsOptions appointment_options;
  appointment_options.schedules = p.schedules.get();
  appointment_options.technicians = p.technicians.get();
  appointment_options.crews = p.crews.get();
  appointment_options.calendars = p.calendars.get();
  appointment_options.projection = r;
  appointment_options.ids = &p.ids;
  appointment_options.zone = p.options.time_zone;
  appointment_options.log = p.options.log;
  appointment_options.job_topic = p.options.job_topic;
  appointment_options.scheduling_topic = p.options.scheduling_topic;
  p.appointment_commands = std::make_unique<AppointmentCommands>(appointment_options);

  RosterCommandsOptions roster_options;
  roster_options.technicians = p.technicians.get();
  roster_options.crews = p.crews.get();
  roster_options.zones = p.zones.get();
  roster_options.tracks = p.tracks.get();
  roster_options.ids = &p.ids;
  roster_options.zone = p.options.time_zone;
  p.roster_commands = std::make_unique<RosterCommands>(roster_options);

  AgreementCommandsOptions agreement_options;
  agreement_options.agreements = p.agreements.get();
  agreement_options.appointments = p.appointment_commands.get();
  agreement_options.jobs = jobs;
  agreement_options.projection = r;
  agreement_options.ids = &p.ids;
  agreement_options.zone = p.options.time_zone;
  p.agreement_commands = std::make_unique<AgreementCommands>(agreement_options);

  SchedulingQueriesOptions query_options;
  query_options.projection = r;
  query_options.zone = p.options.time_zone;
  query_options.log = p.options.log;
  query_options.job_topic = p.options.job_topic;
  p.queries = std::make_unique<SchedulingQueries>(query_options);

  ReactionsOptions reaction_options;
  reaction_options.scheduling_topic = p.options.scheduling_topic;
  reaction_options.job_topic = p.options.job_topic;
  reaction_options.jobs = jobs;
  reaction_options.appointments = p.appointment_commands.get();
  reaction_options.schedules = p.schedules.get();
  reaction_options.projection = r;
  reaction_options.log = p.options.log;
  p.reactions = std::make_unique<SchedulingReactions>(reaction_options);
  projection::RunnerOptions reactions_runner_options = runner_options;
  reactions_runner_options.directory =
      (std::filesystem::path(p.options.server.data_dir) / "reactions").string();
  auto reactions_runner =
      projection::ProjectionRunner::Start(*p.reactions, reactions_runner_options);
  if (!reactions_runner.ok()) return reactions_runner.status();
  p.reactions_runner = *std::move(reactions_runner);
  p.planner = std::make_unique<AgreementPlanner>(p.agreement_commands.get(),
                                                 p.options.agreement_planning_interval);

  p.technician_service =
      std::make_unique<TechnicianService>(p.roster_commands.get(), p.queries.get());
  p.dispatch_service =
      std::make_unique<DispatchService>(p.appointment_commands.get(), p.queries.get());
  p.agreement_service =
      std::make_unique<AgreementService>(p.agreement_commands.get(), p.queries.get());

  server::ServerOptions server_options;
  server_options.config = p.options.server;
  server_options.metrics = metrics;
  server_options.AddService<v1::TechnicianService>(p.technician_service.get())
      .AddService<v1::DispatchService>(p.dispatch_service.get())
      .AddService<v1::AgreementService>(p.agreement_service.get())
      .AddReadinessCheck("scheduling projection", [r] { return r->caught_up(); });
  AllowMethods(server_options.method_roles);
  auto started = server::Server::Start(std::move(server_options));
  if (!started.ok()) return started.status();
  p.server = *std::move(started);
  p.server->AddShutdownHook("agreement planner", [&p] {
    p.planner.reset();
    return absl::OkStatus();
  });
  p.server->AddShutdownHook("scheduling reactions", [&p] {
    p.reactions->Stop();
    return p.reactions_runner->Stop();
  });
  p.server->AddShutdownHook("scheduling projection", [r = p.runner.get()] { return r->Stop(); });
  return std::unique_ptr<SchedulingServer>(new SchedulingServer(std::move(parts)));
}

int SchedulingServer::port() const { return parts_->server->port(); }

server::Server& SchedulingServer::grpc_server() { return *parts_->server; }

int SchedulingServer::Run(server::ShutdownSignals& signals) { return parts_->server->Run(signals); }

absl::Status SchedulingServer::Shutdown() {
  if (parts_ == nullptr || parts_->server == nullptr) return absl::OkStatus();
  return parts_->server->Shutdown();
}

void SchedulingServer::WakePlanner() {
  if (parts_->planner != nullptr) parts_->planner->Wake();
}

}  // namespace jobledger::scheduling
