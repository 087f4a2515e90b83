#!/usr/bin/env bash
# The scheduling service's figures (issue 7), measured with `jl loadgen` against
# `jobledger-scheduling` (and the `jobledger-job` it reports to) running as real processes on a
# temp dir holding a seeded log: TECHNICIANS technicians with Mon–Sat 07:00–19:00 UTC shifts and
# calendars three quarters full (JOBS jobs: nine in ten with an appointment, so 100,000
# appointments by default; one in ten Open without a date, the jobs the load books).
#   assign:     ScheduleAppointment of a waiting job for a random technician in a random 2-hour slot
#               of the seeded weeks (conflict-checked: booked or refused with FAILED_PRECONDITION,
#               both count as completed calls), CLIENTS closed-loop clients, then open loop at
#               RATE/s; beside a plain echo service on the same chassis (same run, same clients).
#   free_slots: FindFreeSlots for a waiting job (one required skill, ~170 technicians have it)
#               over 7 days of the seeded weeks, SLOT_CLIENTS closed-loop clients, then open loop
#               at SLOT_RATE/s; with the same echo baseline.
# Each run starts from a fresh copy of the seeded log (bookings of one run do not fill the next
# one's calendars) and waits until both services' projections have caught up.
# Usage: tools/bench/scheduling_bench.sh
# Environment: BUILD (build/release), RUNS (2), DURATION (15s), JOBS (111111), TECHNICIANS (500),
#   CLIENTS (8), RATE (200), SLOT_CLIENTS (4), SLOT_RATE (50), WORK (a new temp dir; its seeded log
#   is reused when it was seeded today with the same counts: the load aims at the seeded weeks,
#   which lie around the seeding day).
set -euo pipefail

BUILD=${BUILD:-build/release}
JL=$BUILD/tools/jl/jl
JOB=$BUILD/services/job/jobledger-job
SCHEDULING=$BUILD/services/scheduling/jobledger-scheduling
RUNS=${RUNS:-2}
DURATION=${DURATION:-15s}
JOBS=${JOBS:-111111}
TECHNICIANS=${TECHNICIANS:-500}
CLIENTS=${CLIENTS:-8}
RATE=${RATE:-200}
SLOT_CLIENTS=${SLOT_CLIENTS:-4}
SLOT_RATE=${SLOT_RATE:-50}
WORK=${WORK:-$(mktemp -d /tmp/scheduling-bench.XXXXXX)}
export JOBLEDGER_JWT_HS256_KEY=${JOBLEDGER_JWT_HS256_KEY:-scheduling-bench-key-0123456789abcdef}
for binary in "$JL" "$JOB" "$SCHEDULING"; do
  [[ -x $binary ]] || {
    echo "missing $binary: cmake --build $BUILD --target jl_cli jl_job_server jl_scheduling_server" >&2
    exit 2
  }
done

job_pid=
scheduling_pid=
stop_services() {
  for pid in $scheduling_pid $job_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      wait "$pid" || true
    fi
  done
  job_pid=
  scheduling_pid=
}
trap stop_services EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_services <root>: both services on <root>/log; sets job_port, scheduling_port and the
# metrics ports.
start_services() {
  job_port=$(free_port)
  job_metrics=$(free_port)
  scheduling_port=$(free_port)
  scheduling_metrics=$(free_port)
  "$JOB" --data-dir "$1/job" --log-dir "$1/log" --jwt-hs256-key "$JOBLEDGER_JWT_HS256_KEY" \
    --listen "127.0.0.1:$job_port" --metrics-listen "127.0.0.1:$job_metrics" --log-level warning \
    >"$1/job.log" 2>&1 &
  job_pid=$!
  "$SCHEDULING" --data-dir "$1/scheduling" --log-dir "$1/log" \
    --jwt-hs256-key "$JOBLEDGER_JWT_HS256_KEY" --job-address "127.0.0.1:$job_port" \
    --time-zone UTC --listen "127.0.0.1:$scheduling_port" \
    --metrics-listen "127.0.0.1:$scheduling_metrics" --log-level warning \
    >"$1/scheduling.log" 2>&1 &
  scheduling_pid=$!
}

# lag <metrics port>: the largest jobledger_projection_lag_events of the process (every projection
# and partition), empty when /metrics does not answer.
lag() {
  curl -sf "127.0.0.1:$1/metrics" |
    awk '$1 ~ /^jobledger_projection_lag_events[{ ]/ || $1 == "jobledger_projection_lag_events" {
           seen = 1; if ($2 + 0 > max) max = $2 + 0 }
         END { if (seen) print max + 0 }'
}

# applied <metrics port>: events the process's projections have applied, all of them together.
applied() {
  curl -sf "127.0.0.1:$1/metrics" |
    awk '$1 ~ /^jobledger_projection_events_applied_total[{ ]/ { sum += $2 } END { print sum + 0 }'
}

# Waits until every projection of both services has applied everything in the log (and has
# applied something: a lag of 0 before the first poll means nothing).
wait_caught_up() {
  local started=$SECONDS job_lag scheduling_lag
  sleep 2  # the lag gauges are first set a second after start
  while true; do
    kill -0 "$job_pid" 2>/dev/null || { echo "jobledger-job exited; see $1/job.log" >&2; exit 1; }
    kill -0 "$scheduling_pid" 2>/dev/null ||
      { echo "jobledger-scheduling exited; see $1/scheduling.log" >&2; exit 1; }
    job_lag=$(lag "$job_metrics" || true)
    scheduling_lag=$(lag "$scheduling_metrics" || true)
    if [[ $job_lag == 0 && $scheduling_lag == 0 && $(applied "$job_metrics") -gt 0 &&
      $(applied "$scheduling_metrics") -gt 0 ]]; then
      break
    fi
    sleep 1
  done
  echo "projections caught up in $((SECONDS - started)) s"
}

rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MiB  ", $1, $2/1024} END {print ""}' "/proc/$1/status"; }

# measure <label> <jl loadgen run arguments...>: one run, its table kept for the summary.
summary=()
measure() {
  local label=$1 out
  shift
  echo "== $label"
  echo "\$ jl loadgen run --target 127.0.0.1:PORT $*"
  out=$("$JL" loadgen run --target "127.0.0.1:$scheduling_port" --seeded-jobs "$JOBS" \
    --technicians "$TECHNICIANS" "$@" --duration "$DURATION" 2>&1) || true
  echo "$out"
  summary+=("$(echo "$out" | awk -v label="$label" '
    $1 == "RPC" { refused_column = ($3 == "REFUSED") }
    $1 == "all" {
      i = refused_column ? 1 : 0  # the "all" row: OK [REFUSED] ERR RATE/S P50 P90 P99 ...
      line = sprintf("p50 %s  p90 %s  p99 %s ms  %s calls/s  %s errors", $(5+i), $(6+i), $(7+i),
                     $(4+i), $(3+i))
      if (++reports == 1) service = line; else echo = line
    }
    /refused by design/ { match($0, /[0-9.]+% refused/); refused = substr($0, RSTART, RLENGTH) }
    END { printf "%s\n    service: %s%s\n    echo:    %s\n", label, service,
                 refused == "" ? "" : "  (" refused ")", echo }')")
}

seed=$WORK/seed
stamp="$(date -u +%F) jobs=$JOBS technicians=$TECHNICIANS"
if [[ ! -d $seed/log || $(cat "$seed/seeded" 2>/dev/null) != "$stamp" ]]; then
  rm -rf "$seed"
  echo "== seeding $JOBS jobs, $TECHNICIANS scheduling technicians"
  echo "\$ jl loadgen seed --log-dir DIR/log --jobs $JOBS --scheduling-technicians $TECHNICIANS"
  "$JL" loadgen seed --log-dir "$seed/log" --jobs "$JOBS" --scheduling-technicians "$TECHNICIANS"
  echo "$stamp" >"$seed/seeded"
fi

echo "load before measuring: $(uptime)"
for run in $(seq "$RUNS"); do
  root=$WORK/run-$run
  rm -rf "$root"
  mkdir -p "$root"
  cp -a "$seed/log" "$root/log"
  start_services "$root"
  wait_caught_up "$root"
  echo "jobledger-scheduling after catching up: $(rss "$scheduling_pid")"
  echo "load: $(uptime)"
  measure "run $run: assign, closed loop, $CLIENTS clients" --clients "$CLIENTS" --mix assign=1
  measure "run $run: assign, open loop, $RATE/s" --clients "$CLIENTS" --rate "$RATE" --mix assign=1
  measure "run $run: free_slots, closed loop, $SLOT_CLIENTS clients" --clients "$SLOT_CLIENTS" \
    --mix free_slots=1
  measure "run $run: free_slots, open loop, $SLOT_RATE/s" --clients "$SLOT_CLIENTS" \
    --rate "$SLOT_RATE" --mix free_slots=1
  echo "jobledger-scheduling after the load: $(rss "$scheduling_pid")"
  echo "jobledger-job: ChangeJobStatus calls (the scheduling reactions moving newly booked jobs" \
    "to Scheduled): $(curl -sf "127.0.0.1:$job_metrics/metrics" |
      awk '/^jobledger_grpc_server_handled_total/ && /ChangeJobStatus/ { sum += $2 }
           END { print sum + 0 }')"
  echo "load: $(uptime)"
  stop_services
done

echo
echo "== summary (targets: assign p99 < 5 ms, free_slots p99 < 20 ms)"
printf '%s\n' "${summary[@]}"
echo "work dir: $WORK"
