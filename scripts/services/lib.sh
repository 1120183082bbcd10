# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by the scripts in scripts/services/ (not a service itself).

# stop_pidfile FILE: ends the process whose PID FILE holds (one this script started), waits up
# to 5 s for it to exit, and removes FILE. Nothing to do when FILE is absent.
stop_pidfile() {
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  rm -f "$1"
}
