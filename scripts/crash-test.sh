#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make crash`: the crash-durability tests with many rounds. `medisecure serve` is killed with
# SIGKILL at random moments under sustained audited writes, on the embedded default and on
# PostgreSQL, restarted on the same data, and every acknowledged write is looked for with its
# audit record; then the power-loss rounds (write-ahead logs and the audit journal cut) and the
# full disk. Prints the figures (rounds, writes acknowledged, verified, lost).
#   CRASH_ROUNDS (default 20) rounds per engine; CRASH_SEED repeats a run; CRASH_SKIP_BUILD=1
#   uses the build as it is (make test builds it).
# PostgreSQL: MEDISECURE_TEST_PG_DSN when set, else a server of this script's own
# (scripts/services/postgres.sh on MS_PG_PORT, default 55432), stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build/release}
if [ "${CRASH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/deps.sh test
  BUILD_TESTS=1 scripts/build.sh
fi

started=()
cleanup() {
  for s in "${started[@]}"; do scripts/services/"$s".sh stop || true; done
}
trap cleanup EXIT
if [ -z "${MEDISECURE_TEST_PG_DSN:-}" ]; then
  if MEDISECURE_TEST_PG_DSN=$(scripts/services/postgres.sh start); then
    started+=(postgres)
    export MEDISECURE_TEST_PG_DSN
  elif [ "${CI:-}" = true ]; then
    echo "crash: PostgreSQL could not start, and CI requires it" >&2
    exit 1
  else
    echo "crash: PostgreSQL could not start; its rounds will skip" >&2
  fi
fi

export MEDISECURE_CRASH_ROUNDS=${CRASH_ROUNDS:-20}
if [ -n "${CRASH_SEED:-}" ]; then export MEDISECURE_CRASH_SEED=$CRASH_SEED; fi
out=$root/$build_dir/crash-report.txt
started_at=$(date +%s)
status=0
"$build_dir/tests/ms_crash_tests" 2>&1 | tee "$out" || status=$?
echo
echo "crash: $MEDISECURE_CRASH_ROUNDS rounds per engine in $(($(date +%s) - started_at)) s (full output: $out)"
grep -E '^(crash\[|power loss:|disk full:)' "$out" || true
if [ "$status" -ne 0 ]; then
  echo "crash: FAILED (status $status)" >&2
  false
fi
