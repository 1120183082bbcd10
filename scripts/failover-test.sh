#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Failover under load (make failover, issue 17): on the stack of scripts/stack.sh, wrk sends a
# signed-in doctor's mixed workload through HAProxy (TLS) at FAILOVER_RATE requests/s and logs
# every response (scripts/failover/load.lua) while these faults happen one after the other:
#   kill9    kill -9 of serve-1, started again (stack.sh scale)    expected: 0 failed GETs
#   rolling  SIGTERM to each instance in turn, started again         expected: 0 errors
#   redis    the Redis master killed; Sentinel promotes the replica  expected: requests continue,
#            a token signed out before the fault refused all along (probed every 0.2 s), sign-ins work
#   rabbitmq RabbitMQ stopped FAILOVER_RABBITMQ_DOWN (20) s, started (waited for up to
#            FAILOVER_RABBITMQ_START_TIMEOUT, 300 s) expected: requests continue;
#            appointments booked all along (one every 0.25 s), each confirmation e-mail (a job carried
#            by RabbitMQ) found once in the SMTP sink's Maildir
#   postgres PostgreSQL stopped FAILOVER_PG_DOWN (10) s, started     expected: 503 with Retry-After at
#            once, recovery by itself
# then checks that every write answered 2xx is found again (GET), that a write retried with its
# Idempotency-Key is made once, and `medisecure audit verify`. The report (per phase: requests,
# errors by status, p50/p95/p99; availability; p95 outside the fault windows) is printed and
# written to build/stack/ha-report.md. FAILOVER_PHASE_SECONDS (15) of load before and after each
# fault: the default is the short version; FAILOVER_RATE (1000), FAILOVER_CONNECTIONS (32).
# The stack is started (with the rate limits raised for the test) when it is not running, and
# stopped again at the end in that case; a running stack must have been started with them. When
# the stack it starts does not come up, it exits 3 (make test: a skip outside CI).
# FAILOVER_BACKUP=1: afterwards, the stack's databases backed up, restored into scratch servers
# and verified (scripts/stack-backup.sh).
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
  rm -f "$dir/probing" "$dir/booking"  # the sign-out probe and the bookings end with them
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
  if ! scripts/stack.sh up; then
    echo "failover: the stack did not start" >&2
    exit 3
  fi
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
login() {  # login FILE: signs in as the doctor, the answer in FILE
  jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}' |
    curl_ -f -H 'Content-Type: application/json' --data-binary @- "$STACK_URL/api/v1/auth/login" >"$1" 2>/dev/null
}
sign_in() {
  login "$dir/login.json" || die "sign-in as $email failed"
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
run_id="ft$(date +%s)"
p1=$(head -1 "$dir/patients" | cut -d' ' -f1)

# Bookings of the RabbitMQ phase: a patient of this run's own (the address names the run, so
# that its e-mails are told apart), the doctor's 20-minute type, and up to FAILOVER_BOOKINGS_MAX
# (300) slots inside the doctor's opening hours, on days no earlier run used ($stack/failover-next-day).
doctor=$(cat "$dir/practitioner")
mail_to="failover-$run_id@exemple.org"
booking_patient=$(jq -n --arg e "$mail_to" '{first_name: "Ada", last_name: "Failover", sex: "female",
    birth_date: "1980-03-04", email: $e, preferred_language: "en"}' |
  curl_ -f "${auth[@]}" -H 'Content-Type: application/json' --data-binary @- "$STACK_URL/api/v1/patients?allow_duplicate=true" |
  jq -r .id)
booking_type=$(curl_ -f "${auth[@]}" "$STACK_URL/api/v1/practitioners/$doctor/appointment-types" |
  jq -r '[.items[] | select(.active and .duration_minutes == 20)][0].id // empty')
if [ -z "$booking_patient" ] || [ -z "$booking_type" ]; then die "no patient or no 20-minute appointment type to book with"; fi
curl_ -f "${auth[@]}" "$STACK_URL/api/v1/practitioners/$doctor/opening-hours" >"$dir/opening-hours.json"
zone=$(jq -r .time_zone "$dir/opening-hours.json")
bookings_max=${FAILOVER_BOOKINGS_MAX:-300}
first_day=$(cat "$stack/failover-next-day" 2>/dev/null || echo 30)
day_n=$first_day
: >"$dir/slots"
while [ "$(wc -l <"$dir/slots")" -lt "$bookings_max" ]; do
  [ "$day_n" -lt $((first_day + 400)) ] || die "the doctor has no opening hours to book in"
  day=$(date -u -d "$(cat "$dir/today") + $day_n days" +%F)
  weekday=$(date -u -d "$day" +%u)
  jq -r --argjson wd "$weekday" '.ranges[] | select(.weekday == $wd) | "\(.start) \(.end)"' "$dir/opening-hours.json" |
    while read -r from to; do
      # The range's start in the practice's zone as a Unix time, then 20 minutes at a time
      # (no change of UTC offset happens inside opening hours), written by bash's own strftime.
      t=$(date -d "TZ=\"$zone\" $day $from" +%s)
      end=$((t + (10#${to%:*} * 60 + 10#${to#*:} - 10#${from%:*} * 60 - 10#${from#*:}) * 60))
      while [ $((t + 1200)) -le "$end" ]; do
        TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T\n' "$t"
        t=$((t + 1200))
      done
    done >>"$dir/slots"
  day_n=$((day_n + 1))
done
echo "$day_n" >"$stack/failover-next-day"
book_loop() {  # while $dir/booking exists: one booking every 0.25 s; "N STATUS" lines in bookings.log
  local n=0 slot status
  while [ -e "$dir/booking" ] && read -r slot; do
    n=$((n + 1))
    status=$(jq -n --arg d "$doctor" --arg t "$booking_type" --arg p "$booking_patient" --arg s "$slot" \
        '{practitioner_id: $d, type_id: $t, patient_id: $p, start: $s}' |
      curl_ -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $run_id-booking-$n" --data-binary @- "$STACK_URL/api/v1/appointments" 2>/dev/null || true)
    echo "$n ${status:-000}" >>"$dir/bookings.log"
    sleep 0.25
  done <"$dir/slots"
}
# The confirmation e-mails the SMTP sink holds for this run's patient: their subjects, one a line.
mails() {
  local f
  # One grep over the Maildir (it holds every earlier run's mail and Alertmanager's), then the
  # headers of the messages that name the address.
  grep -rliF -- "$mail_to" "$STACK_SMTP_MAILDIR/new" "$STACK_SMTP_MAILDIR/cur" 2>/dev/null | while read -r f; do
    if sed '/^\r\?$/q' "$f" | grep -qiF -- "$mail_to"; then sed -n '/^\r\?$/q; s/^Subject: //p' "$f" | tr -d '\r'; fi
  done
}

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

FAILOVER_DIR=$dir FAILOVER_RATE=$rate FAILOVER_CONNECTIONS=$connections FAILOVER_RUN="$run_id" \
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
# A second session of the doctor's, signed out before the fault: the deny-list lives in Redis,
# and the token must stay refused while Sentinel fails over and after. Probed every 0.2 s, with
# a sign-in every 2 s beside it (REVOKED-STATUS and LOGIN-STATUS lines in revoked.log).
login "$dir/revoked.json" || die "second sign-in failed"
revoked=(-H "Authorization: Bearer $(jq -r .access_token "$dir/revoked.json")")
rm -f "$dir/revoked.json"
curl_ -f -o /dev/null -X POST "${revoked[@]}" "$STACK_URL/api/v1/auth/logout" || die "sign-out failed"
[ "$(curl_ -o /dev/null -w '%{http_code}' "${revoked[@]}" "$STACK_URL/api/v1/patients/$p1")" = 401 ] ||
  die "a signed-out token was not refused, even before the fault"
: >"$dir/probing"
(
  i=0
  while [ -e "$dir/probing" ]; do
    s=$(curl_ -o /dev/null -w '%{http_code}' "${revoked[@]}" "$STACK_URL/api/v1/patients/$p1" 2>/dev/null || true)
    l=-
    if [ $((i % 10)) = 0 ]; then
      if login "$dir/probe-login.json"; then l=ok; else l=failed; fi
    fi
    echo "${s:-000} $l" >>"$dir/revoked.log"
    i=$((i + 1))
    sleep 0.2
  done
) &
probe_pid=$!
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
rm -f "$dir/probing"
wait "$probe_pid" || true
rm -f "$dir/probe-login.json"
finish

# shellcheck disable=SC2086
rabbitmq() { env "$STACK_MARK" $STACK_RABBITMQ_SCRIPT_ENV scripts/services/rabbitmq.sh "$@"; }
begin rabbitmq
: >"$dir/booking"
: >"$dir/bookings.log"
book_loop &
book_pid=$!
sleep 2
fault
rabbitmq stop >/dev/null
note "RabbitMQ stopped for $rabbit_down s (bookings go on)"
sleep "$rabbit_down"
# The node recovers its queues under the phase's load: seconds when the machine is quiet, more
# than a minute under this test's own load (47 and 69 s in two runs here); up to
# FAILOVER_RABBITMQ_START_TIMEOUT (300 s).
rabbit_t0=$SECONDS
MS_RABBITMQ_START_TIMEOUT=${FAILOVER_RABBITMQ_START_TIMEOUT:-300} rabbitmq start >/dev/null
recovered
note "RabbitMQ started again (in $((SECONDS - rabbit_t0)) s)"
sleep 2
rm -f "$dir/booking"
wait "$book_pid" || true
sleep $((phase_s > 2 ? phase_s - 2 : 0))
finish

# shellcheck disable=SC2086
postgres() { env "$STACK_MARK" $STACK_PG_SCRIPT_ENV scripts/services/postgres.sh "$@"; }
begin postgres
fault
postgres stop >/dev/null
note "PostgreSQL stopped for $pg_down s"
sleep 2
# What a client gets during the outage, in full.
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
retried_ok=0
# At most FAILOVER_RETRY_MAX (300) of them, those without an answer, 409 and 500 first: an outage
# of PostgreSQL leaves thousands of 503s, one TLS connection each to send again.
awk '$3 == "POST" && ($5 == 0 || $5 == 409 || $5 >= 500) {print ($5 == 503 ? 1 : 0), $4, $7}' "$dir/responses.log" |
  sort -s -k1,1n | awk -v max="${FAILOVER_RETRY_MAX:-300}" 'NR <= max {print $2, $3}' >"$dir/failed-posts"
failed_posts=$(awk '$3 == "POST" && ($5 == 0 || $5 == 409 || $5 >= 500)' "$dir/responses.log" | wc -l)
resend() {  # resend FILE: each "PATH KEY" of FILE sent again; those answered 409 (key in use) to $dir/in-use
  local path key status id
  : >"$dir/in-use"
  while read -r path key; do
    read -r status _ id < <(post "$path" "$key")
    if [ "${status:0:1}" = 2 ]; then
      retried_ok=$((retried_ok + 1))
      echo "0 retry POST $path $status 0 $key $id -" >>"$dir/responses.log"
    elif [ "$status" = 409 ] && grep -q idempotency_key_in_use "$dir/post.b"; then
      echo "$path $key" >>"$dir/in-use"
    else
      echo "$key $status $(head -c 300 "$dir/post.b")" >>"$dir/retries-failed"
    fi
  done <"$1"
}
retried=$(wc -l <"$dir/failed-posts")
resend "$dir/failed-posts"
# A key still claimed by a request that the outage cut short answers 409 with Retry-After until
# the claim is taken over (after 2 minutes): sent again every 5 s, as a client does, for up to
# FAILOVER_KEY_WAIT (150) s.
deadline=$((SECONDS + ${FAILOVER_KEY_WAIT:-150}))
in_use_waited=0
if [ -s "$dir/in-use" ]; then note "$(wc -l <"$dir/in-use") key(s) still in use: sent again every 5 s"; fi
while [ -s "$dir/in-use" ] && [ $SECONDS -lt $deadline ]; do
  sleep 5
  in_use_waited=$((in_use_waited + 5))
  mv "$dir/in-use" "$dir/in-use.again"
  resend "$dir/in-use.again"
done
if [ -s "$dir/in-use" ]; then
  awk -v s="$in_use_waited" '{print $2, 409, "still in use after " s " s"}' "$dir/in-use" >>"$dir/retries-failed"
fi
# A sample of acknowledged writes sent again: the same answer, replayed, nothing made twice.
replays=0 replays_ok=0
while read -r path key id; do
  replays=$((replays + 1))
  read -r status replayed rid < <(post "$path" "$key")
  if [ "${status:0:1}" = 2 ] && [ "$replayed" = yes ] && [ "$rid" = "$id" ]; then replays_ok=$((replays_ok + 1)); fi
done < <(awk '$3 == "POST" && $5 >= 200 && $5 < 300 {print $4, $7, $8}' "$dir/responses.log" | shuf -n 20 --random-source=/dev/zero)
# "PATIENT VITALS-ID" of every acknowledged write, and of every vitals found afterwards.
awk '$3 == "POST" && $5 >= 200 && $5 < 300 {split($4, a, "/"); print a[5], $8}' "$dir/responses.log" | sort -u >"$dir/acked"
cut -d' ' -f1 "$dir/acked" | sort -u | while read -r patient; do
  curl_ -f "${auth[@]}" "$STACK_URL/api/v1/patients/$patient/vitals?limit=1000" | jq -r --arg p "$patient" '.items[] | "\($p) \(.id)"'
done | sort -u >"$dir/found"
comm -23 "$dir/acked" "$dir/found" >"$dir/lost"
acked=$(wc -l <"$dir/acked") lost=$(wc -l <"$dir/lost")

# Each booking answered 201 has its confirmation e-mail once (a job lost or run twice shows
# here): waiting up to FAILOVER_MAIL_WAIT (90) s for them.
bookings=$(wc -l <"$dir/bookings.log")
bookings_ok=$(awk '$2 == 201' "$dir/bookings.log" | wc -l)
deadline=$((SECONDS + ${FAILOVER_MAIL_WAIT:-90}))
while mails >"$dir/mails"; [ "$(sort -u "$dir/mails" | wc -l)" -lt "$bookings_ok" ] && [ $SECONDS -lt $deadline ]; do sleep 1; done
sleep 2  # a duplicate would come just after
mails >"$dir/mails"
mails_distinct=$(sort -u "$dir/mails" | wc -l)
mails_total=$(wc -l <"$dir/mails")
revoked_probes=$(wc -l <"$dir/revoked.log")
revoked_accepted=$(awk '$1 ~ /^2/' "$dir/revoked.log" | wc -l)
logins=$(awk '$2 != "-"' "$dir/revoked.log" | wc -l)
logins_ok=$(awk '$2 == "ok"' "$dir/revoked.log" | wc -l)

# The audit chain, checked with the instances' environment.
# shellcheck source=/dev/null
if (set -a; . "$STACK_APP_ENV_FILE"; set +a; "$STACK_BIN" audit verify) >"$dir/audit-verify.log" 2>&1; then audit=intact; else audit="NOT intact"; fi

node scripts/failover/report.mjs "$dir/phases.tsv" "$dir/responses.log" \
  "rate=$rate" "connections=$connections" "retried=$retried" "retried_ok=$retried_ok" \
  "replays=$replays" "replays_ok=$replays_ok" "in_use_waited=$in_use_waited" "recovered_by_itself=$by_itself" "failed_posts=$failed_posts" "acked=$acked" "lost=$lost" "audit=$audit" \
  "outage_read=$dir/outage-read.txt" "outage_write=$dir/outage-write.txt" \
  "bookings=$bookings" "bookings_ok=$bookings_ok" "mails_distinct=$mails_distinct" "mails_total=$mails_total" \
  "retries_failed=$({ tr '\n' ';' <"$dir/retries-failed"; } 2>/dev/null | head -c 1000)" "revoked_probes=$revoked_probes" "revoked_accepted=$revoked_accepted" "logins=$logins" "logins_ok=$logins_ok" \
  >"$stack/ha-report.md"
cat "$stack/ha-report.md"
grep -q '^Result: pass' "$stack/ha-report.md"
# The stack's backups, now that it is quiet again (issue 18).
if [ "${FAILOVER_BACKUP:-0}" = 1 ]; then scripts/stack-backup.sh; fi
