// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"

#include "platform/db/query.hpp"

namespace medisecure::audit {

namespace {
constexpr const char* kColumns =
    "seq, at, actor_id, actor_role, action, resource_type, resource_id, patient_id, client_ip, request_id, "
    "outcome, detail, prev_hash, hash";

AuditRecord from_row(const soci::row& r) {
    AuditRecord a;
    a.seq = db::as_int64(r, 0);
    a.at = from_micros(db::as_int64(r, 1));
    a.actor_id = db::as_string(r, 2);
    a.actor_role = db::as_string(r, 3);
    a.action = db::as_string(r, 4);
    a.resource_type = db::as_string(r, 5);
    a.resource_id = db::as_string(r, 6);
    a.patient_id = db::as_string(r, 7);
    a.client_ip = db::as_string(r, 8);
    a.request_id = db::as_string(r, 9);
    a.outcome = parse_outcome(db::as_string(r, 10)).value_or(Outcome::error);
    a.detail = db::as_string(r, 11);
    a.prev_hash = db::as_string(r, 12);
    a.hash = db::as_string(r, 13);
    return a;
}
}  // namespace

void SqlAuditRepository::append(std::vector<AuditRecord>& records,
                                const std::function<std::string(const AuditRecord&)>& seal,
                                const std::function<std::string(std::int64_t, const std::string&)>& head_mac) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    db_.write([&](soci::session& sql) {
        long long seq = 0;
        std::string hash;
        // The head row serialises writers, including other instances on a shared PostgreSQL.
        sql << (pg ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE" : "SELECT seq, hash FROM audit_head WHERE id = 1"),
            soci::into(seq), soci::into(hash);
        long long b_seq = 0, b_at = 0;
        std::string b_actor, b_role, b_action, b_rtype, b_rid, b_pid, b_ip, b_req, b_outcome, b_detail, b_prev, b_hash;
        soci::statement st =
            (sql.prepare << "INSERT INTO audit_log (" << kColumns
                         << ") VALUES (:seq, :at, :actor, :role, :action, :rtype, :rid, :pid, :ip, :req, :outcome, "
                            ":detail, :prev, :hash)",
             soci::use(b_seq), soci::use(b_at), soci::use(b_actor), soci::use(b_role), soci::use(b_action),
             soci::use(b_rtype), soci::use(b_rid), soci::use(b_pid), soci::use(b_ip), soci::use(b_req),
             soci::use(b_outcome), soci::use(b_detail), soci::use(b_prev), soci::use(b_hash));
        for (auto& r : records) {
            r.seq = ++seq;
            r.prev_hash = hash;
            r.hash = seal(r);
            hash = r.hash;
            b_seq = r.seq;
            b_at = to_micros(r.at);
            b_actor = r.actor_id;
            b_role = r.actor_role;
            b_action = r.action;
            b_rtype = r.resource_type;
            b_rid = r.resource_id;
            b_pid = r.patient_id;
            b_ip = r.client_ip;
            b_req = r.request_id;
            b_outcome = std::string(to_string(r.outcome));
            b_detail = r.detail;
            b_prev = r.prev_hash;
            b_hash = r.hash;
            st.execute(true);
        }
        std::string mac = head_mac(seq, hash);
        sql << "UPDATE audit_head SET seq = :s, hash = :h, mac = :m WHERE id = 1", soci::use(seq), soci::use(hash),
            soci::use(mac);
    });
}

std::vector<AuditRecord> SqlAuditRepository::search(const AuditFilter& f) {
    db::Query q(std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1");
    if (!f.patient_id.empty()) q.sql(" AND patient_id = ").bind(f.patient_id);
    if (!f.actor_id.empty()) q.sql(" AND actor_id = ").bind(f.actor_id);
    if (!f.action.empty()) q.sql(" AND action = ").bind(f.action);
    if (f.from) q.sql(" AND at >= ").bind(static_cast<long long>(to_micros(*f.from)));
    if (f.to) q.sql(" AND at < ").bind(static_cast<long long>(to_micros(*f.to)));
    if (f.before_seq) q.sql(" AND seq < ").bind(static_cast<long long>(*f.before_seq));
    q.sql(" ORDER BY seq DESC LIMIT ").bind(static_cast<long long>(f.limit));
    std::vector<AuditRecord> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const soci::row& r) { out.push_back(from_row(r)); }); });
    return out;
}

void SqlAuditRepository::scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) {
    long long after = -1;
    for (;;) {
        std::vector<AuditRecord> batch;
        db::Query q(std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > ");
        q.bind(after).sql(" ORDER BY seq LIMIT 5000");
        db_.read([&](soci::session& sql) { q.for_each(sql, [&](const soci::row& r) { batch.push_back(from_row(r)); }); });
        if (batch.empty()) return;
        after = batch.back().seq;
        chunk(batch);
    }
}

std::optional<ChainHead> SqlAuditRepository::head() {
    return db_.read([&](soci::session& sql) -> std::optional<ChainHead> {
        ChainHead h;
        long long seq = 0;
        soci::indicator ind = soci::i_null;
        sql << "SELECT seq, hash, mac FROM audit_head WHERE id = 1", soci::into(seq, ind), soci::into(h.hash),
            soci::into(h.mac);
        if (!sql.got_data()) return std::nullopt;
        h.seq = seq;
        return h;
    });
}

}  // namespace medisecure::audit
