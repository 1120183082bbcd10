// SPDX-License-Identifier: Apache-2.0
// Where a context database's schema stands against the binary's, and the start-up rule shared by
// every engine's migrator (SQL: platform/db/migrator.hpp; MongoDB: platform/mongo/migrator.hpp).
// No I/O of its own.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace medisecure::db {

struct SchemaState {
    std::string context;
    int current = 0;
    int latest = 0;
    std::vector<std::string> problems;  // modified migrations, unknown versions
    bool up_to_date() const { return current == latest && problems.empty(); }
    bool behind() const { return current < latest; }
    bool ahead() const { return current > latest; }
};

/// The start-up rule: a fresh database is created; an older schema is upgraded only when
/// `allow_migrate`; a newer or modified one is refused. `migrate` applies the pending migrations
/// and returns how many ran. Returns what was done; throws std::runtime_error with the reason
/// when refusing.
std::string ensure_schema(const SchemaState& st, bool allow_migrate,
                          const std::function<int()>& migrate);

}  // namespace medisecure::db
