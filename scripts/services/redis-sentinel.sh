#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Redis with automatic failover on loopback, for the tests and the stack: a master, one
# replica and three Sentinels (quorum 2), Debian's redis-server and redis-sentinel, a generated
# password on every node (mode 0600 files), nothing saved to disk.
#   redis-sentinel.sh start        -> prints "redis-sentinel://:<pw>@127.0.0.1:<s1>,…/medisecure/0"
#   redis-sentinel.sh kill-master  -> SIGKILLs the node Sentinel names as master; prints its port
#   redis-sentinel.sh restart PORT -> starts that node again (Sentinel makes it a replica)
#   redis-sentinel.sh master       -> prints the master's port, as Sentinel sees it
#   redis-sentinel.sh stop         (only what this script started, by PID)
# Ports: MS_SENTINEL_BASE_PORT (default 55380): nodes at +0 and +1, Sentinels at +10, +11, +12.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/redis-sentinel${MS_SENTINEL_NAME:+-$MS_SENTINEL_NAME}
base=${MS_SENTINEL_BASE_PORT:-55380}
nodes=("$base" $((base + 1)))
sentinels=($((base + 10)) $((base + 11)) $((base + 12)))
name=medisecure

# shellcheck source=scripts/services/lib.sh
. "$(dirname "$0")/lib.sh"

password() { cat "$dir/password"; }

cli() {  # cli PORT ARGS...: redis-cli with the password, quiet
  REDISCLI_AUTH=$(password) redis-cli -p "$1" "${@:2}" 2>/dev/null
}

start_node() {  # start_node PORT [replicaof-port]
  local port=$1 conf="$dir/node-$1.conf"
  (umask 077; {
    printf 'requirepass %s\nmasterauth %s\n' "$(password)" "$(password)"
    if [ -n "${2:-}" ]; then printf 'replicaof 127.0.0.1 %s\n' "$2"; fi
  } >"$conf")
  redis-server "$conf" --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize no \
    --dir "$dir" --logfile "$dir/node-$port.log" >/dev/null 2>&1 &
  echo $! >"$dir/node-$port.pid"
}

wait_for() {  # wait_for PORT: until it answers PING (10 s)
  for _ in $(seq 1 100); do
    if cli "$1" ping | grep -q PONG; then return 0; fi
    sleep 0.1
  done
  echo "redis-sentinel.sh: port $1 did not answer" >&2
  return 1
}

master_port() {
  local s
  for s in "${sentinels[@]}"; do
    if out=$(redis-cli -p "$s" SENTINEL get-master-addr-by-name "$name" 2>/dev/null) && [ -n "$out" ]; then
      echo "$out" | sed -n 2p
      return 0
    fi
  done
  return 1
}

stop_all() {
  for f in "$dir"/sentinel-*.pid "$dir"/node-*.pid; do stop_pidfile "$f"; done
}

case "${1:-}" in
  start)
    if ! command -v redis-server >/dev/null || ! command -v redis-sentinel >/dev/null; then
      echo "redis-sentinel.sh: redis-server and redis-sentinel are needed (scripts/deps.sh test)" >&2
      exit 1
    fi
    mkdir -p "$dir"
    stop_all
    if [ ! -s "$dir/password" ]; then (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password"); fi
    start_node "${nodes[0]}"
    wait_for "${nodes[0]}"
    start_node "${nodes[1]}" "${nodes[0]}"
    wait_for "${nodes[1]}"
    for s in "${sentinels[@]}"; do
      # Sentinel rewrites its configuration file: a fresh one each start.
      (umask 077; cat >"$dir/sentinel-$s.conf" <<CONF
port $s
bind 127.0.0.1
dir $dir
sentinel monitor $name 127.0.0.1 ${nodes[0]} 2
sentinel auth-pass $name $(password)
sentinel down-after-milliseconds $name 1000
sentinel failover-timeout $name 4000
sentinel parallel-syncs $name 1
CONF
      )
      redis-sentinel "$dir/sentinel-$s.conf" --logfile "$dir/sentinel-$s.log" --daemonize no >/dev/null 2>&1 &
      echo $! >"$dir/sentinel-$s.pid"
    done
    for s in "${sentinels[@]}"; do
      for _ in $(seq 1 100); do
        if redis-cli -p "$s" SENTINEL get-master-addr-by-name "$name" 2>/dev/null | grep -q "${nodes[0]}"; then break; fi
        sleep 0.1
      done
    done
    # The replica is in sync before anyone relies on a failover.
    for _ in $(seq 1 100); do
      if cli "${nodes[1]}" info replication | grep -q 'master_link_status:up'; then break; fi
      sleep 0.1
    done
    list=$(printf '127.0.0.1:%s,' "${sentinels[@]}")
    echo "redis-sentinel://:$(password)@${list%,}/$name/0"
    ;;
  kill-master)
    port=$(master_port) || { echo "redis-sentinel.sh: no Sentinel names a master" >&2; exit 1; }
    kill -9 "$(cat "$dir/node-$port.pid")"
    rm -f "$dir/node-$port.pid"
    echo "$port"
    ;;
  restart)
    port=${2:?port}
    start_node "$port"
    wait_for "$port"
    ;;
  master) master_port ;;
  stop) stop_all ;;
  *) echo "usage: $0 start|kill-master|restart PORT|master|stop" >&2; exit 2 ;;
esac
