// SPDX-License-Identifier: Apache-2.0
// The documents context's ports: metadata storage (SQL), the blob store holding encrypted
// content (a local directory here; MinIO/S3 in production), and image thumbnails.
// Blocking: yes, all of them. Thread safety: safe. PHI: metadata and (encrypted) content.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "contexts/documents/domain/document.hpp"
#include "core/error.hpp"
#include "platform/jobs/job.hpp"

namespace medisecure::documents {

struct DocumentQuery {
    std::string patient_id;
    std::optional<Category> category;
    bool include_deleted = false;
    bool only_visible_to_patient = false;
    std::optional<Timestamp> before;  // uploaded_at cursor, newest first
    std::string before_id;
    int limit = 50;
};

class DocumentStore {
public:
    virtual ~DocumentStore() = default;
    /// Inserts the metadata and queues `jobs` (outbox) in the same transaction.
    virtual void insert(const Document& d, const std::vector<jobs::JobRequest>& jobs, Timestamp now) = 0;
    virtual std::optional<Document> find(const std::string& id) = 0;
    virtual std::vector<Document> list(const DocumentQuery& q) = 0;
    /// Stores `d` when the stored version is d.version - 1; false otherwise.
    virtual bool update(const Document& d) = 0;
    /// Every document (deleted ones too) whose id sorts after `after_id`, at most `limit`, by id:
    /// for walking the whole store (`documents verify`).
    virtual std::vector<Document> after(const std::string& after_id, int limit) = 0;
    virtual bool ping() = 0;
};

class BlobWriter {
public:
    virtual ~BlobWriter() = default;
    virtual void write(const char* data, std::size_t n) = 0;
    /// Makes the object visible; without it, nothing is kept.
    virtual void commit() = 0;
};

class BlobReader {
public:
    virtual ~BlobReader() = default;
    virtual std::size_t read(char* out, std::size_t cap) = 0;  // 0 at the end
};

/// The blob store cannot be reached or refused a request: the API answers 503.
struct BlobStoreUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Keys are opaque random names: nothing on disk or in a bucket says whose or what it is.
class BlobStore {
public:
    virtual ~BlobStore() = default;
    virtual std::string new_key() = 0;
    virtual std::unique_ptr<BlobWriter> create(const std::string& key) = 0;
    /// nullptr when the object does not exist.
    virtual std::unique_ptr<BlobReader> open(const std::string& key) = 0;
    virtual void remove(const std::string& key) = 0;
    virtual bool ping() = 0;
};

class Thumbnailer {
public:
    virtual ~Thumbnailer() = default;
    /// A PNG at most `max_side` pixels wide and high; invalid_input for undecodable or
    /// oversized images.
    virtual Result<std::string> png_thumbnail(std::string_view image, int max_side) = 0;
};

}  // namespace medisecure::documents
