// SPDX-License-Identifier: Apache-2.0
// Versioned schema steps for a context database on MongoDB. A collection needs no CREATE, so a
// step is the indexes it adds; the `schema_migrations` collection records each step applied
// (version, name, checksum of its index specifications). The start-up rule is the SQL
// migrator's (db::ensure_schema): a fresh database is created, an older one is upgraded only
// when asked, a newer or modified one is refused.
#pragma once

#include "platform/db/schema_state.hpp"
#include "platform/mongo/mongo.hpp"

#include <string>
#include <utility>
#include <vector>

namespace medisecure::mongo {

struct IndexSpec {
    std::string collection;
    std::string name;
    std::vector<std::pair<std::string, int>> keys;  // field, 1 or -1
    bool unique = false;
};

struct Migration {
    int version = 0;  // 1..n, in order
    std::string name;
    std::vector<IndexSpec> indexes;
    /// SHA-256 of the index specifications: a step changed after it was applied is reported.
    std::string checksum() const;
};

class Migrator {
public:
    /// Steps numbered 1..n.
    Migrator(Pool& pool, std::string context, std::vector<Migration> migrations);
    /// Reads the applied versions without changing anything.
    db::SchemaState state();
    /// Applies the pending steps; returns how many ran. Creating an index that exists with the
    /// same specification does nothing, and a step recorded twice is one duplicate key, so two
    /// instances migrating at once both succeed.
    int migrate();
    std::string ensure(bool allow_migrate);

private:
    Pool& pool_;
    std::string context_;
    std::vector<Migration> migrations_;
};

}  // namespace medisecure::mongo
