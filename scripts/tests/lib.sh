# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the script tests: a scratch directory, PATH shims that record their calls, checks.
# Sourced, not run.

tests_failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# shim NAME BODY: a command NAME on $scratch/bin that appends its arguments to $scratch/calls
# and then runs BODY (a shell snippet; "$@" are its arguments).
shim() {
  mkdir -p "$scratch/bin"
  printf '#!/usr/bin/env bash\necho "%s $*" >>"%s/calls"\n%s\n' "$1" "$scratch" "$2" >"$scratch/bin/$1"
  chmod +x "$scratch/bin/$1"
}

fail() {
  echo "  FAIL: $*" >&2
  tests_failed=$((tests_failed + 1))
}

# expect_status WANT GOT WHAT
expect_status() {
  if [ "$1" != "$2" ]; then fail "$3: exit status $2, expected $1"; fi
}

# expect_call PATTERN WHAT: some recorded call matches the extended regular expression.
expect_call() {
  if ! grep -Eq -- "$1" "$scratch/calls" 2>/dev/null; then fail "$2: no call matching '$1' in: $(tr '\n' ';' <"$scratch/calls" 2>/dev/null)"; fi
}

# expect_no_call PATTERN WHAT
expect_no_call() {
  if grep -Eq -- "$1" "$scratch/calls" 2>/dev/null; then fail "$2: unexpected call matching '$1'"; fi
}

finish() {
  if [ "$tests_failed" -gt 0 ]; then
    echo "$(basename "$0"): $tests_failed check(s) failed" >&2
    exit 1
  fi
  echo "$(basename "$0"): passed"
}
