#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts one member of the MariaDB StatefulSet: mariadb-0 is the primary, every other member a
# read-only replica of it (GTID, semi-synchronous), set up by the image's entrypoint on first
# start (MARIADB_MASTER_HOST). The entrypoint creates the database and users on every member
# without writing them to the binary log, so replicas create their own. Every member logs binary changes and has semi-sync on both sides,
# so that a replica promoted by hand (README-HA.md) is a primary at once.
set -euo pipefail
index=${POD_INDEX:?POD_INDEX comes from the pod-index label}
args=(
  --server-id=$((100 + index))
  --log-bin=mariadb-bin --log-basename=mariadb --binlog-format=ROW
  --gtid-strict-mode=ON --log-slave-updates=ON
  --rpl-semi-sync-master-enabled=ON --rpl-semi-sync-slave-enabled=ON
  --rpl-semi-sync-master-timeout=10000
  --character-set-server=utf8mb4 --collation-server=utf8mb4_bin
  --transaction-isolation=READ-COMMITTED
  --innodb-buffer-pool-size=512M --max-connections=400
  --skip-name-resolve
)
if [ "$index" != 0 ]; then
  export MARIADB_MASTER_HOST=${PRIMARY_HOST:?}
  args+=(--read-only=ON)
fi
exec docker-entrypoint.sh mariadbd "${args[@]}"
