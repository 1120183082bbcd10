// SPDX-License-Identifier: Apache-2.0
// Every context's schema, migrated on SQLite and on PostgreSQL (and on MariaDB for the contexts
// it holds: billing), compared by introspection: the same tables, the same columns in each, the
// same named indexes. The differences that are by design are listed here with their reason; any
// other one fails (a migration written for one dialect and forgotten in another).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrator.hpp"
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

/// Tables and their columns from the standard information schema, in the schema (PostgreSQL)
/// or database (MariaDB) that `current` names.
Shape information_schema_tables(db::Database& db, const std::string& current) {
    Shape s;
    for (const auto& t : strings(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = " + current +
                                     " AND table_type = 'BASE TABLE'"))
        for (const auto& c : strings(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = " +
                                         current + " AND table_name = '" + t + "'"))
            s.columns[t].insert(c);
    return s;
}

Shape postgres_shape(db::Database& db) {
    Shape s = information_schema_tables(db, "current_schema()");
    // Secondary indexes: not those PostgreSQL makes for primary keys and unique constraints.
    for (const auto& i : strings(db, "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema() AND NOT EXISTS "
                                     "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"))
        s.indexes.insert(i);
    return s;
}

Shape mariadb_shape(db::Database& db) {
    Shape s = information_schema_tables(db, "DATABASE()");
    // Secondary indexes: not those of primary keys and unique constraints (an index MariaDB
    // would make by itself for a foreign key is counted: it is one the other engines lack).
    for (const auto& i : strings(db, "SELECT DISTINCT s.index_name FROM information_schema.statistics s WHERE s.table_schema = "
                                     "DATABASE() AND NOT EXISTS (SELECT 1 FROM information_schema.table_constraints c WHERE "
                                     "c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.constraint_name = "
                                     "s.index_name AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE'))"))
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

/// The differences between two engines' shapes of `ctx` beyond those listed by design, as
/// test failures.
void expect_same(const std::string& ctx, const Shape& a, const Shape& b, const std::string& other,
                 const std::set<std::string>& only_a, const std::set<std::string>& only_b) {
    std::set<std::string> ta, tb;
    for (const auto& [t, c] : a.columns) ta.insert(t);
    for (const auto& [t, c] : b.columns) tb.insert(t);
    EXPECT_EQ(describe(minus(ta, tb)), describe(only_a)) << ctx << ": tables only on SQLite";
    EXPECT_EQ(describe(minus(tb, ta)), describe(only_b)) << ctx << ": tables only on " << other;
    for (const auto& [t, cols] : a.columns) {
        auto it = b.columns.find(t);
        if (it == b.columns.end()) continue;
        EXPECT_EQ(describe(minus(cols, it->second)), "(none)") << ctx << "." << t << ": columns only on SQLite";
        EXPECT_EQ(describe(minus(it->second, cols)), "(none)") << ctx << "." << t << ": columns only on " << other;
    }
    EXPECT_EQ(describe(minus(a.indexes, b.indexes)), "(none)") << ctx << ": indexes only on SQLite";
    EXPECT_EQ(describe(minus(b.indexes, a.indexes)), "(none)") << ctx << ": indexes only on " << other;
}

}  // namespace

class SchemaAgreement : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemaAgreement, SqliteAndPostgresqlHaveTheSameTablesColumnsAndIndexes) {
    MS_REQUIRE_POSTGRES();
    const std::string ctx = GetParam();
    testkit::TempDir dir;
    auto lite = testkit::sqlite_database(dir, ctx);
    auto pg = testkit::postgres_database(ctx);
    expect_same(ctx, sqlite_shape(*lite), postgres_shape(*pg), "PostgreSQL", by_design(kOnlyOnSqlite, ctx),
                by_design(kOnlyOnPostgresql, ctx));
}

INSTANTIATE_TEST_SUITE_P(Contexts, SchemaAgreement, ::testing::ValuesIn(config::database_contexts()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// MariaDB holds billing only (the specification's engine for it): the contexts it has
// migrations for, which must be every one the configuration lets point at it.
TEST(SchemaAgreement, SqliteAndMariadbHaveTheSameTablesColumnsAndIndexes) {
    MS_REQUIRE_MARIADB();
    std::vector<std::string> held;
    for (const auto& ctx : config::database_contexts())
        if (!db::migrations_for(db::Dialect::mariadb, ctx).empty()) held.push_back(ctx);
    ASSERT_EQ(held, std::vector<std::string>{"billing"});
    for (const auto& ctx : held) {
        testkit::TempDir dir;
        auto lite = testkit::sqlite_database(dir, ctx);
        auto maria = testkit::mariadb_database(ctx);
        EXPECT_EQ(db::migrations_for(db::Dialect::mariadb, ctx).size(), db::migrations_for(db::Dialect::sqlite, ctx).size())
            << ctx << ": one migration per change per dialect";
        expect_same(ctx, sqlite_shape(*lite), mariadb_shape(*maria), "MariaDB", {}, {});
    }
}
