#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the npm packages from their lock files, once: the web application's (and Swagger UI),
# and the deployment checks' (deploy/checks: TypeScript, the Kubernetes API types, Grafana's schema
# types and the PromQL parser).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for dir in frontend deploy/checks; do
  cd "$root/$dir"
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    continue
  fi
  echo "deps: npm ci ($dir)"
  npm ci --no-audit --no-fund --loglevel=error
done
