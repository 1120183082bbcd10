// SPDX-License-Identifier: Apache-2.0
#include "platform/db/query.hpp"

#include <cstdlib>
#include <optional>
#include <span>
#include <stdexcept>

#include <soci/sqlite3/soci-sqlite3.h>

#include "platform/db/pg_statements.hpp"
#include "platform/db/statement_cache.hpp"

namespace medisecure::db {

std::string Query::next_name() { return "p" + std::to_string(order_.size() + 1); }

Query& Query::bind(std::string value) {
    text_ += ":" + next_name();
    strings_.push_back(std::move(value));
    order_.emplace_back(true, strings_.size() - 1);
    return *this;
}

Query& Query::bind(long long value) {
    text_ += ":" + next_name();
    ints_.push_back(value);
    order_.emplace_back(false, ints_.size() - 1);
    return *this;
}

Query& Query::bind(const Value& value) {
    if (const auto* str = std::get_if<std::string>(&value)) return bind(*str);
    return bind(std::get<long long>(value));
}

namespace {
using Columns = std::vector<std::pair<const char*, Value>>;

Query insert_rows(std::string_view table, std::span<const Columns> rows) {
    if (rows.empty()) throw std::invalid_argument("an INSERT needs at least one row");
    const Columns& first = rows.front();
    Query q("INSERT INTO ");
    q.sql(table).sql(" (");
    for (std::size_t i = 0; i < first.size(); ++i) q.sql(i ? ", " : "").sql(first[i].first);
    q.sql(") VALUES ");
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Columns& row = rows[r];
        if (row.size() != first.size()) throw std::invalid_argument("every row lists the same columns");
        q.sql(r ? ", (" : "(");
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (std::string_view(row[i].first) != first[i].first)
                throw std::invalid_argument("every row lists the same columns");
            q.sql(i ? ", " : "").bind(row[i].second);
        }
        q.sql(")");
    }
    return q;
}
}  // namespace

Query Query::insert(std::string_view table, const Columns& columns) {
    return insert_rows(table, std::span(&columns, 1));
}

Query Query::insert(std::string_view table, const std::vector<Columns>& rows) {
    return insert_rows(table, rows);
}

sqlite_api::sqlite3* detail::sqlite_conn(soci::session& sql) {
    auto* be = sql.get_backend();
    if (!be || be->get_backend_name() != "sqlite3") return nullptr;  // the name fits in place: no allocation
    return static_cast<soci::sqlite3_session_backend*>(be)->conn_;
}

namespace {

using namespace sqlite_api;
using detail::sqlite_conn;

// ---- SQLite: native statements from the connection's cache ----------------------------------

[[noreturn]] void fail(sqlite3* conn, int rc, const char* what) {
    throw soci::sqlite3_soci_error(std::string(what) + ": " + sqlite3_errmsg(conn), rc);
}

/// A statement leased from the cache (or prepared for this call) and handed back on scope exit.
class Leased {
public:
    Leased(sqlite3* conn, const std::string& text) : conn_(conn), cache_(detail::StatementCache::of(conn)) {
        if (cache_) {
            st_ = cache_->acquire(text, cached_);
        } else {
            int rc = sqlite3_prepare_v2(conn, text.c_str(), static_cast<int>(text.size() + 1), &st_, nullptr);
            if (rc != SQLITE_OK) {
                sqlite3_finalize(st_);
                fail(conn, rc, "prepare");
            }
        }
    }
    ~Leased() {
        if (cache_ && cached_) cache_->release(st_);
        else sqlite3_finalize(st_);
    }
    Leased(const Leased&) = delete;
    Leased& operator=(const Leased&) = delete;
    sqlite3_stmt* get() const { return st_; }
    sqlite3* conn() const { return conn_; }

private:
    sqlite3* conn_;
    detail::StatementCache* cache_;
    sqlite3_stmt* st_ = nullptr;
    bool cached_ = false;
};

/// Refuses a statement given another number of values than it has parameters.
void expect_parameters(sqlite3_stmt* st, std::size_t values) {
    if (sqlite3_bind_parameter_count(st) != static_cast<int>(values))
        throw soci::sqlite3_soci_error("bind: " + std::to_string(values) + " values for " +
                                           std::to_string(sqlite3_bind_parameter_count(st)) + " parameters",
                                       SQLITE_RANGE);
}

/// Steps a statement that returns no rows to its end.
void run_to_done(const Leased& st) {
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(st.conn(), rc, "step");
}

void bind_native(const Leased& st, const std::deque<std::string>& strings, const std::deque<long long>& ints,
                 const std::vector<std::pair<bool, std::size_t>>& order) {
    // Every parameter is a distinct :pN in order, so its index is N.
    expect_parameters(st.get(), order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        int idx = static_cast<int>(k + 1), rc;
        if (order[k].first) {
            const std::string& s = strings[order[k].second];
            rc = sqlite3_bind_text(st.get(), idx, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
        } else {
            rc = sqlite3_bind_int64(st.get(), idx, ints[order[k].second]);
        }
        if (rc != SQLITE_OK) fail(st.conn(), rc, "bind");
    }
}

class SqliteRow final : public Row {
public:
    explicit SqliteRow(sqlite3_stmt* st) : st_(st), n_(static_cast<std::size_t>(sqlite3_column_count(st))) {}
    std::size_t size() const override { return n_; }
    bool null_at(std::size_t i) const override { return type(i) == SQLITE_NULL; }
    long long int64_at(std::size_t i) const override {
        switch (type(i)) {
        case SQLITE_NULL: return 0;
        case SQLITE_FLOAT: return static_cast<long long>(sqlite3_column_double(st_, col(i)));
        case SQLITE_TEXT: return std::stoll(text(i));
        default: return sqlite3_column_int64(st_, col(i));
        }
    }
    double double_at(std::size_t i) const override {
        switch (type(i)) {
        case SQLITE_NULL: return 0;
        case SQLITE_TEXT: return std::stod(text(i));
        default: return sqlite3_column_double(st_, col(i));
        }
    }
    std::string string_at(std::size_t i) const override {
        switch (type(i)) {
        case SQLITE_NULL: return {};
        case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(st_, col(i)));
        case SQLITE_BLOB: {
            const void* p = sqlite3_column_blob(st_, col(i));
            return p ? std::string(static_cast<const char*>(p), sqlite3_column_bytes(st_, col(i))) : std::string();
        }
        default: return text(i);
        }
    }

private:
    int col(std::size_t i) const {
        if (i >= n_) throw soci::soci_error("column index out of range");
        return static_cast<int>(i);
    }
    int type(std::size_t i) const { return sqlite3_column_type(st_, col(i)); }
    std::string text(std::size_t i) const {
        const auto* p = sqlite3_column_text(st_, col(i));
        return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(st_, col(i))) : std::string();
    }
    sqlite3_stmt* st_;
    std::size_t n_;
};

// ---- PostgreSQL: libpq, one round trip per query (see pg_statements.hpp) ----------------------

using detail::pg_conn;

class PgRow final : public Row {
public:
    PgRow(PGresult* res, int row) : res_(res), row_(row), n_(static_cast<std::size_t>(PQnfields(res))) {}
    std::size_t size() const override { return n_; }
    bool null_at(std::size_t i) const override { return PQgetisnull(res_, row_, col(i)) != 0; }
    long long int64_at(std::size_t i) const override {
        if (null_at(i)) return 0;
        const char* v = PQgetvalue(res_, row_, col(i));
        if (v[0] == 't' && v[1] == '\0') return 1;  // boolean
        if (v[0] == 'f' && v[1] == '\0') return 0;
        return std::strtoll(v, nullptr, 10);
    }
    double double_at(std::size_t i) const override {
        return null_at(i) ? 0 : std::strtod(PQgetvalue(res_, row_, col(i)), nullptr);
    }
    std::string string_at(std::size_t i) const override {
        if (null_at(i)) return {};
        return std::string(PQgetvalue(res_, row_, col(i)), static_cast<std::size_t>(PQgetlength(res_, row_, col(i))));
    }

private:
    int col(std::size_t i) const {
        if (i >= n_) throw soci::soci_error("column index out of range");
        return static_cast<int>(i);
    }
    PGresult* res_;
    int row_;
    std::size_t n_;
};

/// The values of one run, as libpq's text parameters.
struct PgParams {
    std::vector<std::string> numbers;  // integers written out
    std::vector<const char*> values;
    std::vector<int> lengths;
};

PgParams pg_params(const std::deque<std::string>& strings, const std::deque<long long>& ints,
                   const std::vector<std::pair<bool, std::size_t>>& order) {
    PgParams p;
    p.numbers.reserve(order.size());
    for (const auto& [is_string, idx] : order)
        if (!is_string) p.numbers.push_back(std::to_string(ints[idx]));
    std::size_t number = 0;
    for (const auto& [is_string, idx] : order) {
        const std::string& v = is_string ? strings[idx] : p.numbers[number++];
        p.values.push_back(v.c_str());
        p.lengths.push_back(static_cast<int>(v.size()));
    }
    return p;
}

/// Runs `text` with `p` (a named statement where the connection keeps them); the result is
/// checked and owned by the caller.
struct PgResult {
    PGresult* res = nullptr;
    ~PgResult() { PQclear(res); }
};

void pg_run(PGconn* conn, const std::string& text, const PgParams& p, PgResult& out) {
    const int n = static_cast<int>(p.values.size());
    if (auto* statements = detail::PgStatements::of(conn)) {
        const std::string& name = statements->prepared(text);
        out.res = PQexecPrepared(conn, name.c_str(), n, p.values.data(), p.lengths.data(), nullptr, 0);
    } else {
        out.res = PQexecParams(conn, detail::pg_placeholders(text).c_str(), n, nullptr, p.values.data(),
                               p.lengths.data(), nullptr, 0);
    }
    auto status = PQresultStatus(out.res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        PGresult* failed = out.res;
        out.res = nullptr;
        detail::pg_check(conn, failed, "query");
    }
}

long long pg_affected(PGresult* res) {
    const char* n = PQcmdTuples(res);
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

// ---- Other engines: SOCI ------------------------------------------------------------------------

template <class Prep>
void bind_soci(Prep& pt, std::deque<std::string>& strings, std::deque<long long>& ints,
               const std::vector<std::pair<bool, std::size_t>>& order) {
    for (std::size_t k = 0; k < order.size(); ++k) {
        auto name = "p" + std::to_string(k + 1);
        if (order[k].first) pt, soci::use(strings[order[k].second], name);
        else pt, soci::use(ints[order[k].second], name);
    }
}

class SociRow final : public Row {
public:
    explicit SociRow(const soci::row& r) : r_(r) {}
    std::size_t size() const override { return r_.size(); }
    bool null_at(std::size_t i) const override { return r_.get_indicator(i) == soci::i_null; }
    long long int64_at(std::size_t i) const override {
        if (null_at(i)) return 0;
        switch (r_.get_properties(i).get_data_type()) {
        case soci::dt_integer: return r_.get<int>(i);
        case soci::dt_long_long: return r_.get<long long>(i);
        case soci::dt_unsigned_long_long: return static_cast<long long>(r_.get<unsigned long long>(i));
        case soci::dt_double: return static_cast<long long>(r_.get<double>(i));
        case soci::dt_string: return std::stoll(r_.get<std::string>(i));
        default: return 0;
        }
    }
    double double_at(std::size_t i) const override {
        if (null_at(i)) return 0;
        if (r_.get_properties(i).get_data_type() == soci::dt_double) return r_.get<double>(i);
        if (r_.get_properties(i).get_data_type() == soci::dt_string) return std::stod(r_.get<std::string>(i));
        return static_cast<double>(int64_at(i));
    }
    std::string string_at(std::size_t i) const override {
        if (null_at(i)) return {};
        switch (r_.get_properties(i).get_data_type()) {
        case soci::dt_string: return r_.get<std::string>(i);
        case soci::dt_integer: return std::to_string(r_.get<int>(i));
        case soci::dt_long_long: return std::to_string(r_.get<long long>(i));
        default: return r_.get<std::string>(i);
        }
    }

private:
    const soci::row& r_;
};

}  // namespace

void Query::for_each(soci::session& sql, const std::function<void(const Row&)>& fn) {
    if (sqlite3* conn = sqlite_conn(sql)) {
        Leased st(conn, text_);
        bind_native(st, strings_, ints_, order_);
        SqliteRow row(st.get());
        int rc;
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) fn(row);
        if (rc != SQLITE_DONE) fail(conn, rc, "step");
        return;
    }
    if (PGconn* conn = pg_conn(sql)) {
        PgResult res;
        pg_run(conn, text_, pg_params(strings_, ints_, order_), res);
        for (int i = 0, n = PQntuples(res.res); i < n; ++i) fn(PgRow(res.res, i));
        return;
    }
    soci::details::prepare_temp_type pt = (sql.prepare << text_);
    bind_soci(pt, strings_, ints_, order_);
    soci::rowset<soci::row> rows(pt);
    for (const auto& r : rows) fn(SociRow(r));
}

long long Query::execute(soci::session& sql) {
    if (sqlite3* conn = sqlite_conn(sql)) {
        Leased st(conn, text_);
        bind_native(st, strings_, ints_, order_);
        run_to_done(st);
        return sqlite3_changes(conn);
    }
    if (PGconn* conn = pg_conn(sql)) {
        PgResult res;
        pg_run(conn, text_, pg_params(strings_, ints_, order_), res);
        return pg_affected(res.res);
    }
    soci::details::prepare_temp_type pt = (sql.prepare << text_);
    bind_soci(pt, strings_, ints_, order_);
    soci::statement st(pt);
    st.execute(true);
    return st.get_affected_rows();
}

struct Repeated::Impl {
    soci::session& sql;
    std::string text;
    std::optional<Leased> st;  // SQLite
    int next = 1;
    std::deque<std::string> strings;  // elsewhere: the row's values, copied
    std::deque<long long> ints;
    std::vector<std::pair<bool, std::size_t>> order;
};

Repeated::Repeated(soci::session& sql, const std::string& text)
    : impl_(new Impl{sql, text, {}, 1, {}, {}, {}}) {
    if (sqlite3* conn = sqlite_conn(sql)) impl_->st.emplace(conn, impl_->text);
}

Repeated::~Repeated() = default;

Repeated& Repeated::bind(std::string_view value) {
    if (impl_->st) {
        int rc = sqlite3_bind_text(impl_->st->get(), impl_->next++, value.data(),
                                   static_cast<int>(value.size()), SQLITE_STATIC);
        if (rc != SQLITE_OK) fail(impl_->st->conn(), rc, "bind");
    } else {
        impl_->order.emplace_back(true, impl_->strings.size());
        impl_->strings.emplace_back(value);
    }
    return *this;
}

Repeated& Repeated::bind(long long value) {
    if (impl_->st) {
        int rc = sqlite3_bind_int64(impl_->st->get(), impl_->next++, value);
        if (rc != SQLITE_OK) fail(impl_->st->conn(), rc, "bind");
    } else {
        impl_->order.emplace_back(false, impl_->ints.size());
        impl_->ints.push_back(value);
    }
    return *this;
}

long long Repeated::run() {
    if (impl_->st) {
        const Leased& st = *impl_->st;
        std::size_t values = static_cast<std::size_t>(impl_->next - 1);
        impl_->next = 1;  // the next row starts afresh, whether this one runs or not
        struct Clear {
            sqlite3_stmt* st;
            ~Clear() {
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
            }
        } clear{st.get()};
        expect_parameters(st.get(), values);
        run_to_done(st);
        return sqlite3_changes(st.conn());
    }
    struct Clear {
        Impl& impl;
        ~Clear() {
            impl.strings.clear();
            impl.ints.clear();
            impl.order.clear();
        }
    } clear{*impl_};
    if (PGconn* conn = pg_conn(impl_->sql)) {
        PgResult res;
        pg_run(conn, impl_->text, pg_params(impl_->strings, impl_->ints, impl_->order), res);
        return pg_affected(res.res);
    }
    soci::details::prepare_temp_type pt = (impl_->sql.prepare << impl_->text);
    bind_soci(pt, impl_->strings, impl_->ints, impl_->order);
    soci::statement st(pt);
    st.execute(true);
    return st.get_affected_rows();
}

void exec(soci::session& sql, const std::string& statement) {
    if (sqlite3* conn = sqlite_conn(sql)) {
        Leased st(conn, statement);
        run_to_done(st);
        return;
    }
    if (PGconn* conn = pg_conn(sql)) {
        detail::pg_check(conn, PQexec(conn, statement.c_str()), "exec");
        return;
    }
    sql << statement;
}

}  // namespace medisecure::db
