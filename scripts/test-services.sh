# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Sourced by scripts/test.sh (make test) and scripts/sanitize.sh (make sanitize): starts the real
# servers the integration tests need on loopback and exports their MEDISECURE_TEST_* variables;
# appends each one started to the caller's `started` array, which the caller's EXIT trap stops
# (scripts/services/NAME.sh stop). Under CI=true a server that cannot start fails the run;
# elsewhere its tests skip and say why.

# start_service NAME LABEL: starts scripts/services/NAME.sh and leaves what it printed in
# $service_out; when it cannot start, fails the run under CI=true, else says its tests will skip.
service_out=
start_service() {
  if service_out=$(scripts/services/"$1".sh start); then
    started+=("$1")
    return 0
  fi
  if [ "${CI:-}" = true ]; then
    echo "test: $2 could not start, and CI requires it" >&2
    exit 1
  fi
  echo "test: $2 could not start; its tests will skip" >&2
  return 1
}

if start_service postgres PostgreSQL; then
  export MEDISECURE_TEST_PG_DSN=$service_out
  echo "test: PostgreSQL on $service_out"
fi
if [ -n "${MEDISECURE_TEST_PG_DSN:-}" ] && start_service pgbouncer PgBouncer; then
  export MEDISECURE_TEST_PGBOUNCER_URL=$service_out
  echo "test: PgBouncer (transaction pooling) on $service_out"
fi
if MS_MARIADB_FRESH=1 start_service mariadb MariaDB; then
  export MEDISECURE_TEST_MARIADB_URL=$service_out
  echo "test: MariaDB on ${service_out##*@} (password generated)"
fi
if start_service smtp "the SMTP sink"; then
  export MEDISECURE_TEST_SMTP_URL=${service_out%% *} MEDISECURE_TEST_SMTP_MAILDIR=${service_out#* }
  echo "test: SMTP sink on $MEDISECURE_TEST_SMTP_URL"
fi
if start_service redis Redis; then
  export MEDISECURE_TEST_REDIS_URL=$service_out
  echo "test: Redis on ${service_out##*@} (password generated)"
fi
# An S3 server that verifies Signature V4 (Swift's s3api), for the blob-store contract.
if start_service swift "Swift (S3)"; then
  read -r s3_endpoint s3_region s3_key s3_secret <<<"$service_out"
  export MEDISECURE_TEST_S3_URL="s3://medisecure-test?endpoint=$s3_endpoint&region=$s3_region"
  export MEDISECURE_TEST_S3_ACCESS_KEY_ID=$s3_key MEDISECURE_TEST_S3_SECRET_ACCESS_KEY=$s3_secret
  echo "test: Swift (S3, SigV4 verified) on $s3_endpoint"
fi
# RabbitMQ takes seconds to start: once per run, fresh (no queue left by an earlier run).
if MS_RABBITMQ_FRESH=1 start_service rabbitmq RabbitMQ; then
  export MEDISECURE_TEST_RABBITMQ_URL=$service_out
  echo "test: RabbitMQ on ${service_out##*@} (password generated)"
fi

# Debian has no MongoDB: a test double (no isolation; real servers via MEDISECURE_TEST_MONGO_URL).
if start_service mongo-double "the MongoDB test double"; then
  export MEDISECURE_TEST_MONGO_DOUBLE_URL=$service_out
  echo "test: MongoDB test double on $service_out"
fi

