# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Sourced by the offline checkers (check-deploy.sh, check-observability.sh): counters and the
# helpers that keep them. The caller sets $check_name (the prefix of its messages) and $scratch
# (a directory of its own), then reports "$passed passed, $failed failed, $skipped skipped".
# shellcheck disable=SC2034,SC2154  # counters read by the caller; check_name, scratch set by it
passed=0 failed=0 skipped=0

fail() {
  echo "$check_name: FAIL: $*" >&2
  failed=$((failed + 1))
}
# missing TOOL HOW: a failure under CI=true, a skip with its reason elsewhere.
missing() {
  if [ "${CI:-}" = true ]; then
    fail "$1 is missing ($2), and CI requires it"
  else
    echo "$check_name: skipped: $1 is missing ($2)" >&2
    skipped=$((skipped + 1))
  fi
}
# check WHAT CMD...: CMD must succeed.
check() {
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); else fail "$what"; fi
}
# reject WHAT CMD...: CMD must fail (a negative test of a checker).
reject() {
  local what=$1
  shift
  if "$@" >"$scratch/rejected.out" 2>&1; then
    fail "$what was accepted"
  else
    passed=$((passed + 1))
  fi
}
