#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A RabbitMQ server on loopback for the tests (Debian's rabbitmq-server, 3.10), with the
# Prometheus plugin, a user "medisecure" with a generated password, and its own epmd.
#   rabbitmq.sh start  -> prints "amqp://medisecure:<password>@127.0.0.1:<port>/%2F" on stdout
#   rabbitmq.sh stop   (only what this script started, by PID)
# Ports: MS_RABBITMQ_PORT (AMQP, default 55672), MS_RABBITMQ_PROMETHEUS_PORT (55692),
# MS_RABBITMQ_DIST_PORT (Erlang distribution, 55673), MS_RABBITMQ_EPMD_PORT (a private epmd,
# 55369), all on 127.0.0.1; MS_RABBITMQ_NAME gives a second server a state directory of its
# own; MS_RABBITMQ_START_TIMEOUT (60 s) is how long start waits. The data survives stop + start
# (durable queues, persistent messages); MS_RABBITMQ_FRESH=1 wipes it (not the password) before starting. Runs the server as
# the rabbitmq user when started by root, as the caller otherwise. Takes some 8 s to start and
# 6 s to stop.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/rabbitmq${MS_RABBITMQ_NAME:+-$MS_RABBITMQ_NAME}
port=${MS_RABBITMQ_PORT:-55672}
prometheus_port=${MS_RABBITMQ_PROMETHEUS_PORT:-55692}
dist_port=${MS_RABBITMQ_DIST_PORT:-55673}
epmd_port=${MS_RABBITMQ_EPMD_PORT:-55369}
# How long start waits for the node (MS_RABBITMQ_START_TIMEOUT, 60 s): a loaded machine needs more.
start_timeout=${MS_RABBITMQ_START_TIMEOUT:-60}
# Debian's /usr/sbin wrappers cd to /var/lib/rabbitmq, reset HOME and the environment (su) and
# send the output to /var/log/rabbitmq: the scripts behind them take the environment as given.
sbin=/usr/lib/rabbitmq/bin
node=rabbit@localhost

# The server, its CLI and epmd read all of their settings from here; nothing in /etc/rabbitmq,
# /var/lib/rabbitmq or /var/log/rabbitmq is used.
export HOME=$dir/home RABBITMQ_NODENAME=$node RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_LOGS=$dir/log/$node.log
export RABBITMQ_PID_FILE=$dir/run/beam.pid
export ERL_EPMD_PORT=$epmd_port ERL_EPMD_ADDRESS=127.0.0.1 ERL_CRASH_DUMP=$dir/log/erl_crash.dump
# Distribution on loopback only, and never an epmd of Erlang's own (ours runs, or nothing does).
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}"

if [ "$(id -u)" -eq 0 ]; then user=rabbitmq; else user=$(id -un); fi

# as_rabbit CMD...: CMD as the rabbitmq user. setpriv keeps the environment (runuser would set
# HOME) and execs CMD, so that a background "$as_rabbit CMD &" leaves CMD's own PID in $!.
as_rabbit=()
if [ "$(id -u)" -eq 0 ]; then as_rabbit=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --); fi

alive() {  # alive PID: the process runs (an exited one waiting to be reaped does not)
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }  # the state follows the command name, in parentheses
  [ "${st:0:1}" != Z ]
}

ours() {  # ours PID: the process runs, as the user this script starts things as
  if [ -z "$1" ] || ! alive "$1"; then return 1; fi
  [ "$(stat -c %U "/proc/$1" 2>/dev/null)" = "$user" ]
}

# Like stop_pidfile (lib.sh), with a longer wait: RabbitMQ takes seconds to stop cleanly.
stop_pid() {  # stop_pid FILE SECONDS: SIGTERM to the PID FILE holds, SIGKILL after SECONDS
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  if ours "$pid"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 $(($2 * 10))); do
      if ! alive "$pid"; then break; fi
      sleep 0.1
    done
    if alive "$pid"; then
      echo "rabbitmq.sh: PID $pid did not exit in $2 s: killed" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1"
}

stop() {
  # The broker (beam.smp), then the shell of rabbitmq-server that waited on it (on SIGTERM it
  # stops the broker too, should its PID not have been recorded), then our epmd.
  stop_pid "$dir/pid" 30
  stop_pid "$dir/wrapper.pid" 30
  stop_pid "$dir/epmd.pid" 5
}

listening() {  # listening PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

epmd_up() { epmd -port "$epmd_port" -names >/dev/null 2>&1; }  # a client: starts no epmd

fail() {  # fail MESSAGE: the message and the logs on stderr, everything started ended, exit 1
  echo "rabbitmq.sh: $1" >&2
  for f in "$dir/server.log" "$RABBITMQ_LOGS" "$dir/epmd.log"; do
    if [ -s "$f" ]; then
      echo "--- $f" >&2
      tail -50 "$f" >&2
    fi
  done
  stop
  exit 1
}

case "${1:-}" in
  start)
    if [ ! -x "$sbin/rabbitmq-server" ] || ! command -v epmd >/dev/null; then
      echo "rabbitmq.sh: rabbitmq-server is not installed (scripts/deps.sh test)" >&2
      exit 1
    fi
    stop
    mkdir -p "$dir"
    # default_user and default_pass only apply when the database is created: a new password
    # needs a new database.
    if [ "${MS_RABBITMQ_FRESH:-0}" = 1 ] || [ ! -s "$dir/password" ]; then
      find "$dir" -mindepth 1 -maxdepth 1 ! -name password -exec rm -rf {} +
    fi
    if [ ! -s "$dir/password" ]; then
      (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password")
    fi
    password=$(cat "$dir/password")
    mkdir -p "$dir/home" "$dir/mnesia" "$dir/log" "$dir/run"
    if [ ! -s "$dir/home/.erlang.cookie" ]; then
      (umask 077; head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie")
    fi
    : >"$RABBITMQ_CONF_ENV_FILE"
    echo '[rabbitmq_prometheus].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    # The password goes in a config file (mode 0600), not on the command line.
    (umask 077; cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 127.0.0.1:$port
prometheus.tcp.port = $prometheus_port
prometheus.tcp.ip = 127.0.0.1
loopback_users = none
default_vhost = /
default_user = medisecure
default_pass = $password
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
CONF
    )
    if [ "$(id -u)" -eq 0 ]; then
      chown -R rabbitmq:rabbitmq "$dir/home" "$dir/mnesia" "$dir/log" "$dir/run" \
        "$RABBITMQ_CONFIG_FILE" "$RABBITMQ_CONF_ENV_FILE" "$RABBITMQ_ENABLED_PLUGINS_FILE"
    fi
    chmod 0700 "$dir/home"
    chmod 0400 "$dir/home/.erlang.cookie"
    rm -f "$RABBITMQ_PID_FILE" "$dir/server.log" "$dir/epmd.log"
    for p in "$port" "$prometheus_port" "$dist_port" "$epmd_port"; do
      if listening "$p"; then echo "rabbitmq.sh: port $p is in use, not by this script" >&2; exit 1; fi
    done

    # A private epmd, in the foreground (no -daemon) so that its PID is the one $! gives.
    "${as_rabbit[@]}" epmd -address 127.0.0.1 -port "$epmd_port" </dev/null >"$dir/epmd.log" 2>&1 &
    echo $! >"$dir/epmd.pid"
    for _ in $(seq 1 50); do
      if epmd_up; then break; fi
      sleep 0.1
    done
    epmd_up || fail "epmd did not start on port $epmd_port:"

    # rabbitmq-server (a shell that forwards SIGTERM) runs beam.smp as its child; beam.smp
    # writes its own PID to RABBITMQ_PID_FILE, the one stop ends. The node is up when its log
    # (appended to at every start) says "Server startup complete", after the listeners opened:
    # as sure as "rabbitmqctl await_startup", without its 2 s of Erlang VM.
    log_from=$(($(stat -c %s "$RABBITMQ_LOGS" 2>/dev/null || echo 0) + 1))
    start=$SECONDS
    "${as_rabbit[@]}" "$sbin/rabbitmq-server" </dev/null >"$dir/server.log" 2>&1 &
    echo $! >"$dir/wrapper.pid"
    up=
    while [ $((SECONDS - start)) -lt "$start_timeout" ]; do
      if [ ! -s "$dir/pid" ] && [ -s "$RABBITMQ_PID_FILE" ]; then cp "$RABBITMQ_PID_FILE" "$dir/pid"; fi
      if ! alive "$(cat "$dir/wrapper.pid")"; then fail "RabbitMQ exited while starting:"; fi
      if [ -s "$dir/pid" ] && grep -q 'Server startup complete' < <(tail -c "+$log_from" "$RABBITMQ_LOGS" 2>/dev/null) &&
        listening "$port" && listening "$prometheus_port"; then
        up=1
        break
      fi
      sleep 0.2
    done
    [ -n "$up" ] || fail "RabbitMQ did not start in $start_timeout s:"
    echo "amqp://medisecure:$password@127.0.0.1:$port/%2F"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
