#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make sanitize`: the C++ tests under the sanitizers, each build in its own directory from a
# CMake preset (backend/CMakePresets.json), with GCC:
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (build/asan): the whole C++ suite, as
#         make test runs it, with the same servers (scripts/test-services.sh): every unit test
#         binary (CTest label unit), the port contract tests (in-memory, SQLite, PostgreSQL,
#         MariaDB, Redis, RabbitMQ, S3...), the API tests (the server in-process),
#         and the crash and cluster tests (which run the medisecure binary, itself built with
#         the sanitizers: a report in a child process fails its test).
#   tsan  ThreadSanitizer (build/tsan): the concurrency-heavy tests, by name (group commit, the
#         batched WAL, caches, the job runner and queues, booking, issuing and rotation races,
#         the audit log's shared commits), listed in tsan_tests below.
# Usage: scripts/sanitize.sh [asan|tsan|all]   (default: all). Any report fails the run.
# Not part of make test: see docs/security.md for the measured build and run times.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
what=${1:-all}
case "$what" in asan | tsan | all) ;; *) echo "usage: $0 [asan|tsan|all]" >&2; exit 2 ;; esac
jobs=${JOBS:-2}
export CCACHE_DIR=${CCACHE_DIR:-$root/build/.ccache}
export CCACHE_BASEDIR=$root
export MEDISECURE_TEST_OUTPUT=${MEDISECURE_TEST_OUTPUT:-$root/build/test-output}
mkdir -p "$MEDISECURE_TEST_OUTPUT"

# The servers of make test, so that the contract, API, crash and cluster tests run against the
# real engines under the sanitizers too (TSan's contract tests as well); stopped at the end.
started=()
cleanup() {
  for s in "${started[@]}"; do scripts/services/"$s".sh stop || true; done
}
trap cleanup EXIT
# shellcheck source=scripts/test-services.sh
. scripts/test-services.sh

# Every report stops the test that made it (UBSan is built with -fno-sanitize-recover too).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

# configure PRESET: the build directory of a preset, configured once.
configure() {
  if [ ! -f "build/$1/build.ninja" ]; then
    (cd backend && cmake --preset "$1" >/dev/null)
  fi
}

# build DIR TARGET...: ninja, quiet unless something fails.
build() {
  local dir=$1
  shift
  echo "sanitize: build $dir ($jobs jobs): $*"
  ninja -C "$dir" -j "$jobs" "$@" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
  test "${PIPESTATUS[0]}" -eq 0
}

run_asan() {
  configure asan
  local targets
  mapfile -t targets < <(ninja -C build/asan -t targets all | sed -n 's/^\(ms_[a-z_]*_tests\): phony$/\1/p')
  build build/asan medisecure "${targets[@]}"
  local failed=0 part
  echo "sanitize: ASan+UBSan: unit tests"
  ctest --test-dir build/asan --output-on-failure -j "${TEST_JOBS:-2}" -L unit --timeout 1200 || failed=$((failed + 1))
  for part in contract api crash cluster; do
    echo "sanitize: ASan+UBSan: $part tests"
    ctest --test-dir build/asan --output-on-failure -R "^ms_${part}_tests\$" --timeout 2400 || failed=$((failed + 1))
  done
  if [ "$failed" -gt 0 ]; then
    echo "sanitize: ASan+UBSan: $failed part(s) failed" >&2
    return 1
  fi
}

# binary:gtest-filter, for the ThreadSanitizer run.
tsan_tests=(
  "ms_platform_tests:Database.GroupCommit*:BatchedWal.*:MemoryCache.*:Digest.OneKeySharedByThreads"
  "ms_core_tests:Uuid.*Threads*"
  "ms_audit_tests:AuditLog.*:AuditJournal.*"
  "ms_appointments_tests:BookingRules.*"
  "ms_patients_tests:PatientCache.*:SharedCache.*:Registry.OptimisticConcurrency"
  "ms_notifications_tests:Queue.*"
  "ms_contract_tests:*Concurrent*:*CacheContract*:*Queue*"
)

run_tsan() {
  configure tsan
  local t targets=()
  for t in "${tsan_tests[@]}"; do targets+=("${t%%:*}"); done
  build build/tsan "${targets[@]}"
  local failed=0 bin filter
  for t in "${tsan_tests[@]}"; do
    bin=${t%%:*}
    filter=${t#*:}
    echo "sanitize: TSan: $bin --gtest_filter=$filter"
    bin_path=$(find build/tsan -name "$bin" -type f -perm -u+x | head -1)
    if ! "$bin_path" --gtest_filter="$filter" --gtest_brief=1; then failed=$((failed + 1)); fi
  done
  if [ "$failed" -gt 0 ]; then
    echo "sanitize: TSan: $failed binary(ies) failed" >&2
    return 1
  fi
}

start=$SECONDS
status=0
if [ "$what" != tsan ]; then run_asan || status=1; fi
if [ "$what" != asan ]; then run_tsan || status=1; fi
if [ "$status" -ne 0 ]; then
  echo "sanitize: $what FAILED after $((SECONDS - start)) s" >&2
  exit 1
fi
echo "sanitize: $what passed in $((SECONDS - start)) s"
