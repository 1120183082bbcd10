// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"

#include <algorithm>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "platform/db/query.hpp"

namespace medisecure::audit {

namespace {
// A patient's records are indexed by sequence range first (migration V0002): a new record's
// entry then lands among the newest range's pages, not at a random place in the whole history
// (which cost every audited read a random page write).
constexpr long long kPatientRange = 65536;

constexpr const char* kColumns =
    "seq, at, actor_id, actor_role, action, resource_type, resource_id, patient_id, client_ip, request_id, "
    "outcome, detail, prev_hash, hash";

AuditRecord from_row(const db::Row& r) {
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

/// Calls `column(name, value)` for each column of `r`, in the order of kColumns; the values view
/// the record (strings as string_view) and are valid while it is.
template <class Column> void each_column(const AuditRecord& r, Column&& column) {
    column("seq", static_cast<long long>(r.seq));
    column("at", static_cast<long long>(to_micros(r.at)));
    column("actor_id", std::string_view(r.actor_id));
    column("actor_role", std::string_view(r.actor_role));
    column("action", std::string_view(r.action));
    column("resource_type", std::string_view(r.resource_type));
    column("resource_id", std::string_view(r.resource_id));
    column("patient_id", std::string_view(r.patient_id));
    column("client_ip", std::string_view(r.client_ip));
    column("request_id", std::string_view(r.request_id));
    column("outcome", to_string(r.outcome));
    column("detail", std::string_view(r.detail));
    column("prev_hash", std::string_view(r.prev_hash));
    column("hash", std::string_view(r.hash));
}

std::vector<std::pair<const char*, db::Value>> columns_of(const AuditRecord& r) {
    std::vector<std::pair<const char*, db::Value>> out;
    out.reserve(14);
    each_column(r, [&out](const char* name, auto value) {
        if constexpr (std::is_same_v<decltype(value), long long>)
            out.emplace_back(name, value);
        else
            out.emplace_back(name, std::string(value));
    });
    return out;
}

/// SQLite: one statement run per row, its values bound in place. PostgreSQL: up to 500 rows per
/// statement, because each statement is a round trip.
void insert_records(soci::session& sql, bool pg, std::span<const AuditRecord> records) {
    if (!pg) {
        static const std::string kInsert =
            db::Query::insert("audit_log", columns_of(AuditRecord{})).text();
        db::Repeated insert(sql, kInsert);
        for (const auto& r : records) {
            each_column(r, [&insert](const char*, auto value) { insert.bind(value); });
            insert.run();
        }
        return;
    }
    constexpr std::size_t kRowsPerInsert = 500;
    for (std::size_t i = 0; i < records.size(); i += kRowsPerInsert) {
        std::vector<std::vector<std::pair<const char*, db::Value>>> rows;
        for (const auto& r : records.subspan(i, std::min(kRowsPerInsert, records.size() - i)))
            rows.push_back(columns_of(r));
        db::Query::insert("audit_log", rows).execute(sql);
    }
}

std::pair<long long, std::string> read_head(soci::session& sql, bool pg) {
    long long seq = 0;
    std::string hash;
    // The head row serialises writers, including other instances on a shared PostgreSQL.
    db::Query head(pg ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                      : "SELECT seq, hash FROM audit_head WHERE id = 1");
    head.for_each(sql, [&](const db::Row& r) {
        seq = db::as_int64(r, 0);
        hash = db::as_string(r, 1);
    });
    return {seq, hash};
}

void move_head(soci::session& sql, long long seq, const std::string& hash, const std::string& mac) {
    db::Query update("UPDATE audit_head SET seq = ");
    update.bind(seq).sql(", hash = ").bind(hash).sql(", mac = ").bind(mac).sql(" WHERE id = 1");
    update.execute(sql);
}
}  // namespace

void SqlAuditRepository::append(std::vector<AuditRecord>& records,
                                const std::function<std::string(const AuditRecord&)>& seal,
                                const std::function<std::string(std::int64_t, const std::string&)>& head_mac) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    db_.write([&](soci::session& sql) {
        auto [seq, hash] = read_head(sql, pg);
        for (auto& r : records) {
            r.seq = ++seq;
            r.prev_hash = hash;
            r.hash = seal(r);
            hash = r.hash;
        }
        insert_records(sql, pg, records);
        move_head(sql, seq, hash, head_mac(seq, hash));
    });
}

void SqlAuditRepository::append_sealed(const std::vector<AuditRecord>& records,
                                       const std::function<std::string(std::int64_t, const std::string&)>& head_mac) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    db_.write([&](soci::session& sql) {
        auto [seq, hash] = read_head(sql, pg);
        auto it = records.begin();
        while (it != records.end() && it->seq <= seq) ++it;  // indexed meanwhile by another process
        if (it == records.end()) return;
        if (it->seq != seq + 1 || it->prev_hash != hash)
            throw std::runtime_error("audit records do not continue the stored chain (head " + std::to_string(seq) +
                                     ", next " + std::to_string(it->seq) + ")");
        insert_records(sql, pg, std::span(it, records.end()));
        move_head(sql, records.back().seq, records.back().hash, head_mac(records.back().seq, records.back().hash));
    });
}

std::vector<AuditRecord> SqlAuditRepository::search(const AuditFilter& f) {
    // Every filter but the patient's, newest first; with `range`, one range of the patient's.
    auto query = [&f](std::optional<long long> range, long long limit) {
        db::Query q(std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1");
        if (range)
            q.sql(" AND seq / " + std::to_string(kPatientRange) + " = ")
                .bind(*range)
                .sql(" AND patient_id <> '' AND patient_id = ")
                .bind(f.patient_id);
        if (!f.actor_id.empty()) q.sql(" AND actor_id = ").bind(f.actor_id);
        if (!f.action.empty()) q.sql(" AND action = ").bind(f.action);
        if (f.from) q.sql(" AND at >= ").bind(static_cast<long long>(to_micros(*f.from)));
        if (f.to) q.sql(" AND at < ").bind(static_cast<long long>(to_micros(*f.to)));
        if (f.before_seq) q.sql(" AND seq < ").bind(static_cast<long long>(*f.before_seq));
        q.sql(" ORDER BY seq DESC LIMIT ").bind(limit);
        return q;
    };
    std::vector<AuditRecord> out;
    auto collect = [&out](const db::Row& r) { out.push_back(from_row(r)); };
    db_.read([&](soci::session& sql) {
        if (f.patient_id.empty()) {
            query(std::nullopt, f.limit).for_each(sql, collect);
            return;
        }
        // A patient's records are read one sequence range at a time, newest first, until the
        // page is full: each range is one seek into audit_log_patient_range.
        long long top = read_head(sql, false).first;
        if (f.before_seq) top = std::min(top, static_cast<long long>(*f.before_seq) - 1);
        for (long long range = top / kPatientRange;
             range >= 0 && std::cmp_less(out.size(), f.limit); --range)
            query(range, f.limit - static_cast<long long>(out.size())).for_each(sql, collect);
    });
    return out;
}

void SqlAuditRepository::scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) {
    long long after = -1;
    for (;;) {
        std::vector<AuditRecord> batch;
        db::Query q(std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > ");
        q.bind(after).sql(" ORDER BY seq LIMIT 5000");
        db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { batch.push_back(from_row(r)); }); });
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
