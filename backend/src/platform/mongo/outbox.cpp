// SPDX-License-Identifier: Apache-2.0
#include "platform/mongo/outbox.hpp"

#include "core/random.hpp"

namespace medisecure::mongo {

std::string enqueue_job(Connection& c, const jobs::JobRequest& r, Timestamp now) {
    std::string id = new_uuid_v7(now);
    Bson doc;
    doc.add("_id", id)
        .add("type", r.type)
        .add("payload", r.payload_json)
        .add("run_at", to_micros(r.run_at.value_or(now)))
        .add("dedupe_key", r.dedupe_key)
        .add("owner_user_id", r.owner_user_id)
        .add("patient_id", r.patient_id)
        .add("max_attempts", r.max_attempts)
        .add("created_at", to_micros(now));
    c.insert_one(kOutbox, doc);
    return id;
}

std::vector<jobs::QueuedRequest> peek_outbox(Connection& c, int limit) {
    FindOptions oldest;
    oldest.sort = {{"created_at", 1}, {"_id", 1}};
    oldest.limit = limit;
    std::vector<jobs::QueuedRequest> out;
    for (const auto& d : c.find(kOutbox, Bson(), oldest)) {
        jobs::QueuedRequest q;
        q.id = d.str("_id");
        q.request.type = d.str("type");
        q.request.payload_json = d.str("payload");
        q.request.run_at = from_micros(d.int64("run_at"));
        q.request.dedupe_key = d.str("dedupe_key");
        q.request.owner_user_id = d.str("owner_user_id");
        q.request.patient_id = d.str("patient_id");
        q.request.max_attempts = static_cast<int>(d.int64("max_attempts"));
        q.created_at = from_micros(d.int64("created_at"));
        out.push_back(std::move(q));
    }
    return out;
}

void remove_from_outbox(Connection& c, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    c.delete_many(kOutbox, Bson().add("_id", Bson().add_array("$in", ids)));
}

}  // namespace medisecure::mongo
