#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: MediSecure on its embedded default and on PostgreSQL, against reference peers on
# this machine, in one run.
#   1. installs what is missing (wrk, nginx, Orthanc, FastAPI + uvicorn, PostgreSQL), builds Release;
#   2. generates the same practice (the demo practice + BENCH_PATIENTS patients, default 100000)
#      twice: in SQLite files, and on a PostgreSQL 15 server started here as production runs it
#      (fsync and synchronous commit on; scripts/services/postgres.sh with MS_PG_DURABLE=1), one
#      database per context;
#   3. starts nginx serving a static patient JSON, the FastAPI reference (bench/fastapi_ref.py)
#      and Orthanc on loopback;
#   4. for each engine in turn, starts MediSecure on it (start-to-ready and idle RSS measured)
#      and drives each scenario with wrk at 50 and 256 connections (BENCH_SECONDS, default 10,
#      after a 2-second warm-up); the peers run beside the embedded default;
#   5. the production path (engine "stack"): scripts/stack.sh brings the topology up in
#      build/bench/stack (ports from BENCH_STACK_PORT_BASE, 25000; PostgreSQL, Redis behind
#      Sentinel, RabbitMQ, MariaDB, S3, HAProxy with TLS), the same practice is generated into it,
#      and the audited read, the searches, creates and the mixed workload go through HAProxy at
#      BENCH_STACK_CONNECTIONS (50), with two instances then one (stack.sh scale 1), each
#      instance's cache hits and misses read from its /metrics per scenario;
#   6. prints the tables with ratios (bench/report.py): MediSecure ÷ each peer, PostgreSQL ÷
#      the embedded default, two instances ÷ one and ÷ one instance on PostgreSQL directly.
# Everything lives in build/bench and every process started here is stopped here, by PID.
# Timings are measured, never asserted. Knobs: BENCH_PATIENTS, BENCH_APPOINTMENTS,
# BENCH_SECONDS, BENCH_CONNECTIONS ("50 256"), BENCH_ENGINES ("embedded postgresql stack"),
# BENCH_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
py=/usr/bin/python3

engines=${BENCH_ENGINES:-embedded postgresql stack}
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/deps.sh bench
  scripts/build.sh >/dev/null
fi
bin=$root/${BUILD_DIR:-build/release}/src/main/medisecure
[ -x "$bin" ] || { echo "bench: $bin is missing; run without BENCH_SKIP_BUILD" >&2; exit 1; }

work=$root/build/bench
rm -rf "$work" && mkdir -p "$work"
data=$work/data results=$work/results.jsonl facts=$work/facts.json
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-50 256}
export BENCH_LUA=$root/bench/lua

pids=()
pg_started=""
stack_started=""
stack_dir=$work/stack
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$pg_started" ]; then MS_SERVICES_DIR=$work/services "$root/scripts/services/postgres.sh" stop || true; fi
  if [ -n "${stack_started:-}" ]; then MS_STACK_DIR=$stack_dir "$root/scripts/stack.sh" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
wait_http() {  # url, seconds
  local deadline=$(( $(date +%s) + $2 ))
  until curl -fs -o /dev/null "$1"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.005
  done
}

wait_quiet() {  # COMMAND: polls the counter COMMAND prints until it grows by less than 20 in a second (180 s at most); prints the seconds waited
  local waited=0 before now
  before=$("$@")
  while [ "$waited" -lt 180 ]; do
    sleep 1
    waited=$((waited + 1))
    now=$("$@")
    if [ $((now - before)) -lt 20 ]; then break; fi
    before=$now
  done
  echo "$waited"
}

generate() {  # data-dir [VAR=VALUE…]: the practice, the same on every engine (a fixed seed)
  local dir=$1
  shift
  env "$@" "$bin" demo generate --data-dir "$dir" --log-level warn --patients "${BENCH_PATIENTS:-100000}" \
    --appointments "${BENCH_APPOINTMENTS:-3000}" | tail -1
}
echo "bench: generating the practice (${BENCH_PATIENTS:-100000} patients) in $data"
t0=$(now_ns)
generate "$data"
gen_s=$(( ($(now_ns) - t0) / 1000000 ))

# PostgreSQL as production runs it, one database per context, the same practice.
pg_env=()
pgdata=$work/data-pg
gen_pg_s=0
if [[ " $engines " == *" postgresql "* ]]; then
  pg_admin=$(MS_SERVICES_DIR=$work/services MS_PG_PORT=${BENCH_PG_PORT:-55433} MS_PG_DURABLE=1 MS_PG_DB=medisecure_bench \
    scripts/services/postgres.sh start)
  pg_started=1
  for ctx in identity patients audit appointments records documents billing notifications; do
    psql -q -d "$pg_admin" -c "CREATE DATABASE ms_$ctx" >/dev/null
    pg_env+=("MEDISECURE_${ctx^^}_DB_URL=${pg_admin%/*}/ms_$ctx")
  done
  echo "bench: generating the same practice on PostgreSQL (${pg_admin%/*}, fsync on)"
  t0=$(now_ns)
  generate "$pgdata" "${pg_env[@]}"
  gen_pg_s=$(( ($(now_ns) - t0) / 1000000 ))
fi
pg_query() {  # context sql: one column, one value a line
  psql -At -d "${pg_admin%/*}/ms_$1" -c "$2"
}

# ---- MediSecure, on one engine at a time ------------------------------------------------------
declare -A facts_of
ms_pid=""
start_medisecure() {  # engine: starts it on that engine's practice, logs the staff in, samples ids
  local engine=$1 dir=$data
  local -a env_of=()
  if [ "$engine" = postgresql ]; then dir=$pgdata env_of=("${pg_env[@]}"); fi
  ms_port=$(free_port)
  ms=http://127.0.0.1:$ms_port
  local t0
  t0=$(now_ns)
  # The bench measures the server, not its rate limiter: per-address and per-user limits are off
  # (one address sends everything); access tokens (an hour) outlive the run.
  env "${env_of[@]}" MEDISECURE_RATE_LIMIT_IP=0 MEDISECURE_RATE_LIMIT_USER=0 MEDISECURE_ACCESS_TOKEN_TTL=3600 \
    MEDISECURE_LOG_LEVEL=warn MEDISECURE_STATIC_DIR="$work/none" \
    "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$ms_port" >"$work/medisecure-$engine.log" 2>&1 &
  ms_pid=$!
  pids+=("$ms_pid")
  wait_http "$ms/health/ready" 60
  ready_ms=$(( ($(now_ns) - t0) / 1000000 ))
  sleep 1
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$ms_pid/status")

  # Staff tokens (several users per role: authorisation is checked per request, never cached).
  tokens=$work/tokens-$engine.txt
  : >"$tokens"
  while read -r role email password _; do
    case "$role" in doctor | nurse | secretary) ;; *) continue ;; esac
    token=$(curl -fsS -X POST "$ms/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"$password\"}" | $py -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    echo "$role $token" >>"$tokens"
  done < <(grep -E '^\s+(doctor|nurse|secretary)\s' "$dir/demo-credentials.txt")
  ids=$work/ids-$engine.txt doctors=$work/doctors-$engine.txt
  local types="SELECT practitioner_id, min(id) FROM appointment_types WHERE duration_minutes = 20 AND active = 1 GROUP BY practitioner_id"
  if [ "$engine" = postgresql ]; then
    patients_n=$(pg_query patients "SELECT count(*) FROM patients")
    pg_query patients "SELECT id FROM patients ORDER BY random() LIMIT 20000" >"$ids"
    psql -At -F ' ' -d "${pg_admin%/*}/ms_appointments" -c "$types" >"$doctors"
  else
    patients_n=$(sqlite3 "$data/patients.db" "SELECT count(*) FROM patients")
    sqlite3 "$data/patients.db" "SELECT id FROM patients ORDER BY random() LIMIT 20000" >"$ids"
    sqlite3 -separator ' ' "$data/appointments.db" "$types" >"$doctors"
  fi
  echo "bench: MediSecure on $engine ready in ${ready_ms} ms, idle RSS $(( rss_kib / 1024 )) MiB with $patients_n patients"
  common=(TOKENS="$tokens" IDS="$ids" DOCTORS="$doctors")
  # The generated practice's bookings leave thousands of notifications in the outboxes
  # (confirmation e-mails, in-app notices), which the server works through in its first
  # seconds: measure after.
  local waited
  waited=$(wait_quiet jobs_done)
  echo "bench: waited ${waited}s for the start-up notifications ($(jobs_done) jobs run or relayed)"
}

stop_medisecure() {
  kill "$ms_pid"
  wait "$ms_pid" 2>/dev/null || true
}

metric() {  # the sum of a metric's samples on /metrics
  curl -fsS "$ms/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d\n", s}'
}
jobs_done() { echo $(($(metric medisecure_jobs_total) + $(metric medisecure_jobs_relayed_total))); }
run() {  # target scenario connections url script [env…]
  local target=$1 scenario=$2 conns=$3 url=$4 script=$5
  shift 5
  local threads=2
  if [ "$conns" -lt 2 ]; then threads=1; fi
  env "$@" SCENARIO="$scenario" BENCH_PHASE=warmup wrk -t"$threads" -c"$conns" -d2s --timeout 5s -s "$script" "$url" >/dev/null 2>&1 || true
  local out
  out=$(env "$@" SCENARIO="$scenario" wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s "$script" "$url" 2>&1) || true
  local line
  line=$(grep '^BENCH ' <<<"$out" | tail -1 | cut -c7-)
  [ -n "$line" ] || { echo "bench: wrk gave no result for $target $scenario:" >&2; echo "$out" >&2; return 1; }
  echo "{\"target\":\"$target\",\"connections\":$conns,${line:1}" >>"$results"
  printf '  %-14s %-12s c=%-4s %s\n' "$target" "$scenario" "$conns" \
    "$($py -c 'import json,sys; r=json.loads(sys.argv[1]); print("%10.0f req/s  p99 %.1f ms" % (r["rps"], r["p99_ms"]))' "{${line:1}")"
}
get=$BENCH_LUA/get.lua

# Search terms drawn from the whole registry (cache-cold): a prefix of a random patient's last
# name (2 letters to all of it), half the time followed by the first letters of a first name, as
# the front desk types them; 40,000 of them, nearly all distinct, the same for both engines.
sqlite3 "$data/patients.db" "SELECT sort_key FROM patients ORDER BY random() LIMIT 40000" | $py -c '
import random, sys, urllib.parse
random.seed(20)
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    last = words[0]
    term = last[:random.randint(min(2, len(last)), len(last))]
    if len(words) > 1 and random.random() < 0.5:
        term += " " + words[-1][:random.randint(1, min(3, len(words[-1])))]
    print(urllib.parse.quote(term))
' >"$work/cold-terms.txt"

# ---- nginx, FastAPI and Orthanc, measured beside the embedded default -----------------------
start_peers() {
  ngx=$work/nginx
  mkdir -p "$ngx/root/health" "$ngx/logs" "$ngx/tmp"
  local sample_id first_token
  sample_id=$(head -1 "$ids")
  first_token=$(head -1 "$tokens" | cut -d' ' -f2)
  curl -fsS -H "Authorization: Bearer $first_token" "$ms/api/v1/patients/$sample_id" >"$ngx/root/patient.json"
  printf '{"status":"ok"}' >"$ngx/root/health/live"
  ngx_port=$(free_port)
  cat >"$ngx/nginx.conf" <<EOF
worker_processes auto;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $ngx/tmp; proxy_temp_path $ngx/tmp; fastcgi_temp_path $ngx/tmp;
  uwsgi_temp_path $ngx/tmp; scgi_temp_path $ngx/tmp;
  default_type application/json;
  server { listen 127.0.0.1:$ngx_port; root $ngx/root; }
}
EOF
  nginx -c "$ngx/nginx.conf" -p "$ngx" -g 'daemon off;' &
  pids+=($!)
  wait_http "http://127.0.0.1:$ngx_port/patient.json" 10

  fa_port=$(free_port)
  (cd "$root/bench" && MEDISECURE_DATA_DIR=$data BENCH_AUDIT_DB=$work/fastapi-audit.db \
    exec $py -m uvicorn fastapi_ref:app --host 127.0.0.1 --port "$fa_port" --workers 2 \
    --log-level warning --no-access-log) >"$work/fastapi.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$fa_port/health/live" 30
  curl -fsS -o /dev/null -H "Authorization: Bearer $first_token" "http://127.0.0.1:$fa_port/api/v1/patients/$sample_id"

  orth=$work/orthanc
  mkdir -p "$orth/db"
  orth_port=$(free_port)
  cat >"$orth/orthanc.json" <<EOF
{ "Name": "bench", "StorageDirectory": "$orth/db", "IndexDirectory": "$orth/db", "HttpPort": $orth_port,
  "DicomServerEnabled": false, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
  "HttpThreadsCount": 50, "Plugins": [], "KeepAlive": true, "TcpNoDelay": true }
EOF
  Orthanc "$orth/orthanc.json" >"$orth/log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$orth_port/system" 30
  $py bench/make_dicom.py "$orth/dicom" "${BENCH_DICOM_PATIENTS:-200}"
  for f in "$orth"/dicom/*.dcm; do
    curl -fsS -o /dev/null -X POST --data-binary "@$f" "http://127.0.0.1:$orth_port/instances"
  done
  curl -fsS "http://127.0.0.1:$orth_port/patients" | $py -c 'import json,sys; print("\n".join(json.load(sys.stdin)))' >"$orth/ids.txt"
}

# ---- The stack: through HAProxy (TLS) to two instances, then one ------------------------------
stack_metric() {  # the sum of a metric over every running instance of the stack
  local port total=0 n
  for port in $STACK_SERVE_PORTS; do
    n=$(curl -fsS -H "Authorization: Bearer $(cat "$STACK_METRICS_TOKEN_FILE")" "http://127.0.0.1:$port/metrics" 2>/dev/null |
      awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d\n", s}') || n=0
    total=$((total + n))
  done
  echo "$total"
}
stack_cache() {  # "hits misses" over the instances now
  echo "$(stack_metric medisecure_cache_hits_total) $(stack_metric medisecure_cache_misses_total)"
}
declare -A stack_cache_of
bench_stack() {
  local t0 n up_s gen_s instances scenario before after c
  export MS_STACK_DIR=$stack_dir MS_STACK_PORT_BASE=${BENCH_STACK_PORT_BASE:-25000} MS_STACK_BUILD=0
  # As in the failover test: the limits of a single client address are for attackers, not for
  # the bench's one address (HAProxy's per address, the application's per address and user).
  export MEDISECURE_HAPROXY_RATE_LIMIT=1000000 MEDISECURE_RATE_LIMIT_IP=100000/100000
  export MEDISECURE_RATE_LIMIT_USER=100000/100000 MEDISECURE_ACCESS_TOKEN_TTL=3600
  echo "bench: starting the stack (scripts/stack.sh up, $MS_STACK_DIR)"
  t0=$(now_ns)
  stack_started=1
  if ! scripts/stack.sh up >"$work/stack-up.log" 2>&1; then
    tail -30 "$work/stack-up.log" >&2
    return 1
  fi
  up_s=$(( ($(now_ns) - t0) / 1000000000 ))
  # shellcheck source=/dev/null
  . "$MS_STACK_DIR/stack.env"
  echo "bench: generating the same practice on the stack"
  t0=$(now_ns)
  # shellcheck source=/dev/null
  (set -a && . "$STACK_APP_ENV_FILE" && set +a && generate "$stack_dir/data") || return 1
  gen_s=$(( ($(now_ns) - t0) / 1000000000 ))
  local ms_url=$STACK_URL
  tokens=$work/tokens-stack.txt ids=$work/ids-stack.txt doctors=$work/doctors-stack.txt
  : >"$tokens"
  local role email password token
  while read -r role email password _; do
    case "$role" in doctor | nurse | secretary) ;; *) continue ;; esac
    token=$(curl -fsS --cacert "$STACK_CA_FILE" -X POST "$ms_url/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"$password\"}" | $py -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    echo "$role $token" >>"$tokens"
  done < <(grep -E '^\s+(doctor|nurse|secretary)\s' "$STACK_DEMO_CREDENTIALS_FILE")
  n=$(psql -At -d "$(cat "$STACK_SECRETS_DIR/patients_db_url")" -c "SELECT count(*) FROM patients")
  psql -At -d "$(cat "$STACK_SECRETS_DIR/patients_db_url")" -c "SELECT id FROM patients ORDER BY random() LIMIT 20000" >"$ids"
  psql -At -F ' ' -d "$(cat "$STACK_SECRETS_DIR/appointments_db_url")" \
    -c "SELECT practitioner_id, min(id) FROM appointment_types WHERE duration_minutes = 20 AND active = 1 GROUP BY practitioner_id" >"$doctors"
  # The generated bookings' notifications go through RabbitMQ to the worker: measure after.
  local worker="http://127.0.0.1:$((MS_STACK_PORT_BASE + 10))/metrics" waited
  worker_jobs() {
    curl -fsS -H "Authorization: Bearer $(cat "$STACK_METRICS_TOKEN_FILE")" "$worker" 2>/dev/null |
      awk '$1 ~ /^medisecure_jobs(_relayed)?_total({|$)/ {s += $2} END {printf "%d\n", s}'
  }
  waited=$(wait_quiet worker_jobs)
  echo "bench: the stack up in ${up_s} s, $n patients (generated in ${gen_s} s), ${waited} s for the start-up notifications"
  local stack_common=(TOKENS="$tokens" IDS="$ids" DOCTORS="$doctors")
  c=${BENCH_STACK_CONNECTIONS:-50}
  for instances in 2 1; do
    scripts/stack.sh scale "$instances" >"$work/stack-scale-$instances.log" 2>&1 || { tail -20 "$work/stack-scale-$instances.log" >&2; return 1; }
    # shellcheck source=/dev/null
    . "$MS_STACK_DIR/stack.env"
    echo "bench: the stack with $instances instance(s) behind HAProxy ($STACK_SERVE_PORTS)"
    for scenario in health get search search-cold create mixed; do
      before=$(stack_cache)
      case "$scenario" in
        health) run "stack-$instances" health "$c" "$ms_url" "$get" PREFIX=/health/live IDS= TOKENS= ;;
        get) run "stack-$instances" get "$c" "$ms_url" "$get" "${stack_common[@]}" ;;
        search) run "stack-$instances" search "$c" "$ms_url" "$BENCH_LUA/search.lua" "${stack_common[@]}" ;;
        search-cold) run "stack-$instances" search-cold "$c" "$ms_url" "$BENCH_LUA/search.lua" "${stack_common[@]}" TERMS="$work/cold-terms.txt" ;;
        create) run "stack-$instances" create "$c" "$ms_url" "$BENCH_LUA/create.lua" "${stack_common[@]}" ;;
        mixed) run "stack-$instances" mixed "$c" "$ms_url" "$BENCH_LUA/mixed.lua" "${stack_common[@]}" BASE_EPOCH=$mixed_base ;;
      esac
      after=$(stack_cache)
      # The warm-up's lookups count too: the rate is of the whole scenario.
      stack_cache_of[$instances-$scenario]="[$(( ${after% *} - ${before% *} )), $(( ${after#* } - ${before#* } ))]"
    done
  done
  local cache_json="" k
  for k in "${!stack_cache_of[@]}"; do cache_json+="${cache_json:+, }\"$k\": ${stack_cache_of[$k]}"; done
  facts_of[stack]="{\"patients\": $n, \"up_s\": $up_s, \"generate_s\": $gen_s, \"connections\": $c,
   \"cache\": {$cache_json}}"
  scripts/stack.sh down >"$work/stack-down.log" 2>&1 || tail -20 "$work/stack-down.log" >&2
  stack_started=""
}

# ---- Scenarios -------------------------------------------------------------------------------
echo "bench: $(nproc) cores, shared by the servers and wrk; ${seconds}s per run after a 2s warm-up"
mixed_base=$(( $(date -u -d 'today 00:00' +%s) + 150 * 86400 ))
race_base=$(( $(date -u -d 'today 00:00' +%s) + 400 * 86400 ))
for engine in $engines; do
  if [ "$engine" = stack ]; then
    bench_stack
    continue
  fi
  target=medisecure
  if [ "$engine" = postgresql ]; then target=medisecure-pg; fi
  start_medisecure "$engine"
  peers=0
  if [ "$engine" = embedded ]; then
    start_peers
    peers=1
  fi
  for c in $connections; do
    run "$target" health "$c" "$ms" "$get" PREFIX=/health/live IDS= TOKENS=
    if [ "$peers" = 1 ]; then
      run nginx health "$c" "http://127.0.0.1:$ngx_port" "$get" PREFIX=/health/live IDS= TOKENS=
      run fastapi health "$c" "http://127.0.0.1:$fa_port" "$get" PREFIX=/health/live IDS= TOKENS=
    fi
  done
  hits0=$(metric medisecure_cache_hits_total) miss0=$(metric medisecure_cache_misses_total)
  for c in $connections; do
    run "$target" get "$c" "$ms" "$get" "${common[@]}"
    if [ "$peers" = 1 ]; then
      run nginx get "$c" "http://127.0.0.1:$ngx_port" "$get" PREFIX=/patient.json IDS= TOKENS=
      run fastapi get "$c" "http://127.0.0.1:$fa_port" "$get" "${common[@]}"
      run orthanc get "$c" "http://127.0.0.1:$orth_port" "$get" PREFIX=/patients/ IDS="$orth/ids.txt" TOKENS=
    fi
  done
  hits1=$(metric medisecure_cache_hits_total) miss1=$(metric medisecure_cache_misses_total)
  for c in $connections; do
    run "$target" search "$c" "$ms" "$BENCH_LUA/search.lua" "${common[@]}"
  done
  for c in $connections; do
    run "$target" search-cold "$c" "$ms" "$BENCH_LUA/search.lua" "${common[@]}" TERMS="$work/cold-terms.txt"
  done
  for c in $connections; do
    run "$target" create "$c" "$ms" "$BENCH_LUA/create.lua" "${common[@]}"
  done
  hits2=$(metric medisecure_cache_hits_total) miss2=$(metric medisecure_cache_misses_total)
  for c in $connections; do
    run "$target" mixed "$c" "$ms" "$BENCH_LUA/mixed.lua" "${common[@]}" BASE_EPOCH=$mixed_base
  done
  hits3=$(metric medisecure_cache_hits_total) miss3=$(metric medisecure_cache_misses_total)
  run "$target" booking 64 "$ms" "$BENCH_LUA/booking.lua" "${common[@]}" BASE_EPOCH=$race_base RACERS=4
  # Overlapping live appointments of one practitioner: each is a double booking.
  overlap="SELECT count(*) FROM appointments a JOIN appointments b
    ON a.practitioner_id = b.practitioner_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
    WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'"
  if [ "$engine" = postgresql ]; then
    double=$(pg_query appointments "$overlap")
    audit_ok=$(env "${pg_env[@]}" "$bin" audit verify --data-dir "$pgdata" --log-level warn 2>/dev/null | head -1 || true)
  else
    double=$(sqlite3 "$data/appointments.db" "$overlap")
    audit_ok=$("$bin" audit verify --data-dir "$data" --log-level warn 2>/dev/null | head -1 || true)
  fi
  rss_after_kib=$(awk '/VmRSS/ {print $2}' "/proc/$ms_pid/status")
  stop_medisecure
  facts_of[$engine]="{\"patients\": $patients_n, \"ready_ms\": $ready_ms, \"idle_rss_kib\": $rss_kib,
   \"rss_after_kib\": $rss_after_kib, \"cache_get\": [$((hits1 - hits0)), $((miss1 - miss0))],
   \"cache_mixed\": [$((hits3 - hits2)), $((miss3 - miss2))], \"double_bookings\": $double,
   \"audit_verify\": \"$(echo "$audit_ok" | tr -d '"')\"}"
done

engine_facts=""
for engine in $engines; do engine_facts+="${engine_facts:+, }\"$engine\": ${facts_of[$engine]}"; done
cat >"$facts" <<EOF
{"cores": $(nproc), "generate_s": $(( gen_s / 1000 )), "generate_pg_s": $(( gen_pg_s / 1000 )), "seconds": $seconds,
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')", "engines": {$engine_facts}}
EOF
echo
$py bench/report.py "$results" "$facts" | tee "$work/report.md"
