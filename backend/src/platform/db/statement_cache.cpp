// SPDX-License-Identifier: Apache-2.0
#include "platform/db/statement_cache.hpp"

#include <mutex>

#include <soci/sqlite3/soci-sqlite3.h>

namespace medisecure::db::detail {

using namespace sqlite_api;

namespace {
std::mutex registry_mu;
std::unordered_map<sqlite3*, std::unique_ptr<StatementCache>>& registry() {
    static std::unordered_map<sqlite3*, std::unique_ptr<StatementCache>> r;
    return r;
}

sqlite3_stmt* prepare(sqlite3* conn, const std::string& sql, unsigned flags) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(conn, sql.c_str(), static_cast<int>(sql.size() + 1), flags, &st, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = sqlite3_errmsg(conn);
        sqlite3_finalize(st);
        throw soci::sqlite3_soci_error("sqlite3_prepare_v3: " + msg, rc);
    }
    return st;
}
}  // namespace

StatementCache::~StatementCache() {
    for (auto& [sql, e] : entries_) sqlite3_finalize(e.stmt);
}

sqlite3_stmt* StatementCache::acquire(const std::string& sql, bool& cached) {
    auto it = entries_.find(sql);
    if (it != entries_.end()) {
        if (it->second.busy) {  // the same query nested inside its own row callback
            cached = false;
            return prepare(conn_, sql, 0);
        }
        it->second.busy = true;
        cached = true;
        return it->second.stmt;
    }
    if (entries_.size() >= kMaxStatements) {
        // Queries assembled from optional filters have many shapes; start afresh rather than
        // grow without bound (statements in use stay).
        for (auto e = entries_.begin(); e != entries_.end();) {
            if (e->second.busy) {
                ++e;
                continue;
            }
            by_stmt_.erase(e->second.stmt);
            sqlite3_finalize(e->second.stmt);
            e = entries_.erase(e);
        }
    }
    sqlite3_stmt* st = prepare(conn_, sql, SQLITE_PREPARE_PERSISTENT);
    auto& entry = entries_[sql];
    entry.stmt = st;
    entry.busy = true;
    by_stmt_[st] = &entry;
    cached = true;
    return st;
}

void StatementCache::release(sqlite3_stmt* st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (auto it = by_stmt_.find(st); it != by_stmt_.end()) it->second->busy = false;
}

StatementCache* StatementCache::of(sqlite3* conn) {
    std::lock_guard lock(registry_mu);
    auto it = registry().find(conn);
    return it == registry().end() ? nullptr : it->second.get();
}

void StatementCache::attach(sqlite3* conn, std::unique_ptr<StatementCache> cache) {
    std::lock_guard lock(registry_mu);
    registry()[conn] = std::move(cache);
}

void StatementCache::detach(sqlite3* conn) {
    std::unique_ptr<StatementCache> gone;
    {
        std::lock_guard lock(registry_mu);
        auto it = registry().find(conn);
        if (it == registry().end()) return;
        gone = std::move(it->second);
        registry().erase(it);
    }
}

}  // namespace medisecure::db::detail
