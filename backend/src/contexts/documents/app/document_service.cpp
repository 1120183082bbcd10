// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/app/document_service.hpp"

#include <boost/json.hpp>

#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

namespace medisecure::documents {
namespace json = boost::json;
using audit::Outcome;

namespace {

Error document_not_found() { return not_found("document_not_found", "No such document."); }

/// Decrypts a blob as it is read.
class BlobContent final : public ContentReader {
public:
    BlobContent(std::unique_ptr<BlobReader> blob, const std::string& key, std::uint64_t size)
        : blob_(std::move(blob)), size_(size),
          dec_(key, [this](char* p, std::size_t n) { return blob_->read(p, n); }) {}
    std::uint64_t size() const override { return size_; }
    std::size_t read(char* out, std::size_t cap) override { return dec_.read(out, cap); }

private:
    std::unique_ptr<BlobReader> blob_;
    std::uint64_t size_;
    crypto::StreamDecryptor dec_;
};

}  // namespace

DocumentService::DocumentService(DocumentStore& store, BlobStore& blobs, audit::AuditTrail& audit, const Clock& clock,
                                 std::string master_key, PatientLookup patients, metrics::Registry* registry)
    : store_(store), blobs_(blobs), audit_(audit), clock_(clock),
      box_(crypto::derive_key(master_key, "medisecure document keys v1")), patients_(std::move(patients)),
      integrity_failures_(registry ? &registry->counter("medisecure_document_integrity_failures_total",
                                                         "Documents whose stored content failed its integrity check when read")
                                   : nullptr) {}

bool DocumentService::may_upload(const Caller& c, const std::string& patient_id, Category category) {
    if (c.is(Role::patient)) return c.patient_id == patient_id && category != Category::prescription;
    return c.any_of({Role::doctor, Role::nurse, Role::secretary, Role::system});
}

bool DocumentService::may_list(const Caller& c, const std::string& patient_id) {
    if (c.is(Role::patient)) return c.patient_id == patient_id;
    return c.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::system});
}

bool DocumentService::may_open(const Caller& c, const Document& d) {
    if (c.is(Role::patient)) return c.patient_id == d.patient_id && d.visible_to_patient;
    if (c.any_of({Role::doctor, Role::nurse, Role::system})) return true;
    if (c.any_of({Role::secretary, Role::admin})) return !is_clinical(d.category);
    return false;
}

std::string DocumentService::seal_key(const std::string& key, const std::string& id, std::string_view purpose) const {
    return box_.seal(key, id + "/" + std::string(purpose));
}

std::optional<std::string> DocumentService::unseal_key(const std::string& sealed, const std::string& id,
                                                       std::string_view purpose) const {
    return box_.open(sealed, id + "/" + std::string(purpose));
}

Error DocumentService::store_unavailable(const Caller& caller, const char* action, const Document& d,
                                         const std::exception& e) {
    log::error("documents.store_unavailable", {{"action", action}, {"document_id", d.id}, {"error", e.what()}});
    audit_.record(caller, {action, "document", d.id, d.patient_id, Outcome::error, "store_unavailable"});
    return Error{ErrorKind::unavailable, "document_store_unavailable",
                 "The document store cannot be reached at the moment; try again shortly."};
}

std::unique_ptr<ContentReader> DocumentService::reader(const std::string& blob_key, const std::string& key, std::uint64_t size) {
    auto blob = blobs_.open(blob_key);
    if (!blob) throw std::runtime_error("document content missing from the blob store");
    return std::make_unique<BlobContent>(std::move(blob), key, size);
}

std::string DocumentService::verify(const Document& d, const std::string& key) {
    try {
        auto blob = blobs_.open(d.blob_key);
        if (!blob) {
            log::error("documents.integrity", {{"document_id", d.id}, {"part", "content"}, {"problem", "missing"}});
            return "missing";
        }
        BlobContent r(std::move(blob), key, d.size);
        crypto::Sha256 h;
        std::vector<char> buf(64 * 1024);
        std::uint64_t total = 0;
        while (auto n = r.read(buf.data(), buf.size())) {
            h.update(buf.data(), n);
            total += n;
        }
        if (total == d.size && crypto::constant_time_equal(h.hex_digest(), d.sha256)) return "";
        log::error("documents.integrity", {{"document_id", d.id}, {"part", "content"}, {"problem", "altered"}});
    } catch (const BlobStoreUnavailable&) {
        throw;  // not the document's fault: the caller answers 503
    } catch (const std::exception& e) {
        // The decryption refused the bytes (authentication failed, or the stream was cut).
        log::error("documents.integrity", {{"document_id", d.id}, {"part", "content"}, {"problem", "altered"}, {"error", e.what()}});
    }
    return "altered";
}

Error DocumentService::integrity_failure(const Caller& caller, const char* action, const Document& d, const std::string& what) {
    if (integrity_failures_) integrity_failures_->inc();
    audit_.record(caller, {action, "document", d.id, d.patient_id, Outcome::error, "integrity:" + what});
    return Error{ErrorKind::data_corrupted, "document_integrity",
                 "The stored content of this document failed its integrity check; the operators have been alerted "
                 "(`medisecure documents verify`)."};
}

StoreVerifyReport DocumentService::verify_store(const Caller& caller, const std::function<void(std::size_t)>& progress) {
    StoreVerifyReport report;
    std::string after;
    for (;;) {
        auto page = store_.after(after, 500);
        if (page.empty()) break;
        after = page.back().id;
        for (const auto& d : page) {
            ++report.documents;
            auto key = unseal_key(d.wrapped_key, d.id, "content");
            std::string what = key ? verify(d, *key) : "key";
            if (!what.empty()) report.problems.push_back({d.id, "content", what});
            if (!d.thumbnail_blob_key.empty()) {
                ++report.thumbnails;
                auto tkey = unseal_key(d.thumbnail_wrapped_key, d.id, "thumbnail");
                std::string t = tkey ? "" : "key";
                if (tkey) {
                    auto blob = blobs_.open(d.thumbnail_blob_key);
                    if (!blob) {
                        t = "missing";
                    } else {
                        try {
                            BlobContent r(std::move(blob), *tkey, 0);
                            std::vector<char> buf(64 * 1024);
                            while (r.read(buf.data(), buf.size()) > 0) {
                            }
                        } catch (const BlobStoreUnavailable&) {
                            throw;
                        } catch (const std::exception&) {
                            t = "altered";
                        }
                    }
                }
                if (!t.empty()) report.problems.push_back({d.id, "thumbnail", t});
            }
            if (progress) progress(report.documents);
        }
    }
    std::string detail = "documents=" + std::to_string(report.documents) + " thumbnails=" + std::to_string(report.thumbnails) +
                         " problems=" + std::to_string(report.problems.size());
    for (std::size_t i = 0; i < report.problems.size() && i < 20; ++i)
        detail += " " + report.problems[i].document_id + ":" + report.problems[i].part + ":" + report.problems[i].problem;
    audit_.record(caller, {"documents.verify", "document", "", "", report.problems.empty() ? Outcome::success : Outcome::error,
                           detail});
    return report;
}

Result<Document> DocumentService::upload(const Caller& caller, UploadInput in, const crypto::ByteSource& source) {
    if (!may_upload(caller, in.patient_id, in.category)) {
        audit_.record(caller, {"document.upload", "document", "", in.patient_id, Outcome::denied, ""});
        if (caller.is(Role::patient) && caller.patient_id != in.patient_id) return not_found("patient_not_found", "No such patient.");
        return forbidden("role_not_allowed", "Your role does not allow uploading this document.");
    }
    auto patient = patients_(in.patient_id);
    if (!patient) return not_found("patient_not_found", "No such patient.");
    in.title = trim(in.title);

    // The first bytes decide the type; the name and the declared type are not trusted.
    std::string head(64 * 1024, '\0');
    std::size_t got = 0;
    while (got < head.size()) {
        auto n = source(head.data() + got, head.size() - got);
        if (n == 0) break;
        got += n;
    }
    head.resize(got);
    auto kind = sniff(head);
    if (!kind) {
        audit_.record(caller, {"document.upload", "document", "", in.patient_id, Outcome::failure, "type_not_allowed"});
        return Error{ErrorKind::unsupported_media_type, "document_type_not_allowed",
                     "Only PDF, JPEG, PNG, DICOM and plain text documents are accepted."};
    }

    auto now = clock_.now();
    Document d;
    d.id = new_uuid_v7(now);
    d.patient_id = in.patient_id;
    d.category = in.category;
    d.title = in.title;
    d.filename = safe_filename(in.filename.empty() ? in.title : in.filename, *kind);
    d.kind = *kind;
    d.encounter_id = in.encounter_id;
    d.visible_to_patient = caller.is(Role::patient) ? true : in.visible_to_patient;
    d.uploaded_by = caller.user_id;
    d.uploaded_by_role = caller.role;
    d.uploaded_at = now;
    d.blob_key = blobs_.new_key();
    std::string key = crypto::new_file_key();
    d.wrapped_key = seal_key(key, d.id, "content");

    crypto::Sha256 hash;
    try {
        // Dropped before its commit (an exception), the writer leaves nothing in the store.
        auto writer = blobs_.create(d.blob_key);
        crypto::StreamEncryptor enc(key, [&](const char* p, std::size_t n) { writer->write(p, n); });
        auto feed = [&](const char* p, std::size_t n) {
            hash.update(p, n);
            enc.write(p, n);
        };
        feed(head.data(), head.size());
        std::vector<char> buf(64 * 1024);
        while (auto n = source(buf.data(), buf.size())) feed(buf.data(), n);
        enc.finish();
        writer->commit();
        d.size = enc.plaintext_size();
    } catch (const BlobStoreUnavailable& e) {
        return store_unavailable(caller, "document.upload", d, e);
    }
    d.sha256 = hash.hex_digest();

    std::vector<jobs::JobRequest> follow;
    if (d.kind == Kind::jpeg || d.kind == Kind::png) {
        jobs::JobRequest t;
        t.type = kThumbnailJob;
        t.payload_json = json::serialize(json::object{{"document_id", d.id}});
        t.patient_id = d.patient_id;
        t.dedupe_key = "thumbnail:" + d.id;
        follow.push_back(std::move(t));
    }
    json::array recipients;
    if (d.visible_to_patient && !caller.is(Role::patient)) recipients.emplace_back("patient:" + d.patient_id);
    if (!patient->primary_practitioner_id.empty() && patient->primary_practitioner_id != caller.user_id)
        recipients.emplace_back("user:" + patient->primary_practitioner_id);
    if (!recipients.empty()) {
        jobs::JobRequest note;
        note.type = jobs::kInAppNotification;
        note.patient_id = d.patient_id;
        note.payload_json = json::serialize(json::object{
            {"recipients", std::move(recipients)},
            {"kind", d.category == Category::lab_result ? "lab_result.added" : "document.added"},
            {"data", json::object{{"document_id", d.id}, {"patient_id", d.patient_id}, {"category", to_string(d.category)}}},
            {"link", "/patients/" + d.patient_id + "/documents/" + d.id}});
        follow.push_back(std::move(note));
    }
    try {
        store_.insert(d, follow, now);
    } catch (...) {
        blobs_.remove(d.blob_key);  // no orphan content when the row could not be written
        throw;
    }
    audit_.record(caller, {"document.upload", "document", d.id, d.patient_id, Outcome::success,
                           std::string(to_string(d.category))});
    return d;
}

Result<DocumentPage> DocumentService::list(const Caller& caller, DocumentQuery q) {
    if (!may_list(caller, q.patient_id) || !patients_(q.patient_id)) {
        audit_.record(caller, {"document.list", "patient", q.patient_id, q.patient_id,
                               may_list(caller, q.patient_id) ? Outcome::not_found : Outcome::denied, ""});
        if (!caller.is(Role::patient) && !may_list(caller, q.patient_id))
            return forbidden("role_not_allowed", "Your role does not allow reading documents.");
        return not_found("patient_not_found", "No such patient.");
    }
    if (caller.is(Role::patient)) q.only_visible_to_patient = true;
    if (!caller.is(Role::admin)) q.include_deleted = false;
    int limit = std::clamp(q.limit, 1, 100);
    q.limit = limit + 1;
    DocumentPage page;
    page.items = store_.list(q);
    if (static_cast<int>(page.items.size()) > limit) {
        page.items.resize(static_cast<std::size_t>(limit));
        page.next = std::make_pair(page.items.back().uploaded_at, page.items.back().id);
    }
    audit_.record(caller, {"document.list", "patient", q.patient_id, q.patient_id, Outcome::success,
                           "results=" + std::to_string(page.items.size())});
    return page;
}

Result<Document> DocumentService::visible(const Caller& caller, const std::string& id, const char* action) {
    auto d = store_.find(id);
    bool reachable = d && (!d->deleted_at || caller.is(Role::admin)) && may_list(caller, d->patient_id);
    if (caller.is(Role::patient) && d) reachable = reachable && d->visible_to_patient;
    if (!reachable) {
        audit_.record(caller, {action, "document", id, d ? d->patient_id : "", d ? Outcome::denied : Outcome::not_found, ""});
        if (d && !caller.is(Role::patient) && !may_list(caller, d->patient_id))
            return forbidden("role_not_allowed", "Your role does not allow reading documents.");
        return document_not_found();
    }
    return *d;
}

Result<Document> DocumentService::get(const Caller& caller, const std::string& id) {
    auto d = visible(caller, id, "document.read_metadata");
    if (!d) return d;
    audit_.record(caller, {"document.read_metadata", "document", id, d->patient_id, Outcome::success, ""});
    return d;
}

Result<std::unique_ptr<ContentReader>> DocumentService::open(const Caller& caller, const std::string& id) {
    auto d = visible(caller, id, "document.read");
    if (!d) return d.error();
    if (!may_open(caller, *d)) {
        audit_.record(caller, {"document.read", "document", id, d->patient_id, Outcome::denied, "clinical"});
        return forbidden("clinical_content_restricted", "Clinical documents open to doctors and nurses only.");
    }
    auto key = unseal_key(d->wrapped_key, d->id, "content");
    try {
        if (!key) {
            log::error("documents.integrity", {{"document_id", d->id}, {"part", "content"}, {"problem", "key"}});
            return integrity_failure(caller, "document.read", *d, "key");
        }
        if (auto what = verify(*d, *key); !what.empty()) return integrity_failure(caller, "document.read", *d, what);
        auto content = reader(d->blob_key, *key, d->size);
        audit_.record(caller, {"document.read", "document", id, d->patient_id, Outcome::success, ""});
        return content;
    } catch (const BlobStoreUnavailable& e) {
        return store_unavailable(caller, "document.read", *d, e);
    }
}

Result<std::unique_ptr<ContentReader>> DocumentService::open_thumbnail(const Caller& caller, const std::string& id) {
    auto d = visible(caller, id, "document.read_thumbnail");
    if (!d) return d.error();
    if (!may_open(caller, *d)) return forbidden("clinical_content_restricted", "Clinical documents open to doctors and nurses only.");
    if (d->thumbnail_blob_key.empty()) return not_found("thumbnail_not_found", "This document has no thumbnail (yet).");
    auto key = unseal_key(d->thumbnail_wrapped_key, d->id, "thumbnail");
    if (!key) {
        log::error("documents.integrity", {{"document_id", d->id}, {"part", "thumbnail"}, {"problem", "key"}});
        return integrity_failure(caller, "document.read_thumbnail", *d, "key");
    }
    try {
        auto content = reader(d->thumbnail_blob_key, *key, 0);
        audit_.record(caller, {"document.read_thumbnail", "document", id, d->patient_id, Outcome::success, ""});
        return content;
    } catch (const BlobStoreUnavailable& e) {
        return store_unavailable(caller, "document.read_thumbnail", *d, e);
    }
}

Result<Document> DocumentService::remove(const Caller& caller, const std::string& id) {
    if (!caller.any_of({Role::admin, Role::system})) {
        audit_.record(caller, {"document.delete", "document", id, "", Outcome::denied, ""});
        if (caller.is(Role::patient)) return document_not_found();
        return forbidden("role_not_allowed", "Only administrators delete documents.");
    }
    auto d = store_.find(id);
    if (!d) return document_not_found();
    if (d->deleted_at) return *d;
    // Soft: the row and the encrypted content stay (medical records are kept for 20 years in
    // France); the document leaves every list and can no longer be opened by staff.
    d->deleted_at = clock_.now();
    d->deleted_by = caller.user_id;
    d->version += 1;
    if (!store_.update(*d)) return conflict("concurrent_change", "The document changed meanwhile; try again.");
    audit_.record(caller, {"document.delete", "document", id, d->patient_id, Outcome::success, ""});
    return *d;
}

jobs::Outcome DocumentService::make_thumbnail(const std::string& id, Thumbnailer& thumbnailer) {
    auto d = store_.find(id);
    if (!d) return jobs::Outcome::fail("document not found");
    if (!d->thumbnail_blob_key.empty()) return jobs::Outcome::ok();  // already done
    auto key = unseal_key(d->wrapped_key, d->id, "content");
    if (!key) return jobs::Outcome::fail("document key unreadable");
    std::string image;
    try {
        auto r = reader(d->blob_key, *key, d->size);
        std::vector<char> buf(64 * 1024);
        while (auto n = r->read(buf.data(), buf.size())) image.append(buf.data(), n);
    } catch (const std::exception&) {
        return jobs::Outcome::fail("document content unreadable");
    }
    auto png = thumbnailer.png_thumbnail(image, kThumbnailSide);
    if (!png) return jobs::Outcome::fail(png.error().detail);
    std::string tkey = crypto::new_file_key();
    std::string blob = blobs_.new_key();
    auto writer = blobs_.create(blob);
    crypto::StreamEncryptor enc(tkey, [&](const char* p, std::size_t n) { writer->write(p, n); });
    enc.write(png->data(), png->size());
    enc.finish();
    writer->commit();
    d->thumbnail_blob_key = blob;
    d->thumbnail_wrapped_key = seal_key(tkey, d->id, "thumbnail");
    d->version += 1;
    if (!store_.update(*d)) {
        blobs_.remove(blob);
        return jobs::Outcome::retry("document changed while its thumbnail was made");
    }
    return jobs::Outcome::ok();
}

std::vector<std::pair<Document, std::string>> DocumentService::all_contents(const std::string& patient_id) {
    std::vector<std::pair<Document, std::string>> out;
    DocumentQuery q;
    q.patient_id = patient_id;
    q.limit = 100000;
    for (auto& d : store_.list(q)) {
        auto key = unseal_key(d.wrapped_key, d.id, "content");
        if (!key || !verify(d, *key).empty()) {
            if (integrity_failures_) integrity_failures_->inc();
            continue;  // logged by verify; the export lists it without content
        }
        std::string content;
        auto r = reader(d.blob_key, *key, d.size);
        std::vector<char> buf(64 * 1024);
        while (auto n = r->read(buf.data(), buf.size())) content.append(buf.data(), n);
        out.emplace_back(std::move(d), std::move(content));
    }
    return out;
}

jobs::Outcome ThumbnailHandler::run(const jobs::Job& job) {
    boost::system::error_code ec;
    auto v = json::parse(job.payload_json, ec);
    if (ec || !v.is_object() || !v.as_object().contains("document_id")) return jobs::Outcome::fail("payload needs document_id");
    return service_.make_thumbnail(std::string(v.at("document_id").as_string()), thumbnailer_);
}

json::value DocumentExportSource::export_json(const std::string& patient_id) {
    json::array out;
    for (const auto& [d, content] : service_.all_contents(patient_id))
        out.push_back(json::object{{"id", d.id},
                                   {"category", to_string(d.category)},
                                   {"title", d.title},
                                   {"file", format_date(date_of(d.uploaded_at)) + "-" + d.filename},
                                   {"content_type", mime_type(d.kind)},
                                   {"size", d.size},
                                   {"sha256", d.sha256},
                                   {"uploaded_at", format_instant(d.uploaded_at)}});
    return out;
}

std::vector<jobs::ExportFile> DocumentExportSource::export_files(const std::string& patient_id) {
    std::vector<jobs::ExportFile> out;
    for (auto& [d, content] : service_.all_contents(patient_id))
        out.push_back({format_date(date_of(d.uploaded_at)) + "-" + d.filename, std::move(content)});
    return out;
}

}  // namespace medisecure::documents
