#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A Redis server on loopback for the tests (Debian's redis-server), with a generated password,
# nothing saved to disk.
#   redis.sh start  -> prints "redis://:<password>@127.0.0.1:<port>/0" on stdout
#   redis.sh stop   (only the server this script started, by its PID)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/redis${MS_REDIS_NAME:+-$MS_REDIS_NAME}
port=${MS_REDIS_PORT:-55379}
server=$(command -v redis-server || echo /usr/bin/redis-server)

# shellcheck source=scripts/services/lib.sh
. "$(dirname "$0")/lib.sh"
stop() { stop_pidfile "$dir/pid"; }

case "${1:-}" in
  start)
    if [ ! -x "$server" ]; then echo "redis.sh: redis-server is not installed (scripts/deps.sh test)" >&2; exit 1; fi
    stop
    mkdir -p "$dir"
    if [ ! -s "$dir/password" ]; then
      (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password")
    fi
    password=$(cat "$dir/password")
    # The password goes in a config file (mode 0600), not on the command line.
    (umask 077; printf 'requirepass %s\n' "$password" >"$dir/redis.conf")
    "$server" "$dir/redis.conf" --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --daemonize no --dir "$dir" --logfile "$dir/log" >/dev/null 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
      if REDISCLI_AUTH=$password redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "redis://:$password@127.0.0.1:$port/0"
        exit 0
      fi
      sleep 0.1
    done
    echo "redis.sh: Redis did not start:" >&2
    cat "$dir/log" >&2 || true
    exit 1
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
