#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# PgBouncer on loopback in front of the tests' PostgreSQL (scripts/services/postgres.sh), in
# transaction pooling: every database of that server through one port, at most
# MS_PGBOUNCER_POOL server connections per database (default 8), up to 2,000 clients.
#   pgbouncer.sh start  -> prints "postgresql://postgres@127.0.0.1:<port>" on stdout
#   pgbouncer.sh stop   (only the PgBouncer this script started, by its PID)
# MS_PGBOUNCER_PORT (default 56432), MS_PG_PORT (the server behind it, default 55432).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/pgbouncer${MS_PGBOUNCER_NAME:+-$MS_PGBOUNCER_NAME}
port=${MS_PGBOUNCER_PORT:-56432}
target=${MS_PG_PORT:-55432}
pool=${MS_PGBOUNCER_POOL:-8}
as_pg() {  # PgBouncer refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=scripts/services/lib.sh
. "$(dirname "$0")/lib.sh"
stop() { stop_pidfile "$dir/pgbouncer.pid"; }

case "${1:-}" in
  start)
    command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] ||
      { echo "pgbouncer.sh: pgbouncer is not installed (scripts/deps.sh test)" >&2; exit 1; }
    bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    stop
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    # Loopback only, and the test server trusts its local users: no password to keep here.
    printf '"postgres" ""\n' >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$target

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $pool
reserve_pool_size = 0
max_client_conn = 2000
server_reset_query =
ignore_startup_parameters = extra_float_digits
admin_users = postgres
stats_users = postgres
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"/*; fi
    as_pg "$bin" -d "$dir/pgbouncer.ini"
    for _ in $(seq 1 50); do
      if psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
        echo "postgresql://postgres@127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    echo "pgbouncer.sh: PgBouncer did not start:" >&2
    cat "$dir/pgbouncer.log" >&2 || true
    exit 1
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
