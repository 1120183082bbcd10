#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the configuration of one Redis member and its Sentinel into /conf (an emptyDir: Sentinel
# rewrites its own file). The master is whichever a running Sentinel names; with none running
# (first start of the set), redis-0. Every member and Sentinel announces its stable DNS name.
set -eu
index=${POD_INDEX:?}
domain=redis.${NAMESPACE:?}.svc.cluster.local
self=redis-$index.$domain
password=$(cat /run/secrets/redis/password)

master=
for i in 0 1 2; do
  if [ "$i" = "$index" ]; then continue; fi
  answer=$(redis-cli -h "redis-$i.$domain" -p 26379 --raw sentinel get-master-addr-by-name medisecure 2>/dev/null | head -n 1 || true)
  if [ -n "$answer" ]; then master=$answer; break; fi
done
if [ -z "$master" ]; then master=redis-0.$domain; fi

umask 077
{
  echo "port 6379"
  echo "dir /data"
  echo "appendonly yes"
  echo "appendfsync everysec"
  echo "maxmemory 768mb"
  echo "maxmemory-policy volatile-lru"
  echo "requirepass $password"
  echo "masterauth $password"
  echo "replica-announce-ip $self"
  if [ "$master" != "$self" ]; then echo "replicaof $master 6379"; fi
} >/conf/redis.conf
{
  echo "port 26379"
  echo "dir /tmp"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $self"
  echo "sentinel monitor medisecure $master 6379 2"
  echo "sentinel auth-pass medisecure $password"
  echo "sentinel down-after-milliseconds medisecure 5000"
  echo "sentinel failover-timeout medisecure 60000"
  echo "sentinel parallel-syncs medisecure 1"
} >/conf/sentinel.conf
echo "redis-init: $self, master $master"
