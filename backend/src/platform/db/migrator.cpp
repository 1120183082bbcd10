// SPDX-License-Identifier: Apache-2.0
#include "platform/db/migrator.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/clock.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/db/query.hpp"
#include "platform/db/row.hpp"
#include "platform/log/log.hpp"

namespace medisecure::db {

std::vector<Migration> migrations_for(Dialect d, std::string_view context) {
    std::vector<Migration> out;
    for (const auto& m : embedded_migrations()) {
        if (to_string(d) != m.dialect || context != m.context) continue;
        std::string file = m.file;  // V0001__create_users.sql
        auto sep = file.find("__");
        if (file.size() < 6 || file[0] != 'V' || sep == std::string::npos)
            throw std::logic_error("badly named migration: " + file);
        Migration mig;
        mig.version = std::stoi(file.substr(1, sep - 1));
        mig.name = file.substr(sep + 2, file.size() - sep - 2 - 4);
        mig.sql = m.sql;
        mig.checksum = crypto::sha256_hex(mig.sql);
        out.push_back(std::move(mig));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    for (std::size_t i = 0; i < out.size(); ++i)
        if (out[i].version != static_cast<int>(i) + 1)
            throw std::logic_error("migrations of " + std::string(context) + " are not numbered 1..n");
    return out;
}

Migrator::Migrator(Database& db, std::string context)
    : db_(db), context_(std::move(context)), migrations_(migrations_for(db.dialect(), context_)) {}

Migrator::Migrator(Database& db, std::string context, std::vector<Migration> migrations)
    : db_(db), context_(std::move(context)), migrations_(std::move(migrations)) {}

std::string Migrator::ensure(bool allow_migrate) {
    if (migrations_.empty())
        throw std::runtime_error("database." + context_ + ": MediSecure has no schema for " +
                                 std::string(to_string(db_.dialect())) + " in this context");
    return ensure_schema(state(), allow_migrate, [this] { return migrate(); });
}

bool Migrator::table_exists(soci::session& sql) {
    int n = 0;
    if (db_.dialect() == Dialect::sqlite)
        sql << "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'",
            soci::into(n);
    else if (db_.dialect() == Dialect::mariadb)
        sql << "SELECT count(*) FROM information_schema.tables WHERE table_name='schema_migrations' "
               "AND table_schema=DATABASE()",
            soci::into(n);
    else
        sql << "SELECT count(*) FROM information_schema.tables WHERE table_name='schema_migrations' "
               "AND table_schema=current_schema()",
            soci::into(n);
    return n > 0;
}

SchemaState Migrator::state() {
    SchemaState st;
    st.context = context_;
    st.latest = migrations_.empty() ? 0 : migrations_.back().version;
    db_.read([&](soci::session& sql) {
        if (!table_exists(sql)) return;
        // Through db::Query: a SOCI rowset is a named prepared statement, which a transaction
        // pooler (PgBouncer) may send to another server connection than the one it was prepared on.
        Query q("SELECT version, checksum FROM schema_migrations WHERE context = ");
        q.bind(context_).sql(" ORDER BY version");
        q.for_each(sql, [&](const Row& r) {
            const int version = static_cast<int>(as_int64(r, 0));
            const std::string checksum = as_string(r, 1);
            st.current = std::max(st.current, version);
            if (version > st.latest) return;
            if (migrations_[version - 1].checksum != checksum)
                st.problems.push_back("migration V" + std::to_string(version) + " of " + context_ +
                                      " was modified after it was applied");
        });
    });
    return st;
}

int Migrator::migrate() {
    if (db_.url().transaction_pooled)
        throw std::runtime_error("migrations hold a session lock, which a transaction pooler does not keep: run "
                                 "`medisecure migrate` against PostgreSQL directly, not through PgBouncer");
    Database::Lease lease(db_);
    soci::session& sql = *lease;
    const Dialect d = db_.dialect();
    // Instances starting together migrate once: a session lock (SQLite's BEGIN IMMEDIATE
    // serialises them already).
    if (d == Dialect::postgresql) sql << "SELECT pg_advisory_lock(7261001)";
    if (d == Dialect::mariadb) {
        int got = 0;
        sql << "SELECT GET_LOCK('medisecure.migrate', 120)", soci::into(got);
        if (got != 1) throw std::runtime_error("another instance has been migrating for 120 s: try again");
    }
    auto unlock = [&] {
        if (d == Dialect::postgresql) sql << "SELECT pg_advisory_unlock(7261001)";
        if (d == Dialect::mariadb) sql << "DO RELEASE_LOCK('medisecure.migrate')";
    };
    int applied = 0;
    try {
        // MariaDB keys on VARCHAR, not TEXT; the same columns otherwise.
        sql << (d == Dialect::mariadb ? "CREATE TABLE IF NOT EXISTS schema_migrations (context VARCHAR(64) NOT NULL, "
                                        "version INTEGER NOT NULL, name VARCHAR(255) NOT NULL, checksum VARCHAR(128) "
                                        "NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (context, version)) "
                                        "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                                      : "CREATE TABLE IF NOT EXISTS schema_migrations (context TEXT NOT NULL, version "
                                        "INTEGER NOT NULL, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at "
                                        "BIGINT NOT NULL, PRIMARY KEY (context, version))");
        int current = 0;
        soci::indicator ind = soci::i_null;
        sql << "SELECT max(version) FROM schema_migrations WHERE context = :c", soci::use(context_),
            soci::into(current, ind);
        if (ind != soci::i_ok) current = 0;
        for (const auto& m : migrations_) {
            if (m.version <= current) continue;
            // On MariaDB every DDL statement commits by itself: its migrations are written to be
            // run again after a failure half-way (IF NOT EXISTS, INSERT IGNORE).
            sql << (d == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
            try {
                db_.exec_script(sql, m.sql);
                long long now = to_micros(SystemClock{}.now());
                int version = m.version;
                std::string name = m.name, checksum = m.checksum;
                sql << "INSERT INTO schema_migrations (context, version, name, checksum, applied_at) "
                       "VALUES (:c, :v, :n, :k, :t)",
                    soci::use(context_), soci::use(version), soci::use(name), soci::use(checksum),
                    soci::use(now);
                sql << "COMMIT";
            } catch (...) {
                try {
                    sql << "ROLLBACK";
                } catch (...) {
                }
                throw;
            }
            log::info("db.migrated", {{"context", context_}, {"version", m.version}, {"name", m.name}});
            ++applied;
        }
    } catch (...) {
        unlock();
        throw;
    }
    unlock();
    return applied;
}

}  // namespace medisecure::db
