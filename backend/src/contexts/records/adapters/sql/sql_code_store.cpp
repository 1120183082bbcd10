// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/adapters/sql/sql_code_store.hpp"

#include <algorithm>

#include "platform/db/query.hpp"

namespace medisecure::records {

namespace {

// The largest code point: every string starting with a prefix sorts below prefix + this.
const std::string kPrefixEnd = "\xf4\x8f\xbf\xbf";
// Rows per multi-row INSERT: few statements for a 40,000-code file, far below bind limits.
constexpr std::size_t kRowsPerStatement = 250;

std::vector<Icd10Code> run(db::Database& db, db::Query& q) {
    return db.read([&](soci::session& sql) {
        std::vector<Icd10Code> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back({db::as_string(r, 0), db::as_string(r, 1)}); });
        return out;
    });
}

template <class Item, class Bind>
void insert_batches(soci::session& sql, const std::vector<Item>& items, const std::string& head,
                    const std::string& tail, Bind bind_row) {
    for (std::size_t start = 0; start < items.size(); start += kRowsPerStatement) {
        db::Query q(head);
        for (std::size_t k = start; k < std::min(items.size(), start + kRowsPerStatement); ++k) {
            q.sql(k > start ? ", (" : "(");
            bind_row(q, items[k]);
            q.sql(")");
        }
        q.sql(tail);
        q.execute(sql);
    }
}

}  // namespace

std::vector<Icd10Code> SqlCodeStore::search(const CodeQuery& cq) {
    std::vector<Icd10Code> out;
    auto limit = static_cast<long long>(cq.limit);
    if (cq.code_prefix) {
        db::Query q("SELECT code, label FROM icd10_codes WHERE code >= ");
        q.bind(*cq.code_prefix).sql(" AND code < ").bind(*cq.code_prefix + kPrefixEnd).sql(" ORDER BY code LIMIT ").bind(limit);
        out = run(db_, q);
    }
    if (!cq.terms.empty()) {
        db::Query q("SELECT c.code, c.label FROM icd10_codes c WHERE 1 = 1");
        for (const auto& t : cq.terms)
            q.sql(" AND c.code IN (SELECT code FROM icd10_tokens WHERE token >= ").bind(t).sql(" AND token < ")
                .bind(t + kPrefixEnd).sql(")");
        q.sql(" ORDER BY c.code LIMIT ").bind(limit);
        for (auto& c : run(db_, q))
            if (std::none_of(out.begin(), out.end(), [&](const Icd10Code& o) { return o.code == c.code; }))
                out.push_back(std::move(c));
        std::sort(out.begin(), out.end(), [](const Icd10Code& a, const Icd10Code& b) { return a.code < b.code; });
        if (out.size() > static_cast<std::size_t>(cq.limit)) out.resize(static_cast<std::size_t>(cq.limit));
    }
    return out;
}

std::map<std::string, std::string> SqlCodeStore::labels(const std::set<std::string>& codes) {
    std::map<std::string, std::string> out;
    if (codes.empty()) return out;
    db::Query q("SELECT code, label FROM icd10_codes WHERE code IN (");
    bool first = true;
    for (const auto& c : codes) {
        q.sql(first ? "" : ", ").bind(c);
        first = false;
    }
    q.sql(")");
    for (auto& c : run(db_, q)) out[c.code] = std::move(c.label);
    return out;
}

std::optional<CodeSetInfo> SqlCodeStore::code_set(const std::string& name) {
    return db_.read([&](soci::session& sql) {
        std::optional<CodeSetInfo> out;
        db::Query q("SELECT name, source, count, loaded_at FROM code_sets WHERE name = ");
        q.bind(name);
        q.for_each(sql, [&](const db::Row& r) {
            out = CodeSetInfo{db::as_string(r, 0), db::as_string(r, 1), db::as_int64(r, 2), from_micros(db::as_int64(r, 3))};
        });
        return out;
    });
}

UpsertCounts SqlCodeStore::upsert(const std::vector<Icd10Code>& codes, CodeSetInfo info) {
    return db_.write([&](soci::session& sql) {
        UpsertCounts counts;
        std::map<std::string, std::string> existing;
        db::Query all("SELECT code, label FROM icd10_codes");
        all.for_each(sql, [&](const db::Row& r) { existing[db::as_string(r, 0)] = db::as_string(r, 1); });

        std::vector<Icd10Code> changed;  // new or relabelled
        std::vector<std::string> relabelled;
        for (const auto& c : codes) {
            auto it = existing.find(c.code);
            if (it == existing.end()) {
                ++counts.added;
                changed.push_back(c);
            } else if (it->second != c.label) {
                ++counts.updated;
                changed.push_back(c);
                relabelled.push_back(c.code);
            } else {
                ++counts.unchanged;
            }
        }
        // ON CONFLICT: another instance may be loading the same list at the same moment.
        insert_batches(sql, changed, "INSERT INTO icd10_codes (code, label) VALUES ",
                       " ON CONFLICT (code) DO UPDATE SET label = excluded.label",
                       [](db::Query& q, const Icd10Code& c) { q.bind(c.code).sql(", ").bind(c.label); });
        for (std::size_t start = 0; start < relabelled.size(); start += kRowsPerStatement) {
            db::Query q("DELETE FROM icd10_tokens WHERE code IN (");
            for (std::size_t k = start; k < std::min(relabelled.size(), start + kRowsPerStatement); ++k)
                q.sql(k > start ? ", " : "").bind(relabelled[k]);
            q.sql(")").execute(sql);
        }
        std::vector<std::pair<std::string, std::string>> tokens;
        for (const auto& c : changed)
            for (auto& t : label_tokens(c.label)) tokens.emplace_back(std::move(t), c.code);
        insert_batches(sql, tokens, "INSERT INTO icd10_tokens (token, code) VALUES ", " ON CONFLICT DO NOTHING",
                       [](db::Query& q, const std::pair<std::string, std::string>& t) {
                           q.bind(t.first).sql(", ").bind(t.second);
                       });

        long long total = 0;
        sql << "SELECT count(*) FROM icd10_codes", soci::into(total);
        info.count = total;
        long long loaded = to_micros(info.loaded_at);
        sql << "INSERT INTO code_sets (name, source, count, loaded_at) VALUES (:n, :s, :c, :l) "
               "ON CONFLICT (name) DO UPDATE SET source = excluded.source, count = excluded.count, "
               "loaded_at = excluded.loaded_at",
            soci::use(info.name), soci::use(info.source), soci::use(total), soci::use(loaded);
        return counts;
    });
}

}  // namespace medisecure::records
