#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: MediSecure against reference peers on this machine, in one run.
#   1. installs what is missing (wrk, nginx, Orthanc, FastAPI + uvicorn), builds Release;
#   2. generates a practice (the demo practice + BENCH_PATIENTS patients, default 100000);
#   3. starts MediSecure (start-to-ready and idle RSS measured), nginx serving a static patient
#      JSON, the FastAPI reference (bench/fastapi_ref.py) and Orthanc on loopback;
#   4. drives each scenario with wrk at 50 and 256 connections (BENCH_SECONDS, default 10, after
#      a 2-second warm-up) and prints the table with ratios (bench/report.py).
# Everything lives in build/bench and every process started here is stopped here, by PID.
# Timings are measured, never asserted. Knobs: BENCH_PATIENTS, BENCH_APPOINTMENTS,
# BENCH_SECONDS, BENCH_CONNECTIONS ("50 256"), BENCH_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
py=/usr/bin/python3

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
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
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

echo "bench: generating the practice (${BENCH_PATIENTS:-100000} patients) in $data"
t0=$(now_ns)
"$bin" demo generate --data-dir "$data" --log-level warn --patients "${BENCH_PATIENTS:-100000}" \
  --appointments "${BENCH_APPOINTMENTS:-3000}" | tail -1
gen_s=$(( ($(now_ns) - t0) / 1000000 ))

# ---- MediSecure -------------------------------------------------------------------------------
ms_port=$(free_port)
ms=http://127.0.0.1:$ms_port
t0=$(now_ns)
# The bench measures the server, not its rate limiter: per-address and per-user limits are off
# (one address sends everything); access tokens (an hour) outlive the run.
MEDISECURE_RATE_LIMIT_IP=0 MEDISECURE_RATE_LIMIT_USER=0 MEDISECURE_ACCESS_TOKEN_TTL=3600 \
  MEDISECURE_LOG_LEVEL=warn MEDISECURE_STATIC_DIR=$work/none \
  "$bin" serve --data-dir "$data" --listen "127.0.0.1:$ms_port" >"$work/medisecure.log" 2>&1 &
ms_pid=$!
pids+=("$ms_pid")
wait_http "$ms/health/ready" 30
ready_ms=$(( ($(now_ns) - t0) / 1000000 ))
sleep 1
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$ms_pid/status")
patients_n=$(sqlite3 "$data/patients.db" "SELECT count(*) FROM patients")
echo "bench: MediSecure ready in ${ready_ms} ms, idle RSS $(( rss_kib / 1024 )) MiB with $patients_n patients"

# Staff tokens (several users per role: authorisation is checked per request, never cached).
tokens=$work/tokens.txt
: >"$tokens"
while read -r role email password _; do
  case "$role" in doctor | nurse | secretary) ;; *) continue ;; esac
  token=$(curl -fsS -X POST "$ms/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | $py -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  echo "$role $token" >>"$tokens"
done < <(grep -E '^\s+(doctor|nurse|secretary)\s' "$data/demo-credentials.txt")
sqlite3 "$data/patients.db" "SELECT id FROM patients ORDER BY random() LIMIT 20000" >"$work/ids.txt"
sqlite3 -separator ' ' "$data/appointments.db" \
  "SELECT practitioner_id, min(id) FROM appointment_types WHERE duration_minutes = 20 AND active = 1 GROUP BY practitioner_id" \
  >"$work/doctors.txt"
sample_id=$(head -1 "$work/ids.txt")
first_token=$(head -1 "$tokens" | cut -d' ' -f2)

# ---- nginx: a static file the size of a patient response ------------------------------------
ngx=$work/nginx && mkdir -p "$ngx/root/health" "$ngx/logs" "$ngx/tmp"
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

# ---- FastAPI reference -----------------------------------------------------------------------
fa_port=$(free_port)
(cd "$root/bench" && MEDISECURE_DATA_DIR=$data BENCH_AUDIT_DB=$work/fastapi-audit.db \
  exec $py -m uvicorn fastapi_ref:app --host 127.0.0.1 --port "$fa_port" --workers 2 \
  --log-level warning --no-access-log) >"$work/fastapi.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$fa_port/health/live" 30
curl -fsS -o /dev/null -H "Authorization: Bearer $first_token" "http://127.0.0.1:$fa_port/api/v1/patients/$sample_id"

# ---- Orthanc ---------------------------------------------------------------------------------
orth=$work/orthanc && mkdir -p "$orth/db"
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

# ---- Scenarios -------------------------------------------------------------------------------
metric() {  # the sum of a metric's samples on /metrics
  curl -fsS "$ms/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d\n", s}'
}
run() {  # target scenario connections url script [env…]
  local target=$1 scenario=$2 conns=$3 url=$4 script=$5
  shift 5
  local threads=2
  [ "$conns" -lt 2 ] && threads=1
  env "$@" SCENARIO="$scenario" BENCH_PHASE=warmup wrk -t"$threads" -c"$conns" -d2s --timeout 5s -s "$script" "$url" >/dev/null 2>&1 || true
  local out
  out=$(env "$@" SCENARIO="$scenario" wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 5s -s "$script" "$url" 2>&1) || true
  local line
  line=$(grep '^BENCH ' <<<"$out" | tail -1 | cut -c7-)
  [ -n "$line" ] || { echo "bench: wrk gave no result for $target $scenario:" >&2; echo "$out" >&2; return 1; }
  echo "{\"target\":\"$target\",\"connections\":$conns,${line:1}" >>"$results"
  printf '  %-10s %-8s c=%-4s %s\n' "$target" "$scenario" "$conns" \
    "$($py -c 'import json,sys; r=json.loads(sys.argv[1]); print("%10.0f req/s  p99 %.1f ms" % (r["rps"], r["p99_ms"]))' "{${line:1}")"
}
common=(TOKENS="$tokens" IDS="$work/ids.txt" DOCTORS="$work/doctors.txt")
get=$BENCH_LUA/get.lua

# The generated practice's bookings leave thousands of notifications in the outboxes (confirmation
# e-mails, in-app notices), which the server works through in its first seconds: measure after.
jobs_done() { echo $(($(metric medisecure_jobs_total) + $(metric medisecure_jobs_relayed_total))); }
waited=0 before=$(jobs_done)
while [ "$waited" -lt 120 ]; do
  sleep 1
  waited=$((waited + 1))
  now=$(jobs_done)
  [ $((now - before)) -lt 20 ] && break
  before=$now
done
echo "bench: waited ${waited}s for the start-up notifications ($now jobs run or relayed)"
echo "bench: $(nproc) cores, shared by the servers and wrk; ${seconds}s per run after a 2s warm-up"
for c in $connections; do
  run medisecure health "$c" "$ms" "$get" PREFIX=/health/live IDS= TOKENS=
  run nginx health "$c" "http://127.0.0.1:$ngx_port" "$get" PREFIX=/health/live IDS= TOKENS=
  run fastapi health "$c" "http://127.0.0.1:$fa_port" "$get" PREFIX=/health/live IDS= TOKENS=
done
hits0=$(metric medisecure_cache_hits_total) miss0=$(metric medisecure_cache_misses_total)
for c in $connections; do
  run medisecure get "$c" "$ms" "$get" "${common[@]}"
  run nginx get "$c" "http://127.0.0.1:$ngx_port" "$get" PREFIX=/patient.json IDS= TOKENS=
  run fastapi get "$c" "http://127.0.0.1:$fa_port" "$get" "${common[@]}"
  run orthanc get "$c" "http://127.0.0.1:$orth_port" "$get" PREFIX=/patients/ IDS="$orth/ids.txt" TOKENS=
done
hits1=$(metric medisecure_cache_hits_total) miss1=$(metric medisecure_cache_misses_total)
for c in $connections; do
  run medisecure search "$c" "$ms" "$BENCH_LUA/search.lua" "${common[@]}"
done
for c in $connections; do
  run medisecure create "$c" "$ms" "$BENCH_LUA/create.lua" "${common[@]}"
done
hits2=$(metric medisecure_cache_hits_total) miss2=$(metric medisecure_cache_misses_total)
mixed_base=$(( $(date -u -d 'today 00:00' +%s) + 150 * 86400 ))
for c in $connections; do
  run medisecure mixed "$c" "$ms" "$BENCH_LUA/mixed.lua" "${common[@]}" BASE_EPOCH=$mixed_base
done
hits3=$(metric medisecure_cache_hits_total) miss3=$(metric medisecure_cache_misses_total)
race_base=$(( $(date -u -d 'today 00:00' +%s) + 400 * 86400 ))
run medisecure booking 64 "$ms" "$BENCH_LUA/booking.lua" "${common[@]}" BASE_EPOCH=$race_base RACERS=4
# Overlapping live appointments of one practitioner: each is a double booking.
double=$(sqlite3 "$data/appointments.db" "SELECT count(*) FROM appointments a JOIN appointments b
  ON a.practitioner_id = b.practitioner_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
  WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'")
audit_ok=$("$bin" audit verify --data-dir "$data" --log-level warn 2>/dev/null | head -1 || true)
rss_after_kib=$(awk '/VmRSS/ {print $2}' "/proc/$ms_pid/status")

cat >"$facts" <<EOF
{"cores": $(nproc), "patients": $patients_n, "generate_s": $(( gen_s / 1000 )), "ready_ms": $ready_ms,
 "idle_rss_kib": $rss_kib, "rss_after_kib": $rss_after_kib, "seconds": $seconds,
 "cache_get": [$((hits1 - hits0)), $((miss1 - miss0))], "cache_mixed": [$((hits3 - hits2)), $((miss3 - miss2))],
 "double_bookings": $double, "audit_verify": "$(echo "$audit_ok" | tr -d '"')",
 "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"}
EOF
echo
$py bench/report.py "$results" "$facts" | tee "$work/report.md"
