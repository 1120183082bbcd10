# syntax=docker/dockerfile:1
# SPDX-License-Identifier: Apache-2.0
# The tools the backup and restore-verification Jobs add to the engines' own images: age (the
# archives are encrypted to a recipient key; only the restore side holds the identity) and
# rclone (the off-site S3 target, and the mirror of the documents' bucket). Debian 12 packages,
# an unprivileged user, nothing written outside the mounted volumes.
#   docker build -f deploy/docker/backup.Dockerfile -t medisecure/backup:0.1.0 .
FROM debian:12.8-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends age rclone ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 medisecure \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin medisecure
COPY deploy/backup/backup.sh deploy/backup/restore-verify.sh /usr/local/bin/
USER 10001:10001
# A Job's container: it runs to completion, nothing to check while it does.
HEALTHCHECK NONE
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/backup.sh"]
