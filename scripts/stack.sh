#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole production topology on one machine, as processes on loopback (make stack):
# PostgreSQL (one database per context), MariaDB (billing), Swift's S3 (documents), RabbitMQ,
# Redis with a replica and three Sentinels, an SMTP sink, `medisecure migrate`, the demo practice,
# MS_STACK_INSTANCES `medisecure serve` (2) and one `medisecure worker`, HAProxy (TLS), Prometheus
# with the exporters, Alertmanager mailing the SMTP sink.
#   stack.sh up        installs what is missing, builds, starts everything, prints where to go
#   stack.sh down      stops every process it started, by PID, and checks that none is left
#   stack.sh status    each component up or down
#   stack.sh scale N   N `serve` instances behind HAProxy (reloaded, no request lost); also
#                      restarts any of them that is not running
# Everything lives in build/stack/ (MS_STACK_DIR): services/ (data), logs/, run/ (PIDs),
# secrets/ (mode 0600), tls/, and stack.env, a machine-readable summary (ports, URLs, PIDs,
# credential files) for the failover test. Ports are MS_STACK_PORT_BASE (24000) + offsets, apart
# from the tests' (55xxx, 53306, 57017, 58xxx), which may run at the same time, and below the
# ephemeral range (32768-60999), where an outgoing connection may take a port before a server.
# MS_STACK_TLS_CERT=PEM serves the operator's certificate instead of a generated one.
# MS_STACK_BUILD=0 skips the build (make test has just built, with its tests).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stack=${MS_STACK_DIR:-$root/build/stack}
base=${MS_STACK_PORT_BASE:-24000}
bin=$root/${BUILD_DIR:-build/release}/src/main/medisecure
services=$root/scripts/services
secrets=$stack/secrets run=$stack/run logs=$stack/logs
export MS_SERVICES_DIR=$stack/services

# Ports: instances at base+1…, the rest at fixed offsets.
p_https=$((base + 443)) p_http=$((base + 80)) p_stats=$((base + 404)) p_haproxy_metrics=$((base + 405))
p_pg=$((base + 432)) p_mariadb=$((base + 306)) p_redis=$((base + 380)) p_smtp=$((base + 25))
p_rabbitmq=$((base + 672)) p_rabbitmq_prometheus=$((base + 692)) p_rabbitmq_dist=$((base + 673)) p_epmd=$((base + 369))
p_s3=$((base + 880)) p_memcached=$((base + 211))
p_prometheus=$((base + 90)) p_alertmanager=$((base + 93))
p_pg_exporter=$((base + 187)) p_mysqld_exporter=$((base + 104)) p_redis_exporter=$((base + 121))
p_node_exporter=$((base + 100)) p_blackbox=$((base + 115))
instance_port() { echo $((base + $1)); }
max_instances=9
# HAProxy connects to the instances from 127.0.0.2, the one address they trust for
# X-Forwarded-For: anything else on this machine reaching an instance directly is not believed.
haproxy_source=127.0.0.2

# Every process the stack starts carries this in its environment: `down` finds any left over.
mark="MS_STACK_MARK=$stack"

# --- processes started here: run/NAME.pid holds "PID STARTTIME" -----------------------------

starttime() {  # starttime PID: field 22 of /proc/PID/stat, or nothing
  local st f
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  st=${st##*) }
  read -r -a f <<<"$st"
  echo "${f[19]}"
}

alive() {  # alive PID [STARTTIME]: runs, is not a zombie, and started then (when given)
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  if [ "${st:0:1}" = Z ]; then return 1; fi
  if [ -n "${2:-}" ] && [ "$(starttime "$1")" != "$2" ]; then return 1; fi
  return 0
}

launch() {  # launch NAME CMD...: CMD in the background with the stack's mark, log in logs/NAME.log
  local name=$1
  shift
  env "$mark" "$@" </dev/null >>"$logs/$name.log" 2>&1 &
  echo "$! $(starttime "$!")" >"$run/$name.pid"
}

pid_of() {  # pid_of NAME: the PID of a process launch started, if it still runs
  local pid start
  [ -s "$run/$1.pid" ] || return 1
  read -r pid start <"$run/$1.pid"
  alive "$pid" "$start" || return 1
  echo "$pid"
}

stop_one() {  # stop_one NAME [SECONDS]: SIGTERM, SIGKILL after SECONDS (30); forgets the PID
  local pid t0=$SECONDS
  if pid=$(pid_of "$1"); then
    kill "$pid" 2>/dev/null || true
    while pid_of "$1" >/dev/null && [ $((SECONDS - t0)) -lt "${2:-30}" ]; do sleep 0.1; done
    if pid_of "$1" >/dev/null; then
      echo "stack: $1 (PID $pid) did not stop in ${2:-30} s: killed" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$run/$1.pid"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() {  # wait_http NAME SECONDS CURL-ARGS...: until curl succeeds; fails naming NAME
  local name=$1 deadline=$((SECONDS + $2))
  shift 2
  until curl -fsS -o /dev/null --max-time 2 "$@" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "stack: $name did not answer in time; its log:" >&2
      tail -20 "$logs/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
}

# The processes marked as this stack's (the PIDs, one a line), except this script and its callers.
marked() {
  local f p self=" $$ $PPID "
  while read -r f; do
    p=${f#/proc/}
    p=${p%/environ}
    case "$self" in *" $p "*) continue ;; esac
    echo "$p"
  done < <(grep -lzxF -- "$mark" /proc/[0-9]*/environ 2>/dev/null || true)
}

rand() { head -c "$1" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }

secret() {  # secret NAME [BYTES]: secrets/NAME, generated once (mode 0600); prints its path
  local file=$secrets/$1
  if [ ! -s "$file" ]; then (umask 077; rand "${2:-32}" >"$file"); fi
  echo "$file"
}

# --- up ---------------------------------------------------------------------------------------

instances_wanted() {
  local n=${1:-${MS_STACK_INSTANCES:-2}}
  if ! [[ $n =~ ^[1-9]$ ]]; then echo "stack: instances: 1 to $max_instances" >&2; exit 2; fi
  echo "$n"
}

# The environment every medisecure process of the stack runs with: production, secrets from files.
app_env() {
  export MEDISECURE_ENV=production MEDISECURE_DATA_DIR=$stack/data
  export MEDISECURE_PUBLIC_URL=https://127.0.0.1:$p_https
  export MEDISECURE_TRUSTED_PROXIES=$haproxy_source
  export MEDISECURE_STATIC_DIR=$root/frontend/dist MEDISECURE_SWAGGER_UI_DIR=$root/frontend/node_modules/swagger-ui-dist
  export MEDISECURE_LOG_FORMAT=${MEDISECURE_LOG_FORMAT:-json}
  export MEDISECURE_JWT_SECRET_FILE=$secrets/jwt_secret MEDISECURE_AUDIT_KEY_FILE=$secrets/audit_key
  export MEDISECURE_MASTER_KEY_FILE=$secrets/master_key MEDISECURE_METRICS_TOKEN_FILE=$secrets/metrics_token
  local ctx
  for ctx in identity patients audit appointments records documents billing notifications; do
    export "MEDISECURE_${ctx^^}_DB_URL_FILE=$secrets/${ctx}_db_url"
  done
  export MEDISECURE_CACHE_URL="redis-sentinel://127.0.0.1:$((p_redis + 10)),127.0.0.1:$((p_redis + 11)),127.0.0.1:$((p_redis + 12))/medisecure/0"
  export MEDISECURE_CACHE_PASSWORD_FILE=$secrets/redis_password
  export MEDISECURE_QUEUE_URL="amqp://medisecure@127.0.0.1:$p_rabbitmq/%2F"
  export MEDISECURE_QUEUE_PASSWORD_FILE=$secrets/rabbitmq_password
  export MEDISECURE_BLOB_URL="s3://medisecure-documents?endpoint=http://127.0.0.1:$p_s3&region=us-east-1&path_style=1"
  export MEDISECURE_S3_ACCESS_KEY_ID=test:tester MEDISECURE_S3_SECRET_ACCESS_KEY_FILE=$secrets/s3_secret_access_key
  export MEDISECURE_SMTP_URL=smtp://127.0.0.1:$p_smtp MEDISECURE_SMTP_FROM="MediSecure <no-reply@localhost>"
  # Pools sized so that 9 instances, the worker and the CLI fit PostgreSQL's 200 connections.
  export MEDISECURE_DB_POOL_SIZE=${MEDISECURE_DB_POOL_SIZE:-3}
}

start_instance() {  # start_instance I: `serve` number I on its port
  local i=$1
  launch "serve-$i" "$bin" serve --no-jobs --listen "127.0.0.1:$(instance_port "$i")"
}

write_servers() {  # write_servers N: HAProxy's server list for N instances
  local i
  {
    echo "# Generated by scripts/stack.sh: the instances behind HAProxy (deploy/haproxy/haproxy.cfg)."
    echo "backend api from instances"
    echo "    source $haproxy_source"
    for i in $(seq 1 "$1"); do echo "    server serve-$i 127.0.0.1:$(instance_port "$i")"; done
  } >"$stack/haproxy/servers.cfg"
}

haproxy_env() {
  export MEDISECURE_HAPROXY_HTTP_BIND=127.0.0.1:$p_http MEDISECURE_HAPROXY_HTTPS_BIND=127.0.0.1:$p_https
  export MEDISECURE_HAPROXY_HTTPS_PORT=$p_https MEDISECURE_HAPROXY_TLS_CERT=$stack/tls/haproxy.pem
  export MEDISECURE_HAPROXY_STATS_BIND=127.0.0.1:$p_stats MEDISECURE_HAPROXY_METRICS_BIND=127.0.0.1:$p_haproxy_metrics
  # Two descriptors per connection, within this machine's limit of open files.
  export MEDISECURE_HAPROXY_MAXCONN=$(( ($(ulimit -Hn) - 1000) / 2 > 20000 ? 20000 : ($(ulimit -Hn) - 1000) / 2 ))
}

declare -A starting=()
start_service() {  # start_service NAME SCRIPT [VAR=VALUE...]: a scripts/services script, in the background
  local name=$1 script=$2
  shift 2
  env "$mark" "$@" "$services/$script" start >"$run/$name.url" 2>"$logs/$name.start.log" &
  starting[$name]=$!
}

service_ok() {  # service_ok NAME: waits for its start script, which must succeed (else shows why)
  if wait "${starting[$1]}"; then return 0; fi
  echo "stack: $1 did not start:" >&2
  tail -30 "$logs/$1.start.log" >&2
  return 1
}

# deploy/ is written for the default port plan (MS_STACK_PORT_BASE 24000): other bases move
# every 127.0.0.1:24xxx of it by the same offset.
shift_ports() {
  if [ "$base" = 24000 ]; then cat; else perl -pe 's/127\.0\.0\.1:24(\d{3})\b/"127.0.0.1:" . ('"$base"' + $1)/ge'; fi
}

# edited CONFIG PATTERN SED-ARGS...: CONFIG through sed, which must have produced PATTERN (so that
# a change to the committed file that breaks an edit stops the start instead of passing unseen).
edited() {
  local file=$1 want=$2 out
  shift 2
  out=$(sed "$@" "$file" | shift_ports)
  if ! grep -qF -- "$want" <<<"$out"; then echo "stack: $file no longer has what stack.sh edits ($want)" >&2; return 1; fi
  printf '%s\n' "$out"
}

# Prometheus: deploy/prometheus/prometheus.yml, with the rules and the metrics token by absolute
# path (the copy lives in build/stack/prometheus/) and the instances that run.
prometheus_config() {
  local i targets=""
  for i in $(seq 1 "$instances"); do targets="${targets}127.0.0.1:$(instance_port "$i"), "; done
  edited "$root/deploy/prometheus/prometheus.yml" "$secrets/metrics_token" \
    -e "1a # Generated by scripts/stack.sh from deploy/prometheus/prometheus.yml (paths, ports, instances)." \
    -e "s|^  - rules/\*\.yml\$|  - $root/deploy/prometheus/rules/*.yml|" \
    -e "s|credentials_file: \.\./\.\./build/stack/secrets/metrics_token\$|credentials_file: $secrets/metrics_token|" \
    -e "s|targets: \[127\.0\.0\.1:24001, 127\.0\.0\.1:24002\]|targets: [${targets%, }]|"
}

# Alertmanager: deploy/alertmanager/alertmanager.yml, mailing the stack's SMTP sink.
alertmanager_config() {
  edited "$root/deploy/alertmanager/alertmanager.yml" "smtp_smarthost: 127.0.0.1:$p_smtp" \
    -e "1a # Generated by scripts/stack.sh from deploy/alertmanager/alertmanager.yml (smtp-relay: the SMTP sink on loopback)." \
    -e "s|^  smtp_smarthost: .*\$|  smtp_smarthost: 127.0.0.1:$p_smtp|"
}

up() {
  local t_deps t_start instances pids
  instances=$(instances_wanted)
  if [ -n "$(marked)" ]; then
    echo "stack: already running (scripts/stack.sh status; down first to start afresh)" >&2
    status
    exit 1
  fi
  t_deps=$SECONDS
  mkdir -p "$logs"
  scripts/deps.sh stack
  if [ "${MS_STACK_BUILD:-1}" = 0 ]; then
    # The caller has just built (make test): its binary and web application are used as they are.
    [ -x "$bin" ] || { echo "stack: MS_STACK_BUILD=0 but $bin is missing" >&2; exit 1; }
  else
    scripts/npm-deps.sh
    if ! scripts/build.sh >"$logs/build.log" 2>&1; then
      tail -40 "$logs/build.log" >&2
      echo "stack: the build failed (log: $logs/build.log)" >&2
      exit 1
    fi
  fi
  echo "stack: packages and build checked in $((SECONDS - t_deps)) s"
  t_start=$SECONDS

  mkdir -p "$stack" "$run" "$logs" "$stack/haproxy" "$stack/tls" "$stack/data" "$stack/prometheus" "$stack/alertmanager"
  rm -f "$run"/*
  (umask 077; mkdir -p "$secrets")
  chmod 700 "$secrets"
  secret jwt_secret 48 >/dev/null
  secret audit_key 48 >/dev/null
  secret master_key 48 >/dev/null
  secret metrics_token >/dev/null
  secret postgres_app_password >/dev/null
  secret mysqld_exporter_password >/dev/null
  secret haproxy_stats_password 18 >/dev/null

  # The servers, at once: they start in parallel (RabbitMQ and Swift take the longest).
  start_service postgres postgres.sh MS_PG_PORT="$p_pg" MS_PG_DB=medisecure_stack_scratch MS_PG_DURABLE=1
  start_service mariadb mariadb.sh MS_MARIADB_NAME=stack MS_MARIADB_PORT="$p_mariadb" MS_MARIADB_DB=medisecure_billing MS_MARIADB_DURABLE=1
  start_service redis redis-sentinel.sh MS_SENTINEL_NAME=stack MS_SENTINEL_BASE_PORT="$p_redis"
  start_service rabbitmq rabbitmq.sh MS_RABBITMQ_NAME=stack MS_RABBITMQ_PORT="$p_rabbitmq" \
    MS_RABBITMQ_PROMETHEUS_PORT="$p_rabbitmq_prometheus" MS_RABBITMQ_DIST_PORT="$p_rabbitmq_dist" MS_RABBITMQ_EPMD_PORT="$p_epmd"
  start_service swift swift.sh MS_SWIFT_NAME=stack MS_SWIFT_PORT="$p_s3" MS_SWIFT_ACCOUNT_PORT=$((p_s3 + 1)) \
    MS_SWIFT_CONTAINER_PORT=$((p_s3 + 2)) MS_SWIFT_OBJECT_PORT=$((p_s3 + 3)) MS_SWIFT_MEMCACHED_PORT="$p_memcached" \
    MS_SWIFT_BUCKET=medisecure-documents
  start_service smtp smtp.sh MS_SMTP_PORT="$p_smtp"

  # Meanwhile: the certificate, the stats page's user, the configurations.
  if [ -n "${MS_STACK_TLS_CERT:-}" ]; then
    (umask 077; cat "$MS_STACK_TLS_CERT" >"$stack/tls/haproxy.pem")
    openssl x509 -in "$MS_STACK_TLS_CERT" -out "$stack/tls/cert.pem"
  elif [ ! -s "$stack/tls/haproxy.pem" ]; then
    (umask 077
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$stack/tls/key.pem" -out "$stack/tls/cert.pem" 2>/dev/null
      cat "$stack/tls/cert.pem" "$stack/tls/key.pem" >"$stack/tls/haproxy.pem"
      rm -f "$stack/tls/key.pem")
    chmod 644 "$stack/tls/cert.pem"
  fi
  (umask 077; printf 'userlist haproxy_stats\n  user ops password %s\n' \
    "$(openssl passwd -6 -stdin <"$secrets/haproxy_stats_password")" >"$secrets/haproxy_stats.cfg")
  write_servers "$instances"
  prometheus_config >"$stack/prometheus/prometheus.yml" || { down; exit 1; }
  alertmanager_config >"$stack/alertmanager/alertmanager.yml" || { down; exit 1; }
  for s in postgres mariadb redis rabbitmq swift smtp; do service_ok "$s" || { down; exit 1; }; done
  echo "stack: servers up in $((SECONDS - t_start)) s"

  # PostgreSQL: a role with a password, one database per context. Appointments go to MongoDB
  # when a real mongod is on PATH; the stack does not start one yet, so PostgreSQL it is.
  local pg_bin psql pw ctx
  pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
  psql=("$pg_bin/psql" -h 127.0.0.1 -p "$p_pg" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$(id -u)" -eq 0 ]; then psql=(runuser -u postgres -- "${psql[@]}"); fi
  pw=$(cat "$secrets/postgres_app_password")
  "${psql[@]}" -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medisecure') THEN CREATE ROLE medisecure LOGIN; END IF; END\$\$" \
    -c "ALTER ROLE medisecure PASSWORD '$pw'" >/dev/null
  for ctx in identity patients audit appointments records documents notifications; do
    if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'ms_$ctx'")" ]; then
      "${psql[@]}" -d postgres -c "CREATE DATABASE ms_$ctx OWNER medisecure" >/dev/null
    fi
    (umask 077; printf 'postgresql://medisecure:%s@127.0.0.1:%s/ms_%s' "$pw" "$p_pg" "$ctx" >"$secrets/${ctx}_db_url")
  done
  if command -v mongod >/dev/null; then
    echo "stack: a mongod is on PATH, but the stack does not run MongoDB yet: appointments on PostgreSQL (ms_appointments)"
  else
    echo "stack: no mongod on PATH: appointments on PostgreSQL (ms_appointments)"
  fi
  # The other servers' generated passwords, where the instances read them.
  (umask 077
    cut -d' ' -f1 <"$run/mariadb.url" >"$secrets/billing_db_url"
    cp "$MS_SERVICES_DIR/redis-sentinel-stack/password" "$secrets/redis_password"
    printf '{"redis://127.0.0.1:%s": "%s", "redis://127.0.0.1:%s": "%s"}\n' "$p_redis" "$(cat "$secrets/redis_password")" \
      $((p_redis + 1)) "$(cat "$secrets/redis_password")" >"$secrets/redis_exporter_passwords.json"
    cp "$MS_SERVICES_DIR/rabbitmq-stack/password" "$secrets/rabbitmq_password"
    cut -d' ' -f4 <"$run/swift.url" >"$secrets/s3_secret_access_key"
    printf '[client]\nuser = exporter\npassword = %s\nhost = 127.0.0.1\nport = %s\n' \
      "$(cat "$secrets/mysqld_exporter_password")" "$p_mariadb" >"$secrets/mysqld_exporter.cnf")
  mariadb --no-defaults --protocol=socket --socket="$MS_SERVICES_DIR/mariadb-stack/run/mariadbd.sock" --user=root --batch <<SQL
CREATE USER IF NOT EXISTS 'exporter'@'127.0.0.1' IDENTIFIED BY '$(cat "$secrets/mysqld_exporter_password")' WITH MAX_USER_CONNECTIONS 3;
ALTER USER 'exporter'@'127.0.0.1' IDENTIFIED BY '$(cat "$secrets/mysqld_exporter_password")';
GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO 'exporter'@'127.0.0.1';
SQL

  # Schema once, then the demo practice (kept in the data directory: loaded once).
  app_env
  local t=$SECONDS
  env "$mark" "$bin" migrate >"$logs/migrate.log" 2>&1 || { echo "stack: medisecure migrate failed:" >&2; tail -20 "$logs/migrate.log" >&2; down; exit 1; }
  env "$mark" "$bin" demo seed >"$logs/demo.log" 2>&1 || { echo "stack: medisecure demo seed failed:" >&2; tail -20 "$logs/demo.log" >&2; down; exit 1; }
  echo "stack: schema migrated and demo practice loaded in $((SECONDS - t)) s"

  # The instances and the worker, then HAProxy in front of them.
  local i
  for i in $(seq 1 "$instances"); do start_instance "$i"; done
  # Its listener serves health and metrics only (Prometheus job medisecure-worker).
  MEDISECURE_WORKER_LISTEN="127.0.0.1:$((base + 10))" launch worker "$bin" worker
  haproxy_env
  launch haproxy "$(command -v haproxy || echo /usr/sbin/haproxy)" -W -db -f "$root/deploy/haproxy/haproxy.cfg" \
    -f "$secrets/haproxy_stats.cfg" -f "$stack/haproxy/servers.cfg"

  # Monitoring.
  launch postgres-exporter env DATA_SOURCE_NAME="postgresql://postgres@127.0.0.1:$p_pg/postgres?sslmode=disable" \
    prometheus-postgres-exporter --web.listen-address="127.0.0.1:$p_pg_exporter"
  launch mysqld-exporter prometheus-mysqld-exporter --config.my-cnf="$secrets/mysqld_exporter.cnf" \
    --web.listen-address="127.0.0.1:$p_mysqld_exporter"
  launch redis-exporter prometheus-redis-exporter -redis.addr="redis://127.0.0.1:$p_redis" \
    -redis.password-file="$secrets/redis_exporter_passwords.json" -web.listen-address="127.0.0.1:$p_redis_exporter"
  launch node-exporter prometheus-node-exporter --no-collector.systemd --web.listen-address="127.0.0.1:$p_node_exporter"
  launch blackbox-exporter prometheus-blackbox-exporter --config.file="$root/deploy/prometheus/blackbox.yml" \
    --web.listen-address="127.0.0.1:$p_blackbox"
  amtool check-config "$stack/alertmanager/alertmanager.yml" >"$logs/alertmanager.check.log" 2>&1 ||
    { cat "$logs/alertmanager.check.log" >&2; down; exit 1; }
  launch alertmanager prometheus-alertmanager --config.file="$stack/alertmanager/alertmanager.yml" \
    --storage.path="$stack/alertmanager/data" --web.listen-address="127.0.0.1:$p_alertmanager" \
    --cluster.listen-address= --web.external-url="http://127.0.0.1:$p_alertmanager"
  start_service prometheus prometheus.sh MS_PROMETHEUS_NAME=stack MS_PROMETHEUS_PORT="$p_prometheus" \
    MS_PROMETHEUS_CONFIG="$stack/prometheus/prometheus.yml"

  # Ready: every instance, then the application through HAProxy over TLS.
  for i in $(seq 1 "$instances"); do
    wait_http "serve-$i" 60 "http://127.0.0.1:$(instance_port "$i")/health/ready" || { down; exit 1; }
  done
  wait_http haproxy 30 --cacert "$stack/tls/cert.pem" "https://127.0.0.1:$p_https/health/ready" || { down; exit 1; }
  wait_http alertmanager 30 "http://127.0.0.1:$p_alertmanager/-/ready" || { down; exit 1; }
  service_ok prometheus || { down; exit 1; }
  for s in postgres-exporter mysqld-exporter redis-exporter node-exporter blackbox-exporter worker; do
    pid_of "$s" >/dev/null || { echo "stack: $s exited:" >&2; tail -20 "$logs/$s.log" >&2; down; exit 1; }
  done

  write_env "$instances"
  local took=$((SECONDS - t_start))
  cat <<TEXT

MediSecure stack up in $took s (after packages and build), everything on 127.0.0.1:
  web application     https://127.0.0.1:$p_https/   (HAProxy, TLS; http://127.0.0.1:$p_http/ redirects)
                      certificate: $stack/tls/cert.pem (curl --cacert; a browser asks once)
  HAProxy stats       http://127.0.0.1:$p_stats/stats   user ops, password in $secrets/haproxy_stats_password
  Prometheus          http://127.0.0.1:$p_prometheus/
  Alertmanager        http://127.0.0.1:$p_alertmanager/   (mails the SMTP sink: $MS_SERVICES_DIR/smtp/maildir)
  RabbitMQ            amqp://127.0.0.1:$p_rabbitmq (management plugin not enabled; metrics http://127.0.0.1:$p_rabbitmq_prometheus/metrics)
  instances           $(for i in $(seq 1 "$instances"); do printf 'serve-%s :%s  ' "$i" "$(instance_port "$i")"; done)+ one worker
  appointments        PostgreSQL (no MongoDB server on this machine)
  logs                $logs/   summary for scripts: $stack/stack.env
TEXT
  # The generated credentials are shown once, at the first start that gets this far.
  if [ ! -e "$secrets/.shown" ]; then
    : >"$secrets/.shown"
    echo
    echo "Generated credentials (shown this once; kept, mode 0600, in the files named):"
    echo "  HAProxy stats: ops / $(cat "$secrets/haproxy_stats_password")"
    echo "  demo practice ($stack/data/demo-credentials.txt; production mode: administrators enrol TOTP at first sign-in):"
    sed -n '/^  /p' "$stack/data/demo-credentials.txt" | sed 's/^/  /'
  else
    echo "  credentials         $stack/data/demo-credentials.txt, $secrets/haproxy_stats_password"
  fi
  pids=$(marked | wc -l)
  echo "  processes           $pids (scripts/stack.sh status; make stack-down stops them all)"
}

# stack.env: KEY='VALUE' lines, for the failover test and other scripts.
write_env() {
  local instances=$1 i n
  kv() { printf "%s='%s'\n" "$1" "$2"; }
  {
    echo "# Generated by scripts/stack.sh: the running stack, KEY='VALUE' (no value holds a quote): source it"
    echo "# in a shell or parse it. Lists are separated by spaces. No secret is here, only the files holding them."
    kv STACK_DIR "$stack"
    kv STACK_BIN "$bin"
    kv STACK_MARK "$mark"
    kv STACK_INSTANCES "$instances"
    kv STACK_URL "https://127.0.0.1:$p_https"
    kv STACK_HTTP_URL "http://127.0.0.1:$p_http"
    kv STACK_CA_FILE "$stack/tls/cert.pem"
    kv STACK_STATS_URL "http://127.0.0.1:$p_stats/stats"
    kv STACK_STATS_USER ops
    kv STACK_STATS_PASSWORD_FILE "$secrets/haproxy_stats_password"
    kv STACK_HAPROXY_METRICS_URL "http://127.0.0.1:$p_haproxy_metrics/metrics"
    kv STACK_HAPROXY_PID "$(pid_of haproxy || true)"
    kv STACK_HAPROXY_HTTPS_PORT "$p_https"
    kv STACK_HAPROXY_HTTP_PORT "$p_http"
    kv STACK_HAPROXY_STATS_PORT "$p_stats"
    kv STACK_HAPROXY_SOURCE "$haproxy_source"
    kv STACK_SERVE_PORTS "$(for i in $(seq 1 "$instances"); do printf '%s ' "$(instance_port "$i")"; done | sed 's/ $//')"
    for i in $(seq 1 "$instances"); do
      kv "STACK_SERVE_${i}_PORT" "$(instance_port "$i")"
      kv "STACK_SERVE_${i}_PID" "$(pid_of "serve-$i" || true)"
    done
    kv STACK_WORKER_PID "$(pid_of worker || true)"
    kv STACK_APP_ENV_FILE "$stack/app.env"
    kv STACK_DEMO_CREDENTIALS_FILE "$stack/data/demo-credentials.txt"
    kv STACK_METRICS_TOKEN_FILE "$secrets/metrics_token"
    kv STACK_SECRETS_DIR "$secrets"
    kv STACK_LOGS_DIR "$logs"
    kv STACK_SERVICES_DIR "$MS_SERVICES_DIR"
    kv STACK_PROMETHEUS_URL "http://127.0.0.1:$p_prometheus"
    kv STACK_ALERTMANAGER_URL "http://127.0.0.1:$p_alertmanager"
    kv STACK_PG_PORT "$p_pg"
    kv STACK_PG_PID "$(head -1 "$MS_SERVICES_DIR/postgres/data/postmaster.pid" 2>/dev/null || true)"
    kv STACK_PG_SUPERUSER_URL "postgresql://postgres@127.0.0.1:$p_pg/postgres"
    kv STACK_PG_SCRIPT_ENV "MS_SERVICES_DIR=$MS_SERVICES_DIR MS_PG_PORT=$p_pg MS_PG_DB=medisecure_stack_scratch MS_PG_DURABLE=1"
    kv STACK_MARIADB_PORT "$p_mariadb"
    kv STACK_MARIADB_PID "$(cat "$MS_SERVICES_DIR/mariadb-stack/pid" 2>/dev/null || true)"
    kv STACK_REDIS_NODE_PORTS "$p_redis $((p_redis + 1))"
    kv STACK_REDIS_SENTINEL_PORTS "$((p_redis + 10)) $((p_redis + 11)) $((p_redis + 12))"
    kv STACK_REDIS_PASSWORD_FILE "$secrets/redis_password"
    for n in "$p_redis" $((p_redis + 1)); do
      kv "STACK_REDIS_NODE_${n}_PID" "$(cat "$MS_SERVICES_DIR/redis-sentinel-stack/node-$n.pid" 2>/dev/null || true)"
    done
    kv STACK_REDIS_SCRIPT_ENV "MS_SERVICES_DIR=$MS_SERVICES_DIR MS_SENTINEL_NAME=stack MS_SENTINEL_BASE_PORT=$p_redis"
    kv STACK_RABBITMQ_PORT "$p_rabbitmq"
    kv STACK_RABBITMQ_PID "$(cat "$MS_SERVICES_DIR/rabbitmq-stack/pid" 2>/dev/null || true)"
    kv STACK_RABBITMQ_PASSWORD_FILE "$secrets/rabbitmq_password"
    kv STACK_RABBITMQ_SCRIPT_ENV "MS_SERVICES_DIR=$MS_SERVICES_DIR MS_RABBITMQ_NAME=stack MS_RABBITMQ_PORT=$p_rabbitmq MS_RABBITMQ_PROMETHEUS_PORT=$p_rabbitmq_prometheus MS_RABBITMQ_DIST_PORT=$p_rabbitmq_dist MS_RABBITMQ_EPMD_PORT=$p_epmd"
    kv STACK_S3_URL "http://127.0.0.1:$p_s3"
    kv STACK_SMTP_PORT "$p_smtp"
    kv STACK_SMTP_MAILDIR "$MS_SERVICES_DIR/smtp/maildir"
  } >"$stack/stack.env"
  # The instances' environment (no secret in it: those are *_FILE paths), to run one by hand.
  (umask 077; env | grep '^MEDISECURE_' | grep -v '^MEDISECURE_HAPROXY_' | sort | sed "s/=\(.*\)/='\1'/" >"$stack/app.env")
}

# --- down, status, scale ----------------------------------------------------------------------

down() {
  local name left p
  # Ours first (the entry point, then the instances), then the servers through their scripts.
  stop_one haproxy 35
  for f in "$run"/serve-*.pid; do
    if [ -e "$f" ]; then name=${f##*/}; stop_one "${name%.pid}" 35; fi
  done
  for name in worker alertmanager postgres-exporter mysqld-exporter redis-exporter node-exporter blackbox-exporter; do
    stop_one "$name" 15
  done
  MS_PROMETHEUS_NAME=stack "$services/prometheus.sh" stop || true
  MS_SMTP_PORT=$p_smtp "$services/smtp.sh" stop || true
  MS_SWIFT_NAME=stack "$services/swift.sh" stop || true
  MS_RABBITMQ_NAME=stack MS_RABBITMQ_PORT="$p_rabbitmq" MS_RABBITMQ_PROMETHEUS_PORT="$p_rabbitmq_prometheus" \
    MS_RABBITMQ_DIST_PORT="$p_rabbitmq_dist" MS_RABBITMQ_EPMD_PORT="$p_epmd" "$services/rabbitmq.sh" stop || true
  MS_SENTINEL_NAME=stack MS_SENTINEL_BASE_PORT="$p_redis" "$services/redis-sentinel.sh" stop || true
  MS_MARIADB_NAME=stack MS_MARIADB_PORT="$p_mariadb" "$services/mariadb.sh" stop || true
  MS_PG_PORT="$p_pg" "$services/postgres.sh" stop || true
  # Nothing of the stack may be left: any process still carrying its mark is named and ended.
  left=$(marked)
  if [ -n "$left" ]; then
    for p in $left; do echo "stack: left behind: PID $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)" >&2; done
    for p in $left; do kill "$p" 2>/dev/null || true; done
    sleep 2
    for p in $(marked); do kill -9 "$p" 2>/dev/null || true; done
    sleep 0.5
  fi
  left=$(marked)
  rm -f "$stack/stack.env"
  if [ -n "$left" ]; then
    echo "stack: still running after SIGKILL: $left" >&2
    return 1
  fi
  echo "stack: down, no process of the stack left"
}

status() {
  local line rc=0 i
  check() {  # check NAME PORT: up when it listens
    if listening "$2"; then line="up  "; else line="down"; rc=1; fi
    printf '  %-18s %s  127.0.0.1:%s\n' "$1" "$line" "$2"
  }
  check postgresql "$p_pg"
  check mariadb "$p_mariadb"
  check redis-master "$p_redis"
  check redis-replica $((p_redis + 1))
  for i in 0 1 2; do check "redis-sentinel-$((i + 1))" $((p_redis + 10 + i)); done
  check rabbitmq "$p_rabbitmq"
  check s3-swift "$p_s3"
  check smtp-sink "$p_smtp"
  for f in "$run"/serve-*.pid; do
    [ -e "$f" ] || continue
    i=${f##*/serve-}; i=${i%.pid}
    check "serve-$i" "$(instance_port "$i")"
  done
  if pid_of worker >/dev/null; then printf '  %-18s up    PID %s\n' worker "$(pid_of worker)"; else printf '  %-18s down\n' worker; rc=1; fi
  check haproxy-https "$p_https"
  check haproxy-stats "$p_stats"
  check prometheus "$p_prometheus"
  check alertmanager "$p_alertmanager"
  check postgres-exporter "$p_pg_exporter"
  check mysqld-exporter "$p_mysqld_exporter"
  check redis-exporter "$p_redis_exporter"
  check node-exporter "$p_node_exporter"
  check blackbox-exporter "$p_blackbox"
  return $rc
}

scale() {
  local n i current=0 pid
  n=$(instances_wanted "${1:?usage: stack.sh scale N}")
  pid=$(pid_of haproxy) || { echo "stack: not running (scripts/stack.sh up)" >&2; exit 1; }
  for f in "$run"/serve-*.pid; do if [ -e "$f" ]; then current=$((current + 1)); fi; done
  app_env
  # Instances 1…N that do not run (new ones, or one that was killed) are started.
  for i in $(seq 1 "$n"); do
    if pid_of "serve-$i" >/dev/null; then continue; fi
    start_instance "$i"
    wait_http "serve-$i" 60 "http://127.0.0.1:$(instance_port "$i")/health/ready" || exit 1
  done
  write_servers "$n"
  # Master-worker HAProxy reloads on SIGUSR2: the new process takes the listeners, the old one
  # finishes its requests. Instances being removed drain only after HAProxy no longer sends.
  kill -USR2 "$pid"
  sleep 1
  for i in $(seq $((n + 1)) "$current"); do stop_one "serve-$i" 35; done
  instances=$n prometheus_config >"$stack/prometheus/prometheus.yml"
  curl -fsS -X POST -o /dev/null "http://127.0.0.1:$p_prometheus/-/reload" 2>/dev/null ||
    kill -HUP "$(cat "$MS_SERVICES_DIR/prometheus-stack/pid")" 2>/dev/null || true
  write_env "$n"
  echo "stack: $n instance(s) behind HAProxy"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  scale) scale "${2:-}" ;;
  *) echo "usage: $0 up|down|status|scale N" >&2; exit 2 ;;
esac
