// SPDX-License-Identifier: Apache-2.0
// Every context's schema, migrated on SQLite and on PostgreSQL, compared by introspection: the
// same tables, the same columns in each, the same named indexes. The differences that are by
// design are listed here with their reason; any other one fails (a migration written for one
// dialect and forgotten in the other).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/db/query.hpp"
#include "test_support.hpp"

using namespace medisecure;

namespace {

struct Shape {
    std::map<std::string, std::set<std::string>> columns;  // table -> columns
    std::set<std::string> indexes;                         // named secondary indexes
};

std::vector<std::string> strings(db::Database& db, const std::string& sql) {
    std::vector<std::string> out;
    db.read([&](soci::session& s) { db::Query(sql).for_each(s, [&](const db::Row& r) { out.push_back(db::as_string(r, 0)); }); });
    return out;
}

Shape sqlite_shape(db::Database& db) {
    Shape s;
    for (const auto& t : strings(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        for (const auto& c : strings(db, "SELECT name FROM pragma_table_info('" + t + "')")) s.columns[t].insert(c);
    for (const auto& i : strings(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"))
        s.indexes.insert(i);
    return s;
}

Shape postgres_shape(db::Database& db) {
    Shape s;
    for (const auto& t : strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                                     "AND table_type = 'BASE TABLE'"))
        for (const auto& c : strings(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                         "current_schema() AND table_name = '" + t + "'"))
            s.columns[t].insert(c);
    // Secondary indexes: not those PostgreSQL makes for primary keys and unique constraints.
    for (const auto& i : strings(db, "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema() AND NOT EXISTS "
                                     "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"))
        s.indexes.insert(i);
    return s;
}

/// Tables that exist in one dialect only, by design, with the reason.
const std::map<std::string, std::set<std::string>> kOnlyOnSqlite = {
    // Name search: whole tokens in a WITHOUT ROWID table, read by a prefix range (SQLite's
    // B-tree reads a range of text keys in order; the embedded search cache answers repeats).
    {"patients", {"patient_tokens"}},
};
const std::map<std::string, std::set<std::string>> kOnlyOnPostgresql = {
    // Name search: every prefix of every token with the patient's sort key, so that the first
    // page of a prefix is one index range read from its start (patients V0004, docs/performance.md).
    {"patients", {"patient_prefixes"}},
};

std::set<std::string> by_design(const std::map<std::string, std::set<std::string>>& m, const std::string& ctx) {
    auto it = m.find(ctx);
    return it == m.end() ? std::set<std::string>{} : it->second;
}

std::string describe(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "(none)" : out;
}

std::set<std::string> minus(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::set<std::string> out;
    for (const auto& x : a)
        if (!b.count(x)) out.insert(x);
    return out;
}

}  // namespace

class SchemaAgreement : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemaAgreement, SqliteAndPostgresqlHaveTheSameTablesColumnsAndIndexes) {
    MS_REQUIRE_POSTGRES();
    const std::string ctx = GetParam();
    testkit::TempDir dir;
    auto lite = testkit::sqlite_database(dir, ctx);
    auto pg = testkit::postgres_database(ctx);
    const Shape a = sqlite_shape(*lite), b = postgres_shape(*pg);
    std::set<std::string> ta, tb;
    for (const auto& [t, c] : a.columns) ta.insert(t);
    for (const auto& [t, c] : b.columns) tb.insert(t);
    EXPECT_EQ(describe(minus(ta, tb)), describe(by_design(kOnlyOnSqlite, ctx))) << ctx << ": tables only on SQLite";
    EXPECT_EQ(describe(minus(tb, ta)), describe(by_design(kOnlyOnPostgresql, ctx))) << ctx << ": tables only on PostgreSQL";
    for (const auto& [t, cols] : a.columns) {
        auto it = b.columns.find(t);
        if (it == b.columns.end()) continue;
        EXPECT_EQ(describe(minus(cols, it->second)), "(none)") << ctx << "." << t << ": columns only on SQLite";
        EXPECT_EQ(describe(minus(it->second, cols)), "(none)") << ctx << "." << t << ": columns only on PostgreSQL";
    }
    EXPECT_EQ(describe(minus(a.indexes, b.indexes)), "(none)") << ctx << ": indexes only on SQLite";
    EXPECT_EQ(describe(minus(b.indexes, a.indexes)), "(none)") << ctx << ": indexes only on PostgreSQL";
}

INSTANTIATE_TEST_SUITE_P(Contexts, SchemaAgreement, ::testing::ValuesIn(config::database_contexts()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });
