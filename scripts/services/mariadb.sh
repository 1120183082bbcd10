#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A MariaDB server on loopback for the tests (Debian's mariadb-server, 10.11), with a database
# and a user "medisecure" with a generated password.
#   mariadb.sh start  -> prints "mariadb://medisecure:<password>@127.0.0.1:<port>/<db>" on stdout
#   mariadb.sh stop   (only the server this script started, by its PID)
# MS_MARIADB_PORT (default 53306, on 127.0.0.1 only), MS_MARIADB_DB (default medisecure_test,
# created when missing); MS_MARIADB_NAME gives a second server a state directory of its own.
# medisecure has every right on that database and on any other named medisecure% (the tests
# create one per test), over TCP (@127.0.0.1) and over the socket (@localhost). The data
# survives stop + start; MS_MARIADB_FRESH=1 wipes it (not the password) before starting.
# MS_MARIADB_DURABLE=1 flushes the redo log at every commit (innodb_flush_log_at_trx_commit=1)
# instead of the tests' once a second (2).
# Everything lives in the state directory: my.cnf, data/, run/ (socket, the server's pid file),
# log/ (error log), tmp/, the password, and client.cnf (mode 0600) for a client by hand:
#   mariadb --defaults-file=build/services/mariadb/client.cnf
# Nothing in /etc/mysql, /var/lib/mysql or /run/mysqld is used. Started by root, mariadbd runs
# as the mysql user (it refuses root unless told --user=root, and a bug in it should not be
# one in a root process): it drops to mysql itself, keeping the PID that $! gives. Root on the
# server is root@localhost without a password (--auth-root-authentication-method=normal),
# reachable only through the socket in the state directory (mode 0700); the root accounts for
# 127.0.0.1, ::1 and the host name are removed.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/mariadb${MS_MARIADB_NAME:+-$MS_MARIADB_NAME}
port=${MS_MARIADB_PORT:-53306}
db=${MS_MARIADB_DB:-medisecure_test}
server=$(command -v mariadbd || echo /usr/sbin/mariadbd)
sock=$dir/run/mariadbd.sock

if [ "$(id -u)" -eq 0 ]; then user=mysql; else user=$(id -un); fi

alive() {  # alive PID: the process runs (an exited one waiting to be reaped does not)
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }  # the state follows the command name, in parentheses
  [ "${st:0:1}" != Z ]
}

ours() {  # ours PID: a running mariadbd started with this state directory's my.cnf
  if [ -z "$1" ] || ! alive "$1"; then return 1; fi
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--defaults-file=$dir/my.cnf"
}

# Like stop_pidfile (lib.sh), with a longer wait and SIGKILL at the end: mariadbd takes a moment
# to shut down cleanly (InnoDB). The PID is the one this script recorded, else the one the
# server wrote (should the record be lost); either is ended only if it is our mariadbd.
stop() {
  local pid='' t0=$SECONDS
  if [ -s "$dir/pid" ]; then pid=$(cat "$dir/pid"); elif [ -s "$dir/run/mariadbd.pid" ]; then pid=$(cat "$dir/run/mariadbd.pid"); fi
  if ours "$pid"; then
    kill "$pid" 2>/dev/null || true
    while alive "$pid" && [ $((SECONDS - t0)) -lt 30 ]; do sleep 0.1; done
    if alive "$pid"; then
      echo "mariadb.sh: PID $pid did not exit in 30 s: killed" >&2
      kill -9 "$pid" 2>/dev/null || true
      while alive "$pid" && [ $((SECONDS - t0)) -lt 35 ]; do sleep 0.1; done
    fi
  fi
  rm -f "$dir/pid" "$dir/run/mariadbd.pid"
}

listening() {  # listening PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fail() {  # fail MESSAGE: the message and the logs on stderr, the server ended, exit 1
  echo "mariadb.sh: $1" >&2
  for f in "$dir/log/error.log" "$dir/log/server.out"; do
    if [ -s "$f" ]; then
      echo "--- $f" >&2
      tail -50 "$f" >&2
    fi
  done
  stop
  exit 1
}

root_sql() {  # root_sql: the SQL on stdin, as root over the socket
  mariadb --no-defaults --protocol=socket --socket="$sock" --user=root --batch >&2
}

case "${1:-}" in
  start)
    if [ ! -x "$server" ] || ! command -v mariadb-install-db >/dev/null || ! command -v mariadb-admin >/dev/null; then
      echo "mariadb.sh: mariadb-server is not installed (scripts/deps.sh test)" >&2
      exit 1
    fi
    if ! [[ $db =~ ^[A-Za-z0-9_]+$ ]]; then echo "mariadb.sh: MS_MARIADB_DB=$db: letters, digits and _ only" >&2; exit 1; fi
    stop
    mkdir -p "$dir"
    if [ "${MS_MARIADB_FRESH:-0}" = 1 ]; then
      find "$dir" -mindepth 1 -maxdepth 1 ! -name password -exec rm -rf {} +
    fi
    if [ ! -s "$dir/password" ]; then
      (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password")
    fi
    password=$(cat "$dir/password")
    mkdir -p "$dir/run" "$dir/log" "$dir/tmp"
    if [ "$(id -u)" -eq 0 ]; then
      chown "$user:$user" "$dir" "$dir/run" "$dir/log" "$dir/tmp"
      if [ -d "$dir/data" ]; then chown -R "$user:$user" "$dir/data"; fi
    fi
    chmod 0700 "$dir"
    if [ "${MS_MARIADB_DURABLE:-0}" = 1 ]; then flush=1; else flush=2; fi
    # No secret in here: the password is set over the socket and kept in client.cnf (0600).
    cat >"$dir/my.cnf" <<CONF
[mariadbd]
$(if [ "$(id -u)" -eq 0 ]; then echo "user = $user"; fi)
datadir = $dir/data
socket = $sock
pid-file = $dir/run/mariadbd.pid
tmpdir = $dir/tmp
log-error = $dir/log/error.log
bind-address = 127.0.0.1
port = $port
skip-networking = 0
skip-name-resolve
skip-log-bin
default-storage-engine = InnoDB
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
sql_mode = STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION
transaction-isolation = READ-COMMITTED
innodb_buffer_pool_size = 64M
innodb_flush_log_at_trx_commit = $flush
max_connections = 200
CONF
    chmod 0644 "$dir/my.cnf"  # mariadbd ignores a world-writable one
    (umask 077; cat >"$dir/client.cnf" <<CONF
[client]
protocol = tcp
host = 127.0.0.1
port = $port
user = medisecure
password = $password
default-character-set = utf8mb4
[mariadb-client]
database = $db
CONF
    )
    if listening "$port"; then echo "mariadb.sh: port $port is in use, not by this script" >&2; exit 1; fi

    if [ ! -d "$dir/data/mysql" ]; then
      rm -rf "$dir/data"
      install_user=()
      if [ "$(id -u)" -eq 0 ]; then install_user=(--user="$user"); fi
      if ! mariadb-install-db --defaults-file="$dir/my.cnf" --auth-root-authentication-method=normal \
        --datadir="$dir/data" "${install_user[@]}" --skip-test-db --skip-name-resolve \
        >"$dir/log/install.log" 2>&1; then
        echo "mariadb.sh: mariadb-install-db failed:" >&2
        cat "$dir/log/install.log" >&2
        rm -rf "$dir/data"
        exit 1
      fi
    fi

    # --defaults-file must come first. Started as root, mariadbd drops to the mysql user itself
    # (user = in my.cnf), in the same process: $! is the server's PID.
    "$server" --defaults-file="$dir/my.cnf" </dev/null >"$dir/log/server.out" 2>&1 &
    echo $! >"$dir/pid"
    start=$SECONDS
    until mariadb-admin --no-defaults --protocol=socket --socket="$sock" --user=root --connect-timeout=1 ping >/dev/null 2>&1; do
      if ! alive "$(cat "$dir/pid")"; then fail "MariaDB exited while starting:"; fi
      if [ $((SECONDS - start)) -ge 30 ]; then fail "MariaDB did not start in 30 s:"; fi
      sleep 0.1
    done

    # Idempotent: the database and the users are created when missing, the password (re)set.
    # `_` and `%` are wildcards in a GRANT's database name: `_` escaped ($db holds no `%`).
    grant_db=${db//_/\\_}
    root_sql <<SQL || fail "the database and user could not be created:"
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
DELETE FROM mysql.proxies_priv WHERE User = 'root' AND Host <> 'localhost';
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS \`$db\`;
CREATE USER IF NOT EXISTS 'medisecure'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'medisecure'@'localhost' IDENTIFIED BY '$password';
ALTER USER 'medisecure'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'medisecure'@'localhost' IDENTIFIED BY '$password';
GRANT ALL ON \`$grant_db\`.* TO 'medisecure'@'127.0.0.1', 'medisecure'@'localhost';
GRANT ALL ON \`medisecure%\`.* TO 'medisecure'@'127.0.0.1', 'medisecure'@'localhost';
SQL
    # The URL works: medisecure over TCP.
    mariadb --defaults-file="$dir/client.cnf" --batch -e 'SELECT 1' >/dev/null 2>"$dir/log/client.err" ||
      fail "medisecure cannot connect over TCP on 127.0.0.1:$port: $(cat "$dir/log/client.err")"
    echo "mariadb://medisecure:$password@127.0.0.1:$port/$db"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
