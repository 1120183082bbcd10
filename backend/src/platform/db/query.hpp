// SPDX-License-Identifier: Apache-2.0
// Queries assembled at run time (optional filters) with every value bound, never spliced into
// the SQL text; and tolerant readers for soci::row columns (SQLite and PostgreSQL report
// integer widths differently).
#pragma once

#include <soci/soci.h>

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

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
    const std::string& text() const { return text_; }
    /// Runs the query and calls `fn` for each row.
    void for_each(soci::session& sql, const std::function<void(const soci::row&)>& fn);
    /// Runs a statement that returns no rows; returns the affected row count.
    long long execute(soci::session& sql);

private:
    std::string next_name();
    std::string text_;
    std::deque<std::string> strings_;
    std::deque<long long> ints_;
    std::vector<std::pair<bool, std::size_t>> order_;  // (is_string, index) per placeholder
};

long long as_int64(const soci::row& r, std::size_t i);
std::string as_string(const soci::row& r, std::size_t i);  // NULL reads as ""
double as_double(const soci::row& r, std::size_t i);
bool is_null(const soci::row& r, std::size_t i);

}  // namespace medisecure::db
