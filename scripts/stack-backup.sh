#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The stack's backups restored into fresh servers and verified (issue 18), with the very scripts
# the Kubernetes backup CronJob and restore-verification Job run (deploy/backup/):
#   1. backup.sh postgres   pg_dump -Fc of every context database, each table's rows counted in
#                           the dump's own snapshot
#      backup.sh mariadb    mariadb-dump --single-transaction of billing, and its row counts
#      backup.sh upload     one tar with a SHA-256 manifest, encrypted with age to a key pair made
#                           for the stack, copied by rclone to the target (a local directory here,
#                           an object store in Kubernetes); the documents' bucket (Swift's S3)
#                           mirrored there by rclone
#   2. a scratch PostgreSQL and a scratch MariaDB, started empty (scripts/services/postgres.sh and
#      mariadb.sh, their own directory and ports: base + 532 and + 316)
#   3. restore-verify.sh fetch, postgres, mariadb: the newest archive decrypted and checked
#      against its manifest, restored, every table's row count equal to the backup's
#   4. `medisecure audit verify` on the restored audit database (the Job's last container), and
#      the documents' mirror: as many objects as the bucket, the same sizes
#   5. a `medisecure serve` on the restored databases (base + 533) answers the same API lists as
#      the stack: patients found by each initial, the doctor's week, vitals, invoices
# then the scratch servers are stopped. Everything is in $MS_STACK_DIR/backup (kept to look at;
# the next run starts it afresh). Needs the stack running: scripts/stack.sh up.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stack=${MS_STACK_DIR:-$root/build/stack}
note() { echo "stack-backup: $*"; }
die() { echo "stack-backup: $*" >&2; exit 1; }
[ -s "$stack/stack.env" ] || die "the stack is not running (scripts/stack.sh up)"
# shellcheck source=/dev/null
. "$stack/stack.env"
for tool in pg_dump mariadb-dump age age-keygen rclone; do
  command -v "$tool" >/dev/null || die "$tool is needed (scripts/deps.sh stack)"
done
base=$((STACK_PG_PORT - 432))
scratch_pg_port=$((base + 532)) scratch_mariadb_port=$((base + 316))
dir=$stack/backup
scratch=$dir/scratch
databases="ms_identity ms_patients ms_audit ms_appointments ms_records ms_documents ms_notifications"

# The scratch servers go when this script ends, however it ends.
pg_scratch() { env MS_SERVICES_DIR="$scratch" MS_PG_PORT="$scratch_pg_port" MS_PG_DB=scratch scripts/services/postgres.sh "$@"; }
mariadb_scratch() { env MS_SERVICES_DIR="$scratch" MS_MARIADB_NAME=scratch MS_MARIADB_PORT="$scratch_mariadb_port" MS_MARIADB_DB=scratch scripts/services/mariadb.sh "$@"; }
api_pid=
cleanup() {
  if [ -n "$api_pid" ]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  pg_scratch stop >/dev/null 2>&1 || true
  mariadb_scratch stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Start afresh: the previous run's files and scratch servers (stopped first, should any run).
cleanup
rm -rf "$dir"
mkdir -p "$dir/target" "$dir/logs"
secrets=$dir/secrets
(umask 077; mkdir -p "$secrets/postgres" "$secrets/mariadb" "$secrets/backup")
# The stack's PostgreSQL trusts loopback and MariaDB's root has no password on its socket: the
# password files backup.sh reads are empty. The age key pair is the stack's own: the backup
# step holds only the public key, the restore step the private one.
: >"$secrets/postgres/superuser-password"
: >"$secrets/mariadb/root-password"
(umask 077; age-keygen -o "$secrets/backup/age-identity" 2>/dev/null)
age-keygen -y "$secrets/backup/age-identity" >"$secrets/backup/age-recipient"

# Everything backup.sh and restore-verify.sh read from their environment, as the CronJobs set it.
export BACKUP_SECRETS_DIR=$secrets BACKUP_DIR=$dir/backup RESTORE_DIR=$dir/restore
export BACKUP_BUCKET=$dir/target RETENTION_DAYS=35 HOME=${HOME:-/tmp}
export RCLONE_CONFIG_BACKUP_TYPE=local RCLONE_CONFIG=$dir/rclone.conf
# The stack's S3 is plain HTTP on loopback; a CA bundle named by the environment only makes the
# S3 client of rclone fail ("unable to load custom CA bundle").
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_MINIO_TYPE=s3 RCLONE_CONFIG_MINIO_PROVIDER=Other RCLONE_CONFIG_MINIO_ENDPOINT=$STACK_S3_URL
export RCLONE_CONFIG_MINIO_REGION=us-east-1 RCLONE_CONFIG_MINIO_ACCESS_KEY_ID=test:tester
RCLONE_CONFIG_MINIO_SECRET_ACCESS_KEY=$(cat "$STACK_SECRETS_DIR/s3_secret_access_key")
export RCLONE_CONFIG_MINIO_SECRET_ACCESS_KEY RCLONE_CONFIG_MINIO_FORCE_PATH_STYLE=true
mkdir -p "$BACKUP_DIR" "$RESTORE_DIR"
: >"$RCLONE_CONFIG"  # everything is in the environment, as in the CronJobs

step() {  # step LOG CMD...: runs CMD, its output in logs/LOG.log, shown when it fails
  local log=$dir/logs/$1.log
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "stack-backup: failed: $*" >&2
    tail -30 "$log" >&2
    exit 1
  fi
}

t0=$SECONDS
# 1. Backup, from the running stack.
step backup-postgres env PGHOST=127.0.0.1 PGPORT="$STACK_PG_PORT" POSTGRES_DATABASES="$databases" bash deploy/backup/backup.sh postgres
step backup-mariadb env MARIADB_HOST=localhost MARIADB_SOCKET="$STACK_SERVICES_DIR/mariadb-stack/run/mariadbd.sock" bash deploy/backup/backup.sh mariadb
step backup-upload bash deploy/backup/backup.sh upload
archive=$(find "$dir/target/databases" -name 'medisecure-*.tar.age' | sort | tail -1)
[ -n "$archive" ] || die "no archive in $dir/target/databases"
plain=$(du -sb "$BACKUP_DIR/work" | cut -f1)
note "backup: $(basename "$archive"), $(wc -c <"$archive") bytes encrypted ($plain bytes of dumps, $(wc -l <"$BACKUP_DIR/work/SHA256SUMS") files) in $((SECONDS - t0)) s"
head -c 64 "$archive" | grep -q '^age-encryption.org/v1' || die "the archive is not age-encrypted"
if grep -qa -e PGDMP -e 'CREATE TABLE' "$archive"; then die "the archive holds the dumps in clear"; fi

# 2. Fresh scratch servers.
t1=$SECONDS
rm -rf "$scratch"
mkdir -p "$scratch"
step scratch-postgres pg_scratch start
step scratch-mariadb mariadb_scratch start
note "scratch PostgreSQL :$scratch_pg_port and MariaDB :$scratch_mariadb_port started empty in $((SECONDS - t1)) s"

# 3. Restore and compare the row counts, as the restore-verification Job does.
t2=$SECONDS
step restore-fetch bash deploy/backup/restore-verify.sh fetch
step restore-postgres env PGPORT="$scratch_pg_port" bash deploy/backup/restore-verify.sh postgres
step restore-mariadb env MARIADB_HOST=localhost MARIADB_SOCKET="$scratch/mariadb-scratch/run/mariadbd.sock" \
  bash deploy/backup/restore-verify.sh mariadb
tables=0 rows=0
for f in "$RESTORE_DIR"/*.counts.restored; do
  tables=$((tables + $(wc -l <"$f")))
  rows=$((rows + $(awk '{s += $2} END {print s + 0}' "$f")))
done
[ "$tables" -gt 0 ] || die "no table restored"
grep -h 'restore-verify:' "$dir"/logs/restore-*.log | sed 's/^/stack-backup: /'
note "restored in $((SECONDS - t2)) s: $tables tables, $rows rows, every count equal to the backup's"

# 4. The audit chain on the restored audit database (the Job's audit-verify container).
if env -i PATH="$PATH" HOME="$HOME" MEDISECURE_ENV=development MEDISECURE_DATA_DIR="$dir/audit-verify-data" \
  MEDISECURE_AUDIT_DB_URL="postgresql://postgres@127.0.0.1:$scratch_pg_port/ms_audit" \
  MEDISECURE_AUDIT_KEY_FILE="$STACK_SECRETS_DIR/audit_key" "$STACK_BIN" audit verify >"$dir/logs/audit-verify.log" 2>&1; then
  note "medisecure audit verify on the restored ms_audit: $(tail -1 "$dir/logs/audit-verify.log")"
else
  cat "$dir/logs/audit-verify.log" >&2
  die "medisecure audit verify failed on the restored audit database"
fi
# The documents' mirror: every object of the bucket, the same size.
rclone lsl "minio:medisecure-documents" 2>"$dir/logs/mirror-source.log" | awk '{print $1, $NF}' | sort >"$dir/documents.source"
(cd "$dir/target/documents/current" 2>/dev/null && find . -type f -printf '%s %P\n' | sort) >"$dir/documents.mirror" || true
if ! diff -q "$dir/documents.source" "$dir/documents.mirror" >/dev/null; then
  diff "$dir/documents.source" "$dir/documents.mirror" | head -10 >&2
  die "the documents' mirror differs from the bucket"
fi
note "documents' mirror: $(wc -l <"$dir/documents.mirror") objects, $(awk '{s += $1} END {print s + 0}' "$dir/documents.mirror") bytes, as in the bucket"

# 5. The API on the restored databases: the stack's binary, secrets and environment, its stores
# the scratch servers (no cache, no queue; the documents' content still read from the bucket).
t5=$SECONDS
api_port=$((base + 533))
restored_billing=$(grep -o 'mariadb://medisecure:[^@]*@127.0.0.1:[0-9]*/' "$dir/logs/scratch-mariadb.log" | head -1)
[ -n "$restored_billing" ] || die "the scratch MariaDB printed no URL"
mkdir -p "$dir/restored-data"
(
  set -a
  # shellcheck source=/dev/null
  . "$STACK_APP_ENV_FILE"
  set +a
  for ctx in identity patients audit appointments records documents notifications billing; do
    unset "MEDISECURE_${ctx^^}_DB_URL_FILE"
    export "MEDISECURE_${ctx^^}_DB_URL=postgresql://postgres@127.0.0.1:$scratch_pg_port/ms_$ctx"
  done
  export MEDISECURE_BILLING_DB_URL="${restored_billing}medisecure_billing"
  unset MEDISECURE_CACHE_URL MEDISECURE_CACHE_PASSWORD_FILE MEDISECURE_QUEUE_URL MEDISECURE_QUEUE_PASSWORD_FILE
  export MEDISECURE_DATA_DIR=$dir/restored-data
  exec "$STACK_BIN" serve --no-jobs --listen "127.0.0.1:$api_port"
) >"$dir/logs/restored-serve.log" 2>&1 &
api_pid=$!
restored=http://127.0.0.1:$api_port
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "$restored/health/ready" 2>/dev/null; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$api_pid" 2>/dev/null; then
    tail -20 "$dir/logs/restored-serve.log" >&2
    die "medisecure serve on the restored databases did not become ready"
  fi
  sleep 0.5
done
read -r email password < <(awk '$1 == "doctor" {print $2, $3; exit}' "$STACK_DEMO_CREDENTIALS_FILE")
token() {  # token URL CURL-ARGS...: a doctor's access token from that entry point
  local url=$1
  shift
  jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}' |
    curl -fsS --max-time 10 "$@" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/auth/login" | jq -r .access_token
}
live_auth=(--cacert "$STACK_CA_FILE" -H "Authorization: Bearer $(token "$STACK_URL" --cacert "$STACK_CA_FILE")")
restored_auth=(-H "Authorization: Bearer $(token "$restored")")
doctor=$(curl -fsS "${restored_auth[@]}" "$restored/api/v1/auth/me" | jq -r .id)
lists() {  # lists URL CURL-ARGS...: the API lists, as "LIST ID" lines
  local url=$1 q p
  shift
  for q in {A..Z}; do
    curl -fsS --max-time 10 "$@" "$url/api/v1/patients?q=$q&limit=100" | jq -r --arg q "$q" '.items[] | "patients?q=\($q) \(.id) \(.version)"'
  done
  curl -fsS --max-time 10 "$@" "$url/api/v1/appointments?practitioner_id=$doctor&date=$(date +%F)&view=week" |
    jq -r '.items[] | "appointments \(.id) \(.status)"'
  for p in $(curl -fsS --max-time 10 "$@" "$url/api/v1/patients?q=A&limit=5" | jq -r '.items[].id'); do
    curl -fsS --max-time 10 "$@" "$url/api/v1/patients/$p/vitals?limit=1000" | jq -r --arg p "$p" '.items[] | "vitals/\($p) \(.id)"'
  done
  curl -fsS --max-time 10 "$@" "$url/api/v1/invoices?limit=100" | jq -r '.items[] | "invoices \(.id) \(.status)"'
}
lists "$STACK_URL" "${live_auth[@]}" | sort >"$dir/api.live"
lists "$restored" "${restored_auth[@]}" | sort >"$dir/api.restored"
if ! diff -u "$dir/api.live" "$dir/api.restored" >"$dir/api.diff"; then
  head -20 "$dir/api.diff" >&2
  die "the API on the restored databases answers other lists than the stack"
fi
[ -s "$dir/api.live" ] || die "the API lists are empty"
note "API on the restored databases: $(wc -l <"$dir/api.live") list entries equal to the stack's ($(cut -d' ' -f1 "$dir/api.live" | sed 's/[?/].*//' | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')) in $((SECONDS - t5)) s"
note "passed in $((SECONDS - t0)) s"
