#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/bench.sh's EXIT trap on its own (the whole bench needs its servers and minutes): under
# `set -euo pipefail` it ends true with nothing started, and stops what was started, by PID.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/tests/lib.sh
. "$here/lib.sh"

sed -n '/^cleanup() {$/,/^}$/p' "$here/../bench.sh" >"$scratch/cleanup.sh"
if ! grep -q '^cleanup() {$' "$scratch/cleanup.sh"; then fail "bench.sh: no cleanup function found"; fi
if ! grep -q '^trap cleanup EXIT$' "$here/../bench.sh"; then fail "bench.sh: cleanup is not its EXIT trap"; fi

status=0
bash -euo pipefail -c '. "$1"; pids=(); pg_started=; cleanup' _ "$scratch/cleanup.sh" || status=$?
expect_status 0 "$status" "bench.sh cleanup with nothing started"

sleep 300 &
sleeper=$!
status=0
bash -euo pipefail -c '. "$1"; pids=("$2" 999999999); pg_started=; cleanup' _ "$scratch/cleanup.sh" "$sleeper" || status=$?
expect_status 0 "$status" "bench.sh cleanup with a process and a PID that is gone"
# The signal is delivered when the process next runs: on a loaded machine, give it up to 5 s to
# end (an ended child of this script stays as a zombie until waited for: that counts as ended).
running() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [ "${st:0:1}" != Z ]
}
for _ in $(seq 50); do running "$sleeper" || break; sleep 0.1; done
if running "$sleeper"; then
  fail "bench.sh cleanup left its process running"
  kill "$sleeper"
fi
wait "$sleeper" 2>/dev/null || true

finish
