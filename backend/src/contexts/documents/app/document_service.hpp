// SPDX-License-Identifier: Apache-2.0
// Documents in a patient's file. Upload: the bytes' type is sniffed against the allow-list,
// hashed (SHA-256) and encrypted with a fresh key per document (XChaCha20-Poly1305
// secretstream), that key sealed with the master key; the metadata row and its jobs
// (thumbnail, notifications) are written together. Read: the content is decrypted and its
// hash verified before a single byte is sent. Access (DESIGN §1): care staff upload and list;
// clinical categories open only to doctors and nurses; a patient sees their own documents
// marked visible to them; administrators delete (softly). Everything is audited.
#pragma once

#include <functional>
#include <memory>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/documents/ports/ports.hpp"
#include "core/caller.hpp"
#include "platform/crypto/file_cipher.hpp"
#include "platform/crypto/sealed_box.hpp"
#include "platform/jobs/patient_export.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::documents {

struct PatientRef {
    std::string id;
    std::string primary_practitioner_id;
};
using PatientLookup = std::function<std::optional<PatientRef>(const std::string& patient_id)>;

struct UploadInput {
    std::string patient_id;
    Category category = Category::other;
    std::string title;
    std::string filename;
    std::string encounter_id;
    bool visible_to_patient = true;
};

struct DocumentPage {
    std::vector<Document> items;
    std::optional<std::pair<Timestamp, std::string>> next;
};

/// Decrypted content, read piece by piece.
class ContentReader {
public:
    virtual ~ContentReader() = default;
    virtual std::uint64_t size() const = 0;
    virtual std::size_t read(char* out, std::size_t cap) = 0;
};

/// One stored object `documents verify` found damaged.
struct IntegrityProblem {
    std::string document_id;
    std::string part;     // "content" or "thumbnail"
    std::string problem;  // "missing", "altered" (hash, size or authentication), "key" (cannot unseal)
};
struct StoreVerifyReport {
    std::size_t documents = 0, thumbnails = 0;
    std::vector<IntegrityProblem> problems;
};

inline constexpr const char* kThumbnailJob = "documents.thumbnail";
inline constexpr int kThumbnailSide = 256;

class DocumentService {
public:
    /// With `registry`, integrity failures found on reads are counted
    /// (medisecure_document_integrity_failures_total).
    DocumentService(DocumentStore& store, BlobStore& blobs, audit::AuditTrail& audit, const Clock& clock,
                    std::string master_key, PatientLookup patients, metrics::Registry* registry = nullptr);

    Result<Document> upload(const Caller& caller, UploadInput in, const crypto::ByteSource& source);
    Result<DocumentPage> list(const Caller& caller, DocumentQuery q);
    Result<Document> get(const Caller& caller, const std::string& id);
    Result<std::unique_ptr<ContentReader>> open(const Caller& caller, const std::string& id);
    Result<std::unique_ptr<ContentReader>> open_thumbnail(const Caller& caller, const std::string& id);
    Result<Document> remove(const Caller& caller, const std::string& id);

    /// The thumbnail job: decrypt, scale, encrypt, attach. Idempotent.
    jobs::Outcome make_thumbnail(const std::string& document_id, Thumbnailer& thumbnailer);
    /// Reads every stored object back (deleted documents' too): each content decrypted and its
    /// SHA-256 and size compared, each thumbnail decrypted (authenticated). `progress` is told how
    /// many documents were checked. Throws BlobStoreUnavailable when the store cannot be reached.
    /// Audited once (documents.verify: the counts, and the ids of the damaged documents).
    StoreVerifyReport verify_store(const Caller& caller, const std::function<void(std::size_t)>& progress = {});
    /// For the patient's data export: every document, decrypted and verified.
    std::vector<std::pair<Document, std::string>> all_contents(const std::string& patient_id);

    static bool may_upload(const Caller& c, const std::string& patient_id, Category category);
    static bool may_list(const Caller& c, const std::string& patient_id);
    static bool may_open(const Caller& c, const Document& d);

private:
    struct Stored;
    std::string seal_key(const std::string& key, const std::string& document_id, std::string_view purpose) const;
    std::optional<std::string> unseal_key(const std::string& sealed, const std::string& document_id,
                                          std::string_view purpose) const;
    std::unique_ptr<ContentReader> reader(const std::string& blob_key, const std::string& key, std::uint64_t size);
    /// The 503 of a blob store that cannot be reached, logged and audited.
    Error store_unavailable(const Caller& caller, const char* action, const Document& d, const std::exception& e);
    /// Decrypts once to check the hash: "" when the content matches, else "missing" or "altered".
    std::string verify(const Document& d, const std::string& key);
    /// The 500 of content that failed its integrity check, logged, counted and audited.
    Error integrity_failure(const Caller& caller, const char* action, const Document& d, const std::string& what);
    Result<Document> visible(const Caller& caller, const std::string& id, const char* action);

    DocumentStore& store_;
    BlobStore& blobs_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    crypto::SealedBox box_;
    PatientLookup patients_;
    metrics::Counter* integrity_failures_ = nullptr;
};

class ThumbnailHandler final : public jobs::Handler {
public:
    ThumbnailHandler(DocumentService& service, Thumbnailer& thumbnailer) : service_(service), thumbnailer_(thumbnailer) {}
    jobs::Outcome run(const jobs::Job& job) override;

private:
    DocumentService& service_;
    Thumbnailer& thumbnailer_;
};

class DocumentExportSource final : public jobs::PatientDataSource {
public:
    explicit DocumentExportSource(DocumentService& service) : service_(service) {}
    std::string section() const override { return "documents"; }
    boost::json::value export_json(const std::string& patient_id) override;
    std::vector<jobs::ExportFile> export_files(const std::string& patient_id) override;

private:
    DocumentService& service_;
};

}  // namespace medisecure::documents
