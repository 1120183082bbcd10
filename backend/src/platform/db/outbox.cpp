// SPDX-License-Identifier: Apache-2.0
#include "platform/db/outbox.hpp"

#include "core/random.hpp"
#include "platform/db/query.hpp"

namespace medisecure::db {

std::string enqueue_job(soci::session& sql, const jobs::JobRequest& r, Timestamp now) {
    std::string id = new_uuid_v7(now);
    long long run_at = to_micros(r.run_at.value_or(now)), created = to_micros(now);
    int max_attempts = r.max_attempts;
    sql << "INSERT INTO outbox (id, type, payload, run_at, dedupe_key, owner_user_id, patient_id, max_attempts, "
           "created_at) VALUES (:id, :t, :p, :r, :d, :o, :pt, :m, :c)",
        soci::use(id), soci::use(r.type), soci::use(r.payload_json), soci::use(run_at), soci::use(r.dedupe_key),
        soci::use(r.owner_user_id), soci::use(r.patient_id), soci::use(max_attempts), soci::use(created);
    return id;
}

std::vector<OutboxRow> peek_outbox(soci::session& sql, int limit) {
    std::vector<OutboxRow> out;
    Query q("SELECT id, type, payload, run_at, dedupe_key, owner_user_id, patient_id, max_attempts, created_at "
            "FROM outbox ORDER BY created_at, id LIMIT ");
    q.bind(static_cast<long long>(limit));
    q.for_each(sql, [&](const Row& r) {
        OutboxRow o;
        o.id = as_string(r, 0);
        o.request.type = as_string(r, 1);
        o.request.payload_json = as_string(r, 2);
        o.request.run_at = from_micros(as_int64(r, 3));
        o.request.dedupe_key = as_string(r, 4);
        o.request.owner_user_id = as_string(r, 5);
        o.request.patient_id = as_string(r, 6);
        o.request.max_attempts = static_cast<int>(as_int64(r, 7));
        o.created_at = from_micros(as_int64(r, 8));
        out.push_back(std::move(o));
    });
    return out;
}

void remove_from_outbox(soci::session& sql, const std::vector<std::string>& ids) {
    for (const auto& id : ids) sql << "DELETE FROM outbox WHERE id = :id", soci::use(id);
}

}  // namespace medisecure::db
