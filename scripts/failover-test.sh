#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Failover under load (make failover, issue 17): on the stack of scripts/stack.sh, wrk sends a
# signed-in doctor's mixed workload through HAProxy (TLS) at FAILOVER_RATE requests/s and logs
# every response (scripts/failover/load.lua) while these faults happen one after the other:
#   kill9    kill -9 of serve-1, started again (stack.sh scale)    expected: 0 failed GETs
#   rolling  SIGTERM to each instance in turn, started again         expected: 0 errors
#   redis    the Redis master killed; Sentinel promotes the replica  expected: requests continue
#   rabbitmq RabbitMQ stopped FAILOVER_RABBITMQ_DOWN (20) s, started expected: requests continue
#   postgres PostgreSQL stopped FAILOVER_PG_DOWN (10) s, started     expected: fast failures, recovery
# then checks that every write answered 2xx is found again (GET), that a write retried with its
# Idempotency-Key is made once, and `medisecure audit verify`. The report (per phase: requests,
# errors by status, p50/p95/p99; availability; p95 outside the fault windows) is printed and
# written to build/stack/ha-report.md. FAILOVER_PHASE_SECONDS (15) of load before and after each
# fault: the default is the short version; FAILOVER_RATE (1000), FAILOVER_CONNECTIONS (32).
# The stack is started (with the rate limits raised for the test) when it is not running, and
# stopped again at the end in that case; a running stack must have been started with them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stack=${MS_STACK_DIR:-$root/build/stack}
phase_s=${FAILOVER_PHASE_SECONDS:-15}
rate=${FAILOVER_RATE:-1000}
connections=${FAILOVER_CONNECTIONS:-32}
rabbit_down=${FAILOVER_RABBITMQ_DOWN:-20}
pg_down=${FAILOVER_PG_DOWN:-10}
# Beyond the test's rate: HAProxy's limit per address per 10 s, the instances' per address and
# per user (requests/s / burst). wrk is one address and one user.
export MEDISECURE_HAPROXY_RATE_LIMIT=${MEDISECURE_HAPROXY_RATE_LIMIT:-1000000}
export MEDISECURE_RATE_LIMIT_IP=${MEDISECURE_RATE_LIMIT_IP:-100000/100000}
export MEDISECURE_RATE_LIMIT_USER=${MEDISECURE_RATE_LIMIT_USER:-100000/100000}

dir=$stack/failover
started_stack=0 wrk_pid=
cleanup() {
  if [ -n "$wrk_pid" ]; then kill -INT "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true; fi
  if [ "$started_stack" = 1 ] && [ "${FAILOVER_KEEP_STACK:-0}" != 1 ]; then scripts/stack.sh down || true; fi
}
trap cleanup EXIT

note() { echo "failover: $*"; }
die() { echo "failover: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is needed (scripts/deps.sh stack)"

if [ ! -s "$stack/stack.env" ] || ! scripts/stack.sh status >/dev/null 2>&1; then
  [ -s "$stack/stack.env" ] && die "the stack is partly up: scripts/stack.sh down, then again"
  note "starting the stack (scripts/stack.sh up) with the rate limits raised for the test"
  started_stack=1
  scripts/stack.sh up
fi
# shellcheck source=/dev/null
. "$stack/stack.env"
if ! tr '\0' '\n' <"/proc/$STACK_SERVE_1_PID/environ" | grep -qx "MEDISECURE_RATE_LIMIT_IP=$MEDISECURE_RATE_LIMIT_IP"; then
  die "the running stack has other rate limits than the test's: scripts/stack.sh down, then again"
fi
curl_() { curl -sS --max-time 10 --cacert "$STACK_CA_FILE" "$@"; }
now() { date +%s.%N | cut -c1-14; }
ready() { curl_ -fo /dev/null "$STACK_URL/health/ready" 2>/dev/null; }

rm -rf "$dir"
mkdir -p "$dir"
# Signed in as the demo practice's first doctor (not an administrator: no second factor).
read -r email password < <(awk '$1 == "doctor" {print $2, $3; exit}' "$STACK_DEMO_CREDENTIALS_FILE")
[ -n "$password" ] || die "no doctor in $STACK_DEMO_CREDENTIALS_FILE"
# sign_in: a fresh access token (it lasts 15 min: the checks after a long run need another).
sign_in() {
  jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}' |
    curl_ -f -H 'Content-Type: application/json' --data-binary @- "$STACK_URL/api/v1/auth/login" >"$dir/login.json" ||
    die "sign-in as $email failed"
  (umask 077; jq -r .access_token "$dir/login.json" >"$dir/token")
  jq -r .user.id "$dir/login.json" >"$dir/practitioner"
  rm -f "$dir/login.json"
  auth=(-H "Authorization: Bearer $(cat "$dir/token")")
}
sign_in
# The practice's patients (a search wants a name): each with the ASCII start of its name.
for q in {A..Z}; do
  curl_ -f "${auth[@]}" "$STACK_URL/api/v1/patients?q=$q&limit=100" |
    jq -r '.items[] | "\(.id) \(.last_name | gsub("[^A-Za-z]"; "") | .[0:3])"'
done | awk 'length($2) > 0 && !seen[$1]++' >"$dir/patients"
[ -s "$dir/patients" ] || die "no patient in the demo practice"
date +%F >"$dir/today"
echo start >"$dir/phase"

# Phases: NAME START FAULT-START FAULT-END END (unix times) in phases.tsv.
: >"$dir/phases.tsv"
phase_name='' phase_start='' fault_start='' fault_end=''
begin() { phase_name=$1 phase_start=$(now) fault_start='' fault_end=''; echo "$1" >"$dir/phase"; note "phase $1"; }
fault() { fault_start=$(now); }
recovered() { fault_end=$(now); }
finish() { printf '%s\t%s\t%s\t%s\t%s\n' "$phase_name" "$phase_start" "${fault_start:--}" "${fault_end:--}" "$(now)" >>"$dir/phases.tsv"; }
wait_ready() {  # wait_ready SECONDS: the application answers through HAProxy
  local deadline=$((SECONDS + $1))
  until ready; do [ $SECONDS -lt "$deadline" ] || return 1; sleep 0.2; done
}
serve_pid() { read -r p _ <"$stack/run/serve-$1.pid"; echo "$p"; }

FAILOVER_DIR=$dir FAILOVER_RATE=$rate FAILOVER_CONNECTIONS=$connections FAILOVER_RUN="ft$(date +%s)" \
  wrk -t "$connections" -c "$connections" -d 3600s --timeout 10s -s scripts/failover/load.lua "$STACK_URL" \
  >"$dir/wrk.out" 2>&1 &
wrk_pid=$!

begin baseline
sleep "$phase_s"
finish

begin kill9
fault
kill -9 "$(serve_pid 1)"
note "serve-1 killed (SIGKILL); starting it again"
sleep 2
scripts/stack.sh scale "$STACK_INSTANCES" >"$dir/scale-kill9.log"
recovered
sleep "$phase_s"
finish

begin rolling
fault
for i in $(seq 1 "$STACK_INSTANCES"); do
  pid=$(serve_pid "$i")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  note "serve-$i stopped (SIGTERM); starting it again"
  scripts/stack.sh scale "$STACK_INSTANCES" >"$dir/scale-rolling-$i.log"
done
recovered
sleep "$phase_s"
finish

# The *_SCRIPT_ENV values are VAR=VALUE words (no spaces inside a value): split on purpose.
# shellcheck disable=SC2086
redis() { env "$STACK_MARK" $STACK_REDIS_SCRIPT_ENV scripts/services/redis-sentinel.sh "$@"; }
begin redis
old=$(redis master)
fault
redis kill-master >/dev/null
note "Redis master :$old killed; waiting for Sentinel"
deadline=$((SECONDS + 60))
while new=$(redis master 2>/dev/null) && [ "$new" = "$old" ]; do
  [ $SECONDS -lt $deadline ] || die "Sentinel promoted no replica in 60 s"
  sleep 0.2
done
recovered
note "Sentinel promoted :$new; the old master starts again as a replica"
redis restart "$old"
sleep "$phase_s"
finish

# shellcheck disable=SC2086
rabbitmq() { env "$STACK_MARK" $STACK_RABBITMQ_SCRIPT_ENV scripts/services/rabbitmq.sh "$@"; }
begin rabbitmq
fault
rabbitmq stop >/dev/null
note "RabbitMQ stopped for $rabbit_down s"
sleep "$rabbit_down"
rabbitmq start >/dev/null
recovered
note "RabbitMQ started again"
sleep "$phase_s"
finish

# shellcheck disable=SC2086
postgres() { env "$STACK_MARK" $STACK_PG_SCRIPT_ENV scripts/services/postgres.sh "$@"; }
begin postgres
fault
postgres stop >/dev/null
note "PostgreSQL stopped for $pg_down s"
sleep 2
# What a client gets during the outage, in full.
p1=$(head -1 "$dir/patients" | cut -d' ' -f1)
curl_ -i -w '\nhttp_code=%{http_code} time_total=%{time_total}\n' "${auth[@]}" "$STACK_URL/api/v1/patients/$p1" >"$dir/outage-read.txt" 2>&1 || true
curl_ -i -w '\nhttp_code=%{http_code} time_total=%{time_total}\n' "${auth[@]}" -H 'Content-Type: application/json' -H "Idempotency-Key: outage-$(date +%s)" \
  --data-binary '{"heart_rate_bpm":70}' "$STACK_URL/api/v1/patients/$p1/vitals" >"$dir/outage-write.txt" 2>&1 || true
sleep $((pg_down > 2 ? pg_down - 2 : 0))
postgres start >/dev/null
note "PostgreSQL started again; waiting for the application"
if wait_ready "${FAILOVER_RECOVERY_WAIT:-30}"; then
  by_itself=yes
else
  # Not ready by itself: say why (each instance's checks), then send one signed-in read to each
  # instance directly, which makes it write to the audit trail again, and wait once more.
  by_itself=no
  for port in $STACK_SERVE_PORTS; do
    echo ":$port $(curl -sS --max-time 5 "http://127.0.0.1:$port/health/ready")" >>"$dir/not-ready.txt"
  done
  note "not ready ${FAILOVER_RECOVERY_WAIT:-30} s after PostgreSQL returned: $(cat "$dir/not-ready.txt")"
  for port in $STACK_SERVE_PORTS; do
    curl -sS --max-time 10 -o /dev/null "${auth[@]}" "http://127.0.0.1:$port/api/v1/patients/$p1" || true
  done
  wait_ready 60 || die "the application did not recover after PostgreSQL, even with a request to each instance"
  note "ready again after a request to each instance"
fi
recovered
sleep "$phase_s"
finish

kill -INT "$wrk_pid"
wait "$wrk_pid" || true
wrk_pid=
echo "done" >"$dir/phase"
cat "$dir"/load-*.log >"$dir/responses.log"
sign_in

# Writes: every POST answered 2xx is found by GET; every POST that got no answer, a 5xx or 409
# (its key still held by a request in flight) is sent again with its key and body, and must then
# be made (once).
body_of() {  # body_of KEY: the body load.lua sent with it (from its sequence number)
  local seq=${1##*-}
  printf '{"systolic_mmhg":%d,"diastolic_mmhg":%d,"heart_rate_bpm":%d}' $((100 + seq % 60)) $((60 + seq % 30)) $((50 + seq % 50))
}
post() {  # post PATH KEY: prints "STATUS REPLAYED ID"
  curl_ -D "$dir/post.h" -o "$dir/post.b" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $2" --data-binary "$(body_of "$2")" "$STACK_URL$1" || true
  printf ' %s %s\n' "$(grep -qi '^idempotent-replayed: *true' "$dir/post.h" && echo yes || echo no)" "$(jq -r '.id // "-"' "$dir/post.b" 2>/dev/null)"
}
retried=0 retried_ok=0
# At most FAILOVER_RETRY_MAX (300) of them, those without an answer, 409 and 500 first: an outage
# of PostgreSQL leaves thousands of 503s, one TLS connection each to send again.
awk '$3 == "POST" && ($5 == 0 || $5 == 409 || $5 >= 500) {print ($5 == 503 ? 1 : 0), $4, $7}' "$dir/responses.log" |
  sort -s -k1,1n | awk -v max="${FAILOVER_RETRY_MAX:-300}" 'NR <= max {print $2, $3}' >"$dir/failed-posts"
failed_posts=$(awk '$3 == "POST" && ($5 == 0 || $5 == 409 || $5 >= 500)' "$dir/responses.log" | wc -l)
while read -r path key; do
  retried=$((retried + 1))
  read -r status _ id < <(post "$path" "$key")
  if [ "${status:0:1}" = 2 ]; then
    retried_ok=$((retried_ok + 1))
    echo "0 retry POST $path $status 0 $key $id -" >>"$dir/responses.log"
  fi
done <"$dir/failed-posts"
# A sample of acknowledged writes sent again: the same answer, replayed, nothing made twice.
replays=0 replays_ok=0
while read -r path key id; do
  replays=$((replays + 1))
  read -r status replayed rid < <(post "$path" "$key")
  if [ "${status:0:1}" = 2 ] && [ "$replayed" = yes ] && [ "$rid" = "$id" ]; then replays_ok=$((replays_ok + 1)); fi
done < <(awk '$3 == "POST" && $5 >= 200 && $5 < 300 {print $4, $7, $8}' "$dir/responses.log" | shuf -n 20 --random-source=/dev/zero)
acked=0 lost=0
while read -r patient; do
  curl_ -f "${auth[@]}" "$STACK_URL/api/v1/patients/$patient/vitals?limit=1000" | jq -r '.items[].id' | sort >"$dir/found"
  while read -r id; do
    acked=$((acked + 1))
    if ! grep -qx "$id" "$dir/found"; then lost=$((lost + 1)); echo "lost: vitals $id of patient $patient" >>"$dir/lost"; fi
  done < <(awk -v p="/api/v1/patients/$patient/vitals" '$3 == "POST" && $4 == p && $5 >= 200 && $5 < 300 {print $8}' "$dir/responses.log" | sort -u)
done < <(awk '$3 == "POST" && $5 >= 200 && $5 < 300 {split($4, a, "/"); print a[5]}' "$dir/responses.log" | sort -u)

# The audit chain, checked with the instances' environment.
# shellcheck source=/dev/null
if (set -a; . "$STACK_APP_ENV_FILE"; set +a; "$STACK_BIN" audit verify) >"$dir/audit-verify.log" 2>&1; then audit=intact; else audit="NOT intact"; fi

node scripts/failover/report.mjs "$dir/phases.tsv" "$dir/responses.log" \
  "rate=$rate" "connections=$connections" "retried=$retried" "retried_ok=$retried_ok" \
  "replays=$replays" "replays_ok=$replays_ok" "recovered_by_itself=$by_itself" "failed_posts=$failed_posts" "acked=$acked" "lost=$lost" "audit=$audit" \
  "outage_read=$dir/outage-read.txt" "outage_write=$dir/outage-write.txt" >"$stack/ha-report.md"
cat "$stack/ha-report.md"
grep -q '^Result: pass' "$stack/ha-report.md"
