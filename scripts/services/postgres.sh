#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throw-away PostgreSQL 15 server on loopback for the tests.
#   postgres.sh start  -> prints a connection URL on stdout (logs go to stderr)
#   postgres.sh stop
# State lives in $MS_SERVICES_DIR/postgres (default build/services/postgres). Runs the server as
# the postgres user when started by root (initdb refuses root), as the caller otherwise.
# MS_PG_PORT (default 55432), MS_PG_DB (default medisecure_test: dropped and created afresh at
# every start). MS_PG_DURABLE=1 starts it as production runs it (fsync and synchronous commit
# on, full-page writes, memory and checkpoints sized for a server) instead of the tests'
# fsync=off: the bench measures that one.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/postgres
port=${MS_PG_PORT:-55432}
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "postgres.sh: PostgreSQL server binaries not found (package postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if [ "${MS_PG_DURABLE:-0}" = 1 ]; then
      settings="-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c shared_buffers=1GB"
      settings="$settings -c effective_cache_size=4GB -c max_wal_size=4GB -c checkpoint_timeout=15min"
      settings="$settings -c random_page_cost=1.1 -c max_connections=300"
    else
      settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings" \
        start >&2 || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    # A new, empty database at every start.
    db=${MS_PG_DB:-medisecure_test}
    as_pg "$bin/dropdb" -h 127.0.0.1 -p "$port" -U postgres --if-exists "$db"
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
    echo "postgresql://postgres@127.0.0.1:$port/$db"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true; fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
