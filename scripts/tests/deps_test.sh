#!/usr/bin/env bash
# shellcheck disable=SC2016  # the shims' bodies are code for later, quoted on purpose
# SPDX-License-Identifier: Apache-2.0
# scripts/deps.sh on a machine where a package is missing, without touching the machine:
# dpkg-query, apt-get, id and sudo are shims on PATH that record their calls, and the
# policy-rc.d file lives in a scratch directory. Every case must exit 0 after installing, with
# and without a policy-rc.d already there, as root and through sudo; the file is left as found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deps=$here/../deps.sh
# shellcheck source=scripts/tests/lib.sh
. "$here/lib.sh"

# dpkg-query -W -f=FORMAT PKG: "installed" except for the packages in $MISSING and Boost 1.74.
shim dpkg-query 'pkg=${*: -1}; case " $MISSING libboost1.74-dev " in *" $pkg "*) exit 1 ;; esac; printf installed'
shim id 'if [ "${1:-}" = -u ]; then echo "$FAKE_UID"; else exec /usr/bin/id "$@"; fi'
shim sudo 'exec "$@"'
# At install time the policy must forbid starting daemons: record what it says then.
shim apt-get 'if [ "$1" != update ]; then echo "policy-at-install $(tail -1 "$DEPS_POLICY_RC_D" 2>/dev/null)" >>"'"$scratch"'/calls"; fi; exit "${APT_STATUS:-0}"'

# run_deps CASE UID PREEXISTING [APT_STATUS]: runs deps.sh, sets $status.
run_deps() {
  local name=$1 uid=$2 pre=$3
  : >"$scratch/calls"
  export DEPS_POLICY_RC_D=$scratch/policy-rc.d FAKE_UID=$uid MISSING=redis-server APT_STATUS=${4:-0}
  rm -f "$DEPS_POLICY_RC_D"
  if [ "$pre" = yes ]; then printf '#!/bin/sh\n# the image'"'"'s own\nexit 101\n' >"$DEPS_POLICY_RC_D"; fi
  status=0
  PATH=$scratch/bin:$PATH "$deps" test >"$scratch/out" 2>&1 || status=$?
  if [ "$status" != "${5:-0}" ]; then sed 's/^/    | /' "$scratch/out" >&2; fi
  expect_status "${5:-0}" "$status" "$name"
}

for uid in 0 1000; do
  who=$([ "$uid" = 0 ] && echo root || echo sudo)
  for pre in no yes; do
    name="$who, policy-rc.d already there: $pre"
    run_deps "$name" "$uid" "$pre"
    expect_call '^apt-get install .*--no-install-recommends redis-server$' "$name"
    expect_call '^policy-at-install exit 101$' "$name"
    if [ "$who" = sudo ]; then
      expect_call '^sudo env DEBIAN_FRONTEND=noninteractive apt-get install ' "$name"
    else
      expect_no_call '^sudo ' "$name"
    fi
    if [ "$pre" = yes ]; then
      if ! grep -q "the image's own" "$DEPS_POLICY_RC_D"; then fail "$name: the existing policy-rc.d was changed"; fi
      expect_no_call ' rm -f ' "$name"
    else
      if [ -e "$DEPS_POLICY_RC_D" ]; then fail "$name: the policy-rc.d it wrote was left behind"; fi
    fi
  done
done

name="nothing missing"
: >"$scratch/calls"
status=0
PATH=$scratch/bin:$PATH MISSING='' "$deps" test >"$scratch/out" 2>&1 || status=$?
expect_status 0 "$status" "$name"
expect_no_call '^apt-get' "$name"

# A failed install fails the script, and still removes the policy-rc.d it wrote.
name="apt-get fails"
run_deps "$name" 0 no 100 100
if [ -e "$DEPS_POLICY_RC_D" ]; then fail "$name: the policy-rc.d it wrote was left behind"; fi

# A PATH with no sudo at all (not even the machine's): only bash and the shims.
name="neither root nor sudo"
: >"$scratch/calls"
mkdir -p "$scratch/nosudo"
cp "$scratch/bin/dpkg-query" "$scratch/bin/id" "$scratch/bin/apt-get" "$scratch/nosudo/"
ln -s "$(command -v bash)" "$scratch/nosudo/bash"
status=0
PATH=$scratch/nosudo FAKE_UID=1000 "$deps" test >"$scratch/out" 2>&1 || status=$?
expect_status 1 "$status" "$name"
if ! grep -q 'need root or sudo' "$scratch/out"; then fail "$name: no clear message"; fi

finish
