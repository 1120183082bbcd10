// SPDX-License-Identifier: Apache-2.0
#include "platform/db/query.hpp"

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

Query Query::insert(std::string_view table, const std::vector<std::pair<const char*, Value>>& columns) {
    Query q("INSERT INTO ");
    q.sql(table).sql(" (");
    for (std::size_t i = 0; i < columns.size(); ++i) q.sql(i ? ", " : "").sql(columns[i].first);
    q.sql(") VALUES (");
    for (std::size_t i = 0; i < columns.size(); ++i) q.sql(i ? ", " : "").bind(columns[i].second);
    q.sql(")");
    return q;
}

namespace {
template <class Prep>
void bind_all(Prep& pt, std::deque<std::string>& strings, std::deque<long long>& ints,
              const std::vector<std::pair<bool, std::size_t>>& order) {
    for (std::size_t k = 0; k < order.size(); ++k) {
        auto name = "p" + std::to_string(k + 1);
        if (order[k].first) pt, soci::use(strings[order[k].second], name);
        else pt, soci::use(ints[order[k].second], name);
    }
}
}  // namespace

void Query::for_each(soci::session& sql, const std::function<void(const soci::row&)>& fn) {
    soci::details::prepare_temp_type pt = (sql.prepare << text_);
    bind_all(pt, strings_, ints_, order_);
    soci::rowset<soci::row> rows(pt);
    for (const auto& r : rows) fn(r);
}

long long Query::execute(soci::session& sql) {
    soci::details::prepare_temp_type pt = (sql.prepare << text_);
    bind_all(pt, strings_, ints_, order_);
    soci::statement st(pt);
    st.execute(true);
    return st.get_affected_rows();
}

bool is_null(const soci::row& r, std::size_t i) { return r.get_indicator(i) == soci::i_null; }

long long as_int64(const soci::row& r, std::size_t i) {
    if (is_null(r, i)) return 0;
    switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double: return static_cast<long long>(r.get<double>(i));
    case soci::dt_string: return std::stoll(r.get<std::string>(i));
    default: return 0;
    }
}

double as_double(const soci::row& r, std::size_t i) {
    if (is_null(r, i)) return 0;
    if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
    if (r.get_properties(i).get_data_type() == soci::dt_string) return std::stod(r.get<std::string>(i));
    return static_cast<double>(as_int64(r, i));
}

std::string as_string(const soci::row& r, std::size_t i) {
    if (is_null(r, i)) return {};
    switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_integer: return std::to_string(r.get<int>(i));
    case soci::dt_long_long: return std::to_string(r.get<long long>(i));
    default: return r.get<std::string>(i);
    }
}

}  // namespace medisecure::db
