#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Restores the latest backup into scratch engines inside the pod (restore-verify-cronjob.yaml:
# PostgreSQL, MariaDB and mongod as sidecars on 127.0.0.1, empty volumes) and proves it whole,
# one step per container:
#   fetch      (backup image) download the newest archive, decrypt it (age identity), check
#              every file against SHA256SUMS
#   postgres   pg_restore every database, then each table's row count equal to the backup's
#   mariadb    replay the billing dump, then the row counts
#   mongodb    mongorestore appointments, then the document counts
# The pod's last container then runs `medisecure audit verify` on the restored audit database.
# Any difference fails the Job (and so its alert); nothing here touches the live engines.
# The same script verifies the loopback stack's backups in make test (scripts/stack-backup.sh):
# the secrets under BACKUP_SECRETS_DIR, the scratch PostgreSQL's port in PGPORT, the scratch
# MariaDB's socket in MARIADB_SOCKET (with MARIADB_HOST=localhost).
set -euo pipefail
dir=${RESTORE_DIR:-/restore}
secrets=${BACKUP_SECRETS_DIR:-/run/secrets}
my=(-h "${MARIADB_HOST:-127.0.0.1}" -u root)
if [ -n "${MARIADB_SOCKET:-}" ]; then my+=(--socket="$MARIADB_SOCKET"); fi
# same_counts FILE-EXPECTED FILE-GOT WHAT
same_counts() {
  if ! diff -u "$1" "$2"; then echo "restore-verify: $3: row counts differ from the backup's" >&2; exit 1; fi
  echo "restore-verify: $3: $(wc -l <"$1") tables, row counts equal"
}

case "${1:?step: fetch, postgres, mariadb or mongodb}" in
fetch)
  latest=$(rclone lsf --files-only "backup:${BACKUP_BUCKET:?}/databases" | sort | tail -n 1)
  if [ -z "$latest" ]; then echo "restore-verify: no backup found" >&2; exit 1; fi
  rclone copyto "backup:$BACKUP_BUCKET/databases/$latest" "$dir/$latest"
  mkdir -p "$dir/work"
  age --decrypt --identity "$secrets/backup/age-identity" "$dir/$latest" | tar -C "$dir/work" -xf -
  (cd "$dir/work" && sha256sum --check --quiet SHA256SUMS)
  echo "restore-verify: $latest decrypted, $(wc -l <"$dir/work/SHA256SUMS") files intact"
  ;;
postgres)
  export PGHOST=127.0.0.1 PGUSER=postgres
  until pg_isready -q; do sleep 1; done
  psql -q -v ON_ERROR_STOP=0 -f "$dir/work/postgres/globals.sql" postgres >/dev/null 2>&1 || true
  for dump in "$dir"/work/postgres/*.dump; do
    db=$(basename "$dump" .dump)
    createdb "$db"
    pg_restore --no-owner --role=postgres --exit-on-error --dbname="$db" "$dump"
    # One count query per table, run by \gexec (as backup.sh does; piped into a second psql the
    # generated queries, without semicolons, ran together as one syntax error).
    printf '%s \\gexec\n' "SELECT format('SELECT %L, count(*) FROM %I.%I', schemaname || '.' || relname, schemaname, relname) FROM pg_stat_user_tables ORDER BY 1" \
      | psql -qAtX -F ' ' -v ON_ERROR_STOP=1 --dbname="$db" >"$dir/$db.counts.restored"
    same_counts "$dir/work/postgres/$db.counts" "$dir/$db.counts.restored" "PostgreSQL $db"
  done
  ;;
mariadb)
  until mariadb-admin "${my[@]}" ping >/dev/null 2>&1; do sleep 1; done
  mariadb "${my[@]}" <"$dir/work/mariadb/medisecure_billing.sql"
  mariadb "${my[@]}" -N -B -e "SELECT CONCAT('SELECT ''', table_name, ''', COUNT(*) FROM medisecure_billing.\`', table_name, '\`;') FROM information_schema.tables WHERE table_schema = 'medisecure_billing' AND table_type = 'BASE TABLE' ORDER BY table_name" \
    | mariadb "${my[@]}" -N -B | tr '\t' ' ' >"$dir/billing.counts.restored"
  same_counts "$dir/work/mariadb/medisecure_billing.counts" "$dir/billing.counts.restored" "MariaDB medisecure_billing"
  ;;
mongodb)
  until mongosh --quiet --norc --eval 'db.adminCommand("ping")' mongodb://127.0.0.1:27017 >/dev/null 2>&1; do sleep 1; done
  mongorestore --uri=mongodb://127.0.0.1:27017 --archive="$dir/work/mongodb/appointments.archive" --gzip --quiet
  mongosh mongodb://127.0.0.1:27017 --quiet --norc --eval 'const d = db.getSiblingDB("medisecure_appointments"); d.getCollectionNames().sort().forEach(c => print(c + " " + d.getCollection(c).countDocuments({})))' \
    >"$dir/appointments.counts.restored"
  same_counts "$dir/work/mongodb/appointments.counts" "$dir/appointments.counts.restored" "MongoDB medisecure_appointments"
  ;;
*) echo "restore-verify: unknown step $1" >&2; exit 2 ;;
esac
