// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "platform/db/database.hpp"
#include "platform/db/migrator.hpp"
#include "platform/db/outbox.hpp"
#include "platform/db/query.hpp"
#include "test_support.hpp"

using namespace medisecure;

TEST(DatabaseUrl, ParsesAndRedacts) {
    EXPECT_EQ(db::parse_url("sqlite:data/x.db")->target, "data/x.db");
    EXPECT_EQ(db::parse_url("sqlite:///srv/x.db")->target, "/srv/x.db");
    auto pg = db::parse_url("postgresql://ms:s3cret@db:5432/ms");
    ASSERT_TRUE(pg);
    EXPECT_EQ(pg->dialect, db::Dialect::postgresql);
    EXPECT_EQ(pg->redacted, "postgresql://ms:***@db:5432/ms");
    EXPECT_FALSE(db::parse_url("mysql://x"));
    // Behind PgBouncer: our flag, removed from what libpq sees (it refuses unknown parameters).
    EXPECT_FALSE(pg->transaction_pooled);
    auto pooled = db::parse_url("postgresql://ms@bouncer:6432/ms?pgbouncer=true");
    EXPECT_TRUE(pooled->transaction_pooled);
    EXPECT_EQ(pooled->target, "postgresql://ms@bouncer:6432/ms");
    EXPECT_EQ(db::parse_url("postgresql://b/ms?pgbouncer=true&sslmode=require")->target, "postgresql://b/ms?sslmode=require");
    EXPECT_EQ(db::parse_url("postgresql://b/ms?sslmode=require&pgbouncer=true")->target, "postgresql://b/ms?sslmode=require");
}

TEST(DatabaseUrl, MariadbUrlsBecomeSociConnectionStrings) {
    auto m = db::parse_url("mariadb://billing:p%40ss'w\\d@db.internal:3307/medisecure_billing");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->dialect, db::Dialect::mariadb);
    EXPECT_EQ(m->redacted, "mariadb://billing:***@db.internal:3307/medisecure_billing");
    // Quoted for SOCI, the quote and the backslash escaped, utf8mb4 whatever the server's default.
    EXPECT_NE(m->target.find("password='p@ss\\'w\\\\d'"), std::string::npos) << m->target;
    EXPECT_NE(m->target.find("host='db.internal' port=3307 db='medisecure_billing' charset=utf8mb4"), std::string::npos);
    auto my = db::parse_url("mysql://ms@127.0.0.1/b");
    ASSERT_TRUE(my);
    EXPECT_EQ(my->dialect, db::Dialect::mariadb);
    EXPECT_NE(my->target.find("port=3306"), std::string::npos);
    EXPECT_EQ(my->redacted, "mysql://ms:***@127.0.0.1:3306/b");
    EXPECT_FALSE(db::parse_url("mariadb://ms:pw@host:3306/"));            // no database
    EXPECT_FALSE(db::parse_url("mariadb://ms:pw@host:3306/a;DROP"));      // not a database name
    EXPECT_FALSE(db::parse_url("mariadb://ms:pw@host:99999/b"));          // port out of range
    EXPECT_FALSE(db::parse_url("mariadb://ms:pw@host/b?ssl=1"));          // options are refused, not ignored
    EXPECT_FALSE(db::parse_url("mariadb://ms:p%zz@host/b"));              // malformed escape
}

TEST(Database, SqliteIsDurableWithWal) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.read([](soci::session& sql) {
        std::string mode;
        int sync = 0, fk = 0;
        sql << "PRAGMA journal_mode", soci::into(mode);
        sql << "PRAGMA synchronous", soci::into(sync);
        sql << "PRAGMA foreign_keys", soci::into(fk);
        EXPECT_EQ(mode, "wal");
        EXPECT_EQ(sync, 2);  // FULL
        EXPECT_EQ(fk, 1);
    });
}

// issue 15/20: a pool opens one connection at start (a wrong address fails the start), then
// more only as concurrent work needs them, never beyond its cap; idle ones are kept.
TEST(Database, PoolOpensConnectionsAsNeededUpToItsCap) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 4);
    EXPECT_EQ(d.stats().open, 1u);
    d.read([](soci::session&) {});
    EXPECT_EQ(d.stats().open, 1u);  // the same one again

    std::atomic<int> inside{0};
    std::atomic<std::size_t> most_open{0}, most_in_use{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            d.read([&](soci::session& sql) {
                ++inside;
                auto s = d.stats();
                most_open = std::max(most_open.load(), s.open);
                most_in_use = std::max(most_in_use.load(), s.in_use);
                int one = 0;
                sql << "SELECT 1", soci::into(one);
                // Hold the connection until at least four are held at once (or a while).
                for (int spin = 0; spin < 200 && inside.load() < 4; ++spin)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                --inside;
            });
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(most_open.load(), 4u);
    EXPECT_EQ(most_in_use.load(), 4u);
    auto after = d.stats();
    EXPECT_EQ(after.open, 4u);  // kept for the next burst
    EXPECT_EQ(after.in_use, 0u);
    EXPECT_EQ(after.size, 4u);
}

TEST(Database, AnUnreachableEngineFailsTheStart) {
    EXPECT_ANY_THROW(db::Database(*db::parse_url("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"), 4));
}

// A connection the engine ended (a restart, an administrator) fails the work it was leased for,
// is closed when handed back, and the next work gets a new one.
TEST(Database, ABrokenPostgresConnectionIsReplaced) {
    MS_REQUIRE_POSTGRES();
    auto d = testkit::postgres_database("patients", 2);
    auto backend = [&] {
        long long pid = 0;
        d->read([&](soci::session& sql) {
            db::Query("SELECT pg_backend_pid()").for_each(sql, [&](const db::Row& r) { pid = db::as_int64(r, 0); });
        });
        return pid;
    };
    const long long first = backend();
    ASSERT_GT(first, 0);
    auto admin = testkit::postgres_database("identity", 1);
    admin->read([&](soci::session& sql) {
        db::Query("SELECT pg_terminate_backend(").bind(first).sql(")").for_each(sql, [](const db::Row&) {});
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_ANY_THROW(backend());  // the work on the ended connection fails, once
    const long long second = backend();
    EXPECT_GT(second, 0);
    EXPECT_NE(second, first);
    EXPECT_EQ(d->stats().in_use, 0u);
}

TEST(Database, ABrokenMariadbConnectionIsReplaced) {
    MS_REQUIRE_MARIADB();
    auto d = testkit::mariadb_database("billing", 2);
    auto backend = [&] {
        long long id = 0;
        d->read([&](soci::session& sql) {
            db::Query("SELECT CONNECTION_ID()").for_each(sql, [&](const db::Row& r) { id = db::as_int64(r, 0); });
        });
        return id;
    };
    const long long first = backend();
    ASSERT_GT(first, 0);
    db::Database admin(*db::parse_url(testkit::mariadb_url()), 1);
    admin.read([&](soci::session& sql) { db::exec(sql, "KILL CONNECTION " + std::to_string(first)); });
    EXPECT_ANY_THROW(backend());  // the work on the ended connection fails, once
    const long long second = backend();
    EXPECT_GT(second, 0);
    EXPECT_NE(second, first);
    EXPECT_EQ(d->stats().in_use, 0u);
}

// Whatever the server's defaults, every session is strict, READ COMMITTED, UTC and utf8mb4.
TEST(Database, MariadbSessionsFollowTheProjectsRules) {
    MS_REQUIRE_MARIADB();
    auto d = testkit::mariadb_database("billing", 1);
    d->read([&](soci::session& sql) {
        db::Query("SELECT @@session.sql_mode, @@session.tx_isolation, @@session.time_zone, @@character_set_connection, "
                  "@@session.innodb_lock_wait_timeout")
            .for_each(sql, [&](const db::Row& r) {
                EXPECT_NE(db::as_string(r, 0).find("STRICT_ALL_TABLES"), std::string::npos);
                EXPECT_EQ(db::as_string(r, 1), "READ-COMMITTED");
                EXPECT_EQ(db::as_string(r, 2), "+00:00");
                EXPECT_EQ(db::as_string(r, 3), "utf8mb4");
                EXPECT_EQ(db::as_int64(r, 4), 10);
            });
    });
    // Strict: a value too long is refused, not cut.
    EXPECT_ANY_THROW(d->write([](soci::session& sql) {
        db::Query("INSERT INTO invoice_sequences (series, last_year, last_value) VALUES (").bind(std::string(40, 'x')).sql(", 0, 0)").execute(sql);
    }));
    // Text round-trips byte for byte (4-byte UTF-8 included) and compares by bytes.
    const std::string label = "Consultation 🩺 Éèç";
    d->write([&](soci::session& sql) {
        for (const char* code : {"G", "g"})
            db::Query("INSERT INTO acts (code, act_system, label, code_key, label_key, price_cents, vat_rate_bp, active, "
                      "created_at, updated_at, version) VALUES (")
                .bind(std::string(code)).sql(", 'NGAP', ").bind(label).sql(", 'g', 'consultation', 2500, 0, 1, 0, 0, 1)")
                .execute(sql);
    });
    std::vector<std::string> codes;
    d->read([&](soci::session& sql) {
        db::Query("SELECT code, label FROM acts ORDER BY code").for_each(sql, [&](const db::Row& r) {
            codes.push_back(db::as_string(r, 0));
            EXPECT_EQ(db::as_string(r, 1), label);
        });
    });
    EXPECT_EQ(codes, (std::vector<std::string>{"G", "g"}));
}

TEST(Database, ResultErrorsRollBack) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (v INTEGER)"; });
    auto r = d.write([](soci::session& sql) -> Result<void> {
        sql << "INSERT INTO t VALUES (1)";
        return conflict("no", "rolled back");
    });
    EXPECT_FALSE(r);
    EXPECT_THROW(d.write([](soci::session& sql) {
        sql << "INSERT INTO t VALUES (2)";
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    int n = -1;
    d.read([&](soci::session& sql) { sql << "SELECT count(*) FROM t", soci::into(n); });
    EXPECT_EQ(n, 0);
}

TEST(Database, QueryBindsEveryValue) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 1);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (name TEXT, n BIGINT)"; });
    d.write([](soci::session& sql) {
        db::Query("INSERT INTO t VALUES (").bind(std::string("Robert'); DROP TABLE t;--")).sql(", ").bind(7LL).sql(")").execute(sql);
    });
    std::vector<std::string> names;
    db::Query q("SELECT name, n FROM t WHERE n = ");
    q.bind(7LL);
    d.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { names.push_back(db::as_string(r, 0)); }); });
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0], "Robert'); DROP TABLE t;--");
}

TEST(Database, InsertOfSeveralRowsBindsEachRowsValues) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 1);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (name TEXT, n BIGINT)"; });
    using Row = std::vector<std::pair<const char*, db::Value>>;
    auto q = db::Query::insert("t", std::vector<Row>{{{"name", std::string("a'; --")}, {"n", 1LL}},
                                                     {{"name", std::string("b")}, {"n", 2LL}},
                                                     {{"name", std::string("c")}, {"n", 3LL}}});
    EXPECT_EQ(q.text().find("a'"), std::string::npos);  // values are bound, never spliced
    EXPECT_EQ(d.write([&](soci::session& sql) { return q.execute(sql); }), 3);
    std::string got;
    d.read([&](soci::session& sql) {
        db::Query("SELECT name, n FROM t ORDER BY n").for_each(sql, [&](const db::Row& r) {
            got += db::as_string(r, 0) + "=" + std::to_string(db::as_int64(r, 1)) + ";";
        });
    });
    EXPECT_EQ(got, "a'; --=1;b=2;c=3;");
    EXPECT_THROW(db::Query::insert("t", std::vector<Row>{}), std::invalid_argument);
    EXPECT_THROW(db::Query::insert("t", std::vector<Row>{{{"name", std::string("a")}, {"n", 1LL}}, {{"name", std::string("b")}}}),
                 std::invalid_argument);
    EXPECT_THROW(db::Query::insert("t", std::vector<Row>{{{"name", std::string("a")}, {"n", 1LL}},
                                                         {{"n", 2LL}, {"name", std::string("b")}}}),
                 std::invalid_argument);  // same columns in another order
}

TEST(Database, PreparedStatementsReadEveryTypeNestAndReportErrors) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 1);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, x REAL, note TEXT)"; });
    auto insert = [&](std::string id, long long n) {
        return d.write([&](soci::session& sql) {
            return db::Query("INSERT INTO t (id, n, x) VALUES (").bind(id).sql(", ").bind(n).sql(", 2.5)").execute(sql);
        });
    };
    EXPECT_EQ(insert("a", 1), 1);
    EXPECT_EQ(insert("b", 2), 1);
    // The same statement again, from its cache: a duplicate key is still a unique violation.
    try {
        insert("a", 3);
        ADD_FAILURE() << "a duplicate key was accepted";
    } catch (...) {
        EXPECT_TRUE(db::is_unique_violation(std::current_exception()));
    }
    // NULL reads as empty/0; numbers read as text and text as numbers.
    std::vector<std::string> seen;
    d.read([&](soci::session& sql) {
        db::Query outer("SELECT id, n, x, note FROM t WHERE n >= ");
        outer.bind(0LL).sql(" ORDER BY id");
        outer.for_each(sql, [&](const db::Row& r) {
            EXPECT_EQ(r.size(), 4u);
            EXPECT_TRUE(db::is_null(r, 3));
            EXPECT_EQ(db::as_string(r, 3), "");
            EXPECT_DOUBLE_EQ(db::as_double(r, 2), 2.5);
            // The same query nested inside its own rows runs on a statement of its own.
            long long inner_rows = 0;
            db::Query inner("SELECT id, n, x, note FROM t WHERE n >= ");
            inner.bind(db::as_int64(r, 1)).sql(" ORDER BY id");
            inner.for_each(sql, [&](const db::Row&) { ++inner_rows; });
            seen.push_back(db::as_string(r, 0) + ":" + db::as_string(r, 1) + ":" + std::to_string(inner_rows));
        });
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"a:1:2", "b:2:1"}));
    // A failed statement leaves its cached copy usable.
    EXPECT_EQ(insert("c", 3), 1);
    long long count = 0;
    d.read([&](soci::session& sql) {
        db::Query("SELECT count(*) FROM t").for_each(sql, [&](const db::Row& r) { count = db::as_int64(r, 0); });
    });
    EXPECT_EQ(count, 3);
}

TEST(Database, GroupCommitKeepsEachWriteAllOrNothing) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 4);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT)"; });
    // Many threads write at once: each write lands in some batch; the ones that fail (an error
    // result, an exception, a duplicate key) leave nothing behind and do not disturb the others.
    std::vector<std::thread> threads;
    std::atomic<int> ok{0}, refused{0}, thrown{0};
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                auto key = std::to_string(t) + "-" + std::to_string(i);
                auto insert = [&](soci::session& sql, const std::string& k) {
                    db::Query("INSERT INTO t VALUES (").bind(k).sql(", ").bind(static_cast<long long>(i)).sql(")").execute(sql);
                };
                try {
                    auto r = d.write([&](soci::session& sql) -> Result<void> {
                        insert(sql, key);
                        insert(sql, key + "-second");
                        if (i % 5 == 1) return conflict("no", "rolled back");
                        if (i % 5 == 2) throw std::runtime_error("boom");
                        if (i % 5 == 3) insert(sql, key);  // duplicate key: a constraint error
                        return {};
                    });
                    (r ? ok : refused)++;
                } catch (const std::runtime_error&) {
                    thrown++;
                } catch (...) {
                    EXPECT_TRUE(db::is_unique_violation(std::current_exception()));
                    thrown++;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 16 * 10);
    EXPECT_EQ(refused.load(), 16 * 5);
    EXPECT_EQ(thrown.load(), 16 * 10);
    long long rows = 0, bad = 0;
    d.read([&](soci::session& sql) {
        db::Query("SELECT count(*), sum(v % 5 IN (1, 2, 3)) FROM t").for_each(sql, [&](const db::Row& r) {
            rows = db::as_int64(r, 0);
            bad = db::as_int64(r, 1);
        });
    });
    EXPECT_EQ(rows, 16 * 10 * 2);  // both rows of every successful write, nothing of the others
    EXPECT_EQ(bad, 0);
    auto stats = d.group_stats();
    EXPECT_EQ(stats.writes, 1u + 16 * 25);
    EXPECT_LE(stats.batches, stats.writes);
    EXPECT_GE(stats.isolated, 1u);  // the failed writes were undone alone
    EXPECT_LE(stats.isolated, stats.batches);
    // A write inside a write of the same database joins the running transaction.
    d.write([&](soci::session& sql) {
        db::Query("INSERT INTO t VALUES ('outer', 0)").execute(sql);
        d.write([](soci::session& inner) { db::Query("INSERT INTO t VALUES ('inner', 0)").execute(inner); });
    });
    d.read([&](soci::session& sql) {
        db::Query("SELECT count(*) FROM t WHERE k IN ('outer', 'inner')").for_each(sql, [&](const db::Row& r) {
            EXPECT_EQ(db::as_int64(r, 0), 2);
        });
    });
}

// A batch runs its writes together; only a write that has something to undo (it threw, or it
// refused after changing rows) makes the batch run again with a savepoint per write.
TEST(Database, GroupCommitIsolatesOnlyWritesWithSomethingToUndo) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("t.db")), 2);
    d.write([](soci::session& sql) { sql << "CREATE TABLE t (k TEXT PRIMARY KEY)"; });
    auto insert = [](soci::session& sql, const std::string& k) {
        db::Query("INSERT INTO t VALUES (").bind(k).sql(")").execute(sql);
    };
    auto rows = [&] {
        std::vector<std::string> out;
        d.read([&](soci::session& sql) {
            db::Query("SELECT k FROM t ORDER BY k").for_each(sql, [&](const db::Row& r) { out.push_back(db::as_string(r, 0)); });
        });
        return out;
    };
    auto isolated = [&] { return d.group_stats().isolated; };

    EXPECT_TRUE(d.write([&](soci::session& sql) -> Result<void> {
        insert(sql, "a");
        return {};
    }));
    // Refused before changing anything: nothing to undo.
    EXPECT_FALSE(d.write([&](soci::session& sql) -> Result<void> {
        int n = 0;
        sql << "SELECT count(*) FROM t", soci::into(n);
        return conflict("taken", "already there");
    }));
    EXPECT_EQ(isolated(), 0u);
    // Refused after an insert: run again in a savepoint, and the insert is gone.
    int runs = 0;
    EXPECT_FALSE(d.write([&](soci::session& sql) -> Result<void> {
        ++runs;
        insert(sql, "b");
        return conflict("late", "refused after writing");
    }));
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(isolated(), 1u);
    // Threw after an insert: the same.
    EXPECT_THROW(d.write([&](soci::session& sql) {
        insert(sql, "c");
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(isolated(), 2u);
    // A duplicate key: the statement fails, the write is undone, the next one goes through.
    EXPECT_ANY_THROW(d.write([&](soci::session& sql) { insert(sql, "a"); }));
    d.write([&](soci::session& sql) { insert(sql, "d"); });
    EXPECT_EQ(rows(), (std::vector<std::string>{"a", "d"}));
    EXPECT_EQ(isolated(), 3u);
}

TEST(Migrator, CreatesDetectsAndRefusesModifiedMigrations) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("p.db")), 1);
    db::Migrator m(d, "patients");
    auto fresh = m.state();
    EXPECT_EQ(fresh.current, 0);
    EXPECT_TRUE(fresh.behind());
    EXPECT_GE(m.migrate(), 1);
    EXPECT_TRUE(m.state().up_to_date());
    EXPECT_EQ(m.migrate(), 0);  // idempotent
    d.write([](soci::session& sql) { sql << "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1"; });
    EXPECT_EQ(m.state().problems.size(), 1u);
    d.write([](soci::session& sql) {
        sql << "INSERT INTO schema_migrations VALUES ('patients', 999, 'future', 'x', 0)";
    });
    EXPECT_TRUE(m.state().ahead());
}

// MariaDB commits every DDL statement by itself, so a migration stopped half-way is run again
// from its start: its migrations are written to be re-runnable, and this shows they are.
TEST(Migrator, MariadbMigrationsRunAgainAfterAStopHalfWayAndAreLockedAgainstTwins) {
    MS_REQUIRE_MARIADB();
    db::Database d(*db::parse_url(testkit::mariadb_fresh_url()), 2);
    db::Migrator m(d, "billing");
    EXPECT_TRUE(m.state().behind());
    EXPECT_EQ(m.migrate(), static_cast<int>(db::migrations_for(db::Dialect::mariadb, "billing").size()));
    EXPECT_TRUE(m.state().up_to_date());
    EXPECT_EQ(m.migrate(), 0);
    // As if the process had died after the DDL and before recording the version.
    d.write([](soci::session& sql) { db::exec(sql, "DELETE FROM schema_migrations WHERE context = 'billing'"); });
    EXPECT_EQ(m.migrate(), static_cast<int>(db::migrations_for(db::Dialect::mariadb, "billing").size()));
    long long sequences = 0;
    d.read([&](soci::session& sql) {
        db::Query("SELECT COUNT(*) FROM invoice_sequences").for_each(sql, [&](const db::Row& r) { sequences = db::as_int64(r, 0); });
    });
    EXPECT_EQ(sequences, 1);
    // A modified migration is reported, a newer schema refused, as on the other engines.
    d.write([](soci::session& sql) { db::exec(sql, "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1"); });
    EXPECT_EQ(m.state().problems.size(), 1u);
    EXPECT_THROW(m.ensure(false), std::runtime_error);
    // Two instances starting at once: the second waits for the first's lock, then finds nothing to do.
    db::Database fresh(*db::parse_url(testkit::mariadb_fresh_url()), 2);
    std::atomic<int> applied{0};
    std::thread a([&] { applied += db::Migrator(fresh, "billing").migrate(); });
    std::thread b([&] { applied += db::Migrator(fresh, "billing").migrate(); });
    a.join();
    b.join();
    EXPECT_EQ(applied.load(), static_cast<int>(db::migrations_for(db::Dialect::mariadb, "billing").size()));
}

// The other contexts have no MariaDB schema: pointing one at MariaDB is refused at start.
TEST(Migrator, AContextWithoutASchemaForItsEngineIsRefused) {
    MS_REQUIRE_MARIADB();
    db::Database d(*db::parse_url(testkit::mariadb_fresh_url()), 1);
    try {
        db::Migrator(d, "patients").ensure(true);
        FAIL() << "patients on MariaDB was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no schema for mariadb"), std::string::npos) << e.what();
    }
}

TEST(Migrator, EveryContextHasMigrationsForBothDialects) {
    for (const char* ctx : {"identity", "patients", "audit"}) {
        auto sqlite = db::migrations_for(db::Dialect::sqlite, ctx);
        auto pg = db::migrations_for(db::Dialect::postgresql, ctx);
        EXPECT_FALSE(sqlite.empty()) << ctx;
        EXPECT_EQ(sqlite.size(), pg.size()) << ctx;
    }
}

TEST(Migrator, StartupCreatesFreshRefusesOlderUnlessAllowedAndRefusesNewer) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("m.db")), 1);
    auto mig = [](int v, std::string sql) {
        db::Migration m;
        m.version = v;
        m.name = "m" + std::to_string(v);
        m.sql = std::move(sql);
        m.checksum = "c" + std::to_string(v);
        return m;
    };
    std::vector<db::Migration> v1 = {mig(1, "CREATE TABLE a (x INTEGER);")};
    std::vector<db::Migration> v2 = {v1[0], mig(2, "ALTER TABLE a ADD COLUMN y INTEGER;")};
    EXPECT_NE(db::Migrator(d, "ctx", v1).ensure(false).find("created"), std::string::npos);  // fresh: created
    EXPECT_THROW(db::Migrator(d, "ctx", v2).ensure(false), std::runtime_error);               // older: refused
    EXPECT_NE(db::Migrator(d, "ctx", v2).ensure(true).find("upgraded"), std::string::npos);
    try {
        db::Migrator(d, "ctx", v1).ensure(true);  // the database is newer than this "binary"
        FAIL() << "a newer schema must be refused";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
    }
}

TEST(Outbox, EnqueuedInTheTransactionOfTheChange) {
    testkit::TempDir dir;
    db::Database d(*db::parse_url("sqlite:" + dir.file("o.db")), 1);
    d.write([&](soci::session& sql) {
        d.exec_script(sql,
                      "CREATE TABLE outbox (id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, run_at BIGINT "
                      "NOT NULL, dedupe_key TEXT NOT NULL, owner_user_id TEXT NOT NULL, patient_id TEXT NOT NULL, "
                      "max_attempts INTEGER NOT NULL, created_at BIGINT NOT NULL); CREATE TABLE t (v INTEGER);");
    });
    auto now = SystemClock{}.now();
    jobs::JobRequest req;
    req.type = "x.y";
    req.payload_json = R"({"a":1})";
    req.patient_id = "p";
    // A change that is rolled back takes its job with it.
    (void)d.write([&](soci::session& sql) -> Result<void> {
        sql << "INSERT INTO t VALUES (1)";
        db::enqueue_job(sql, req, now);
        return conflict("no", "rolled back");
    });
    std::string id = d.write([&](soci::session& sql) { return db::enqueue_job(sql, req, now); });
    auto rows = d.read([](soci::session& sql) { return db::peek_outbox(sql, 10); });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, id);
    EXPECT_EQ(rows[0].request.payload_json, R"({"a":1})");
    EXPECT_EQ(rows[0].request.run_at, now);
    d.write([&](soci::session& sql) { db::remove_from_outbox(sql, {id}); });
    EXPECT_TRUE(d.read([](soci::session& sql) { return db::peek_outbox(sql, 10); }).empty());
}
