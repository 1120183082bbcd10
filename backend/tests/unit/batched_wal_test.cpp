// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <string>

#include "platform/db/batched_wal.hpp"
#include "platform/db/database.hpp"
#include "test_support.hpp"

using namespace medisecure;

namespace {

int count_rows(db::Database& d) {
    int n = -1;
    d.read([&](soci::session& sql) { sql << "SELECT count(*) FROM t", soci::into(n); });
    return n;
}

void insert_rows(db::Database& d, int first, int rows, std::size_t bytes) {
    d.write([&](soci::session& sql) {
        std::string text(bytes, 'x');
        for (int i = first; i < first + rows; ++i) {
            text[0] = static_cast<char>('a' + i % 26);
            sql << "INSERT INTO t (id, body) VALUES (:i, :b)", soci::use(i), soci::use(text);
        }
    });
}

std::string integrity(soci::session& sql) {
    std::string out;
    sql << "PRAGMA integrity_check", soci::into(out);
    return out;
}

}  // namespace

// The writer's commits of several pages reach the log in a few calls, and every commit is in the
// file before another connection can read it.
TEST(BatchedWal, CommitsAreWrittenTogetherAndSeenAtOnce) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.write([](soci::session& sql) {
        sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
    });
    auto before = db::batched_wal_counts();
    for (int round = 0; round < 40; ++round) {
        insert_rows(d, round * 10, 10, 3000);  // about ten pages per commit
        ASSERT_EQ(count_rows(d), (round + 1) * 10) << "round " << round;
    }
    auto after = db::batched_wal_counts();
    auto gathered = after.gathered - before.gathered, written = after.written - before.written;
    // SQLite wrote each frame in two calls: at least 40 commits × 10 pages × 2.
    EXPECT_GE(gathered, 800u);
    // One call per commit reached the file (other tests may add a few of their own meanwhile).
    EXPECT_LE(written, gathered / 8) << gathered << " gathered, " << written << " written";
}

// A transaction larger than what is held (and than one call of the unix VFS) goes out in pieces.
TEST(BatchedWal, LargeTransactionsAreWrittenInPieces) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.write([](soci::session& sql) {
        sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
    });
    insert_rows(d, 0, 3000, 1500);  // about 4.5 MiB of pages in one commit
    insert_rows(d, 3000, 1, 10);
    EXPECT_EQ(count_rows(d), 3001);
    d.read([](soci::session& sql) { EXPECT_EQ(integrity(sql), "ok"); });
}

// What a commit wrote is in the files when it returns: a copy of the database and its log taken
// while the database is still open (as a power cut would leave them) holds every committed row.
TEST(BatchedWal, ACopyTakenAfterACommitHoldsIt) {
    testkit::TempDir dir;
    auto path = dir.file("t.db");
    db::Database d(*db::parse_url("sqlite:" + path), 2);
    d.write([](soci::session& sql) {
        sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
    });
    insert_rows(d, 0, 200, 700);
    insert_rows(d, 200, 5, 700);
    auto copy = dir.file("copy.db");
    std::filesystem::copy_file(path, copy);
    std::filesystem::copy_file(path + "-wal", copy + "-wal");
    soci::session sql(soci::sqlite3, "db=" + copy);
    int n = 0;
    sql << "SELECT count(*) FROM t", soci::into(n);
    EXPECT_EQ(n, 205);
    EXPECT_EQ(integrity(sql), "ok");
}

// The database's path goes into a URI, for the writer and the readers alike: characters that
// mean something there are escaped, and a space no longer ends the path.
TEST(BatchedWal, PathsWithUriCharactersOpen) {
    testkit::TempDir dir;
    auto odd = std::filesystem::path(dir.file("a dir?with #odd%20chars"));
    std::filesystem::create_directories(odd);
    auto path = (odd / "t.db").string();
    {
        db::Database d(*db::parse_url("sqlite:" + path), 1);
        d.write([](soci::session& sql) {
            sql << "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
        });
        insert_rows(d, 0, 3, 10);
        EXPECT_EQ(count_rows(d), 3);
    }
    EXPECT_TRUE(std::filesystem::exists(path));
    auto uri = db::sqlite_uri(path, true);
    EXPECT_NE(uri.find("/a%20dir%3Fwith%20%23odd%2520chars/t.db?vfs=medisecure-batched-wal"),
              std::string::npos)
        << uri;
    EXPECT_EQ(db::sqlite_uri(path, false), uri.substr(0, uri.find("?vfs=")));
}

// The library is set up before its first connection: no connection carries a mutex of its own
// ("multi-thread" mode; each is used by one thread at a time), and allocations are not counted.
TEST(BatchedWal, ConnectionsRunWithoutTheirOwnMutex) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.read([](soci::session& sql) {
        auto* conn = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
        EXPECT_EQ(sqlite_api::sqlite3_db_mutex(conn), nullptr);
    });
    EXPECT_EQ(sqlite_api::sqlite3_memory_used(), 0);
}
