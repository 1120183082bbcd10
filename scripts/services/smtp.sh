#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An SMTP sink on loopback for the tests (aiosmtpd, Debian's python3-aiosmtpd), storing every
# message it accepts in a Maildir.
#   smtp.sh start  -> prints "smtp://127.0.0.1:<port> <maildir>" on stdout
#   smtp.sh stop
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/smtp
port=${MS_SMTP_PORT:-55025}
python=/usr/bin/python3  # Debian's python, where python3-aiosmtpd lives
case "${1:-}" in
  start)
    mkdir -p "$dir"
    rm -rf "$dir/maildir" && mkdir -p "$dir/maildir"/{new,cur,tmp}
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then kill "$(cat "$dir/pid")"; sleep 0.3; fi
    "$python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 50); do
      if "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
        echo "smtp://127.0.0.1:$port $dir/maildir"
        exit 0
      fi
      sleep 0.1
    done
    echo "smtp.sh: the SMTP sink did not start:" >&2
    cat "$dir/log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; rm -f "$dir/pid"; fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
