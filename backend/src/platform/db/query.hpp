// SPDX-License-Identifier: Apache-2.0
// Queries assembled at run time (optional filters) with every value bound, never spliced into
// the SQL text. On SQLite they run as prepared statements kept per connection (parsed once,
// rows read straight from the statement); on PostgreSQL through libpq, as named statements
// kept per connection (one round trip each, see pg_statements.hpp); elsewhere through SOCI.
// Rows are read with the tolerant readers of row.hpp.
#pragma once

#include <soci/soci.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/db/row.hpp"

namespace medisecure::db {

/// A column value for tables written from a (name, value) list.
using Value = std::variant<std::string, long long>;

class Query {
public:
    explicit Query(std::string_view sql = {}) : text_(sql) {}
    Query& sql(std::string_view fragment) {
        text_ += fragment;
        return *this;
    }
    /// Appends a placeholder for `value` to the SQL text.
    Query& bind(std::string value);
    Query& bind(long long value);
    Query& bind(const Value& value);
    /// "INSERT INTO <table> (c1, c2…) VALUES (:p1, :p2…)" from a column list.
    static Query insert(std::string_view table, const std::vector<std::pair<const char*, Value>>& columns);
    /// One INSERT of several rows with the columns of the first; every row lists the same
    /// columns in the same order. One round trip on PostgreSQL instead of one per row.
    static Query insert(std::string_view table, const std::vector<std::vector<std::pair<const char*, Value>>>& rows);
    const std::string& text() const { return text_; }
    /// The same query with `prefix` before its text and the same values (EXPLAIN … in tests).
    Query with_prefix(std::string_view prefix) const {
        Query q = *this;
        q.text_.insert(0, prefix);
        return q;
    }
    /// Runs the query and calls `fn` for each row (the row is valid during the call only).
    void for_each(soci::session& sql, const std::function<void(const Row&)>& fn);
    /// Runs a statement that returns no rows; returns the affected row count.
    long long execute(soci::session& sql);

private:
    std::string next_name();
    std::string text_;
    std::deque<std::string> strings_;
    std::deque<long long> ints_;
    std::vector<std::pair<bool, std::size_t>> order_;  // (is_string, index) per placeholder
};

/// One fixed statement (parameters :p1, :p2… in order, as Query::insert writes them) run once
/// per row. On SQLite the statement is taken from the connection's cache once and each row's
/// values are bound in place, without copies, then stepped; elsewhere each row runs through
/// SOCI with copies of its values. A bound string must stay alive until run() returns.
class Repeated {
public:
    Repeated(soci::session& sql, const std::string& text);
    ~Repeated();
    Repeated(const Repeated&) = delete;
    Repeated& operator=(const Repeated&) = delete;
    Repeated& bind(std::string_view value);
    Repeated& bind(long long value);
    /// Runs the statement with the values bound since the last run; returns the rows changed.
    long long run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Runs one fixed statement without parameters or rows (BEGIN, COMMIT…), prepared once per
/// connection on SQLite.
void exec(soci::session& sql, const std::string& statement);

}  // namespace medisecure::db
