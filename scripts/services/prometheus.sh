#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A Prometheus server on loopback for the tests (Debian's prometheus), scraping what the
# configuration file given names.
#   MS_PROMETHEUS_CONFIG=FILE prometheus.sh start  -> prints "http://127.0.0.1:<port>" on stdout
#   prometheus.sh stop   (only the server this script started, by its PID)
# MS_PROMETHEUS_PORT (default 55090), MS_PROMETHEUS_NAME gives a second server a state
# directory of its own. The configuration is checked with promtool first.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/prometheus${MS_PROMETHEUS_NAME:+-$MS_PROMETHEUS_NAME}
port=${MS_PROMETHEUS_PORT:-55090}
server=$(command -v prometheus || echo /usr/bin/prometheus)

# shellcheck source=scripts/services/lib.sh
. "$(dirname "$0")/lib.sh"
stop() { stop_pidfile "$dir/pid"; }

case "${1:-}" in
  start)
    if [ ! -x "$server" ]; then echo "prometheus.sh: prometheus is not installed (scripts/deps.sh test)" >&2; exit 1; fi
    config=${MS_PROMETHEUS_CONFIG:?prometheus.sh: set MS_PROMETHEUS_CONFIG to the configuration file}
    stop
    rm -rf "$dir/data"
    mkdir -p "$dir/data"
    if ! promtool check config "$config" >"$dir/check.log" 2>&1; then
      echo "prometheus.sh: the configuration does not pass promtool:" >&2
      cat "$dir/check.log" >&2
      exit 1
    fi
    "$server" --config.file="$config" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --log.level=warn >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fs -o /dev/null "http://127.0.0.1:$port/-/ready"; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    echo "prometheus.sh: Prometheus did not start:" >&2
    cat "$dir/log" >&2 || true
    stop
    exit 1
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
