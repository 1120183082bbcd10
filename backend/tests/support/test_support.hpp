// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the test binaries: temporary directories, real databases on demand, and a
// recording audit trail for use-case tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "platform/db/database.hpp"

namespace medisecure::testkit {

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

/// A migrated SQLite database of `context` in a fresh file.
std::unique_ptr<db::Database> sqlite_database(const TempDir& dir, const std::string& context, std::size_t pool = 4);

/// The PostgreSQL URL from MEDISECURE_TEST_PG_DSN, or empty.
std::string postgres_dsn();
/// A URL whose sessions use a new, empty schema of the test database.
std::string postgres_schema_url();
/// A migrated database of `context` in a new schema.
std::unique_ptr<db::Database> postgres_database(const std::string& context, std::size_t pool = 4);

/// PgBouncer in front of the test PostgreSQL, from MEDISECURE_TEST_PGBOUNCER_URL
/// (scripts/services/pgbouncer.sh), or empty.
std::string pgbouncer_url();

/// The MariaDB URL from MEDISECURE_TEST_MARIADB_URL (scripts/services/mariadb.sh), or empty.
std::string mariadb_url();
/// The URL of a new, empty database on the test MariaDB.
std::string mariadb_fresh_url();
/// A migrated database of `context` in a new database of the test MariaDB.
std::unique_ptr<db::Database> mariadb_database(const std::string& context, std::size_t pool = 4);

/// The Redis URL from MEDISECURE_TEST_REDIS_URL (scripts/services/redis.sh), or empty.
std::string redis_url();
/// MEDISECURE_TEST_RABBITMQ_URL (scripts/services/rabbitmq.sh), or empty.
std::string rabbitmq_url();

/// The MongoDB server for the tests: MEDISECURE_TEST_MONGO_URL (a real replica set) when set,
/// else MEDISECURE_TEST_MONGO_DOUBLE_URL (scripts/services/mongo-double.sh), else empty.
std::string mongo_url();
/// True when mongo_url() is the test double, which applies transactions without isolation.
bool mongo_is_double();
/// mongo_url() with a new database name of its own (each test has one).
std::string mongo_test_database_url();

/// A free TCP port on 127.0.0.1 (nothing bound to it when this returns), outside the kernel's
/// range for outgoing connections; with `count`, the first of that many consecutive free ports.
int free_tcp_port(int count = 1);

/// A Redis server of the test's own, on its own port, that the test stops and starts
/// (scripts/services/redis.sh under its own name); stopped when destroyed.
class OwnRedis {
public:
    explicit OwnRedis(int port) : port_(port) {}
    ~OwnRedis() { stop(); }
    OwnRedis(const OwnRedis&) = delete;
    OwnRedis& operator=(const OwnRedis&) = delete;
    /// Starts it (empty: nothing is saved across restarts) and returns its URL; throws on failure.
    std::string start();
    void stop();
    const std::string& url() const { return url_; }

private:
    std::string script(const std::string& verb) const;
    int port_;
    std::string url_;
    bool running_ = false;
};

/// True under CI=true, where a missing server fails instead of skipping.
bool ci();

/// Built with AddressSanitizer (scripts/sanitize.sh): its shadow memory and quarantine make
/// resident-memory figures meaningless, so bounds on them are not checked there.
constexpr bool kAddressSanitizer =
#if defined(__SANITIZE_ADDRESS__)
    true;
#else
    false;
#endif

/// Polls `pred` every 25 ms until it holds (true) or `limit` has passed (false): for what a
/// background job does after the request that asked for it.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

/// Records entries; durable immediately.
class RecordingAuditTrail final : public audit::AuditTrail {
public:
    void record(const Caller& caller, audit::AuditEntry entry) override;
    std::vector<std::pair<Caller, audit::AuditEntry>> entries() const;
    std::size_t count(const std::string& action, audit::Outcome outcome) const;
    void clear();

private:
    mutable std::mutex mu_;
    std::vector<std::pair<Caller, audit::AuditEntry>> entries_;
};

Caller caller_of(Role role, std::string user_id = "u-test", std::string patient_id = "");

}  // namespace medisecure::testkit

/// Skips (locally) or fails (CI) when no PostgreSQL is available.
#define MS_REQUIRE_POSTGRES()                                                                         \
    do {                                                                                              \
        if (::medisecure::testkit::postgres_dsn().empty()) {                                          \
            if (::medisecure::testkit::ci()) FAIL() << "MEDISECURE_TEST_PG_DSN is not set under CI"; \
            GTEST_SKIP() << "no PostgreSQL: set MEDISECURE_TEST_PG_DSN (scripts/test.sh starts one)"; \
        }                                                                                             \
    } while (0)

/// Skips (locally) or fails (CI) when no MariaDB is available.
#define MS_REQUIRE_MARIADB()                                                                             \
    do {                                                                                                 \
        if (::medisecure::testkit::mariadb_url().empty()) {                                              \
            if (::medisecure::testkit::ci()) FAIL() << "MEDISECURE_TEST_MARIADB_URL is not set under CI"; \
            GTEST_SKIP() << "no MariaDB: set MEDISECURE_TEST_MARIADB_URL (scripts/test.sh starts one)";  \
        }                                                                                                \
    } while (0)

/// Skips (locally) or fails (CI) when neither a MongoDB nor its test double is available.
#define MS_REQUIRE_MONGO()                                                                         \
    do {                                                                                           \
        if (::medisecure::testkit::mongo_url().empty()) {                                          \
            if (::medisecure::testkit::ci())                                                       \
                FAIL() << "MEDISECURE_TEST_MONGO_DOUBLE_URL is not set under CI";                  \
            GTEST_SKIP() << "no MongoDB: set MEDISECURE_TEST_MONGO_URL, or "                       \
                            "MEDISECURE_TEST_MONGO_DOUBLE_URL (scripts/test.sh starts the double)"; \
        }                                                                                          \
    } while (0)

/// Skips when the MongoDB is the test double: what needs isolation between concurrent
/// transactions is verified on a real MongoDB only.
#define MS_REQUIRE_REAL_MONGO()                                                                \
    do {                                                                                       \
        if (::medisecure::testkit::mongo_is_double())                                          \
            GTEST_SKIP() << "the MongoDB test double has no isolation: concurrent transactions " \
                            "need a real MongoDB (set MEDISECURE_TEST_MONGO_URL)";              \
    } while (0)

/// Skips (locally) or fails (CI) when no Redis is available.
#define MS_REQUIRE_REDIS()                                                                              \
    do {                                                                                                \
        if (::medisecure::testkit::redis_url().empty()) {                                               \
            if (::medisecure::testkit::ci()) FAIL() << "MEDISECURE_TEST_REDIS_URL is not set under CI"; \
            GTEST_SKIP() << "no Redis: set MEDISECURE_TEST_REDIS_URL (scripts/test.sh starts one)";     \
        }                                                                                               \
    } while (0)

/// Skips (locally) or fails (CI) when no RabbitMQ is available.
#define MS_REQUIRE_RABBITMQ()                                                                                 \
    do {                                                                                                      \
        if (::medisecure::testkit::rabbitmq_url().empty()) {                                                  \
            if (::medisecure::testkit::ci()) FAIL() << "MEDISECURE_TEST_RABBITMQ_URL is not set under CI";    \
            GTEST_SKIP() << "no RabbitMQ: set MEDISECURE_TEST_RABBITMQ_URL (scripts/test.sh starts one)";     \
        }                                                                                                     \
    } while (0)
