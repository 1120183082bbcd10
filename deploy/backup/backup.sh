#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The nightly backup of the server engines, one step per container of backup-cronjob.yaml, each
# run with the engine's own image and tools, into /backup/work (an emptyDir):
#   postgres   pg_dump -Fc of every context database (+ roles), and each table's row count
#   mariadb    mariadb-dump --single-transaction of billing, and row counts
#   mongodb    mongodump --archive of appointments (from a secondary when there is one), counts
#   upload     (backup image: age, rclone) one tar with a SHA-256 manifest, encrypted to the age
#              recipient, sent to the off-site target; the documents' bucket mirrored there
#              (its objects are already ciphertext); archives older than RETENTION_DAYS removed
# The counts travel inside the archive: restore-verify.sh compares them after restoring.
# The same script backs up the loopback stack in make test (scripts/stack-backup.sh), with the
# secrets under BACKUP_SECRETS_DIR instead of /run/secrets and a local directory as the target.
set -euo pipefail
work=${BACKUP_DIR:-/backup}/work
secrets=${BACKUP_SECRETS_DIR:-/run/secrets}
secret() { tr -d '\n' <"$1"; }
# SQL writing one query per table that counts its rows, in "schema.table" order (for \gexec).
pg_counts="SELECT format('SELECT %L, count(*) FROM %I.%I', schemaname || '.' || relname, schemaname, relname) FROM pg_stat_user_tables ORDER BY 1"

case "${1:?step: postgres, mariadb, mongodb or upload}" in
postgres)
  mkdir -p "$work/postgres"
  export PGHOST=${PGHOST:?} PGUSER=postgres PGPASSWORD
  PGPASSWORD=$(secret "$secrets/postgres/superuser-password")
  pg_dumpall --globals-only --no-role-passwords >"$work/postgres/globals.sql"
  for db in ${POSTGRES_DATABASES:?}; do
    # The row counts are taken in the very snapshot pg_dump dumps (exported by a transaction held
    # open meanwhile): the database is written to while it is backed up (every audited read).
    coproc SNAP { psql -qAtX -F ' ' -v ON_ERROR_STOP=1 --dbname="$db"; }
    echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >&"${SNAP[1]}"
    snapshot=
    read -r snapshot <&"${SNAP[0]}" || true
    if [ -z "$snapshot" ]; then echo "backup: $db: no snapshot exported" >&2; exit 1; fi
    pg_dump -Fc --snapshot="$snapshot" --dbname="$db" --file="$work/postgres/$db.dump"
    printf '%s \\gexec\n\\echo --end--\n' "$pg_counts" >&"${SNAP[1]}"
    while IFS= read -r line <&"${SNAP[0]}" && [ "$line" != --end-- ]; do printf '%s\n' "$line"; done >"$work/postgres/$db.counts"
    echo "COMMIT;" >&"${SNAP[1]}"
    in=${SNAP[1]}
    exec {in}>&-
    wait "$SNAP_PID"
  done
  ;;
mariadb)
  mkdir -p "$work/mariadb"
  cnf=$(mktemp)
  printf '[client]\nuser=root\npassword=%s\nhost=%s\n' "$(secret "$secrets/mariadb/root-password")" "${MARIADB_HOST:?}" >"$cnf"
  # The stack reaches its server's root through a socket of its own (MARIADB_HOST=localhost).
  if [ -n "${MARIADB_SOCKET:-}" ]; then printf 'socket=%s\n' "$MARIADB_SOCKET" >>"$cnf"; fi
  counts() {
    mariadb --defaults-extra-file="$cnf" -N -B -e "SELECT CONCAT('SELECT ''', table_name, ''', COUNT(*) FROM medisecure_billing.\`', table_name, '\`;') FROM information_schema.tables WHERE table_schema = 'medisecure_billing' AND table_type = 'BASE TABLE' ORDER BY table_name" \
      | mariadb --defaults-extra-file="$cnf" -N -B | tr '\t' ' '
  }
  # No other session can share mariadb-dump's snapshot: the counts are taken before and after
  # the dump, which is taken again (3 tries in all) until nothing changed meanwhile.
  for try in 1 2 3; do
    counts >"$work/mariadb/medisecure_billing.counts"
    mariadb-dump --defaults-extra-file="$cnf" --single-transaction --routines --triggers --events \
      --databases medisecure_billing >"$work/mariadb/medisecure_billing.sql"
    if counts | cmp -s - "$work/mariadb/medisecure_billing.counts"; then break; fi
    if [ "$try" = 3 ]; then echo "backup: billing changed during each of 3 dumps" >&2; exit 1; fi
  done
  rm -f "$cnf"
  ;;
mongodb)
  mkdir -p "$work/mongodb"
  uri="mongodb://root:$(secret "$secrets/mongodb/root-password")@${MONGODB_HOSTS:?}/?replicaSet=rs0&authSource=admin&readPreference=secondaryPreferred"
  mongodump --uri="$uri" --db=medisecure_appointments --archive="$work/mongodb/appointments.archive" --gzip --quiet
  mongosh "$uri" --quiet --norc --eval 'const d = db.getSiblingDB("medisecure_appointments"); d.getCollectionNames().sort().forEach(c => print(c + " " + d.getCollection(c).countDocuments({})))' \
    >"$work/mongodb/appointments.counts"
  ;;
upload)
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  sums=$(cd "$work" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  printf '%s\n' "$sums" >"$work/SHA256SUMS"
  archive=${BACKUP_DIR:-/backup}/medisecure-$stamp.tar.age
  tar -C "$work" -cf - . | age --encrypt --recipients-file "$secrets/backup/age-recipient" >"$archive"
  rclone copyto --s3-no-check-bucket "$archive" "backup:${BACKUP_BUCKET:?}/databases/medisecure-$stamp.tar.age"
  # The documents' content: ciphertext already (envelope encryption), mirrored with the old
  # versions of changed or deleted objects kept beside it for the retention period.
  rclone sync --s3-no-check-bucket "minio:medisecure-documents" "backup:$BACKUP_BUCKET/documents/current" \
    --backup-dir "backup:$BACKUP_BUCKET/documents/$stamp"
  rclone delete --min-age "${RETENTION_DAYS:-35}d" "backup:$BACKUP_BUCKET/databases"
  rclone delete --min-age "${RETENTION_DAYS:-35}d" --rmdirs "backup:$BACKUP_BUCKET/documents" --exclude "/current/**"
  echo "backup: medisecure-$stamp.tar.age ($(wc -c <"$archive") bytes) and the documents' mirror sent"
  ;;
*) echo "backup: unknown step $1" >&2; exit 2 ;;
esac
