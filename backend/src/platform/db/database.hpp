// SPDX-License-Identifier: Apache-2.0
// A database of one bounded context: a pool of SOCI sessions on SQLite, PostgreSQL or MariaDB
// (opened on demand up to a cap), and
// transactions that retry on lock contention or serialization failure (bounded, with jitter).
// On SQLite, where one writer at a time holds the file anyway, writes go through group commit:
// one writer thread runs the waiting write functions back to back in one transaction, and a
// single fsync makes the whole batch durable before any caller returns. A write that fails is
// undone alone: the batch then runs again with each write inside its own savepoint.
// Blocking: yes, call from the worker pool. Thread safety: safe; each call leases a session.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <optional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace medisecure::db {

enum class Dialect { sqlite, postgresql, mariadb };
std::string_view to_string(Dialect d);

struct DbUrl {
    Dialect dialect = Dialect::sqlite;
    std::string target;    // SQLite: file path; PostgreSQL: a libpq connection string or URI;
                           // MariaDB: SOCI's MySQL connection string (key='value' pairs)
    std::string redacted;  // safe to print: the password replaced by ***
    /// `?pgbouncer=true`: connections go through a transaction pooler (PgBouncer), so nothing
    /// may rely on session state: queries run as unnamed statements.
    bool transaction_pooled = false;
};
/// Accepts sqlite:PATH, sqlite://PATH, sqlite:///ABS/PATH, postgresql://…, postgres://…, and
/// mariadb://user:password@host[:port]/db (or mysql://; user and password percent-encoded).
Result<DbUrl> parse_url(std::string_view url);

struct PoolStats {
    std::size_t size = 0;    // the cap: connections it may open
    std::size_t open = 0;    // connections open now
    std::size_t in_use = 0;  // of which leased
};

class Database {
public:
    Database(DbUrl url, std::size_t pool_size);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Dialect dialect() const { return url_.dialect; }
    const DbUrl& url() const { return url_; }
    PoolStats stats() const;
    /// True when a trivial query answers.
    bool ping();

    /// Runs fn(session) outside an explicit transaction (one statement is atomic on its own).
    template <class Fn>
    auto read(Fn&& fn) -> decltype(fn(std::declval<soci::session&>()));

    /// Runs fn(session) in one write transaction (SQLite: BEGIN IMMEDIATE). A Result holding an
    /// error, or an exception, rolls back. fn may run more than once (busy or serialization
    /// failures; on SQLite also when another write of its batch has to be undone alone): keep
    /// it free of side effects outside the database.
    template <class Fn>
    auto write(Fn&& fn) -> decltype(fn(std::declval<soci::session&>()));

    /// Writes committed per fsync on SQLite since start (group commit), for metrics; `isolated`
    /// counts the batches that ran again with a savepoint per write because one of their writes
    /// had to be undone alone (it threw, or refused after changing rows).
    struct GroupStats {
        std::uint64_t batches = 0, writes = 0, isolated = 0;
    };
    GroupStats group_stats() const;

    /// Brings the planner's statistics and the rows' visibility up to date after a bulk load
    /// (PostgreSQL: VACUUM (ANALYZE); MariaDB: ANALYZE TABLE of every table). SQLite plans
    /// without statistics unless asked to keep them, and is left so.
    void refresh_statistics();

    /// Runs a multi-statement script through the native driver (migrations).
    void exec_script(soci::session& sql, std::string_view script);

    /// A connection of the pool for the time of one read or write: an idle one, else a new one
    /// while the pool is under its cap, else the next one handed back. A connection found broken
    /// when it is handed back is closed, and a new one opened when next needed (the engine
    /// restarted, a network blip).
    class Lease {
    public:
        explicit Lease(Database& db);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        soci::session& operator*() { return *session_; }
        soci::session* operator->() { return session_.get(); }

    private:
        Database& db_;
        std::unique_ptr<soci::session> session_;
    };

private:
    class GroupCommit;
    /// Runs `job` in the next group commit and waits until its batch is durable (or rethrows
    /// what the job or the commit threw). The job returns false to roll its own changes back.
    void submit(const std::function<bool(soci::session&)>& job);
    void begin_write(soci::session& sql);
    static void commit(soci::session& sql);
    static void rollback(soci::session& sql) noexcept;
    static bool is_retryable(std::exception_ptr e);
    static void backoff(int attempt);
    static constexpr int kMaxAttempts = 5;

    std::unique_ptr<soci::session> open_session();
    static void close_session(std::unique_ptr<soci::session> s) noexcept;
    static bool broken(soci::session& s);

    DbUrl url_;
    std::size_t size_;
    // The pool: opened lazily up to size_, so that an instance holds only the connections its
    // load needs (the sum over instances must fit the engine's limit).
    mutable std::mutex pool_mu_;
    std::condition_variable pool_cv_;
    std::vector<std::unique_ptr<soci::session>> idle_;
    std::size_t open_ = 0;
    std::atomic<std::size_t> in_use_{0};
    std::unique_ptr<GroupCommit> group_;  // SQLite only
};

namespace detail {
template <class T>
constexpr bool is_result_v = requires(T t) { t.has_error(); };
}

template <class Fn>
auto Database::read(Fn&& fn) -> decltype(fn(std::declval<soci::session&>())) {
    Lease lease(*this);
    return fn(*lease);
}

template <class Fn>
auto Database::write(Fn&& fn) -> decltype(fn(std::declval<soci::session&>())) {
    using R = decltype(fn(std::declval<soci::session&>()));
    if (group_) {
        if constexpr (std::is_void_v<R>) {
            submit([&](soci::session& sql) {
                fn(sql);
                return true;
            });
            return;
        } else {
            std::optional<R> out;
            submit([&](soci::session& sql) {
                out.reset();  // a batch that is retried runs its jobs again
                out.emplace(fn(sql));
                if constexpr (detail::is_result_v<R>) return !out->has_error();
                return true;
            });
            return std::move(*out);
        }
    }
    for (int attempt = 1;; ++attempt) {
        Lease lease(*this);
        soci::session& sql = *lease;
        try {
            begin_write(sql);
            if constexpr (std::is_void_v<R>) {
                fn(sql);
                commit(sql);
                return;
            } else {
                R r = fn(sql);
                if constexpr (detail::is_result_v<R>) {
                    if (r.has_error()) {
                        rollback(sql);
                        return r;
                    }
                }
                commit(sql);
                return r;
            }
        } catch (...) {
            rollback(sql);
            if (attempt < kMaxAttempts && is_retryable(std::current_exception())) {
                backoff(attempt);
                continue;
            }
            throw;
        }
    }
}

/// A connection to the engine could not be opened (it is down, restarting, or refuses): the
/// request that needed it can be retried later, unlike a bug. The HTTP layer answers 503.
class EngineUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// True for a UNIQUE/PRIMARY KEY violation (SQLite constraint error, PostgreSQL 23505,
/// MariaDB 1062).
bool is_unique_violation(std::exception_ptr e);

/// SOCI indicator helpers for nullable columns.
inline std::string or_empty(const std::string& v, soci::indicator ind) {
    return ind == soci::i_ok ? v : std::string{};
}

}  // namespace medisecure::db
