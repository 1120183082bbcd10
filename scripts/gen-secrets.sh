#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Generates every secret of the deployment, strong and random, into files of mode 0600: for
# Compose (deploy/compose/secrets/ and deploy/compose/.env) or, with --kubernetes, as the three
# Secret manifests of deploy/kubernetes/*.yaml.example filled in. Never overwrites a secret
# without --force (a new database password does not change the one a volume already holds).
# Usage: scripts/gen-secrets.sh [--force] [--out DIR]            Compose (DIR: deploy/compose)
#        scripts/gen-secrets.sh [--force] --kubernetes DIR         Kubernetes Secret manifests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

force=0
mode=compose
out=$root/deploy/compose
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    --kubernetes) mode=kubernetes; out=${2:?--kubernetes needs a directory}; shift ;;
    -h | --help) sed -n '3,9p' "$0"; exit 0 ;;
    *) echo "gen-secrets: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# rand N: N random bytes as URL-safe base64 (no padding): 48 bytes give 64 characters.
rand() { head -c "$1" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }

umask 077
declare -A s
s[jwt_secret]=$(rand 48)
s[audit_key]=$(rand 48)
s[master_key]=$(rand 48)
s[metrics_token]=$(rand 32)
s[postgres_superuser_password]=$(rand 32)
s[postgres_app_password]=$(rand 32)
s[mongodb_root_password]=$(rand 32)
s[mongodb_app_password]=$(rand 32)
s[mongodb_keyfile]=$(rand 512)
s[mariadb_root_password]=$(rand 32)
s[mariadb_app_password]=$(rand 32)
s[mariadb_replication_password]=$(rand 32)
s[minio_root_user]=admin-$(rand 6)
s[minio_root_password]=$(rand 32)
s[s3_access_key_id]=medisecure-$(rand 6)
s[s3_secret_access_key]=$(rand 32)
s[rabbitmq_password]=$(rand 32)
s[rabbitmq_erlang_cookie]=$(rand 48)
s[redis_password]=$(rand 32)
s[grafana_admin_password]=$(rand 24)
s[haproxy_stats_password]=$(rand 24)
s[admin_ui_password]=$(rand 24)
s[backup_age_identity]=
s[backup_age_recipient]=

# Host names differ between the two paths; users and databases do not.
if [ "$mode" = compose ]; then
  pg=postgres:5432 mongo=mongodb:27017 maria=mariadb:3306
else
  pg=postgres.medisecure.svc.cluster.local:5432
  mongo="mongodb-0.mongodb.medisecure.svc.cluster.local:27017,mongodb-1.mongodb.medisecure.svc.cluster.local:27017,mongodb-2.mongodb.medisecure.svc.cluster.local:27017"
  maria=mariadb-0.mariadb.medisecure.svc.cluster.local:3306
fi
for ctx in identity patients audit records documents notifications; do
  s[${ctx}_db_url]="postgresql://medisecure:${s[postgres_app_password]}@$pg/ms_$ctx"
done
s[appointments_db_url]="mongodb://medisecure:${s[mongodb_app_password]}@$mongo/medisecure_appointments?replicaSet=rs0&authSource=admin"
s[billing_db_url]="mariadb://medisecure:${s[mariadb_app_password]}@$maria/medisecure_billing"

# Files the servers read as they are (their own formats), derived from the values above.
s[rabbitmq_auth.conf]=$(printf 'default_user = medisecure\ndefault_pass = %s\n' "${s[rabbitmq_password]}")
s[redis.acl]="user default on >${s[redis_password]} ~* &* +@all"
s[redis_exporter_passwords.json]="{\"redis://redis:6379\":\"${s[redis_password]}\"}"
s[haproxy_stats.cfg]=$(printf 'userlist haproxy_stats\n  user ops insecure-password %s\n' "${s[haproxy_stats_password]}")
s[mysqld_exporter.cnf]=$(printf '[client]\nuser = root\npassword = %s\n' "${s[mariadb_root_password]}")

# The backups' encryption key pair (age): the CronJob holds only the recipient (it can encrypt,
# never decrypt); the identity goes to the restore-verification Job and to the operator's safe.
if command -v age-keygen >/dev/null; then
  s[backup_age_identity]=$(age-keygen 2>/dev/null)
  s[backup_age_recipient]=$(printf '%s\n' "${s[backup_age_identity]}" | age-keygen -y)
fi

refuse_existing() {
  local existing=()
  for f in "$@"; do if [ -e "$f" ]; then existing+=("$f"); fi; done
  if [ ${#existing[@]} -gt 0 ] && [ "$force" != 1 ]; then
    echo "gen-secrets: refusing to overwrite ${#existing[@]} existing file(s), first ${existing[0]} (--force replaces them; a database keeps the password it was created with)" >&2
    exit 1
  fi
}

if [ "$mode" = compose ]; then
  dir=$out/secrets
  names=()
  for k in "${!s[@]}"; do
    case "$k" in backup_age_*) continue ;; esac
    names+=("$k")
  done
  files=()
  for k in "${names[@]}"; do files+=("$dir/$k"); done
  refuse_existing "${files[@]}" "$out/.env"
  mkdir -p "$dir"
  chmod 700 "$dir"
  # The containers run as one unprivileged user that owns the secrets (mode 0600 stays readable
  # by it alone): the caller, or 10001 (the images' user) when the caller is root.
  uid=$(id -u) gid=$(id -g)
  if [ "$uid" = 0 ]; then uid=10001 gid=10001; fi
  for k in "${names[@]}"; do printf '%s' "${s[$k]}" >"$dir/$k"; done # umask 077: mode 0600
  sed -e "s|^MEDISECURE_UID=.*|MEDISECURE_UID=$uid|" -e "s|^MEDISECURE_GID=.*|MEDISECURE_GID=$gid|" \
    -e "s|^MEDISECURE_SECRETS_DIR=.*|MEDISECURE_SECRETS_DIR=$dir|" \
    "$root/deploy/compose/.env.example" >"$out/.env"
  if [ "$(id -u)" = 0 ]; then chown -R "$uid:$gid" "$dir"; fi
  echo "gen-secrets: ${#names[@]} secrets in $dir (mode 0600, owner $uid), settings in $out/.env"
  exit 0
fi

# Kubernetes: the three Secret manifests, values as stringData (the API server encodes them).
mkdir -p "$out"
refuse_existing "$out/secrets.yaml" "$out/secrets-databases.yaml" "$out/secrets-infrastructure.yaml"
# secret NAME KEY=VARIABLE...: one Secret manifest, each value a YAML block scalar.
secret() {
  local name=$1
  shift
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: medisecure\n  labels:\n    app.kubernetes.io/part-of: medisecure\ntype: Opaque\nstringData:\n' "$name"
  for kv in "$@"; do
    if [ -z "${kv#*=}" ]; then
      printf '  %s: ""\n' "${kv%%=*}"
      continue
    fi
    printf '  %s: |-\n' "${kv%%=*}"
    printf '%s\n' "${s[${kv#*=}]}" | sed 's/^/    /'
  done
}
{
  secret medisecure-app jwt-secret=jwt_secret audit-key=audit_key master-key=master_key \
    metrics-token=metrics_token identity-db-url=identity_db_url patients-db-url=patients_db_url \
    audit-db-url=audit_db_url records-db-url=records_db_url documents-db-url=documents_db_url \
    notifications-db-url=notifications_db_url appointments-db-url=appointments_db_url \
    billing-db-url=billing_db_url s3-access-key-id=s3_access_key_id \
    s3-secret-access-key=s3_secret_access_key cache-password=redis_password queue-password=rabbitmq_password
  secret backup-encryption age-recipient=backup_age_recipient age-identity=backup_age_identity
  echo "# The off-site bucket of the backups: yours to fill (endpoint, region, bucket, a key for it)."
  secret backup-target endpoint= region= bucket= access-key-id= secret-access-key=
} >"$out/secrets.yaml"
{
  secret postgres superuser-password=postgres_superuser_password app-password=postgres_app_password
  secret mongodb root-password=mongodb_root_password app-password=mongodb_app_password keyfile=mongodb_keyfile
  secret mariadb root-password=mariadb_root_password app-password=mariadb_app_password \
    replication-password=mariadb_replication_password
  secret minio root-user=minio_root_user root-password=minio_root_password \
    app-access-key-id=s3_access_key_id app-secret-access-key=s3_secret_access_key
} >"$out/secrets-databases.yaml"
{
  secret rabbitmq password=rabbitmq_password erlang-cookie=rabbitmq_erlang_cookie default-user.conf=rabbitmq_auth.conf
  secret redis password=redis_password
  secret grafana admin-password=grafana_admin_password
  secret haproxy stats.cfg=haproxy_stats.cfg
} >"$out/secrets-infrastructure.yaml"
if [ -z "${s[backup_age_identity]}" ]; then
  echo "gen-secrets: age-keygen is not installed (apt-get install age): fill backup-encryption in $out/secrets.yaml yourself" >&2
fi
echo "gen-secrets: $out/secrets.yaml, secrets-databases.yaml, secrets-infrastructure.yaml (mode 0600): kubectl apply -f each, never commit them"
