#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make fuzz`: builds the libFuzzer targets (backend/fuzz: clang 14, AddressSanitizer and
# UndefinedBehaviorSanitizer, CMake preset `fuzz`, build/fuzz) and runs them one after the other
# at nice 10, then prints per target: executions, executions per second, coverage (libFuzzer's
# cov and ft at the end of the run) and the result (ok, or crash, leak, undefined behaviour,
# invariant, timeout, out of memory).
#
# Usage: scripts/fuzz.sh [run|ci|build] [TARGET...]   (default: run, every target)
#   run    each target for FUZZ_SECONDS (default 60) on its working corpus
#          (build/fuzz/corpus/TARGET, kept between runs) and its committed seeds
#          (backend/fuzz/corpus/TARGET, left as they are).
#   ci     what make test runs: each target replays its committed corpus (the regression
#          inputs of past findings among them), then fuzzes a fixed number of inputs from a
#          fixed seed (FUZZ_CI_SEED; about FUZZ_CI_SECONDS, 10, each) on a fresh working corpus.
#   build  only build.
# A finding leaves its input in build/fuzz/artifacts/TARGET-*, and the run fails. Fix the
# production code, add a regression test, and copy the input to backend/fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-run}
if [ $# -gt 0 ]; then shift; fi
case "$mode" in
  run) seconds=${FUZZ_SECONDS:-60} ;;
  ci) seconds=${FUZZ_CI_SECONDS:-10} ;;
  build) seconds=0 ;;
  *) echo "usage: $0 [run|ci|build] [TARGET...]" >&2; exit 2 ;;
esac

build=$root/build/fuzz
export CCACHE_DIR=${CCACHE_DIR:-$root/build/.ccache}
export CCACHE_BASEDIR=$root
if [ ! -f "$build/build.ninja" ]; then
  (cd backend && cmake --preset fuzz >/dev/null)
fi
echo "fuzz: build ($build, ${JOBS:-2} jobs)"
ninja -C "$build" -j "${JOBS:-2}" fuzz_all | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
test "${PIPESTATUS[0]}" -eq 0
[ "$mode" = build ] && exit 0

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in backend/fuzz/fuzz_*.cpp; do
    f=${f##*/}
    targets+=("${f%.cpp}")
  done
fi

# libFuzzer's timeout is wall-clock time: 60 s per input, not less, as a 9x5 PNG that takes 2 s of
# CPU was once reported a timeout after 16 s on a machine shared with other builds.
# Inputs longer than libFuzzer's default 4 KiB where the format needs them.
max_len() {
  case "$1" in
    fuzz_http_request) echo 32768 ;;
    fuzz_thumbnail) echo 65536 ;;
    fuzz_icd10_import | fuzz_act_csv) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

# ci_runs TARGET: the inputs make test tries, about FUZZ_CI_SECONDS (10) of this machine's
# executions per second for the target (measured on an idle 2-core machine).
ci_runs() {
  local per_s
  case "$1" in
    fuzz_nir) per_s=300000 ;;
    fuzz_query_cursor) per_s=50000 ;;
    fuzz_json_schema) per_s=40000 ;;
    fuzz_jwt) per_s=30000 ;;
    fuzz_document_sniff | fuzz_icd10_import) per_s=9000 ;;
    fuzz_icalendar) per_s=5000 ;;
    fuzz_act_csv) per_s=4000 ;;
    fuzz_http_request) per_s=2000 ;;
    *) per_s=1000 ;;
  esac
  echo $((per_s * seconds))
}

# Leaks are reported at the end of each input (libFuzzer's -detect_leaks), undefined behaviour
# stops the target (-fno-sanitize-recover), and stack traces are printed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
artifacts=$build/artifacts
logs=$build/logs/$mode
mkdir -p "$artifacts" "$logs"

# result LOG STATUS: what a run found, in a word.
result() {
  local log=$1 status=$2
  if [ "$status" -eq 0 ]; then echo ok
  elif grep -q 'ERROR: LeakSanitizer' "$log"; then echo leak
  elif grep -q 'runtime error:' "$log"; then echo undefined-behaviour
  elif grep -q 'fuzz invariant violated' "$log"; then echo invariant
  elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then echo timeout
  elif grep -q 'out-of-memory' "$log"; then echo out-of-memory
  elif grep -q 'ERROR: AddressSanitizer' "$log"; then echo memory-error
  else echo "crash (status $status)"
  fi
}

failed=0
rows=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  seeds=$root/backend/fuzz/corpus/$t
  [ -x "$bin" ] || { echo "fuzz: no target $t" >&2; exit 2; }
  mkdir -p "$seeds"
  opts=(-print_final_stats=1 -timeout=60 -rss_limit_mb=2048 "-max_len=$(max_len "$t")" "-artifact_prefix=$artifacts/$t-")
  dict=$root/backend/fuzz/dict/$t.dict
  [ -f "$dict" ] && opts+=("-dict=$dict")
  log=$logs/$t.log
  status=0
  if [ "$mode" = ci ]; then
    # The committed inputs alone first: a regression fails here whatever the fuzzing finds.
    nice -n 10 "$bin" "${opts[@]}" -runs=0 "$seeds" >"$log" 2>&1 || status=$?
    work=$build/ci-corpus/$t
    rm -rf "$work"
  else
    work=$build/corpus/$t
  fi
  mkdir -p "$work"
  if [ "$status" -eq 0 ] && [ "$mode" = ci ]; then
    # A fixed seed and a fixed number of inputs (about FUZZ_CI_SECONDS of this machine's speed),
    # so that every run of make test fuzzes the same inputs: a finding is reproducible, and a
    # run does not fail one day for an input it did not try the day before. The time limit is
    # only a ceiling for a slower machine (it then tries a prefix of the same inputs).
    echo "fuzz: $t, $(ci_runs "$t") inputs from seed ${FUZZ_CI_SEED:-20261207}"
    nice -n 10 "$bin" "${opts[@]}" "-seed=${FUZZ_CI_SEED:-20261207}" "-runs=$(ci_runs "$t")" \
      "-max_total_time=$((seconds * 6))" "$work" "$seeds" >>"$log" 2>&1 || status=$?
  elif [ "$status" -eq 0 ]; then
    echo "fuzz: $t for ${seconds}s"
    nice -n 10 "$bin" "${opts[@]}" "-max_total_time=$seconds" "$work" "$seeds" >>"$log" 2>&1 || status=$?
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  found=$(result "$log" "$status")
  [ "$found" = ok ] || failed=$((failed + 1))
  rows+=("$(printf '%-22s %12s %8s %6s %7s  %s' "$t" "${execs:-?}" "${rate:-?}" \
    "$(echo "$cov" | awk '{print $2}')" "$(echo "$cov" | awk '{print $4}')" "$found")")
  if [ "$found" != ok ]; then
    echo "fuzz: $t: $found (log: $log)" >&2
    grep -E 'ERROR|runtime error|invariant|SUMMARY|Test unit written' "$log" | head -8 >&2 || true
  fi
done

echo
printf '%-22s %12s %8s %6s %7s  %s\n' target executions exec/s cov ft result
printf '%s\n' "${rows[@]}"
if [ "$failed" -gt 0 ]; then
  echo "fuzz: $failed target(s) found something; inputs in $artifacts" >&2
  exit 1
fi
