#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run`: installs what is missing, builds, and serves on the embedded default.
# DEMO=1 loads the demo practice first and prints its accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/npm-deps.sh
scripts/build.sh
bin=${BUILD_DIR:-build/release}/src/main/medisecure
export MEDISECURE_LOG_FORMAT=${MEDISECURE_LOG_FORMAT:-text}
if [ "${DEMO:-0}" = 1 ]; then
  "$bin" demo seed
fi
exec "$bin" serve --migrate "$@"
