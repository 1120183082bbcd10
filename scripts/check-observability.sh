#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitoring files, checked offline (make test runs it): Prometheus's configuration, alert
# rules and their unit tests (promtool), the blackbox modules, Alertmanager's configuration and
# routes (amtool), the Grafana dashboards typed against @grafana/schema (tsc --strict), and every
# PromQL expression of the rules and dashboards: it parses (promtool) and names only metrics
# that exist (those a `medisecure serve` started here shows on /metrics, and the exporters' names
# listed in deploy/prometheus/metrics/). Every checker also proves it can fail: broken copies
# must be rejected. Under CI=true a missing tool is a failure; elsewhere a skip with its reason.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
prom=deploy/prometheus
checks=deploy/checks
scratch=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
check_name=check-observability
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh
# quiet CMD...: runs CMD with its output in $scratch/out, shown only when it fails.
quiet() {
  if "$@" >"$scratch/out" 2>&1; then return 0; fi
  sed 's/^/    | /' "$scratch/out" >&2
  return 1
}
# A copy of deploy/prometheus beside the metrics token file its configuration names
# (../../build/stack/secrets/metrics_token): broken variants are made in copies like it.
copy_prometheus() {
  mkdir -p "$1/deploy" "$1/build/stack/secrets"
  cp -r "$prom" "$1/deploy/"
  echo check-observability-token >"$1/build/stack/secrets/metrics_token"
}
# summary NAME: the count lines of a Node checker's output (its errors were shown by check).
summary() { sed -n "s/^\($1\( self-test\)\{0,1\}: [0-9]\)/check-observability: \1/p" "$scratch/out"; }
rule_count() { sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p' "$1" | awk '{n += $1} END {print n + 0}'; }

# Prometheus: configuration, rules, unit tests.
if command -v promtool >/dev/null; then
  copy_prometheus "$scratch/ok"
  check "promtool check config $prom/prometheus.yml" quiet promtool check config "$scratch/ok/$prom/prometheus.yml"
  jobs=$(grep -c '^  - job_name:' "$prom/prometheus.yml")
  # Compose's scrape file names its paths as the container sees them: syntax and keys only
  # (its mounts and targets are deploy/checks/compose-policy.mjs's part).
  check "promtool check config --syntax-only deploy/compose/prometheus.yml" quiet promtool check config --syntax-only deploy/compose/prometheus.yml
  check "promtool check rules" quiet promtool check rules "$prom"/rules/*.yml
  rules=$(rule_count "$scratch/out")
  alerts=$(grep -c '^      - alert:' "$prom"/rules/*.yml | awk -F: '{n += $2} END {print n}')
  check "promtool test rules" quiet promtool test rules "$prom"/tests/*.yml
  cases=$(grep -c 'eval_time:' "$prom"/tests/*.yml | awk -F: '{n += $2} END {print n}')
  # Broken copies: an unknown key in the configuration, an expression that does not parse, a
  # unit test expecting a label the alert does not have.
  copy_prometheus "$scratch/bad"
  sed -i 's/^  scrape_interval: 15s$/  scrape_intervall: 15s/' "$scratch/bad/$prom/prometheus.yml"
  reject "a Prometheus configuration with an unknown key (scrape_intervall)" promtool check config "$scratch/bad/$prom/prometheus.yml"
  sed -i 's/expr: up{job="rabbitmq"} == 0$/expr: up{job="rabbitmq"} == = 0/' "$scratch/bad/$prom/rules/engines.yml"
  reject "a rule whose expression does not parse" promtool check rules "$scratch/bad/$prom/rules/engines.yml"
  copy_prometheus "$scratch/bad2"
  sed -i 's/engine: postgresql, job: postgres/engine: mariadb, job: postgres/' "$scratch/bad2/$prom/tests/engines.yml"
  reject "a unit test expecting the wrong labels" promtool test rules "$scratch/bad2/$prom/tests/engines.yml"
  sed -i 's/^        for: 1m$/        for: 10m/' "$scratch/bad2/$prom/rules/engines.yml"
  cp "$prom/tests/engines.yml" "$scratch/bad2/$prom/tests/engines.yml"
  reject "the engine alerts made slower than their tests (for: 10m)" promtool test rules "$scratch/bad2/$prom/tests/engines.yml"
  echo "check-observability: promtool $(promtool --version 2>&1 | sed -n 's/^promtool, version \([^ ]*\).*/\1/p'): config valid ($jobs scrape jobs), $rules rules ($alerts alerts), $cases unit-test cases pass; 4 broken copies rejected"
else
  missing promtool "scripts/deps.sh test installs Debian's prometheus"
fi

if command -v prometheus-blackbox-exporter >/dev/null; then
  check "blackbox exporter modules ($prom/blackbox.yml)" quiet prometheus-blackbox-exporter --config.check --config.file="$prom/blackbox.yml"
  sed 's/^      preferred_ip_protocol: ip4$/      preferred_ip_protocoll: ip4/' "$prom/blackbox.yml" >"$scratch/blackbox.yml"
  reject "a blackbox module with an unknown key (preferred_ip_protocoll)" prometheus-blackbox-exporter --config.check --config.file="$scratch/blackbox.yml"
  echo "check-observability: blackbox exporter: $(grep -c '^    prober:' "$prom/blackbox.yml") modules valid; 1 broken copy rejected"
else
  missing prometheus-blackbox-exporter "scripts/deps.sh test installs it"
fi

# Alertmanager: configuration and routing.
am=deploy/alertmanager/alertmanager.yml
if command -v amtool >/dev/null; then
  check "amtool check-config $am" quiet amtool check-config "$am"
  check "a page goes to ops-page" quiet amtool config routes test --config.file="$am" --verify.receivers=ops-page severity=page alertname=PostgreSQLDown
  check "a ticket goes to ops-mail" quiet amtool config routes test --config.file="$am" --verify.receivers=ops-mail severity=ticket alertname=RedisDown
  reject "a page routed to ops-mail" amtool config routes test --config.file="$am" --verify.receivers=ops-mail severity=page
  sed 's/^  group_by:/  group_bye:/' "$am" >"$scratch/alertmanager.yml"
  reject "an Alertmanager configuration with an unknown key (group_bye)" amtool check-config "$scratch/alertmanager.yml"
  if grep -Eq '^\s*smtp_auth_password:' "$am"; then fail "$am holds an SMTP password (use smtp_auth_password_file)"; fi
  echo "check-observability: amtool: $am valid, $(grep -c 'source_matchers' "$am") inhibit rules, pages and tickets routed; 2 broken variants rejected"
else
  missing amtool "scripts/deps.sh test installs Debian's prometheus-alertmanager"
fi

# Grafana and the metric names.
dashboards=(deploy/grafana/dashboards/medisecure/*.json)
if ! command -v node >/dev/null || [ ! -d "$checks/node_modules/@grafana/schema" ]; then
  missing "deploy/checks/node_modules with @grafana/schema" "scripts/npm-deps.sh installs it"
else
  check "Grafana dashboards typed against @grafana/schema (and their self-test)" \
    quiet node "$checks/grafana-types.mjs" --self-test --provisioning deploy/grafana "${dashboards[@]}"
  summary grafana-types

  # The metric names MediSecure exposes: one `serve` on the embedded default, scraped once.
  bin=${MEDISECURE_BIN:-$root/${BUILD_DIR:-build/release}/src/main/medisecure}
  if [ ! -x "$bin" ]; then
    missing "$bin" "scripts/build.sh builds it"
  else
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --data-dir "$scratch/data" --listen "127.0.0.1:$port" >"$scratch/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
      if curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; then break; fi
      sleep 0.1
    done
    if curl -fs "http://127.0.0.1:$port/metrics" -o "$scratch/metrics.txt"; then
      kill "$server_pid"
      wait "$server_pid" 2>/dev/null || true
      server_pid=
      policy=(node "$checks/prometheus-policy.mjs" --scrape "$scratch/metrics.txt"
        --known "$prom/metrics/exporters.txt" --conditional "$prom/metrics/medisecure-conditional.txt"
        --source-dir backend/src --rules "$prom"/rules/*.yml --dashboards "${dashboards[@]}"
        --tests "$prom"/tests/*.yml --runbook docs/operations.md)
      check "PromQL names, routes, runbooks and test coverage (and their self-test)" \
        quiet "${policy[@]}" --self-test --emit-rules "$scratch/dashboard-rules.yml"
      summary prometheus-policy
      if command -v promtool >/dev/null; then
        check "the dashboards' expressions parse (promtool check rules)" quiet promtool check rules "$scratch/dashboard-rules.yml"
        echo "check-observability: promtool: the dashboards' $(rule_count "$scratch/out") expressions parse"
      fi
    else
      fail "medisecure serve did not answer /metrics on 127.0.0.1:$port: $(tail -3 "$scratch/serve.log")"
    fi
  fi
fi

echo "check-observability: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then exit 1; fi
