// SPDX-License-Identifier: Apache-2.0
// Versioned schema migrations per context and dialect, embedded in the binary
// (migrations/<dialect>/<context>/V0001__name.sql). A migration that was changed after it was
// applied is reported, never silently re-run.
#pragma once

#include <string>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/db/schema_state.hpp"

namespace medisecure::db {

struct MigrationSource {
    const char* dialect;
    const char* context;
    const char* file;
    const char* sql;
};
/// Generated at build time from backend/migrations.
const std::vector<MigrationSource>& embedded_migrations();

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;
    std::string checksum;
};
std::vector<Migration> migrations_for(Dialect d, std::string_view context);

class Migrator {
public:
    Migrator(Database& db, std::string context);
    /// With an explicit migration list (tests).
    Migrator(Database& db, std::string context, std::vector<Migration> migrations);
    /// Reads the applied versions without changing anything.
    SchemaState state();
    /// Applies pending migrations, each in its own transaction; returns how many ran.
    /// On PostgreSQL an advisory lock keeps concurrent instances from migrating twice.
    int migrate();
    /// The start-up rule (db::ensure_schema) on this database.
    std::string ensure(bool allow_migrate);

private:
    bool table_exists(soci::session& sql);
    Database& db_;
    std::string context_;
    std::vector<Migration> migrations_;
};

}  // namespace medisecure::db
