#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An S3 server on loopback for the tests that verifies AWS Signature V4: Debian's OpenStack Swift
# (2.30) with its s3api middleware and tempauth, one device, rings with 1 replica, and a private
# memcached. The secret is generated at the first start (hex, mode 0600 in the state directory)
# and reused; so are the rings and the data, as long as the state directory exists.
#   swift.sh start  -> prints "http://127.0.0.1:<port> us-east-1 test:tester <secret>" on stdout
#                      (endpoint, region, access key, secret key), once the proxy answers
#                      /healthcheck and a SigV4-signed bucket creation succeeds (and a request
#                      signed with a wrong secret gets 403)
#   swift.sh stop   (only what this script started, by PID)
# MS_SWIFT_PORT (the S3 endpoint, the proxy; default 58080), MS_SWIFT_ACCOUNT_PORT (58081),
# MS_SWIFT_CONTAINER_PORT (58082), MS_SWIFT_OBJECT_PORT (58083), MS_SWIFT_MEMCACHED_PORT (58211),
# all on 127.0.0.1; MS_SWIFT_BUCKET (default medisecure-test), a bucket that start creates;
# MS_SWIFT_NAME gives a second server a state directory of its own. The servers run as the
# caller. Takes some 5-25 s to start (the first start also builds the rings).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${MS_SERVICES_DIR:-$(pwd)/build/services}/swift${MS_SWIFT_NAME:+-$MS_SWIFT_NAME}
port=${MS_SWIFT_PORT:-58080}
account_port=${MS_SWIFT_ACCOUNT_PORT:-58081}
container_port=${MS_SWIFT_CONTAINER_PORT:-58082}
object_port=${MS_SWIFT_OBJECT_PORT:-58083}
memcached_port=${MS_SWIFT_MEMCACHED_PORT:-58211}
bucket=${MS_SWIFT_BUCKET:-medisecure-test}
region=us-east-1
access_key=test:tester
# Swift is Debian's python3-swift: /usr/bin/python3 first on PATH (a pyenv python3 shadows it).
export PATH=/usr/bin:$PATH
empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
user=$(id -un)
servers=(proxy account container object)  # the order stop ends them in; memcached last

# The PID files hold "PID STARTTIME" (field 22 of /proc/PID/stat), so that stop never ends a
# process that merely got a recorded PID again.
starttime() {  # starttime PID: the process's start time, or nothing when it does not exist
  local st f
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  st=${st##*) }  # the fields after the command name, in parentheses: state is the first
  read -r -a f <<<"$st"
  echo "${f[19]}"
}

ours() {  # ours PIDFILE: the process PIDFILE names runs (not a zombie), the one we started
  local pid start st
  [ -s "$1" ] || return 1
  read -r pid start <"$1" || true
  if [ -z "$pid" ] || [ -z "${start:-}" ]; then return 1; fi
  st=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  st=${st##*) }
  if [ "${st:0:1}" = Z ]; then return 1; fi
  [ "$(starttime "$pid")" = "$start" ]
}

stop_pid() {  # stop_pid PIDFILE: SIGTERM, SIGKILL after 10 s; removes PIDFILE
  [ -f "$1" ] || return 0
  local pid
  if ours "$1"; then
    read -r pid _ <"$1"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      if ! ours "$1"; then break; fi
      sleep 0.1
    done
    if ours "$1"; then
      echo "swift.sh: PID $pid did not exit in 10 s: killed" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1"
}

stop() {
  for s in "${servers[@]}" memcached; do stop_pid "$dir/run/$s.pid"; done
}

launch() {  # launch NAME CMD...: CMD in the background, output in log/NAME.log, PID in run/NAME.pid
  local name=$1
  shift
  "$@" </dev/null >"$dir/log/$name.log" 2>&1 &
  echo "$! $(starttime "$!")" >"$dir/run/$name.pid"
}

listening() {  # listening PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

fail() {  # fail MESSAGE: the message and the logs on stderr, everything started ended, exit 1
  echo "swift.sh: $1" >&2
  for f in rings memcached "${servers[@]}" curl; do
    f=$dir/log/$f.log
    if [ -s "$f" ]; then
      echo "--- $f" >&2
      tail -40 "$f" >&2
    fi
  done
  if [ -s "$dir/s3.out" ]; then
    echo "--- last S3 response" >&2
    cat "$dir/s3.out" >&2
    echo >&2
  fi
  stop
  exit 1
}

s3() {  # s3 NETRC METHOD PATH: a SigV4-signed request with an empty body; prints the HTTP status
  curl -sS --max-time 10 -o "$dir/s3.out" -w '%{http_code}' --aws-sigv4 "aws:amz:$region:s3" \
    --netrc-file "$1" -X "$2" -H "x-amz-content-sha256: $empty_sha256" "http://127.0.0.1:$port$3" \
    2>>"$dir/log/curl.log" || true
}

server_conf() {  # server_conf NAME PORT: the configuration of an account/container/object server
  cat <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
mount_check = false
devices = $dir/devices
swift_dir = $dir/etc
recon_cache_path = $dir/cache
user = $user
log_name = $1-server

[pipeline:main]
pipeline = $1-server

[app:$1-server]
use = egg:swift#$1
CONF
}

build_rings() {  # the three rings, with 1 replica on device d1; rebuilt when a port changed
  local stamp="$account_port $container_port $object_port" tmp
  if [ "$(cat "$dir/etc/rings.ports" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  tmp=$dir/etc/rings.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  : >"$dir/log/rings.log"
  for ring in account:"$account_port" container:"$container_port" object:"$object_port"; do
    # rebalance exits 1 on a mere warning; the ring file is what counts.
    if ! { swift-ring-builder "$tmp/${ring%:*}.builder" create 10 1 1 &&
      swift-ring-builder "$tmp/${ring%:*}.builder" add "r1z1-127.0.0.1:${ring#*:}/d1" 100 &&
      { swift-ring-builder "$tmp/${ring%:*}.builder" rebalance || [ $? -eq 1 ]; } &&
      [ -s "$tmp/${ring%:*}.ring.gz" ]; } >>"$dir/log/rings.log" 2>&1; then
      fail "could not build the ${ring%:*} ring:"
    fi
  done
  mv -f "$tmp"/*.builder "$tmp"/*.ring.gz "$dir/etc/"
  rm -rf "$tmp"
  echo "$stamp" >"$dir/etc/rings.ports"
}

case "${1:-}" in
  start)
    for b in swift-proxy-server swift-account-server swift-container-server swift-object-server swift-ring-builder memcached; do
      if ! command -v "$b" >/dev/null; then
        echo "swift.sh: $b is not installed (scripts/deps.sh test)" >&2
        exit 1
      fi
    done
    stop
    mkdir -p "$dir/etc" "$dir/devices/d1" "$dir/cache" "$dir/log" "$dir/run"
    rm -f "$dir"/log/*.log "$dir/s3.out"

    # Swift reads its hash settings (swift_hash_path_suffix/prefix) only from
    # /etc/swift/swift.conf: no option or environment variable points it elsewhere. When that
    # file does not exist, this script CREATES it, with generated values; an existing one (the
    # swift package ships one) is left exactly as it is.
    if [ ! -e /etc/swift/swift.conf ]; then
      if ! { mkdir -p /etc/swift &&
        printf '[swift-hash]\n# Created by MediSecure scripts/services/swift.sh\nswift_hash_path_suffix = %s\nswift_hash_path_prefix = %s\n' \
          "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
          "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >/etc/swift/swift.conf.medisecure &&
        chmod 0644 /etc/swift/swift.conf.medisecure &&
        mv /etc/swift/swift.conf.medisecure /etc/swift/swift.conf; } 2>"$dir/log/swift-conf.log"; then
        echo "swift.sh: /etc/swift/swift.conf is missing and could not be created (needs root):" >&2
        cat "$dir/log/swift-conf.log" >&2
        exit 1
      fi
      echo "swift.sh: created /etc/swift/swift.conf (Swift reads its hash settings only there)" >&2
    fi

    # The object server keeps its metadata in user xattrs.
    if ! /usr/bin/python3 -c 'import os, sys
os.setxattr(sys.argv[1], "user.medisecure.check", b"1")
os.removexattr(sys.argv[1], "user.medisecure.check")' "$dir/devices/d1" 2>"$dir/log/xattr.log"; then
      echo "swift.sh: the file system of $dir/devices does not support user xattrs, which Swift needs;" \
        "set MS_SERVICES_DIR to a directory on ext4/xfs:" >&2
      cat "$dir/log/xattr.log" >&2
      exit 1
    fi

    if [ ! -s "$dir/secret" ]; then
      (umask 077; head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/secret")
    fi
    secret=$(cat "$dir/secret")
    # The secret goes in files of mode 0600 (the proxy's configuration, curl's netrc), not on a
    # command line.
    (umask 077; printf 'machine 127.0.0.1 login %s password %s\n' "$access_key" "$secret" >"$dir/netrc")
    (umask 077; printf 'machine 127.0.0.1 login %s password wrong%s\n' "$access_key" "$secret" >"$dir/netrc.wrong")
    (umask 077
      server_conf account "$account_port" >"$dir/etc/account-server.conf"
      server_conf container "$container_port" >"$dir/etc/container-server.conf"
      server_conf object "$object_port" >"$dir/etc/object-server.conf"
      cat >"$dir/etc/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
swift_dir = $dir/etc
recon_cache_path = $dir/cache
user = $user
log_name = proxy-server

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcached_port

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:s3api]
use = egg:swift#s3api
location = $region

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $secret .admin

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo
CONF
    )
    build_rings

    for p in "$port" "$account_port" "$container_port" "$object_port" "$memcached_port"; do
      if listening "$p"; then echo "swift.sh: port $p is in use, not by this script" >&2; exit 1; fi
    done

    # memcached in the foreground, so that its PID is the one $! gives; -u is required as root.
    as_user=()
    if [ "$(id -u)" -eq 0 ]; then as_user=(-u "$user"); fi
    launch memcached memcached "${as_user[@]}" -l 127.0.0.1 -p "$memcached_port" -U 0 -t 1 -m 64
    # Each server in one process (workers = 0), in the foreground; --verbose keeps its log on
    # stderr (without it Swift closes stdio and logs to syslog only).
    for s in account container object proxy; do
      launch "$s" "swift-$s-server" "$dir/etc/$s-server.conf" --verbose
    done

    start=$SECONDS
    up=
    while [ $((SECONDS - start)) -lt 60 ]; do
      for s in "${servers[@]}" memcached; do
        if ! ours "$dir/run/$s.pid"; then fail "the $s server exited while starting:"; fi
      done
      if listening "$memcached_port" && listening "$account_port" && listening "$container_port" &&
        listening "$object_port" && curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$port/healthcheck"; then
        up=1
        break
      fi
      sleep 0.2
    done
    [ -n "$up" ] || fail "Swift did not answer /healthcheck in 60 s:"

    # S3 works: the bucket is created (or is already ours) with a SigV4-signed request, listed,
    # and a request signed with a wrong secret is refused. The first request may meet a backend
    # not quite ready (503): retried until the deadline.
    created=
    while [ $((SECONDS - start)) -lt 60 ]; do
      status=$(s3 "$dir/netrc" PUT "/$bucket")
      if [ "$status" = 200 ] || { [ "$status" = 409 ] && grep -q BucketAlreadyOwnedByYou "$dir/s3.out"; }; then
        created=1
        break
      fi
      sleep 0.5
    done
    [ -n "$created" ] || fail "a SigV4-signed PUT of bucket $bucket did not succeed (HTTP $status):"
    status=$(s3 "$dir/netrc" GET "/$bucket")
    if [ "$status" != 200 ] || ! grep -q ListBucketResult "$dir/s3.out"; then
      fail "a SigV4-signed listing of bucket $bucket did not succeed (HTTP $status):"
    fi
    status=$(s3 "$dir/netrc.wrong" GET "/$bucket")
    if [ "$status" != 403 ] || ! grep -q SignatureDoesNotMatch "$dir/s3.out"; then
      fail "a request signed with a wrong secret was not refused with 403 SignatureDoesNotMatch (HTTP $status):"
    fi
    rm -f "$dir/s3.out"
    echo "http://127.0.0.1:$port $region $access_key $secret"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
