#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the web application's npm packages (and Swagger UI) from the lock file, once.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
echo "deps: npm ci (frontend)"
npm ci --no-audit --no-fund --loglevel=error
