// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/sql/sql_patient_store.hpp"

#include <algorithm>
#include <iterator>
#include <map>

#include "core/text.hpp"
#include "platform/db/query.hpp"

namespace medisecure::patients {

std::string sort_key_of(const Patient& p) { return name_key(p.last_name) + " " + name_key(p.first_name); }

namespace {

constexpr const char* kColumns =
    "id, mrn, first_name, last_name, birth_name, sex, birth_date, birth_place_code, nir, ins_oid, identity_status, "
    "email, phone, address_line1, address_line2, postal_code, city, country, emergency_name, emergency_relationship, "
    "emergency_phone, amo_number, amo_fund, amc_name, amc_number, preferred_language, primary_practitioner_id, "
    "archived, created_at, updated_at, version";

// The same columns, of the patients table aliased p.
const std::string kColumnsOfP = [] {
    std::string out, cols = kColumns;
    std::size_t start = 0;
    while (start < cols.size()) {
        auto end = cols.find(", ", start);
        if (end == std::string::npos) end = cols.size();
        out += (out.empty() ? "p." : ", p.") + cols.substr(start, end - start);
        start = end + 2;
    }
    return out;
}();

Patient from_row(const db::Row& r) {
    Patient p;
    std::size_t i = 0;
    auto s = [&] { return db::as_string(r, i++); };
    p.id = s();
    p.mrn = s();
    p.first_name = s();
    p.last_name = s();
    p.birth_name = s();
    p.sex = parse_sex(s()).value_or(Sex::unknown);
    p.birth_date = parse_date(s()).value_or(Date{});
    p.birth_place_code = s();
    p.nir = s();
    p.ins_oid = s();
    p.identity_status = parse_identity_status(s()).value_or(IdentityStatus::provisional);
    p.email = s();
    p.phone = s();
    p.address.line1 = s();
    p.address.line2 = s();
    p.address.postal_code = s();
    p.address.city = s();
    p.address.country = s();
    p.emergency_contact.name = s();
    p.emergency_contact.relationship = s();
    p.emergency_contact.phone = s();
    p.insurance.amo_number = s();
    p.insurance.amo_fund = s();
    p.insurance.amc_name = s();
    p.insurance.amc_number = s();
    p.preferred_language = s();
    p.primary_practitioner_id = s();
    p.archived = db::as_int64(r, i++) != 0;
    p.created_at = from_micros(db::as_int64(r, i++));
    p.updated_at = from_micros(db::as_int64(r, i++));
    p.version = db::as_int64(r, i++);
    return p;
}

/// Every stored column with its value: kColumns' order, then the derived keys.
std::vector<std::pair<const char*, db::Value>> columns_of(const Patient& p) {
    auto i64 = [](auto v) { return db::Value(static_cast<long long>(v)); };
    return {{"id", p.id},
            {"mrn", p.mrn},
            {"first_name", p.first_name},
            {"last_name", p.last_name},
            {"birth_name", p.birth_name},
            {"sex", std::string(to_string(p.sex))},
            {"birth_date", format_date(p.birth_date)},
            {"birth_place_code", p.birth_place_code},
            {"nir", p.nir},
            {"ins_oid", p.ins_oid},
            {"identity_status", std::string(to_string(p.identity_status))},
            {"email", p.email},
            {"phone", p.phone},
            {"address_line1", p.address.line1},
            {"address_line2", p.address.line2},
            {"postal_code", p.address.postal_code},
            {"city", p.address.city},
            {"country", p.address.country},
            {"emergency_name", p.emergency_contact.name},
            {"emergency_relationship", p.emergency_contact.relationship},
            {"emergency_phone", p.emergency_contact.phone},
            {"amo_number", p.insurance.amo_number},
            {"amo_fund", p.insurance.amo_fund},
            {"amc_name", p.insurance.amc_name},
            {"amc_number", p.insurance.amc_number},
            {"preferred_language", p.preferred_language},
            {"primary_practitioner_id", p.primary_practitioner_id},
            {"archived", i64(p.archived)},
            {"created_at", i64(to_micros(p.created_at))},
            {"updated_at", i64(to_micros(p.updated_at))},
            {"version", i64(p.version)},
            {"first_key", name_key(p.first_name)},
            {"last_key", name_key(p.last_name)},
            {"birth_key", name_key(p.birth_name)},
            {"sort_key", sort_key_of(p)}};
}

std::vector<std::string> tokens_of(const Patient& p) {
    std::vector<std::string> all;
    for (const auto* name : {&p.first_name, &p.last_name, &p.birth_name}) {
        auto t = name_tokens(*name);
        all.insert(all.end(), t.begin(), t.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

/// Every prefix (whole code points) of every search token of `p`, sorted, without repeats.
std::vector<std::string> prefixes_of(const Patient& p) {
    std::vector<std::string> out;
    for (const auto& token : tokens_of(p)) {
        for (std::size_t k = 1; k <= token.size(); ++k) {
            if (k < token.size() && (static_cast<unsigned char>(token[k]) & 0xC0) == 0x80) continue;  // mid-character
            out.push_back(token.substr(0, k));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/// The patient's tokens as SQLite's search rows carry them: ' ' before each.
std::string words_of(const std::vector<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens) out += " " + t;
    return out;
}

/// Brings the patient's rows in the search index (migrations V0004, V0006) from those of
/// `before` (none for a new patient) to those of `p`, row by row on their key: the tables have no
/// index by patient, which would cost every registration more page writes at random places.
/// PostgreSQL keeps every prefix of every name token, so that a search reads its page in order
/// from the start of one range (one statement each way, one round trip); SQLite keeps the tokens
/// themselves, a search sorting the few that match (there each extra row costs a registration
/// one more page written: two to four times fewer registrations a second with every prefix,
/// measured). Every row carries all the patient's words, so that the other terms of a search are
/// checked on the row itself. A new sort key or new words (a changed name) move every row; the
/// same ones leave the index untouched.
void write_search_index(soci::session& sql, db::Dialect dialect, const Patient& p, const std::optional<Patient>& before) {
    const bool pg = dialect == db::Dialect::postgresql;
    const std::string key = sort_key_of(p), old_key = before ? sort_key_of(*before) : key;
    const auto tokens = tokens_of(p);
    if (before && old_key == key && tokens_of(*before) == tokens) return;  // the same rows
    const std::string words = words_of(tokens);
    const auto now = pg ? prefixes_of(p) : tokens;
    const auto gone = before ? (pg ? prefixes_of(*before) : tokens_of(*before)) : std::vector<std::string>{};
    const auto& added = now;
    if (pg) {
        if (!gone.empty()) {
            db::Query del("DELETE FROM patient_prefixes WHERE sort_key = ");
            del.bind(old_key).sql(" AND patient_id = ").bind(p.id).sql(" AND prefix IN (");
            for (std::size_t i = 0; i < gone.size(); ++i) del.sql(i ? ", " : "").bind(gone[i]);
            del.sql(")").execute(sql);
        }
        if (!added.empty()) {
            db::Query ins("INSERT INTO patient_prefixes (prefix, sort_key, patient_id, words) VALUES ");
            for (std::size_t i = 0; i < added.size(); ++i)
                ins.sql(i ? ", (" : "(").bind(added[i]).sql(", ").bind(key).sql(", ").bind(p.id).sql(", ").bind(words).sql(")");
            ins.execute(sql);
        }
        return;
    }
    if (!gone.empty()) {
        db::Repeated del(sql, "DELETE FROM patient_tokens WHERE token = :p1 AND patient_id = :p2");
        for (const auto& t : gone) del.bind(t).bind(p.id).run();
    }
    if (!added.empty()) {
        db::Repeated ins(sql, "INSERT INTO patient_tokens (token, patient_id, sort_key, words) VALUES (:p1, :p2, :p3, :p4)");
        for (const auto& t : added) ins.bind(t).bind(p.id).bind(key).bind(words).run();
    }
}

std::optional<Patient> find_in(soci::session& sql, const std::string& id) {
    std::optional<Patient> out;
    db::Query q(std::string("SELECT ") + kColumns + " FROM patients WHERE id = ");
    q.bind(id);
    q.for_each(sql, [&](const db::Row& r) { out = from_row(r); });
    return out;
}

class SqlUnit final : public PatientUnit {
public:
    SqlUnit(soci::session& sql, db::Dialect dialect) : sql_(sql), dialect_(dialect) {}

    std::vector<DuplicateCandidate> find_duplicates(const Patient& p) override {
        std::vector<std::string> names;
        for (const auto* n : {&p.last_name, &p.birth_name})
            if (auto k = name_key(*n); !k.empty()) names.push_back(k);
        db::Query q(std::string("SELECT ") + kColumns + " FROM patients WHERE archived = 0 AND ((birth_date = ");
        q.bind(format_date(p.birth_date)).sql(" AND first_key = ").bind(name_key(p.first_name)).sql(" AND (");
        for (const char* col : {"last_key", "birth_key"}) {
            if (std::string(col) == "birth_key") q.sql(" OR ");
            q.sql(col).sql(" IN (");
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (i) q.sql(", ");
                q.bind(names[i]);
            }
            q.sql(")");
        }
        q.sql("))");
        if (!p.nir.empty()) q.sql(" OR nir = ").bind(p.nir);
        q.sql(") ORDER BY sort_key, id LIMIT 10");
        std::vector<DuplicateCandidate> out;
        q.for_each(sql_, [&](const db::Row& r) {
            Patient c = from_row(r);
            std::string reason = !p.nir.empty() && c.nir == p.nir ? "same_nir" : "same_name_and_birth_date";
            out.push_back({std::move(c), std::move(reason)});
        });
        return out;
    }

    std::int64_t next_mrn_sequence() override {
        long long v = 0;
        auto read = [&](const db::Row& r) { v = db::as_int64(r, 0); };
        if (dialect_ == db::Dialect::postgresql) {
            // A sequence (migration V0005): no lock held until the commit, one round trip.
            db::Query("SELECT nextval('patient_mrn')").for_each(sql_, read);
            return v;
        }
        // SQLite runs UPDATE … RETURNING through a temporary table: an UPDATE and a SELECT in the
        // same transaction cost about 3 µs against 7 µs.
        db::Query("UPDATE counters SET value = value + 1 WHERE name = 'mrn'").execute(sql_);
        db::Query("SELECT value FROM counters WHERE name = 'mrn'").for_each(sql_, read);
        return v;
    }

    void insert(const Patient& p) override {
        db::Query::insert("patients", columns_of(p)).execute(sql_);
        write_search_index(sql_, dialect_, p, std::nullopt);
    }

    std::optional<Patient> find(const std::string& id) override { return find_in(sql_, id); }

    bool update(const Patient& p) override {
        // Rewrites the row in place, and only the search prefixes that changed.
        auto before = find_in(sql_, p.id);
        if (!before) return false;
        auto cols = columns_of(p);
        db::Query q("UPDATE patients SET ");
        for (std::size_t i = 1; i < cols.size(); ++i) {  // every column but the id
            q.sql(i > 1 ? ", " : "").sql(cols[i].first).sql(" = ").bind(cols[i].second);
        }
        q.sql(" WHERE id = ").bind(p.id).sql(" AND version = ").bind(static_cast<long long>(p.version - 1));
        if (q.execute(sql_) != 1) return false;
        write_search_index(sql_, dialect_, p, before);
        return true;
    }

private:
    soci::session& sql_;
    db::Dialect dialect_;
};

}  // namespace

Result<Patient> SqlPatientStore::write(const std::function<Result<Patient>(PatientUnit&)>& fn) {
    return db_.write([&](soci::session& sql) {
        SqlUnit unit(sql, db_.dialect());
        return fn(unit);
    });
}

std::optional<Patient> SqlPatientStore::find(const std::string& id) {
    return db_.read([&](soci::session& sql) { return find_in(sql, id); });
}

bool SqlPatientStore::exists(const std::string& id) {
    return db_.read([&](soci::session& sql) {
        long long n = 0;
        db::Query("SELECT count(*) FROM patients WHERE id = ").bind(id).for_each(sql, [&](const db::Row& r) {
            n = db::as_int64(r, 0);
        });
        return n > 0;
    });
}

namespace {
// The largest code point: every token starting with a term sorts below term + this.
const std::string kPrefixEnd = "\xf4\x8f\xbf\xbf";

/// The filters every search applies to the patient p.
void filter(db::Query& q, const PatientQuery& pq) {
    if (!pq.include_archived) q.sql(" AND p.archived = 0");
    if (pq.birth_date) q.sql(" AND p.birth_date = ").bind(format_date(*pq.birth_date));
    if (!pq.mrn.empty()) q.sql(" AND p.mrn = ").bind(pq.mrn);
    if (!pq.nir.empty()) q.sql(" AND p.nir = ").bind(pq.nir);
}

/// The page: from the cursor, in the order of `key` and `id` (the columns the query reads in
/// that order), `limit` rows.
void page(db::Query& q, const std::optional<SearchCursor>& after, int limit, const char* key, const char* id) {
    if (after) {
        // Written so that every engine starts its index range at the cursor.
        q.sql(" AND ").sql(key).sql(" >= ").bind(after->sort_key);
        q.sql(" AND (").sql(key).sql(" > ").bind(after->sort_key).sql(" OR ").sql(id).sql(" > ").bind(after->id).sql(")");
    }
    q.sql(" ORDER BY ").sql(key).sql(", ").sql(id).sql(" LIMIT ").bind(static_cast<long long>(limit));
}

/// The terms, the longest (the fewest rows) first.
std::vector<std::string> longest_first(std::vector<std::string> terms) {
    std::stable_sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return terms;
}
}  // namespace

db::Query SqlPatientStore::search_query(const PatientQuery& pq, db::Dialect dialect) {
    if (pq.terms.empty()) {
        // No name: the registry in order, through patients_order.
        db::Query q(std::string("SELECT ") + kColumnsOfP + " FROM patients p WHERE 1 = 1");
        filter(q, pq);
        page(q, pq.after, pq.limit, "p.sort_key", "p.id");
        return q;
    }
    const auto terms = longest_first(pq.terms);
    if (dialect == db::Dialect::postgresql) {
        // The leading term's prefix rows are read in the patients' order from the start of its
        // range (or the cursor) until the page is full, each checked against the other terms on
        // the words the row carries (in the index: no table read for a row that fails), and
        // only the page's patients are read.
        db::Query q(std::string("SELECT ") + kColumnsOfP +
                    " FROM patient_prefixes s JOIN patients p ON p.id = s.patient_id WHERE s.prefix = ");
        q.bind(terms.front());
        for (std::size_t i = 1; i < terms.size(); ++i) q.sql(" AND strpos(s.words, ").bind(" " + terms[i]).sql(") > 0");
        filter(q, pq);
        page(q, pq.after, pq.limit, "s.sort_key", "s.patient_id");
        return q;
    }
    // SQLite: the candidates, in order, from the token index alone: the leading term's range
    // (its rows carry the sort key), the other terms checked against the words on the same rows,
    // sorted by a bounded sort (the page is its first rows). The patients are read after, for
    // the page only (search()).
    db::Query q("SELECT DISTINCT s.sort_key, s.patient_id FROM patient_tokens s WHERE s.token >= ");
    q.bind(terms.front()).sql(" AND s.token < ").bind(terms.front() + kPrefixEnd);
    for (std::size_t i = 1; i < terms.size(); ++i) q.sql(" AND instr(s.words, ").bind(" " + terms[i]).sql(") > 0");
    page(q, pq.after, pq.limit, "s.sort_key", "s.patient_id");
    return q;
}

std::vector<Patient> SqlPatientStore::search(const PatientQuery& pq) {
    std::vector<Patient> out;
    const auto dialect = db_.dialect();
    if (pq.terms.empty() || dialect == db::Dialect::postgresql) {
        db::Query q = search_query(pq, dialect);
        db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(from_row(r)); }); });
        return out;
    }
    // SQLite: candidates a page at a time, in order, then their patients, keeping those the
    // filters let through (archived patients are few: one round, nearly always).
    PatientQuery chunk = pq;
    db_.read([&](soci::session& sql) {
        for (;;) {
            std::vector<std::pair<std::string, std::string>> candidates;  // (sort key, id)
            search_query(chunk, dialect).for_each(sql, [&](const db::Row& r) {
                candidates.emplace_back(db::as_string(r, 0), db::as_string(r, 1));
            });
            if (candidates.empty()) return;
            db::Query q(std::string("SELECT ") + kColumnsOfP + " FROM patients p WHERE p.id IN (");
            for (std::size_t i = 0; i < candidates.size(); ++i) q.sql(i ? ", " : "").bind(candidates[i].second);
            q.sql(")");
            filter(q, pq);
            std::map<std::string, Patient> found;
            q.for_each(sql, [&](const db::Row& r) {
                Patient p = from_row(r);
                found.emplace(p.id, std::move(p));
            });
            for (const auto& [key, id] : candidates) {
                auto it = found.find(id);
                if (it == found.end()) continue;
                out.push_back(std::move(it->second));
                if (static_cast<int>(out.size()) == pq.limit) return;
            }
            if (static_cast<int>(candidates.size()) < chunk.limit) return;
            chunk.after = SearchCursor{candidates.back().first, candidates.back().second};
        }
    });
    return out;
}

}  // namespace medisecure::patients
