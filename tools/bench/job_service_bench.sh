#!/usr/bin/env bash
# The job service's figures (issue 6), measured with `jl loadgen` against `jobledger-job` running
# as a real process on a temp data dir:
#   commands: durable CreateJob + ChangeJobStatus, 32 closed-loop clients, beside a plain echo
#             service on the same chassis (same run, same clients); then open loop at 2,000/s.
#   lists:    ListJobs with random filters, page size 50, over JOBS seeded jobs; RSS of the
#             service after its projection caught up and after the list load.
# Usage: tools/bench/job_service_bench.sh [commands|lists|all]
# Environment: BUILD (build/release), RUNS (3), DURATION (20s), JOBS (1000000), RATE (2000),
#   WORK (a new temp dir; reused for the seeded log when it already holds one), LIST_CLIENTS (4).
set -euo pipefail

what=${1:-all}
BUILD=${BUILD:-build/release}
JL=$BUILD/tools/jl/jl
JOB=$BUILD/services/job/jobledger-job
RUNS=${RUNS:-3}
DURATION=${DURATION:-20s}
JOBS=${JOBS:-1000000}
RATE=${RATE:-2000}
LIST_CLIENTS=${LIST_CLIENTS:-4}
WORK=${WORK:-$(mktemp -d /tmp/job-bench.XXXXXX)}
export JOBLEDGER_JWT_HS256_KEY=${JOBLEDGER_JWT_HS256_KEY:-job-bench-key-job-bench-key-0123456789}
for binary in "$JL" "$JOB"; do
  [[ -x $binary ]] || { echo "missing $binary: cmake --build $BUILD --target jl_cli jl_job_server" >&2; exit 2; }
done

job_pid=
stop_job() {
  if [[ -n $job_pid ]] && kill -0 "$job_pid" 2>/dev/null; then
    kill -TERM "$job_pid"
    wait "$job_pid" || true
  fi
  job_pid=
}
trap stop_job EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_job <root>: the service on <root>/job with the log in <root>/log; sets port, metrics_port.
start_job() {
  port=$(free_port)
  metrics_port=$(free_port)
  "$JOB" --data-dir "$1/job" --log-dir "$1/log" --jwt-hs256-key "$JOBLEDGER_JWT_HS256_KEY" \
    --listen "127.0.0.1:$port" --metrics-listen "127.0.0.1:$metrics_port" --log-level warning \
    >"$1/job.log" 2>&1 &
  job_pid=$!
}

metric() { curl -sf "127.0.0.1:$metrics_port/metrics" | awk -v m="$1" '$1 ~ "^"m"[{ ]" || $1 == m {print $2; exit}'; }

# Waits until the job projection has applied everything in the log (lag 0 after having started).
wait_caught_up() {
  local started=$SECONDS lag
  sleep 2  # the lag gauge is first set a second after start
  while true; do
    kill -0 "$job_pid" 2>/dev/null || { echo "jobledger-job exited; see its log" >&2; exit 1; }
    lag=$(metric jobledger_projection_lag_events || true)
    if [[ $lag == 0 ]]; then break; fi
    sleep 1
  done
  echo "projection caught up in $((SECONDS - started)) s"
}

rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MiB  ", $1, $2/1024} END {print ""}' "/proc/$job_pid/status"; }

if [[ $what == commands || $what == all ]]; then
  for run in $(seq "$RUNS"); do
    root=$WORK/commands-$run
    rm -rf "$root"
    "$JL" loadgen seed --log-dir "$root/log" --jobs 0 >/dev/null  # creates both topics
    start_job "$root"
    wait_caught_up
    echo "== commands, run $run: closed loop, 32 clients"
    echo "\$ jl loadgen run --target 127.0.0.1:PORT --clients 32 --mix create=1,status=2 --duration $DURATION"
    "$JL" loadgen run --target "127.0.0.1:$port" --clients 32 --mix create=1,status=2 \
      --duration "$DURATION" || true
    echo "== commands, run $run: open loop, $RATE/s"
    echo "\$ jl loadgen run --target 127.0.0.1:PORT --clients 32 --rate $RATE --mix create=1,status=2 --duration $DURATION"
    "$JL" loadgen run --target "127.0.0.1:$port" --clients 32 --rate "$RATE" \
      --mix create=1,status=2 --duration "$DURATION" || true
    echo "job service: $(rss)"
    stop_job
  done
fi

if [[ $what == lists || $what == all ]]; then
  root=$WORK/lists
  if [[ ! -d $root/log ]]; then
    echo "== seeding $JOBS jobs"
    "$JL" loadgen seed --log-dir "$root/log" --jobs "$JOBS"
  fi
  start_job "$root"
  wait_caught_up
  echo "job service after catching up: $(rss)"
  for run in $(seq "$RUNS"); do
    echo "== lists over $JOBS jobs, run $run: $LIST_CLIENTS closed-loop clients, page size 50"
    echo "\$ jl loadgen run --target 127.0.0.1:PORT --mix list=1 --seeded-jobs $JOBS --clients $LIST_CLIENTS --duration $DURATION"
    "$JL" loadgen run --target "127.0.0.1:$port" --mix list=1 --seeded-jobs "$JOBS" \
      --clients "$LIST_CLIENTS" --duration "$DURATION" || true
    echo "job service after the list load: $(rss)"
  done
  stop_job
fi
echo "work dir: $WORK"
