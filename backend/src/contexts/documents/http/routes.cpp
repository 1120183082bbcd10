// SPDX-License-Identifier: Apache-2.0
// /api/v1/patients/{id}/documents and /api/v1/documents/{id}[/content|/thumbnail].
#include "contexts/documents/http/routes.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/url.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::documents {
namespace json = boost::json;
using http::Access;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::opt;
using schema::req;
using schema::Schema;

namespace {

std::vector<std::string> categories() {
    return {"lab_result", "imaging", "letter", "prescription", "consent", "administrative", "other"};
}

const Schema& document_schema() {
    static const Schema s = Schema::named(
        "Document",
        Schema::object({
            req("id", Schema::string().format("uuid")),
            req("patient_id", Schema::string().format("uuid")),
            req("category", Schema::string().enumeration(categories())),
            req("title", Schema::string()),
            req("filename", Schema::string()),
            req("content_type", Schema::string().describe("Decided from the bytes, not from the name")),
            req("size", Schema::integer()),
            req("sha256", Schema::string().describe("Of the content; checked on every read")),
            req("encounter_id", Schema::string().nullable()),
            req("visible_to_patient", Schema::boolean()),
            req("has_thumbnail", Schema::boolean()),
            req("uploaded_by_role", Schema::string()),
            req("uploaded_at", Schema::string().format("date-time")),
            req("deleted_at", Schema::string().format("date-time").nullable()),
        }));
    return s;
}

json::object document_json(const Document& d) {
    return {{"id", d.id},
            {"patient_id", d.patient_id},
            {"category", to_string(d.category)},
            {"title", d.title},
            {"filename", d.filename},
            {"content_type", mime_type(d.kind)},
            {"size", d.size},
            {"sha256", d.sha256},
            {"encounter_id", jsonu::nullable_if_empty(d.encounter_id)},
            {"visible_to_patient", d.visible_to_patient},
            {"has_thumbnail", !d.thumbnail_blob_key.empty()},
            {"uploaded_by_role", medisecure::to_string(d.uploaded_by_role)},
            {"uploaded_at", format_instant(d.uploaded_at)},
            {"deleted_at", d.deleted_at ? json::value(format_instant(*d.deleted_at)) : json::value(nullptr)}};
}

/// Hands decrypted content to the transport.
class ContentBody final : public http::BodySource {
public:
    ContentBody(std::unique_ptr<ContentReader> r, std::optional<std::uint64_t> size) : r_(std::move(r)), size_(size) {}
    std::optional<std::uint64_t> size() const override { return size_; }
    std::size_t read(char* out, std::size_t cap) override { return r_->read(out, cap); }

private:
    std::unique_ptr<ContentReader> r_;
    std::optional<std::uint64_t> size_;
};

std::string disposition(const std::string& type, const std::string& filename) {
    // An ASCII fallback, then the exact UTF-8 name (RFC 6266 / 5987).
    std::string ascii;
    for (unsigned char c : filename) {
        if ((c & 0xc0) == 0x80) continue;  // one '_' per character, not per byte
        ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    }
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + http::percent_encode(filename);
}

}  // namespace

void add_routes(http::Router& router, DocumentService& service, std::size_t max_upload_bytes) {
    const Schema uuid = Schema::string().format("uuid");

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients/{id}/documents",
        .operation_id = "uploadDocument",
        .summary = "Upload a document to a patient's file (the raw bytes are the body)",
        .description = "Send the file itself as the request body (any Content-Type; the type is decided from the "
                       "bytes: PDF, JPEG, PNG, DICOM or plain text, else 415). The body is streamed to encrypted "
                       "storage, never held whole in memory. A patient may upload to their own file.",
        .tag = "documents",
        .access = Access::roles_of({Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, uuid, true, "Patient id"},
                   {"category", ParamIn::query, Schema::string().enumeration(categories()), true, "What it is"},
                   {"title", ParamIn::query, Schema::string().min_length(1).max_length(200), true, "Shown in lists"},
                   {"filename", ParamIn::query, Schema::string().max_length(255), false, "Original name (sanitised)"},
                   {"encounter_id", ParamIn::query, uuid, false, "The consultation it belongs to"},
                   {"visible_to_patient", ParamIn::query, Schema::boolean(), false, "Shown in the patient portal (default true)"}},
        .body = http::BodyDoc{Schema::string(), "The file's bytes", "application/octet-stream"},
        .responses = {{201, "Stored", document_schema(), "application/json", {"Location"}}},
        .errors = {415},
        .body_limit = max_upload_bytes,
        .streamed_body = true,
        .handler = [&service](Request& r) {
            if (!r.spooled_body || r.spooled_body->size() == 0)
                return http::problem(invalid_field("/", "required", "the document's bytes are the request body"), r.request_id);
            UploadInput in;
            in.patient_id = std::string(r.path_param("id"));
            in.category = parse_category(r.query("category").value_or("")).value_or(Category::other);
            in.title = r.query("title").value_or("");
            in.filename = r.query("filename").value_or("");
            in.encounter_id = r.query("encounter_id").value_or("");
            in.visible_to_patient = r.query("visible_to_patient").value_or("true") == "true";
            auto body = r.spooled_body;
            auto d = service.upload(r.caller(), in, [body](char* p, std::size_t n) { return body->read(p, n); });
            if (!d) return http::problem(d.error(), r.request_id);
            Response resp = Response::json(201, document_json(*d));
            resp.headers.set("Location", "/api/v1/documents/" + d->id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/documents",
        .operation_id = "listDocuments",
        .summary = "A patient's documents, newest first",
        .tag = "documents",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, uuid, true, "Patient id"},
                   {"category", ParamIn::query, Schema::string().enumeration(categories()), false, "Only this category"},
                   {"include_deleted", ParamIn::query, Schema::boolean(), false, "Administrators: also deleted ones"},
                   {"cursor", ParamIn::query, Schema::string().max_length(200), false, "From a previous page"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false, "Page size (default 50, capped at 100)"}},
        .responses = {{200, "A page of documents",
                       Schema::named("DocumentPage", Schema::object({req("items", Schema::array(document_schema())),
                                                                     req("next_cursor", Schema::string().nullable())}))}},
        .handler = [&service](Request& r) {
            DocumentQuery q;
            q.patient_id = std::string(r.path_param("id"));
            if (auto c = r.query("category")) q.category = parse_category(*c);
            q.include_deleted = r.query("include_deleted").value_or("false") == "true";
            if (auto cur = r.query("cursor")) {
                auto raw = crypto::base64url_decode(*cur);
                auto bar = raw ? raw->find('|') : std::string::npos;
                auto t = bar == std::string::npos ? std::nullopt : parse_instant(raw->substr(0, bar));
                if (!t) return http::problem(invalid_field("cursor", "invalid", "is not a cursor from this API"), r.request_id);
                q.before = *t;
                q.before_id = raw->substr(bar + 1);
            }
            q.limit = http::query_limit(r, q.limit, 1000000);
            auto page = service.list(r.caller(), q);
            if (!page) return http::problem(page.error(), r.request_id);
            json::array items;
            for (const auto& d : page->items) items.push_back(document_json(d));
            json::value next = nullptr;
            if (page->next)
                next = json::string(crypto::base64url_encode(format_instant_precise(page->next->first) + "|" + page->next->second));
            return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/documents/{id}",
        .operation_id = "getDocument",
        .summary = "A document's metadata",
        .tag = "documents",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, uuid, true, "Document id"}},
        .responses = {{200, "The metadata", document_schema()}},
        .handler = [&service](Request& r) {
            auto d = service.get(r.caller(), std::string(r.path_param("id")));
            if (!d) return http::problem(d.error(), r.request_id);
            return Response::json(200, document_json(*d));
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/documents/{id}/content",
        .operation_id = "downloadDocument",
        .summary = "A document's content (streamed, integrity checked)",
        .description = "Clinical categories (lab results, imaging, letters, prescriptions) open to doctors and nurses "
                       "only (403 for other staff). `inline=true` asks the browser to display rather than save.",
        .tag = "documents",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, uuid, true, "Document id"},
                   {"inline", ParamIn::query, Schema::boolean(), false, "Display instead of download"}},
        .responses = {{200, "The bytes, with their type", std::nullopt, "application/octet-stream", {"Content-Disposition"}}},
        .errors = {403},
        .handler = [&service](Request& r) {
            std::string id(r.path_param("id"));
            auto d = service.get(r.caller(), id);
            if (!d) return http::problem(d.error(), r.request_id);
            auto content = service.open(r.caller(), id);
            if (!content) return http::problem(content.error(), r.request_id);
            Response resp;
            resp.status = 200;
            resp.content_type = std::string(mime_type(d->kind));
            bool inline_view = r.query("inline").value_or("false") == "true";
            resp.headers.set("Content-Disposition", disposition(inline_view ? "inline" : "attachment", d->filename));
            // A document is never an active page of this origin, whatever it contains.
            resp.headers.set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'");
            resp.headers.set("ETag", "\"" + d->sha256 + "\"");
            resp.stream = std::make_shared<ContentBody>(std::move(*content), d->size);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/documents/{id}/thumbnail",
        .operation_id = "documentThumbnail",
        .summary = "A PNG thumbnail of an image document (made in the background after upload)",
        .tag = "documents",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, uuid, true, "Document id"}},
        .responses = {{200, "The thumbnail", std::nullopt, "image/png"}},
        .errors = {403},
        .handler = [&service](Request& r) {
            auto t = service.open_thumbnail(r.caller(), std::string(r.path_param("id")));
            if (!t) return http::problem(t.error(), r.request_id);
            Response resp;
            resp.status = 200;
            resp.content_type = "image/png";
            resp.stream = std::make_shared<ContentBody>(std::move(*t), std::nullopt);
            return resp;
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/documents/{id}",
        .operation_id = "deleteDocument",
        .summary = "Withdraw a document (administrators; kept encrypted for the legal retention period)",
        .tag = "documents",
        .access = Access::roles_of({Role::admin}),
        .params = {{"id", ParamIn::path, uuid, true, "Document id"}},
        .responses = {{204, "Withdrawn", std::nullopt, ""}},
        .handler = [&service](Request& r) {
            auto d = service.remove(r.caller(), std::string(r.path_param("id")));
            if (!d) return http::problem(d.error(), r.request_id);
            return Response::empty(204);
        }});
}

}  // namespace medisecure::documents
