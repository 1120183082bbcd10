#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The scripts' own tests (make test runs them first; a few seconds): every scripts/tests/*_test.sh.
set -euo pipefail
cd "$(dirname "$0")"
failed=0
for t in ./*_test.sh; do
  "$t" || failed=$((failed + 1))
done
if [ "$failed" -gt 0 ]; then
  echo "scripts: $failed test file(s) failed" >&2
  exit 1
fi
