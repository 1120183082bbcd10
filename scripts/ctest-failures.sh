#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/ctest-failures.sh LOG [TITLE]: what failed in a ctest log (ctest --output-on-failure
# of GoogleTest binaries), short enough to read at the end of a long run: each failing test's
# name and its assertion messages (the lines after "file:line: Failure", a few each), then the
# failing ctest binaries. make test and make test-dates print it last, so that a failure is never
# hidden in the middle of thousands of lines.
set -euo pipefail
log=${1:?usage: $0 LOG [TITLE]}
title=${2:-what failed}
[ -r "$log" ] || { echo "ctest-failures: no log at $log" >&2; exit 2; }
echo "==== $title ($log) ===="
awk '
  / Failure$/ || /: error: / { n = 6; shown++ }
  /^\[  FAILED  \] [A-Za-z0-9_\/]+\.[A-Za-z0-9_\/]+/ && !/listed below/ { failed[$4] = 1 }
  shown <= 20 && n > 0 { print "  " $0; n-- }
  /\*\*\*(Failed|Timeout|Exception)/ || /Subprocess aborted/ { bins[++nb] = $0 }
  END {
    for (t in failed) print "  failed test: " t
    for (i = 1; i <= nb; i++) print "  failed binary: " bins[i]
    if (shown > 20) print "  (" shown - 20 " more assertion messages in the log)"
  }
' "$log"
