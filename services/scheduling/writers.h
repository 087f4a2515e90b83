// The scheduling service's command writers, one per aggregate type.
#pragma once

#include "domain/schedule_events.h"
#include "jobledger/aggregate/command_writer.h"
#include "jobledger/scheduling/v1/rows.pb.h"
#include "jobledger/scheduling/v1/scheduling.pb.h"

namespace jobledger::scheduling {

using aggregate::Head;
using ScheduleWriter = aggregate::CommandWriter<v1::JobSchedule, ScheduleEvent>;
using TechnicianWriter = aggregate::CommandWriter<v1::Technician, TechnicianEvent>;
using CrewWriter = aggregate::CommandWriter<v1::Crew, CrewEvent>;
using ZoneWriter = aggregate::CommandWriter<v1::ServiceZone, ZoneEvent>;
using AgreementWriter = aggregate::CommandWriter<v1::Agreement, AgreementEvent>;
using TrackWriter = aggregate::CommandWriter<v1::TrackState, TrackEvent>;

}  // namespace jobledger::scheduling
