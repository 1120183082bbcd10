#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates the documents' bucket (versioned, so an overwritten or deleted object can be restored)
# and the application's key, allowed on that bucket only; each only when missing. Compose
# (minio-init) and Kubernetes (minio-setup Job) run it with the MinIO image's `mc`.
set -euo pipefail
dir=${SECRETS_DIR:-/run/secrets}
read_secret() { tr -d '\n' <"$dir/$1"; }
MC_HOST_ms="${MINIO_URL/:\/\//://$(read_secret "${ROOT_USER_FILE:-minio_root_user}"):$(read_secret "${ROOT_PASSWORD_FILE:-minio_root_password}")@}"
export MC_HOST_ms
bucket=${MINIO_BUCKET:?}
for i in $(seq 1 60); do
  if mc ready ms >/dev/null 2>&1; then break; fi
  if [ "$i" = 60 ]; then echo "minio-setup: MinIO not ready after 120 s" >&2; exit 1; fi
  sleep 2
done
mc mb --ignore-existing "ms/$bucket"
mc version enable "ms/$bucket"
policy=$(mktemp)
cat >"$policy" <<JSON
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], "Resource": ["arn:aws:s3:::$bucket"]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], "Resource": ["arn:aws:s3:::$bucket/*"]}]}
JSON
mc admin policy create ms medisecure-documents "$policy"
key=$(read_secret "${APP_KEY_FILE:-s3_access_key_id}")
if ! mc admin user info ms "$key" >/dev/null 2>&1; then
  mc admin user add ms "$key" "$(read_secret "${APP_SECRET_FILE:-s3_secret_access_key}")"
fi
mc admin policy attach ms medisecure-documents --user "$key" 2>/dev/null || true
echo "minio-setup: bucket $bucket and its key ready"
