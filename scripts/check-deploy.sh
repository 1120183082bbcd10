#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The deployment files, checked offline in seconds (make test runs it): the scripts under deploy/
# (shellcheck); scripts/gen-secrets.sh (modes, refusal to overwrite, --force, --kubernetes); the
# Compose file (docker-compose config -q, then deploy/checks/compose-policy.mjs); the images
# (dockerfile-policy.mjs); the Kubernetes manifests built by `kubectl kustomize` (every object
# typed against the API by k8s-types.mjs with tsc --strict, then k8s-policy.mjs). Every checker
# also proves it can fail: broken copies and fixtures must be rejected.
# Under CI=true a missing tool is a failure; elsewhere its checks skip and say why.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
checks=deploy/checks
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
check_name=check-deploy
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh

# Scripts shipped under deploy/ (scripts/ itself is linted by scripts/tests/lint_test.sh).
mapfile -t shell_scripts < <(find deploy -name '*.sh' -not -path '*/node_modules/*' | sort)
if command -v shellcheck >/dev/null; then
  check "shellcheck of ${#shell_scripts[@]} scripts under deploy/" shellcheck "${shell_scripts[@]}"
else
  missing shellcheck "scripts/deps.sh test installs it"
fi

# gen-secrets: files 0600 in a 0700 directory; a second run refuses and changes nothing; --force
# replaces; --kubernetes writes the Secrets (checked against the examples below).
gen_secrets() {
  local out=$scratch/compose
  scripts/gen-secrets.sh --out "$out" >/dev/null || return 1
  local bad
  bad=$(find "$out/secrets" "$out/.env" -type f ! -perm 0600)
  if [ -n "$bad" ] || [ "$(stat -c %a "$out/secrets")" != 700 ]; then
    echo "gen-secrets: wrong modes: $bad" >&2
    return 1
  fi
  local before after
  before=$(cat "$out"/secrets/* | sha256sum)
  if scripts/gen-secrets.sh --out "$out" >/dev/null 2>&1; then
    echo "gen-secrets: overwrote without --force" >&2
    return 1
  fi
  after=$(cat "$out"/secrets/* | sha256sum)
  if [ "$before" != "$after" ]; then echo "gen-secrets: a refused run changed the secrets" >&2; return 1; fi
  scripts/gen-secrets.sh --force --out "$out" >/dev/null || return 1
  if [ "$before" = "$(cat "$out"/secrets/* | sha256sum)" ]; then echo "gen-secrets: --force kept the old values" >&2; return 1; fi
  local short
  short=$(find "$out/secrets" -name '*password' -size -24c)
  if [ -n "$short" ]; then echo "gen-secrets: weak values in $short" >&2; return 1; fi
  scripts/gen-secrets.sh --kubernetes "$scratch/kubernetes" >/dev/null 2>&1
}
check "scripts/gen-secrets.sh (modes, refusal, --force, --kubernetes)" gen_secrets
echo "check-deploy: gen-secrets: $(find "$scratch/compose/secrets" -type f | wc -l) secret files, mode 0600, refused to overwrite, replaced with --force"

# HAProxy: the one configuration, as each environment runs it (haproxy -c): Compose and
# Kubernetes (instances found by DNS, plain HTTP), the stack (TLS with a certificate made here,
# the servers and the stats users from further -f files, as scripts/stack.sh writes them), and
# behind a trusted Ingress. A broken copy must be rejected.
haproxy_bin=$(command -v haproxy || echo /usr/sbin/haproxy)
if [ -x "$haproxy_bin" ] && command -v openssl >/dev/null; then
  cfg=deploy/haproxy/haproxy.cfg hx=$scratch/haproxy
  mkdir -p "$hx"
  printf 'userlist haproxy_stats\n  user ops insecure-password %s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$hx/stats.cfg"
  printf 'backend api from instances\n    server api1 127.0.0.1:1\n    server api2 127.0.0.1:2\n' >"$hx/servers.cfg"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$hx/key.pem" -out "$hx/cert.pem" >/dev/null 2>&1 && cat "$hx/cert.pem" "$hx/key.pem" >"$hx/tls.pem"
  # hc VAR=VALUE... -f FILE...: haproxy -c with those variables; its complaint shown on failure.
  hc() {
    local vars=()
    while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
    if env "${vars[@]}" "$haproxy_bin" -c -q "$@" >"$hx/check.out" 2>&1; then return 0; fi
    cat "$hx/check.out" >&2
    return 1
  }
  check "haproxy -c, Compose" hc MEDISECURE_HAPROXY_BACKEND_HOST=backend MEDISECURE_HAPROXY_FRONTEND_HOST=frontend \
    -f "$cfg" -f "$hx/stats.cfg"
  check "haproxy -c, Kubernetes behind its Ingress" hc MEDISECURE_HAPROXY_BACKEND_HOST=backend.medisecure.svc.cluster.local \
    MEDISECURE_HAPROXY_FRONTEND_HOST=frontend.medisecure.svc.cluster.local "MEDISECURE_HAPROXY_TRUSTED_UPSTREAM=10.0.0.0/8 192.168.0.0/16" \
    -f "$cfg" -f "$hx/stats.cfg"
  check "haproxy -c, the stack (TLS)" hc MEDISECURE_HAPROXY_TLS_CERT="$hx/tls.pem" MEDISECURE_HAPROXY_HTTPS_PORT=18443 \
    MEDISECURE_HAPROXY_HTTP_BIND=127.0.0.1:1 MEDISECURE_HAPROXY_HTTPS_BIND=127.0.0.1:2 \
    -f "$cfg" -f "$hx/stats.cfg" -f "$hx/servers.cfg"
  # Without a server list for `backend api` the stack's file is incomplete: refused.
  reject "the stack's HAProxy configuration without its servers" "$haproxy_bin" -c -q -f "$cfg" -f "$hx/stats.cfg"
  sed 's/^    retry-on conn-failure/    retry-on conn-failur/' "$cfg" >"$hx/broken.cfg"
  reject "an HAProxy configuration with a misspelt retry-on" env MEDISECURE_HAPROXY_BACKEND_HOST=backend "$haproxy_bin" -c -q -f "$hx/broken.cfg" -f "$hx/stats.cfg"
  echo "check-deploy: haproxy $("$haproxy_bin" -v | sed -n '1s/HAProxy version \([^ ]*\).*/\1/p') -c: valid for Compose, Kubernetes and the stack; 2 broken ones rejected"

  # The same file running, as the stack runs it, with no instance able to answer (both servers
  # refuse): what a client gets in an outage. The API's 503 problem with Retry-After for a GET;
  # the same 503 for HTTP/2 POSTs of a JSON body (without http-buffer-request HAProxy resets the
  # stream after its answer, and the client sees only the reset); a body dripped slower than
  # timeout http-request (2 s here) is 408 in the same format, from HAProxy.
  haproxy_live() {
    local out=$hx/live base=https://127.0.0.1:27443 code
    mkdir -p "$out"
    head -c 30000 /dev/zero | tr '\0' x | sed 's/^/{"note":"/; s/$/"}/' >"$out/body.json"
    env MEDISECURE_HAPROXY_TLS_CERT="$hx/tls.pem" MEDISECURE_HAPROXY_HTTPS_PORT=27443 \
      MEDISECURE_HAPROXY_HTTP_BIND=127.0.0.1:27480 MEDISECURE_HAPROXY_HTTPS_BIND=127.0.0.1:27443 \
      MEDISECURE_HAPROXY_STATS_BIND=127.0.0.1:27404 MEDISECURE_HAPROXY_METRICS_BIND=127.0.0.1:27405 \
      MEDISECURE_HAPROXY_MAXCONN=1000 MEDISECURE_HAPROXY_REQUEST_TIMEOUT=2s \
      "$haproxy_bin" -D -p "$out/pid" -f "$cfg" -f "$hx/stats.cfg" -f "$hx/servers.cfg" >"$out/haproxy.log" 2>&1 || {
      cat "$out/haproxy.log" >&2
      return 1
    }
    # shellcheck disable=SC2064 # the pid file's path is known now
    trap "kill \$(cat '$out/pid') 2>/dev/null; rm -rf '$scratch'" EXIT
    local result=0
    for _ in $(seq 1 50); do
      curl -sk -o /dev/null "$base/health/live" && break
      sleep 0.1
    done
    # Both servers marked down by their first checks (a refused connection: at once).
    sleep 1
    code=$(curl -sk -o "$out/get.json" -D "$out/get.head" -w '%{http_code}' "$base/api/v1/patients")
    if [ "$code" != 503 ] || ! grep -qi '^retry-after: 2' "$out/get.head" ||
      ! grep -qi '^content-type: application/problem+json' "$out/get.head" ||
      ! grep -q '"code":"no_instance_available"' "$out/get.json"; then
      echo "HAProxy with no instance answered a GET $code:" >&2
      cat "$out/get.head" "$out/get.json" >&2
      result=1
    fi
    local reset=0
    for _ in $(seq 1 10); do
      code=$(curl -sk --http2 -o "$out/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @"$out/body.json" "$base/api/v1/patients") || true
      if [ "$code" != 503 ] || ! grep -q '"code":"no_instance_available"' "$out/post.json"; then reset=$((reset + 1)); fi
    done
    if [ "$reset" -gt 0 ]; then
      echo "HAProxy with no instance: $reset of 10 HTTP/2 POSTs of 30 KB got no 503 (a reset stream)" >&2
      result=1
    fi
    local t0=$SECONDS
    code=$(curl -sk --http1.1 --limit-rate 2k -o "$out/slow.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @"$out/body.json" "$base/api/v1/patients") || true
    if [ "$code" != 408 ] || ! grep -q '"code":"request_timeout"' "$out/slow.json" || [ $((SECONDS - t0)) -gt 8 ]; then
      echo "HAProxy: a body sent at 2 KB/s got $code after $((SECONDS - t0)) s (408 after 2 s expected):" >&2
      cat "$out/slow.json" >&2
      result=1
    fi
    kill "$(cat "$out/pid")" 2>/dev/null || true
    trap 'rm -rf "$scratch"' EXIT
    return "$result"
  }
  if command -v curl >/dev/null; then
    check "HAProxy running with no instance: 503 problem for a GET and for HTTP/2 POSTs of 30 KB, 408 for a slow body" haproxy_live
  else
    missing curl "scripts/deps.sh test installs it"
  fi
else
  missing haproxy "scripts/deps.sh stack installs it"
fi

# Compose.
compose_file=deploy/compose/compose.yml
if command -v docker-compose >/dev/null; then
  compose=(docker-compose --env-file "$scratch/compose/.env")
  check "docker-compose config -q" "${compose[@]}" -f "$compose_file" config -q
  "${compose[@]}" -f "$compose_file" config >"$scratch/compose.resolved.yml"
  # The validator must reject a wrong type, an unknown key and a dependency on nothing.
  broken=$scratch/broken.yml
  sed 's/^    mem_limit: 1g$/    mem_limit: [1g]/' "$compose_file" >"$broken"
  reject "a Compose file with a wrong type (mem_limit: [1g])" "${compose[@]}" -f "$broken" config -q
  sed 's/^  stop_grace_period: 35s$/  stop_grace_perod: 35s/' "$compose_file" >"$broken"
  reject "a Compose file with an unknown key (stop_grace_perod)" "${compose[@]}" -f "$broken" config -q
  sed 's/^      mariadb: {condition: service_healthy}$/      mariadbb: {condition: service_healthy}/' "$compose_file" >"$broken"
  reject "a Compose file depending on an undefined service (mariadbb)" "${compose[@]}" -f "$broken" config -q
  echo "check-deploy: docker-compose $(docker-compose version --short) config -q: valid; 3 broken copies rejected"
else
  missing docker-compose "scripts/deps.sh test installs Debian's docker-compose"
fi

# The Node.js checkers.
if ! command -v node >/dev/null || [ ! -d "$checks/node_modules/kubernetes-types" ]; then
  missing "deploy/checks/node_modules" "scripts/npm-deps.sh installs it"
else
  if [ -s "$scratch/compose.resolved.yml" ]; then
    check "compose policy" node "$checks/compose-policy.mjs" "$scratch/compose.resolved.yml"
    check "compose policy self-test" node "$checks/compose-policy.mjs" --self-test "$scratch/compose.resolved.yml"
  fi
  check "Dockerfile policy" node "$checks/dockerfile-policy.mjs" . deploy/docker/*.Dockerfile
  check "Dockerfile policy self-test" node "$checks/dockerfile-policy.mjs" --self-test . deploy/docker/backend.Dockerfile

  # Kubernetes: Kustomize 4 or later (kubectl 1.21+) builds the base and the overlay.
  kustomize_version=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"kustomizeVersion": *"v\([0-9]*\).*/\1/p' || true)
  if [ -z "$kustomize_version" ] || [ "$kustomize_version" -lt 4 ]; then
    missing "kubectl with Kustomize 4 or later" "the machine's kubectl; Debian 12's kubernetes-client has Kustomize 2"
  else
    for dir in deploy/kubernetes/base deploy/kubernetes/overlays/production; do
      out=$scratch/$(basename "$dir").yaml
      if kubectl kustomize "$dir" >"$out" 2>"$scratch/kustomize.err"; then
        passed=$((passed + 1))
      else
        fail "kubectl kustomize $dir: $(cat "$scratch/kustomize.err")"
      fi
    done
    examples=(deploy/kubernetes/*.yaml.example)
    generated=("$scratch"/kubernetes/*.yaml)
    # The overlay holds the base: typing it once covers both.
    check "Kubernetes API types (and their self-test)" node "$checks/k8s-types.mjs" --self-test "$scratch/production.yaml" "${examples[@]}" "${generated[@]}"
    check "Kubernetes policy" node "$checks/k8s-policy.mjs" "$scratch/production.yaml" --examples "${examples[@]}" --generated "${generated[@]}"
    check "Kubernetes policy self-test" node "$checks/k8s-policy.mjs" --self-test
  fi
fi

echo "check-deploy: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ]; then exit 1; fi
