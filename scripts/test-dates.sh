#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make test-dates`: the date-sensitive suites (the API tests, and the browser tests of scheduling,
# the patient portal and records) run with the whole run's clock moved to chosen instants
# (MEDISECURE_TEST_CLOCK: the server, the test binaries, the browser and the test code all read
# it) and under several machine time zones (TZ). A suite that passes only on some days fails here.
#   scripts/test-dates.sh          every instant below (about 2 minutes each)
#   scripts/test-dates.sh one      only the first (make test runs it)
#   scripts/test-dates.sh INSTANT TZ   one chosen instant, e.g. 2027-01-31T23:30:00+01:00 UTC
# Needs the build with tests (make test builds it; DATES_SKIP_BUILD=1 skips building here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# instant (practice time, Europe/Paris)   machine time zone   why
matrix=(
  "2026-05-31T23:30:00+02:00 Pacific/Kiritimati"  # a Sunday, the last day of a month, 23:30 (UTC+14: already Monday)
  "2026-12-06T10:00:00+01:00 Europe/Paris"        # the Sunday that once broke the scheduling tests
  "2026-12-07T08:05:00+01:00 UTC"                 # a Monday morning
  "2026-06-30T16:00:00+02:00 America/New_York"    # the last day of a month, a Tuesday
  "2027-03-27T23:30:00+01:00 America/Los_Angeles" # the evening before the spring change (02:00 → 03:00)
  "2027-03-28T03:10:00+02:00 Europe/Paris"        # just after it
  "2026-10-24T23:30:00+02:00 Asia/Tokyo"          # the evening before the autumn change (03:00 → 02:00)
  "2026-10-25T02:30:00+01:00 Europe/Paris"        # the repeated hour, second time round
)
case "${1:-all}" in
  all) runs=("${matrix[@]}") ;;
  one) runs=("${matrix[0]}") ;;
  *) [ $# -eq 2 ] || { echo "usage: $0 [all|one|INSTANT TZ]" >&2; exit 2; }; runs=("$1 $2") ;;
esac

if [ "${DATES_SKIP_BUILD:-0}" != 1 ]; then
  scripts/deps.sh test
  scripts/npm-deps.sh
  BUILD_TESTS=1 scripts/build.sh
fi
build_dir=${BUILD_DIR:-build/release}
export MEDISECURE_BIN=${MEDISECURE_BIN:-$root/$build_dir/src/main/medisecure}
suites=(e2e/scheduling.e2e.ts e2e/patient.e2e.ts e2e/portal-clinical.e2e.ts e2e/records.e2e.ts)

logs=${MEDISECURE_TEST_OUTPUT:-$root/build/test-output}/dates
mkdir -p "$logs"
failed=()
failed_logs=()
for run in "${runs[@]}"; do
  read -r instant zone <<<"$run"
  echo "test-dates: the clock at $instant, machine time zone $zone"
  log=$logs/api-${instant//[:+]/_}.log
  if ! MEDISECURE_TEST_CLOCK=$instant TZ=$zone ctest --test-dir "$build_dir" -L api --output-on-failure --timeout 600 2>&1 | tee "$log"; then
    failed+=("API tests at $instant ($zone)")
    failed_logs+=("$log")
  fi
  if ! (cd frontend && MEDISECURE_TEST_CLOCK=$instant TZ=$zone npx vitest run --config vitest.e2e.config.ts "${suites[@]}"); then
    failed+=("browser tests at $instant ($zone)")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  for log in "${failed_logs[@]}"; do scripts/ctest-failures.sh "$log" "test-dates: what failed" >&2 || true; done
  printf 'test-dates: failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "test-dates: ${#runs[@]} instant(s) passed"
