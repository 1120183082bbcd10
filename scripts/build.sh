#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the backend (CMake + Ninja, Release, ccache) and the web application.
# BUILD_TESTS=1 also builds the test binaries. BUILD_DIR overrides build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build/release}
tests=${BUILD_TESTS:-0}
jobs=${JOBS:-$(nproc)}

export CCACHE_DIR=${CCACHE_DIR:-$root/build/.ccache}
export CCACHE_BASEDIR=$root
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-3G}

want_tests=$([ "$tests" = 1 ] && echo ON || echo OFF)
if [ ! -f "$build_dir/build.ninja" ] || ! grep -q "MEDISECURE_TESTS:BOOL=$want_tests" "$build_dir/CMakeCache.txt" 2>/dev/null; then
  cmake -S backend -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEDISECURE_TESTS="$want_tests" >/dev/null
fi
echo "build: backend ($build_dir, $jobs jobs)"
ninja -C "$build_dir" -j "$jobs" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
test "${PIPESTATUS[0]}" -eq 0

if [ -f frontend/package.json ] && grep -q '"build"' frontend/package.json; then
  echo "build: web application"
  (cd frontend && npm run --silent build)
fi
