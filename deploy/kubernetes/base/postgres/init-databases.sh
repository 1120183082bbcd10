#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d, Compose
# and Kubernetes): the application's role, not a superuser, and one database per context it owns.
set -euo pipefail
app_password=$(cat "${POSTGRES_APP_PASSWORD_FILE:?}")
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v pw="$app_password" <<'SQL'
CREATE ROLE medisecure LOGIN PASSWORD :'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE;
SQL
for ctx in identity patients audit records documents notifications; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE ms_$ctx OWNER medisecure ENCODING 'UTF8' TEMPLATE template0"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "ms_$ctx" \
    -c "REVOKE ALL ON DATABASE ms_$ctx FROM PUBLIC" -c "ALTER SCHEMA public OWNER TO medisecure"
done
