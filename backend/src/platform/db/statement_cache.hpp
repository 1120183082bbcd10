// SPDX-License-Identifier: Apache-2.0
// Prepared SQLite statements kept per connection, so that a query the server runs thousands of
// times a second is parsed and planned once. Each Database registers one cache per pooled
// connection and finalizes it before the connection closes; a connection without a cache
// (opened outside a Database) simply prepares every time. Internal to platform/db.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace sqlite_api {
struct sqlite3;
struct sqlite3_stmt;
}  // namespace sqlite_api

namespace soci {
class session;
}

namespace medisecure::db::detail {

using sqlite_api::sqlite3;
using sqlite_api::sqlite3_stmt;

/// The native connection under a SOCI session on SQLite; null on another engine.
sqlite3* sqlite_conn(soci::session& sql);

class StatementCache {
public:
    explicit StatementCache(sqlite3* conn) : conn_(conn) {}
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    /// A statement ready to bind, reset and with no bindings; `cached` tells whether it must be
    /// handed back with release() (true) or finalized by the caller (false: it was in use).
    sqlite3_stmt* acquire(const std::string& sql, bool& cached);
    void release(sqlite3_stmt* st);

    /// Registry by connection: the cache of `conn`, or null.
    static StatementCache* of(sqlite3* conn);
    static void attach(sqlite3* conn, std::unique_ptr<StatementCache> cache);
    static void detach(sqlite3* conn);

private:
    struct Entry {
        sqlite3_stmt* stmt = nullptr;
        bool busy = false;
    };
    static constexpr std::size_t kMaxStatements = 256;
    sqlite3* conn_;
    std::unordered_map<std::string, Entry> entries_;
    std::unordered_map<sqlite3_stmt*, Entry*> by_stmt_;
};

}  // namespace medisecure::db::detail
