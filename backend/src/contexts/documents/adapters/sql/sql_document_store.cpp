// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/adapters/sql/sql_document_store.hpp"

#include "platform/db/outbox.hpp"
#include "platform/db/query.hpp"

namespace medisecure::documents {

namespace {

constexpr const char* kColumns =
    "id, patient_id, category, title, filename, kind, size, sha256, blob_key, wrapped_key, thumbnail_blob_key, "
    "thumbnail_wrapped_key, encounter_id, visible_to_patient, uploaded_by, uploaded_by_role, uploaded_at, deleted_at, "
    "deleted_by, version";

std::string_view kind_name(Kind k) {
    switch (k) {
    case Kind::pdf: return "pdf";
    case Kind::jpeg: return "jpeg";
    case Kind::png: return "png";
    case Kind::dicom: return "dicom";
    case Kind::text: return "text";
    }
    return "pdf";
}
Kind parse_kind(std::string_view s) {
    for (auto k : {Kind::pdf, Kind::jpeg, Kind::png, Kind::dicom, Kind::text})
        if (kind_name(k) == s) return k;
    return Kind::pdf;
}

Document from_row(const db::Row& r) {
    Document d;
    std::size_t i = 0;
    auto s = [&] { return db::as_string(r, i++); };
    auto n = [&] { return db::as_int64(r, i++); };
    d.id = s();
    d.patient_id = s();
    d.category = parse_category(s()).value_or(Category::other);
    d.title = s();
    d.filename = s();
    d.kind = parse_kind(s());
    d.size = static_cast<std::uint64_t>(n());
    d.sha256 = s();
    d.blob_key = s();
    d.wrapped_key = s();
    d.thumbnail_blob_key = s();
    d.thumbnail_wrapped_key = s();
    d.encounter_id = s();
    d.visible_to_patient = n() != 0;
    d.uploaded_by = s();
    d.uploaded_by_role = parse_role(s()).value_or(Role::secretary);
    d.uploaded_at = from_micros(n());
    if (!db::is_null(r, i)) d.deleted_at = from_micros(db::as_int64(r, i));
    ++i;
    d.deleted_by = s();
    d.version = n();
    return d;
}

std::vector<std::pair<const char*, db::Value>> columns_of(const Document& d) {
    auto i64 = [](auto v) { return db::Value(static_cast<long long>(v)); };
    return {{"id", d.id},
            {"patient_id", d.patient_id},
            {"category", std::string(to_string(d.category))},
            {"title", d.title},
            {"filename", d.filename},
            {"kind", std::string(kind_name(d.kind))},
            {"size", i64(d.size)},
            {"sha256", d.sha256},
            {"blob_key", d.blob_key},
            {"wrapped_key", d.wrapped_key},
            {"thumbnail_blob_key", d.thumbnail_blob_key},
            {"thumbnail_wrapped_key", d.thumbnail_wrapped_key},
            {"encounter_id", d.encounter_id},
            {"visible_to_patient", i64(d.visible_to_patient)},
            {"uploaded_by", d.uploaded_by},
            {"uploaded_by_role", std::string(medisecure::to_string(d.uploaded_by_role))},
            {"uploaded_at", i64(to_micros(d.uploaded_at))},
            {"deleted_by", d.deleted_by},
            {"version", i64(d.version)}};
}

}  // namespace

void SqlDocumentStore::insert(const Document& d, const std::vector<jobs::JobRequest>& jobs, Timestamp now) {
    db_.write([&](soci::session& sql) {
        db::Query::insert("documents", columns_of(d)).execute(sql);  // deleted_at stays NULL
        for (const auto& j : jobs) db::enqueue_job(sql, j, now);
    });
}

std::optional<Document> SqlDocumentStore::find(const std::string& id) {
    std::optional<Document> out;
    db::Query q(std::string("SELECT ") + kColumns + " FROM documents WHERE id = ");
    q.bind(id);
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out = from_row(r); }); });
    return out;
}

std::vector<Document> SqlDocumentStore::list(const DocumentQuery& dq) {
    db::Query q(std::string("SELECT ") + kColumns + " FROM documents WHERE patient_id = ");
    q.bind(dq.patient_id);
    if (!dq.include_deleted) q.sql(" AND deleted_at IS NULL");
    if (dq.only_visible_to_patient) q.sql(" AND visible_to_patient = 1");
    if (dq.category) q.sql(" AND category = ").bind(std::string(to_string(*dq.category)));
    if (dq.before) {
        long long t = to_micros(*dq.before);
        q.sql(" AND (uploaded_at < ").bind(t).sql(" OR (uploaded_at = ").bind(t).sql(" AND id < ").bind(dq.before_id).sql("))");
    }
    q.sql(" ORDER BY uploaded_at DESC, id DESC LIMIT ").bind(static_cast<long long>(dq.limit));
    std::vector<Document> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(from_row(r)); }); });
    return out;
}

std::vector<Document> SqlDocumentStore::after(const std::string& after_id, int limit) {
    db::Query q(std::string("SELECT ") + kColumns + " FROM documents WHERE id > ");
    q.bind(after_id).sql(" ORDER BY id LIMIT ").bind(static_cast<long long>(limit));
    std::vector<Document> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(from_row(r)); }); });
    return out;
}

bool SqlDocumentStore::update(const Document& d) {
    return db_.write([&](soci::session& sql) {
        auto cols = columns_of(d);
        db::Query q("UPDATE documents SET ");
        for (std::size_t i = 1; i < cols.size(); ++i) {
            q.sql(i > 1 ? ", " : "").sql(cols[i].first).sql(" = ").bind(cols[i].second);
        }
        q.sql(", deleted_at = ");
        if (d.deleted_at) q.bind(static_cast<long long>(to_micros(*d.deleted_at)));
        else q.sql("NULL");
        q.sql(" WHERE id = ").bind(d.id).sql(" AND version = ").bind(static_cast<long long>(d.version - 1));
        return q.execute(sql) == 1;
    });
}

}  // namespace medisecure::documents
