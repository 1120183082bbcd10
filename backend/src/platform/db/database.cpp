// SPDX-License-Identifier: Apache-2.0
#include "platform/db/database.hpp"

#include <libpq-fe.h>
#include <mysqld_error.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "core/error.hpp"
#include "core/random.hpp"
#include "platform/db/batched_wal.hpp"
#include "platform/http/url.hpp"
#include "platform/db/query.hpp"
#include "platform/db/pg_statements.hpp"
#include "platform/db/statement_cache.hpp"
#include "platform/db/storage_full.hpp"
#include "platform/log/log.hpp"

namespace medisecure::db {

std::string_view to_string(Dialect d) {
    switch (d) {
    case Dialect::sqlite: return "sqlite";
    case Dialect::postgresql: return "postgresql";
    case Dialect::mariadb: return "mariadb";
    }
    return "sqlite";
}

namespace {

/// A value of SOCI's MySQL connection string: quoted, with ' and \ escaped.
std::string soci_quoted(std::string_view v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

/// mariadb://user:password@host:port/db → SOCI's MySQL connection string. utf8mb4 always (the
/// server's default may be latin1); bounded connect, read and write timeouts so that a server
/// gone silent fails a request instead of holding it.
Result<DbUrl> parse_mariadb_url(std::string_view url, std::string_view scheme) {
    std::string why;
    auto u = http::parse_server_url(url.substr(scheme.size()), 3306, &why);
    if (!u) return invalid_input("bad_database_url", "MariaDB URL: " + why);
    if (u->path.empty() || u->path.find_first_not_of(
                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$") != std::string::npos)
        return invalid_input("bad_database_url", "MariaDB URL: name the database after the host (letters, digits, _ and $)");
    if (!u->query.empty())
        return invalid_input("bad_database_url", "MariaDB URL: no options are accepted after '?'");
    DbUrl out;
    out.dialect = Dialect::mariadb;
    out.target = "host=" + soci_quoted(u->host) + " port=" + std::to_string(u->port) + " db=" + soci_quoted(u->path) +
                 " charset=utf8mb4 connect_timeout=10 read_timeout=60 write_timeout=60";
    if (u->has_credentials) out.target += " user=" + soci_quoted(u->username) + " password=" + soci_quoted(u->password);
    out.redacted = std::string(scheme) + (u->has_credentials ? u->username + ":***@" : "") + u->host + ":" +
                   std::to_string(u->port) + "/" + u->path;
    return out;
}

}  // namespace

Result<DbUrl> parse_url(std::string_view url) {
    DbUrl out;
    auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
    if (starts("sqlite:")) {
        out.dialect = Dialect::sqlite;
        std::string_view rest = url.substr(7);
        if (rest.substr(0, 2) == "//") rest.remove_prefix(2);  // sqlite://rel or sqlite:///abs
        if (rest.empty()) return invalid_input("bad_database_url", "sqlite URL without a path");
        out.target = std::string(rest);
        out.redacted = std::string(url);
        return out;
    }
    if (starts("postgresql://") || starts("postgres://")) {
        out.dialect = Dialect::postgresql;
        out.target = std::string(url);
        // pgbouncer=true (ours, not libpq's: removed from what libpq sees): behind a transaction
        // pooler, so no state may outlive a transaction (no named prepared statements).
        for (const char* flag : {"?pgbouncer=true&", "&pgbouncer=true", "?pgbouncer=true"}) {
            if (auto f = out.target.find(flag); f != std::string::npos) {
                const std::string_view fv(flag);
                out.target.erase(f + (fv.front() == '?' && fv.back() == '&' ? 1 : 0),
                                 fv.size() - (fv.front() == '?' && fv.back() == '&' ? 1 : 0));
                out.transaction_pooled = true;
                break;
            }
        }
        // Redact the password: scheme://user:secret@host → scheme://user:***@host
        out.redacted = out.target;
        auto scheme_end = out.redacted.find("://") + 3;
        auto at = out.redacted.find('@', scheme_end);
        if (at != std::string::npos) {
            auto colon = out.redacted.find(':', scheme_end);
            if (colon != std::string::npos && colon < at)
                out.redacted.replace(colon + 1, at - colon - 1, "***");
        }
        if (auto p = out.redacted.find("password="); p != std::string::npos) {
            auto end = out.redacted.find_first_of("& ", p);
            out.redacted.replace(p + 9, end == std::string::npos ? std::string::npos : end - p - 9, "***");
        }
        return out;
    }
    for (std::string_view scheme : {"mariadb://", "mysql://"})
        if (starts(scheme)) return parse_mariadb_url(url, scheme);
    return invalid_input("bad_database_url",
                         "database URL must start with sqlite:, postgresql:// or mariadb://");
}

namespace {

void configure_sqlite(soci::session& s) {
    // Durability first: WAL with a full fsync at every commit; waits instead of failing when
    // another connection holds the write lock.
    s << "PRAGMA journal_mode=WAL";
    s << "PRAGMA synchronous=FULL";
    s << "PRAGMA foreign_keys=ON";
    s << "PRAGMA busy_timeout=10000";
    s << "PRAGMA temp_store=MEMORY";
    // Checkpoint every 10,000 pages (about 40 MiB of WAL) instead of 1,000: an index page that
    // many writes touch is then copied back to the database once, not once per thousand pages
    // (creates went from about 2,600 to 3,400 per second). The file is cut back to 64 MiB.
    s << "PRAGMA wal_autocheckpoint=10000";
    s << "PRAGMA journal_size_limit=67108864";
    auto* conn = detail::sqlite_conn(s);
    detail::StatementCache::attach(conn, std::make_unique<detail::StatementCache>(conn));
}

/// The session's rules, whatever the server's configuration says: strict SQL (a value that does
/// not fit is an error, never silently cut or zeroed), READ COMMITTED (see docs/operations.md:
/// the same semantics as PostgreSQL's default, no gap locks between concurrent inserts; every
/// decision that must see the latest row locks it with FOR UPDATE), UTC, and a lock wait
/// bounded to 10 s so that a stuck transaction fails a request rather than holding it.
void configure_mariadb(soci::session& s) {
    s << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
         "NO_ENGINE_SUBSTITUTION'";
    s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    s << "SET SESSION time_zone = '+00:00'";
    s << "SET SESSION innodb_lock_wait_timeout = 10";
}

MYSQL* mariadb_conn(soci::session& s) {
    auto* be = s.get_backend();
    if (!be || be->get_backend_name() != "mysql") return nullptr;
    return static_cast<soci::mysql_session_backend*>(be)->conn_;
}

/// Runs `text` (several statements allowed) and reads every result it gives; throws the
/// server's error.
void mariadb_run(MYSQL* conn, const std::string& text) {
    auto fail = [&] { throw soci::mysql_soci_error(std::string("mariadb: ") + mysql_error(conn), static_cast<int>(mysql_errno(conn))); };
    mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
    struct Off {
        MYSQL* c;
        ~Off() { mysql_set_server_option(c, MYSQL_OPTION_MULTI_STATEMENTS_OFF); }
    } off{conn};
    if (mysql_real_query(conn, text.data(), text.size()) != 0) fail();
    for (;;) {
        if (MYSQL_RES* res = mysql_store_result(conn)) mysql_free_result(res);
        else if (mysql_field_count(conn) != 0) fail();
        int more = mysql_next_result(conn);
        if (more > 0) fail();
        if (more < 0) break;
    }
}

/// libpq accepts URIs and keyword/value strings; SOCI's own option parser mangles URIs (one
/// without '=' gains a trailing "="). Normalise to quoted keyword/value pairs through libpq.
std::string pg_conninfo(const std::string& target) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(target.c_str(), &err);
    if (!opts) {
        std::string msg = err ? err : "invalid connection string";
        if (err) PQfreemem(err);
        throw std::runtime_error("postgresql connection string: " + msg);
    }
    std::string out;
    for (auto* o = opts; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        std::string v;
        for (const char* c = o->val; *c; ++c) {
            if (*c == '\\' || *c == '\'') v += '\\';
            v += *c;
        }
        out += (out.empty() ? "" : " ") + std::string(o->keyword) + "='" + v + "'";
    }
    PQconninfoFree(opts);
    return out;
}

}  // namespace

/// The writer thread of a SQLite database and its own connection.
class Database::GroupCommit {
public:
    GroupCommit(Database& db, const std::string& target) : db_(db) {
        // Its log's writes are gathered and reach the file in one call per commit (see
        // batched_wal.hpp), which needs a sync of the log at every commit.
        sql_.open(soci::sqlite3, "db=\"" + sqlite_uri(target, true) + "\" timeout=10");
        configure_sqlite(sql_);
        int sync_level = 0;
        sql_ << "PRAGMA synchronous", soci::into(sync_level);
        if (sync_level < 2) throw std::runtime_error("sqlite writer: synchronous is not FULL");
        // Writes descend the same index pages over and over (the newest range of each index):
        // 16 MiB keeps them in the writer's cache instead of reading them back for each batch.
        // Readers keep the default 2 MiB.
        sql_ << "PRAGMA cache_size=-16384";
        thread_ = std::thread([this] {
            log::name_thread("ms-db-writer");
            run();
        });
    }
    ~GroupCommit() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        thread_.join();
        detail::StatementCache::detach(detail::sqlite_conn(sql_));
    }

    void submit(const std::function<bool(soci::session&)>& job) {
        if (std::this_thread::get_id() == thread_.get_id()) {
            // A write inside a write of the same database: part of the running transaction.
            run_one(job);
            return;
        }
        Pending p{&job, {}};
        auto done = p.done.get_future();
        {
            std::lock_guard lock(mu_);
            queue_.push_back(std::move(p));
        }
        cv_.notify_one();
        done.get();
    }

    GroupStats stats() const {
        std::lock_guard lock(mu_);
        return stats_;
    }

private:
    struct Pending {
        const std::function<bool(soci::session&)>* job;
        std::promise<void> done;
    };
    static constexpr std::size_t kMaxBatch = 256;

    /// One job in its savepoint; its exception, if any, is returned rather than thrown.
    std::exception_ptr run_one(const std::function<bool(soci::session&)>& job) {
        static const std::string savepoint = "SAVEPOINT w", rollback = "ROLLBACK TO w", release = "RELEASE w";
        exec(sql_, savepoint);
        try {
            if (!job(sql_)) exec(sql_, rollback);
            exec(sql_, release);
            return nullptr;
        } catch (...) {
            auto e = std::current_exception();
            try {
                exec(sql_, rollback);
                exec(sql_, release);
            } catch (...) {
                // The transaction itself is gone; the commit below reports it.
            }
            return e;
        }
    }

    /// The batch's jobs one after another in the open transaction, without a savepoint each
    /// (a savepoint copies every page a job touches before it changes it). False when one of them
    /// has to be undone on its own: it threw, or it returned false after changing rows. A job
    /// that returns false without having changed a row (a booking that finds its slot taken)
    /// needs no undo. Changes that are not rows are not counted: a job that returns false has
    /// changed no schema (schema changes are migrations, outside group commit).
    bool run_together(const std::vector<Pending>& batch) {
        auto* conn = detail::sqlite_conn(sql_);
        for (const auto& p : batch) {
            auto before = sqlite_api::sqlite3_total_changes64(conn);
            try {
                if (!(*p.job)(sql_) && sqlite_api::sqlite3_total_changes64(conn) != before) return false;
            } catch (...) {
                return false;
            }
        }
        return true;
    }

    void run() {
        for (;;) {
            std::vector<Pending> batch;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;
                while (!queue_.empty() && batch.size() < kMaxBatch) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
            }
            // The jobs run together first; when one of them has to be undone on its own, the
            // transaction is rolled back and the batch runs again with a savepoint per job, which
            // keeps each write all or nothing without disturbing the others (jobs may run again:
            // see Database::write).
            std::vector<std::exception_ptr> outcome(batch.size());
            std::exception_ptr failed;
            bool isolated = false;
            for (int attempt = 1;;) {
                failed = nullptr;
                try {
                    db_.begin_write(sql_);
                    if (isolated) {
                        for (std::size_t i = 0; i < batch.size(); ++i) outcome[i] = run_one(*batch[i].job);
                    } else if (!run_together(batch)) {
                        rollback(sql_);
                        isolated = true;
                        continue;
                    }
                    commit(sql_);
                } catch (...) {
                    failed = std::current_exception();
                    rollback(sql_);
                    if (attempt < kMaxAttempts && is_retryable(failed)) {
                        backoff(attempt++);
                        continue;
                    }
                }
                break;
            }
            {
                std::lock_guard lock(mu_);
                ++stats_.batches;
                stats_.writes += batch.size();
                if (isolated) ++stats_.isolated;
            }
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (failed) batch[i].done.set_exception(failed);
                else if (outcome[i]) batch[i].done.set_exception(outcome[i]);
                else batch[i].done.set_value();
            }
        }
    }

    Database& db_;
    soci::session sql_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    GroupStats stats_;
    std::thread thread_;
};

Database::Database(DbUrl url, std::size_t pool_size) : url_(std::move(url)), size_(pool_size == 0 ? 1 : pool_size) {
    if (url_.dialect == Dialect::sqlite) {
        auto parent = std::filesystem::path(url_.target).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    // One connection now: an unreachable engine or a wrong password fails the start, not the
    // first request. The others open as the load needs them.
    idle_.push_back(open_session());
    open_ = 1;
    if (url_.dialect == Dialect::sqlite) group_ = std::make_unique<GroupCommit>(*this, url_.target);
}

Database::~Database() {
    group_.reset();
    std::lock_guard lock(pool_mu_);
    for (auto& s : idle_) close_session(std::move(s));
}

std::unique_ptr<soci::session> Database::open_session() {
    auto s = std::make_unique<soci::session>();
    if (url_.dialect == Dialect::sqlite) {
        s->open(soci::sqlite3, "db=\"" + sqlite_uri(url_.target, false) + "\" timeout=10");
        configure_sqlite(*s);
    } else if (url_.dialect == Dialect::mariadb) {
        s->open(soci::mysql, url_.target);
        configure_mariadb(*s);
    } else {
        s->open(soci::postgresql, pg_conninfo(url_.target));
        // Behind a transaction pooler each query is an unnamed statement (one round trip too).
        if (!url_.transaction_pooled) detail::PgStatements::attach(detail::pg_conn(*s));
    }
    return s;
}

void Database::close_session(std::unique_ptr<soci::session> s) noexcept {
    if (!s) return;
    // Prepared statements go before their connection closes.
    if (auto* conn = detail::sqlite_conn(*s)) detail::StatementCache::detach(conn);
    if (auto* conn = detail::pg_conn(*s)) detail::PgStatements::detach(conn);
    try {
        s.reset();
    } catch (...) {
        // Closing a connection that is already gone.
    }
}

bool Database::broken(soci::session& s) {
    if (auto* conn = detail::pg_conn(s)) return PQstatus(conn) != CONNECTION_OK;
    if (auto* conn = mariadb_conn(s)) {
        // The last call's error: the server went away or the connection was cut.
        switch (mysql_errno(conn)) {
        case CR_SERVER_GONE_ERROR:
        case CR_SERVER_LOST:
        case CR_CONNECTION_ERROR:
        case CR_CONN_HOST_ERROR:
        case ER_CONNECTION_KILLED:
        case 4031:  // MySQL's "disconnected by the server because of inactivity"
            return true;
        default:
            return false;
        }
    }
    return false;
}

PoolStats Database::stats() const {
    std::lock_guard lock(pool_mu_);
    return {size_, open_, in_use_.load()};
}

void Database::submit(const std::function<bool(soci::session&)>& job) { group_->submit(job); }

Database::GroupStats Database::group_stats() const { return group_ ? group_->stats() : GroupStats{}; }

Database::Lease::Lease(Database& db) : db_(db) {
    std::unique_lock lock(db_.pool_mu_);
    db_.pool_cv_.wait(lock, [&] { return !db_.idle_.empty() || db_.open_ < db_.size_; });
    if (!db_.idle_.empty()) {
        session_ = std::move(db_.idle_.back());
        db_.idle_.pop_back();
    } else {
        ++db_.open_;
        lock.unlock();
        try {
            session_ = db_.open_session();
        } catch (const std::exception& e) {
            lock.lock();
            --db_.open_;
            db_.pool_cv_.notify_one();
            // The engine went away after the start (which did connect): not a bug of the request.
            throw EngineUnavailable(std::string(to_string(db_.url_.dialect)) + " (" + db_.url_.redacted +
                                    "): cannot connect: " + e.what());
        }
    }
    db_.in_use_.fetch_add(1);
}

Database::Lease::~Lease() {
    db_.in_use_.fetch_sub(1);
    const bool keep = !broken(*session_);
    std::unique_ptr<soci::session> closing;
    {
        std::lock_guard lock(db_.pool_mu_);
        if (keep) {
            db_.idle_.push_back(std::move(session_));
        } else {
            --db_.open_;
            closing = std::move(session_);
        }
    }
    db_.pool_cv_.notify_one();
    close_session(std::move(closing));
}

bool Database::ping() {
    try {
        return read([](soci::session& sql) {
            int one = 0;
            sql << "SELECT 1", soci::into(one);
            return one == 1;
        });
    } catch (const std::exception&) {
        return false;
    }
}

void Database::begin_write(soci::session& sql) {
    static const std::string immediate = "BEGIN IMMEDIATE", begin = "BEGIN";
    exec(sql, url_.dialect == Dialect::sqlite ? immediate : begin);
}

void Database::commit(soci::session& sql) {
    static const std::string commit = "COMMIT";
    exec(sql, commit);
}

void Database::rollback(soci::session& sql) noexcept {
    static const std::string rollback = "ROLLBACK";
    try {
        exec(sql, rollback);
    } catch (...) {
        // Nothing was open (the BEGIN itself failed), or the connection is gone.
    }
}

bool Database::is_retryable(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const soci::sqlite3_soci_error& err) {
        int rc = err.result() & 0xff;
        return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    } catch (const soci::postgresql_soci_error& err) {
        std::string state = err.sqlstate();
        return state == "40001" || state == "40P01";  // serialization failure, deadlock
    } catch (const soci::mysql_soci_error& err) {
        return err.err_num_ == ER_LOCK_DEADLOCK || err.err_num_ == ER_LOCK_WAIT_TIMEOUT;
    } catch (...) {
        return false;
    }
}

void Database::backoff(int attempt) {
    // Exponential with full jitter: 0..(2^attempt) ms.
    auto cap = 1u << attempt;
    std::this_thread::sleep_for(std::chrono::microseconds(random_u64() % (cap * 1000u)));
}

bool is_storage_full(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const StorageFull&) {
        return true;
    } catch (const soci::sqlite3_soci_error& err) {
        return (err.result() & 0xff) == SQLITE_FULL;
    } catch (const soci::postgresql_soci_error& err) {
        return err.sqlstate() == "53100";
    } catch (const soci::mysql_soci_error& err) {
        return err.err_num_ == ER_RECORD_FILE_FULL || err.err_num_ == ER_DISK_FULL;
    } catch (...) {
        return false;
    }
}

bool is_unique_violation(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const soci::sqlite3_soci_error& err) {
        return (err.result() & 0xff) == SQLITE_CONSTRAINT;
    } catch (const soci::postgresql_soci_error& err) {
        return err.sqlstate() == "23505";
    } catch (const soci::mysql_soci_error& err) {
        return err.err_num_ == ER_DUP_ENTRY;
    } catch (...) {
        return false;
    }
}

void Database::refresh_statistics() {
    if (url_.dialect == Dialect::mariadb) {
        read([](soci::session& sql) {
            std::vector<std::string> tables;
            Query q("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                    "table_type = 'BASE TABLE'");
            q.for_each(sql, [&](const Row& r) { tables.push_back(as_string(r, 0)); });
            for (const auto& t : tables) mariadb_run(mariadb_conn(sql), "ANALYZE TABLE `" + t + "`");
        });
        return;
    }
    if (url_.dialect != Dialect::postgresql) return;
    // VACUUM too: it sets the rows' visibility hints and the visibility map once, where otherwise
    // the first read of each page after the load sets them and writes the page again (the first
    // pass over 100,000 fresh patients read them at 3,500 a second, 5,700 once vacuumed).
    read([](soci::session& sql) { exec(sql, "VACUUM (ANALYZE)"); });
}

void Database::exec_script(soci::session& sql, std::string_view script) {
    std::string text(script);
    if (url_.dialect == Dialect::sqlite) {
        char* err = nullptr;
        if (sqlite_api::sqlite3_exec(detail::sqlite_conn(sql), text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite_api::sqlite3_free(err);
            throw std::runtime_error("sqlite script failed: " + msg);
        }
    } else if (MYSQL* conn = mariadb_conn(sql)) {
        mariadb_run(conn, text);
    } else {
        auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
        PGresult* res = PQexec(be->conn_, text.c_str());
        auto status = PQresultStatus(res);
        std::string msg = PQresultErrorMessage(res);
        PQclear(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            throw std::runtime_error("postgresql script failed: " + msg);
    }
}

}  // namespace medisecure::db
