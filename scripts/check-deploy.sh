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
