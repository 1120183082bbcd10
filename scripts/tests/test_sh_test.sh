#!/usr/bin/env bash
# shellcheck disable=SC2016  # the shims' bodies are code for later, quoted on purpose
# SPDX-License-Identifier: Apache-2.0
# scripts/test.sh in a sandbox: a copy of it beside stubs of the scripts it calls (deps, build,
# every scripts/services/*.sh, the date matrix) and a ctest shim, so that its EXIT trap and its
# exit status are checked: servers that started are stopped, whatever happens; a server that
# cannot start is a skip elsewhere and a failure under CI=true; a failing test fails the run. The
# failover test on the stack: run bounded, on its own ports; a stack that cannot start (its exit
# status 3) a skip elsewhere and a failure under CI=true; a test stack left running brought down.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/tests/lib.sh
. "$here/lib.sh"

box=$scratch/repo
mkdir -p "$box/scripts/services" "$box/scripts/tests"
cp "$repo/scripts/test.sh" "$repo/scripts/test-services.sh" "$repo/scripts/ctest-failures.sh" "$box/scripts/"
stub() {  # stub PATH BODY: a script in the sandbox that records its call, then runs BODY
  printf '#!/usr/bin/env bash\necho "%s $*" >>"%s/calls"\n%s\n' "$1" "$scratch" "$2" >"$box/$1"
  chmod +x "$box/$1"
}
for s in deps.sh npm-deps.sh build.sh fuzz.sh test-dates.sh check-deploy.sh check-observability.sh tests/run.sh; do stub "scripts/$s" 'exit 0'; done
# The servers test.sh starts (the others, e.g. redis-sentinel.sh, are started by the tests that
# need them); every service script is stubbed all the same.
mapfile -t services < <(grep -o 'start_service [a-z][a-z-]*' "$repo/scripts/test-services.sh" | awk '{print $2}')
[ "${#services[@]}" -ge 3 ] || { echo "test_sh_test.sh: found no start_service calls in test-services.sh" >&2; exit 1; }
for f in "$repo"/scripts/services/*.sh; do
  name=$(basename "$f" .sh)
  # START_FAIL lists the services that cannot start.
  stub "scripts/services/$name.sh" 'if [ "$1" = start ]; then case " $START_FAIL " in *" '"$name"' "*) exit 1 ;; esac; echo "'"$name"'://127.0.0.1:1 /tmp"; fi'
done
# A failing ctest prints what GoogleTest prints for a failed assertion, amid other output.
shim ctest 'if [ "${CTEST_STATUS:-0}" != 0 ]; then printf "%s\n" "[ RUN      ] Suite.Case" "x_test.cpp:12: Failure" "Expected equality of these values:" "[  FAILED  ] Suite.Case (1 ms)" "1/1 Test #3: ms_x_tests ...***Failed  1.00 sec"; fi; exit "${CTEST_STATUS:-0}"'
# FAILOVER_STATUS: the failover test's exit status (3: the stack did not start).
stub scripts/failover-test.sh 'echo "failover-env $MS_STACK_DIR $MS_STACK_PORT_BASE $FAILOVER_PHASE_SECONDS $FAILOVER_BACKUP" >>"'"$scratch"'/calls"; exit "${FAILOVER_STATUS:-0}"'
stub scripts/stack.sh 'exit 0'

run_test_sh() {  # run_test_sh NAME WANT_STATUS [VAR=VALUE...]
  local name=$1 want=$2
  shift 2
  : >"$scratch/calls"
  status=0
  env -u CI -u MS_TEST_FAILOVER PATH="$scratch/bin:$PATH" START_FAIL= CTEST_STATUS=0 "$@" "$box/scripts/test.sh" >"$scratch/out" 2>&1 || status=$?
  if [ "$status" != "$want" ]; then sed 's/^/    | /' "$scratch/out" >&2; fi
  expect_status "$want" "$status" "$name"
}

run_test_sh "every server starts" 0
for s in "${services[@]}"; do
  expect_call "^scripts/services/$s.sh stop" "every server starts: $s stopped"
done
expect_call '^ctest ' "every server starts"
expect_call '^scripts/test-dates.sh ' "every server starts"
expect_call '^scripts/fuzz.sh ci' "every server starts"
expect_call '^scripts/check-deploy.sh' "every server starts"
expect_call '^scripts/check-observability.sh' "every server starts"
expect_call "^failover-env $box/build/test-stack 26000 8 1\$" "every server starts: failover bounded, own ports, with backups"
expect_no_call '^scripts/stack.sh down' "every server starts: no test stack to bring down"

run_test_sh "MS_TEST_FAILOVER=0" 0 MS_TEST_FAILOVER=0
expect_no_call '^failover-env' "MS_TEST_FAILOVER=0: the failover block left out"
expect_call '^scripts/test-dates.sh ' "MS_TEST_FAILOVER=0"
run_test_sh "the failover test fails" 1 FAILOVER_STATUS=1
expect_no_call '^scripts/test-dates.sh ' "the failover test fails"
run_test_sh "the stack cannot start, not in CI" 0 FAILOVER_STATUS=3
grep -q 'failover skipped: the stack could not start' "$scratch/out" || fail "the stack cannot start, not in CI: no reason given"
run_test_sh "the stack cannot start, in CI" 1 FAILOVER_STATUS=3 CI=true
mkdir -p "$box/build/test-stack"
: >"$box/build/test-stack/stack.env"
run_test_sh "a test stack left by an earlier run" 0
expect_call '^scripts/stack.sh down' "a test stack left by an earlier run: brought down"
rm -rf "$box/build"

run_test_sh "PostgreSQL cannot start, not in CI" 0 START_FAIL=postgres
expect_no_call '^scripts/services/postgres.sh stop' "PostgreSQL cannot start, not in CI"
expect_call '^scripts/services/smtp.sh stop' "PostgreSQL cannot start, not in CI"
expect_call '^ctest ' "PostgreSQL cannot start, not in CI"

run_test_sh "no server starts, not in CI" 0 START_FAIL="${services[*]}"
expect_call '^ctest ' "no server starts, not in CI"

run_test_sh "PostgreSQL cannot start, in CI" 1 START_FAIL=postgres CI=true
expect_no_call '^ctest ' "PostgreSQL cannot start, in CI"

run_test_sh "a test fails" 8 CTEST_STATUS=8
# What failed is printed again at the end (only the servers' stop follows): never lost in the middle.
if ! tail -n 12 "$scratch/out" | grep -q 'failed test: Suite.Case'; then fail "a test fails: the failed test is not named at the end of the output"; fi
if ! tail -n 12 "$scratch/out" | grep -q 'x_test.cpp:12: Failure'; then fail "a test fails: the assertion is not shown at the end of the output"; fi
for s in "${services[@]}"; do
  expect_call "^scripts/services/$s.sh stop" "a test fails: $s stopped"
done

finish
