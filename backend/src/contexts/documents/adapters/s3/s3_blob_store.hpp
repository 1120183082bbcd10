// SPDX-License-Identifier: Apache-2.0
// Blobs as objects in an S3 bucket (MinIO, Ceph, Swift's s3api, AWS), over libcurl with AWS
// Signature V4 (curl's CURLOPT_AWS_SIGV4). What reaches the bucket is already encrypted by the
// document service (per-document keys); object keys are the random names new_key() makes.
//
// Streamed both ways, never a whole document in memory: a writer keeps at most one part
// (`part_bytes`, at least 5 MiB as S3 requires) and sends an object that outgrows it as a
// multipart upload, aborted when the writer is dropped without commit (nothing half-written
// stays); a reader fetches the object a range at a time. Every request has timeouts and is tried
// again, with backoff, after a connection error or a 5xx (up to `attempts` in all).
//
// Blocking: yes (network). Thread safety: safe (a curl handle per request). PHI: none (ciphertext).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "contexts/documents/ports/ports.hpp"

namespace medisecure::documents {

struct S3Target {
    std::string bucket;
    std::string endpoint;  // scheme://host[:port], e.g. https://minio.internal:9000
    std::string region = "us-east-1";
    bool path_style = true;  // endpoint/bucket/key; false: bucket.host/key
    std::string access_key_id, secret_access_key;
    std::string ca_file;  // empty: the system's CAs
};

/// Parses `s3://bucket?endpoint=https://host:9000&region=…&path_style=1[&ca_file=…]`. Credentials
/// are not in the URL (settings of their own). Returns nullopt and sets `error` otherwise.
std::optional<S3Target> parse_s3_url(std::string_view url, std::string* error = nullptr);

struct S3Options {
    std::size_t part_bytes = 8 << 20;         // multipart above this; S3's minimum part is 5 MiB
    std::size_t range_bytes = 1 << 20;        // a reader's GET range
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::seconds request_timeout{60};  // per request (a part, a range)
    int attempts = 3;
    std::chrono::milliseconds backoff{200};  // doubled after each failed attempt
};

/// The store cannot be reached, or refused a request (a wrong secret: 403).
struct S3Error : BlobStoreUnavailable {
    using BlobStoreUnavailable::BlobStoreUnavailable;
};

class S3BlobStore final : public BlobStore {
public:
    S3BlobStore(S3Target target, S3Options options = {});
    std::string new_key() override;
    std::unique_ptr<BlobWriter> create(const std::string& key) override;
    std::unique_ptr<BlobReader> open(const std::string& key) override;
    void remove(const std::string& key) override;
    bool ping() override;

    struct Response {
        long status = 0;
        std::string body;
        std::string etag;
        std::optional<std::uint64_t> content_length;
    };
    /// One signed request (tried again on connection errors and 5xx). `query` must be in S3's
    /// canonical form (keys sorted, values percent-encoded). `body` may be empty.
    Response request(const std::string& method, const std::string& key, const std::string& query,
                     std::string_view body = {}, const std::string& range = {});

private:
    std::string url_of(const std::string& key, const std::string& query) const;
    S3Target target_;
    S3Options opt_;
};

}  // namespace medisecure::documents
