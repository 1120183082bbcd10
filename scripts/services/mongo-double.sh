#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A MongoDB TEST DOUBLE on loopback for the tests (scripts/services/mongo-double.py: Debian's
# python3-mockupdb for the wire protocol, python3-mongomock for the documents). It is not
# MongoDB: no isolation between transactions, no authentication; what needs a real server
# (concurrent bookings) runs against MEDISECURE_TEST_MONGO_URL only.
#   mongo-double.sh start  -> prints "mongodb://127.0.0.1:<port>/?replicaSet=rs0" on stdout
#   mongo-double.sh stop   (only the process this script started, by its PID)
# MS_MONGO_DOUBLE_PORT (default 57017, on 127.0.0.1 only). State: build/services/mongo-double/
# (pid, log). Nothing is kept across restarts: the documents live in the process's memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/services/lib.sh
. scripts/services/lib.sh
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/mongo-double
port=${MS_MONGO_DOUBLE_PORT:-57017}
python=/usr/bin/python3  # Debian's python, where python3-mockupdb and python3-mongomock live
case "${1:-}" in
  start)
    mkdir -p "$dir"
    stop_pidfile "$dir/pid"
    "$python" scripts/services/mongo-double.py --host 127.0.0.1 --port "$port" >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then break; fi
      if grep -q "^mongo-double: " "$dir/log"; then
        echo "mongodb://127.0.0.1:$port/?replicaSet=rs0"
        exit 0
      fi
      sleep 0.1
    done
    echo "mongo-double.sh: the MongoDB test double did not start:" >&2
    cat "$dir/log" >&2
    stop_pidfile "$dir/pid"
    exit 1
    ;;
  stop)
    stop_pidfile "$dir/pid"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
