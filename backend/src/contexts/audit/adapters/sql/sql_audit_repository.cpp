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
    "outcome, detail, prev_hash, hash, chain";

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
    a.chain = db::as_string(r, 14);
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
    column("chain", std::string_view(r.chain));
}

std::vector<std::pair<const char*, db::Value>> columns_of(const AuditRecord& r) {
    std::vector<std::pair<const char*, db::Value>> out;
    out.reserve(15);
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

/// The head of `chain` ("" the root chain), locked until the commit on PostgreSQL: each
/// writer's own chain is locked by that writer only; the root's when a chain is opened (and by
/// every writer of a store that keeps one chain). Throws for a chain never opened.
std::pair<long long, std::string> read_head(soci::session& sql, bool pg, const std::string& chain) {
    long long seq = 0;
    std::string hash;
    bool found = false;
    db::Query head(chain.empty() ? "SELECT seq, hash FROM audit_head WHERE id = 1"
                                 : "SELECT seq, hash FROM audit_chains WHERE chain = ");
    if (!chain.empty()) head.bind(chain);
    if (pg) head.sql(" FOR UPDATE");
    head.for_each(sql, [&](const db::Row& r) {
        seq = db::as_int64(r, 0);
        hash = db::as_string(r, 1);
        found = true;
    });
    if (!found) throw std::runtime_error("audit chain " + chain + " has no head: it was never opened");
    return {seq, hash};
}

void move_head(soci::session& sql, const std::string& chain, long long seq, const std::string& hash,
               const std::string& mac) {
    db::Query update(chain.empty() ? "UPDATE audit_head SET seq = " : "UPDATE audit_chains SET seq = ");
    update.bind(seq).sql(", hash = ").bind(hash).sql(", mac = ").bind(mac);
    if (chain.empty()) update.sql(" WHERE id = 1");
    else update.sql(" WHERE chain = ").bind(chain);
    update.execute(sql);
}

/// The numbers of `n` new records: on PostgreSQL from the sequence every chain draws from (one
/// round trip), elsewhere the next ones after the (only) chain's head.
std::vector<long long> numbers_for(soci::session& sql, bool pg, long long head_seq, std::size_t n) {
    std::vector<long long> out;
    out.reserve(n);
    if (!pg) {
        for (std::size_t i = 1; i <= n; ++i) out.push_back(head_seq + static_cast<long long>(i));
        return out;
    }
    db::Query q("SELECT nextval('audit_seq') FROM generate_series(1, ");
    q.bind(static_cast<long long>(n)).sql(")");
    q.for_each(sql, [&](const db::Row& r) { out.push_back(db::as_int64(r, 0)); });
    std::sort(out.begin(), out.end());
    return out;
}

/// Numbers, links and seals `records` after the head (seq, hash) of their chain.
void link(std::vector<AuditRecord>& records, const std::vector<long long>& numbers, std::string hash,
          const AuditRepository::Seal& seal) {
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& r = records[i];
        r.seq = numbers[i];
        r.prev_hash = hash;
        r.hash = seal(r);
        hash = r.hash;
    }
}
}  // namespace

bool SqlAuditRepository::per_writer_chains() const { return db_.dialect() == db::Dialect::postgresql; }

bool SqlAuditRepository::consecutive_numbers() const { return db_.dialect() != db::Dialect::postgresql; }

void SqlAuditRepository::append(std::vector<AuditRecord>& records, const Seal& seal, const HeadMac& head_mac) {
    if (records.empty()) return;
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    const std::string chain = records.front().chain;
    db_.write([&](soci::session& sql) {
        if (pg && !chain.empty()) {
            // A writer's own chain: its head, locked, and the batch's numbers in one round trip.
            std::string hash;
            std::vector<long long> numbers;
            numbers.reserve(records.size());
            db::Query q("SELECT hash, nextval('audit_seq') FROM audit_chains, generate_series(1, ");
            q.bind(static_cast<long long>(records.size()))
                .sql(") WHERE chain = ")
                .bind(chain)
                .sql(" FOR UPDATE OF audit_chains");
            q.for_each(sql, [&](const db::Row& r) {
                hash = db::as_string(r, 0);
                numbers.push_back(db::as_int64(r, 1));
            });
            if (numbers.size() != records.size())
                throw std::runtime_error("audit chain " + chain + " has no head: it was never opened");
            std::sort(numbers.begin(), numbers.end());
            link(records, numbers, hash, seal);
        } else {
            auto [seq, hash] = read_head(sql, pg, chain);
            link(records, numbers_for(sql, pg, seq, records.size()), hash, seal);
        }
        insert_records(sql, pg, records);
        move_head(sql, chain, records.back().seq, records.back().hash, head_mac(records.back().seq, records.back().hash));
    });
}

void SqlAuditRepository::open_chain(AuditRecord& registration, const Seal& seal, const HeadMac& root_head_mac,
                                    const HeadMac& chain_head_mac) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    registration.chain.clear();
    db_.write([&](soci::session& sql) {
        auto [seq, hash] = read_head(sql, pg, "");
        std::vector<AuditRecord> one{registration};
        link(one, numbers_for(sql, pg, seq, 1), hash, seal);
        registration = one.front();
        insert_records(sql, pg, one);
        move_head(sql, "", registration.seq, registration.hash, root_head_mac(registration.seq, registration.hash));
        db::Query("INSERT INTO audit_chains (chain, seq, hash, mac) VALUES (")
            .bind(registration.resource_id)
            .sql(", 0, ")
            .bind(registration.hash)
            .sql(", ")
            .bind(chain_head_mac(0, registration.hash))
            .sql(")")
            .execute(sql);
    });
}

std::vector<ChainHead> SqlAuditRepository::heads() {
    std::vector<ChainHead> out;
    if (auto root = head()) out.push_back(*root);
    db::Query q("SELECT chain, seq, hash, mac FROM audit_chains ORDER BY chain");
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) {
            out.push_back({db::as_int64(r, 1), db::as_string(r, 2), db::as_string(r, 3), db::as_string(r, 0)});
        });
    });
    return out;
}

void SqlAuditRepository::append_sealed(const std::vector<AuditRecord>& records, const HeadMac& head_mac) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    db_.write([&](soci::session& sql) {
        auto [seq, hash] = read_head(sql, pg, "");
        auto it = records.begin();
        while (it != records.end() && it->seq <= seq) ++it;  // indexed meanwhile by another process
        if (it == records.end()) return;
        if (it->seq != seq + 1 || it->prev_hash != hash)
            throw std::runtime_error("audit records do not continue the stored chain (head " + std::to_string(seq) +
                                     ", next " + std::to_string(it->seq) + ")");
        insert_records(sql, pg, std::span(it, records.end()));
        move_head(sql, "", records.back().seq, records.back().hash, head_mac(records.back().seq, records.back().hash));
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
        long long top = 0;  // the newest record's number, of any chain
        db::Query("SELECT coalesce(max(seq), 0) FROM audit_log").for_each(sql, [&](const db::Row& r) {
            top = db::as_int64(r, 0);
        });
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
