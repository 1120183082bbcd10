#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages MediSecure needs, and nothing that is already there.
# Usage: scripts/deps.sh [build|test|bench|stack|all]   (default: build)
# Idempotent: when everything is installed it only runs dpkg-query and exits in well under a second.
set -euo pipefail

profile="${1:-build}"

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev libmariadb-dev libhiredis-dev librabbitmq-dev
  libssl-dev libsodium-dev libargon2-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libhpdf-dev libpng-dev libstb-dev zlib1g-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
  libmongoc-dev libbson-dev
)
# Real servers the integration tests start on loopback, and the browser for the UI tests.
test_pkgs=(
  postgresql pgbouncer mariadb-server redis-server redis-sentinel rabbitmq-server prometheus python3-aiosmtpd chromium shellcheck
  swift swift-proxy swift-account swift-container swift-object python3-swift memcached
  python3-mockupdb python3-mongomock docker-compose
  # haproxy -c of deploy/haproxy/haproxy.cfg (scripts/check-deploy.sh).
  haproxy
  # clang 14 and its runtime libraries (libFuzzer, ASan, UBSan): the fuzz targets (scripts/fuzz.sh).
  clang libclang-rt-14-dev
  # amtool and the blackbox exporter's config check (scripts/check-observability.sh), and the
  # exporters whose metric names deploy/prometheus/metrics/exporters.txt lists.
  prometheus-alertmanager prometheus-blackbox-exporter prometheus-node-exporter
  prometheus-postgres-exporter prometheus-mysqld-exporter prometheus-redis-exporter
  # The failover test on the stack (wrk, the load driver) and the stack's backups restored into
  # scratch servers (age encrypts, rclone mirrors the documents: deploy/backup/backup.sh).
  wrk age rclone
)
# The deployment checks also need `kubectl kustomize` with Kustomize 4 or later: the machine's
# kubectl has it; Debian 12's kubernetes-client (1.20, Kustomize 2) cannot build deploy/kubernetes.
bench_pkgs=(
  wrk nginx-light orthanc python3-fastapi python3-uvicorn postgresql
)
# The whole topology on one machine (make stack, scripts/stack.sh), beside the test servers: the
# load balancer, Alertmanager, and the Debian exporters that exist (RabbitMQ exports through its
# own plugin, HAProxy through its built-in endpoint), and wrk, the failover test's load driver.
stack_pkgs=(
  haproxy prometheus-alertmanager wrk age rclone
  prometheus-postgres-exporter prometheus-mysqld-exporter prometheus-redis-exporter
  prometheus-node-exporter prometheus-blackbox-exporter
)

case "$profile" in
  build) wanted=("${build_pkgs[@]}") ;;
  test)  wanted=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench) wanted=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
  stack) wanted=("${build_pkgs[@]}" "${test_pkgs[@]}" "${stack_pkgs[@]}") ;;
  all)   wanted=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}" "${stack_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|stack|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

# Debian starts a service's daemon when its package is installed; the project starts its own
# servers on loopback, so forbid that for the duration of the install.
# (DEPS_POLICY_RC_D moves it for the script's own tests, scripts/tests/deps_test.sh.)
policy=${DEPS_POLICY_RC_D:-/usr/sbin/policy-rc.d}
restore_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  restore_policy=1
fi
# The trap's status becomes the script's: it must end true when there is nothing to restore.
cleanup() {
  if [ -n "$restore_policy" ]; then "${as_root[@]}" rm -f "$policy"; fi
}
trap cleanup EXIT

# sudo resets the environment: the frontend variable goes on the command line.
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
# Boost 1.81 and 1.74 development headers conflict; the project needs 1.81.
if dpkg-query -W -f='${db:Status-Status}' libboost1.74-dev 2>/dev/null | grep -q '^installed$'; then
  "${apt[@]}" remove -y libboost1.74-dev
fi
# Package lists older than a day (or none, as on a fresh image) are refreshed first.
if [ ! -e /var/lib/apt/lists/lock ] || [ -z "$(find /var/lib/apt/lists -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
  "${apt[@]}" update -qq
fi
# Another checkout of the project may be installing at the same time: wait for its lock.
"${apt[@]}" install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}"
