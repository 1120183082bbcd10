// SPDX-License-Identifier: Apache-2.0
// Several instances as one: two `medisecure serve` processes on one PostgreSQL (a schema per
// context) and one Redis, as a load balancer would spread a practice's requests over them.
// Real processes, real servers (scripts/test.sh starts them; under CI=true a missing one fails).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <atomic>
#include <future>
#include <mutex>
#include <iostream>
#include <random>
#include <thread>

#include "core/random.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "cluster.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {

/// Redis with a replica and three Sentinels of the test's own (scripts/services/redis-sentinel.sh).
class OwnSentinel {
public:
    OwnSentinel() : base_(free_tcp_port(13)) {}  // nodes at +0 and +1, Sentinels at +10..+12
    ~OwnSentinel() { (void)run("stop"); }
    OwnSentinel(const OwnSentinel&) = delete;
    OwnSentinel& operator=(const OwnSentinel&) = delete;
    std::string start() { return run("start"); }
    /// SIGKILLs the master; returns its port.
    std::string kill_master() { return run("kill-master"); }
    std::string master() { return run("master"); }

private:
    std::string run(const std::string& verb) {
        return run_service("MS_SENTINEL_NAME=own-" + std::to_string(base_) + " MS_SENTINEL_BASE_PORT=" + std::to_string(base_),
                           "redis-sentinel.sh", verb);
    }
    int base_;
};

TEST_F(Cluster, ALogoutOnOneInstanceIsRefusedByTheOtherAtOnce) {
    start(cluster_redis_url(redis_url()));
    const auto token = account("doctor", *a);
    ASSERT_EQ(as(*b, token).get("/api/v1/patients?q=du").status, 200);
    ASSERT_EQ(as(*a, token).post("/api/v1/auth/logout", "").status, 204);
    auto refused = as(*b, token).get("/api/v1/patients?q=du");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.code(), "token_revoked");
    EXPECT_EQ(as(*a, token).get("/api/v1/patients?q=du").status, 401);
}

TEST_F(Cluster, ARateLimitIsOneBudgetAcrossInstances) {
    // Sign-in attempts: a burst of 6 per address, refilled at one in 100 s.
    start(cluster_redis_url(redis_url()), [](auto& e) { e["MEDISECURE_RATE_LIMIT_AUTH"] = "0.01/6"; });
    int limited = 0, answered = 0;
    for (int i = 0; i < 12; ++i) {
        auto r = (i % 2 ? a : b)->client().post("/api/v1/auth/login",
                                                 R"({"email":"nobody)" + std::to_string(i) + R"(@x.org","password":"wrong password"})");
        if (r.status == 429) ++limited;
        else ++answered;
    }
    EXPECT_EQ(answered, 6) << "each instance kept its own budget";
    EXPECT_EQ(limited, 6);
}

TEST_F(Cluster, AChangeOnOneInstanceIsNeverReadStaleOnTheOther) {
    // Records in the shared cache too (searches are by default), so that every read can hit it.
    start(cluster_redis_url(redis_url()), [](auto& e) { e["MEDISECURE_PATIENT_CACHE_ENTRIES"] = "1"; });
    const auto token = account("secretary", *a);
    auto created = as(*a, token).post("/api/v1/patients?allow_duplicate=true",
                                      R"({"first_name":"Irène","last_name":"Cluster","sex":"female","birth_date":"1970-01-02"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string path = "/api/v1/patients/" + std::string(created.json().at("id").as_string());
    HttpClient ca = as(*a, token), cb = as(*b, token);
    std::mt19937 rng(20261207);
    std::string etag = created.header("etag");
    for (int i = 0; i < 1000; ++i) {
        const std::string phone = "+33 6 00 00 " + std::to_string(10 + i / 100) + " " + std::to_string(10 + i % 90);
        auto& writer = rng() % 2 ? ca : cb;
        auto& reader = rng() % 2 ? ca : cb;
        auto w = writer.patch(path, R"({"phone":")" + phone + R"("})", {"If-Match: " + etag});
        ASSERT_EQ(w.status, 200) << i << ": " << w.body;
        etag = w.header("etag");
        auto r = reader.get(path);
        ASSERT_EQ(r.status, 200);
        ASSERT_EQ(r.header("etag"), etag) << "read stale at iteration " << i;
        ASSERT_EQ(std::string(r.json().at("phone").as_string()), phone) << i;
    }
    // Each read above followed a write, so each was a miss; with no write, B serves A's fill.
    ASSERT_EQ(ca.get(path).status, 200);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(cb.get(path).header("etag"), etag);
    const auto metrics = b->client().get("/metrics").body;
    const std::string hits = "medisecure_cache_hits_total{cache=\"patients_shared\"} ";
    auto at = metrics.find(hits);
    ASSERT_NE(at, std::string::npos);
    EXPECT_GE(std::stoi(metrics.substr(at + hits.size())), 5);
}

TEST_F(Cluster, ANotificationMadeOnOneInstanceReachesAStreamHeldByTheOther) {
    // Jobs run on A only; the patient's event stream is held by B.
    start(cluster_redis_url(redis_url()), {}, {{"MEDISECURE_JOBS_IN_SERVE", "false"}});
    const auto front_desk = account("secretary", *a);
    auto created = as(*a, front_desk).post("/api/v1/patients?allow_duplicate=true",
                                           R"({"first_name":"Odile","last_name":"Flux","sex":"female",)"
                                           R"("birth_date":"1951-05-05","email":"odile@exemple.fr"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string pid(created.json().at("id").as_string());
    auto made = run_cli("user create --email odile@exemple.fr --role patient --patient-id " + pid + " --password-stdin",
                        dir.file("cli"), "correct horse battery staple", env);
    ASSERT_EQ(made.status, 0) << made.out;
    const auto patient = login(*b, "odile@exemple.fr", "correct horse battery staple");

    std::promise<void> connected;
    auto stream = std::async(std::launch::async, [&] {
        return read_event_stream(b->base_url() + "/api/v1/notifications/stream", patient, "export.ready",
                                 std::chrono::seconds(30), &connected);
    });
    connected.get_future().wait();
    auto asked = as(*a, patient).post("/api/v1/patients/" + pid + "/export", "");
    ASSERT_EQ(asked.status, 202) << asked.body;
    const auto events = stream.get();
    EXPECT_NE(events.find("export.ready"), std::string::npos) << "B's stream got:\n" << events;
}

TEST_F(Cluster, WithoutRedisTheApiServesAndNoRevokedTokenPasses) {
    OwnRedis redis(free_tcp_port());
    start(redis.start());
    const auto token = account("doctor", *a);
    const auto other = account("doctor", *b);
    ASSERT_EQ(as(*b, token).get("/api/v1/patients?q=du").status, 200);
    redis.stop();

    // Reads go on; readiness says the cache is degraded, not that the instance is down.
    EXPECT_EQ(as(*b, token).get("/api/v1/patients?q=du").status, 200);
    auto ready = b->client().get("/health/ready");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(std::string(ready.json().at("checks").at("cache").as_string()), "degraded") << ready.body;
    // A logout while Redis is down is still refused everywhere: the store says so.
    ASSERT_EQ(as(*a, token).post("/api/v1/auth/logout", "").status, 204);
    EXPECT_EQ(as(*b, token).get("/api/v1/patients?q=du").status, 401);
    EXPECT_EQ(as(*a, token).get("/api/v1/patients?q=du").status, 401);
    EXPECT_EQ(as(*a, other).get("/api/v1/patients?q=du").status, 200);

    // Back (empty): still refused, and ready again.
    redis.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_EQ(as(*b, token).get("/api/v1/patients?q=du").status, 401);
    auto again = b->client().get("/health/ready");
    EXPECT_EQ(std::string(again.json().at("checks").at("cache").as_string()), "ok") << again.body;
}

TEST_F(Cluster, TheRedisMasterKilledUnderLoadFailsOverAndNoRevokedTokenPasses) {
    if (std::system("command -v redis-sentinel >/dev/null 2>&1") != 0) {
        if (ci()) FAIL() << "redis-sentinel is not installed, and CI requires it";
        GTEST_SKIP() << "redis-sentinel is not installed (scripts/deps.sh test)";
    }
    OwnSentinel redis;
    start(redis.start());
    const std::string email = "doctor-failover@cluster.example.org", password = "correct horse battery staple";
    auto made = run_cli("user create --email " + email + " --role doctor --password-stdin", dir.file("cli"), password, env);
    ASSERT_EQ(made.status, 0) << made.out;
    const auto live = login(*a, email, password);
    const auto revoked = login(*b, email, password);
    ASSERT_EQ(as(*a, revoked).post("/api/v1/auth/logout", "").status, 204);

    std::atomic<bool> stop{false};
    std::atomic<int> reads_ok{0}, reads_failed{0}, logins_ok{0}, logins_failed{0}, revoked_accepted{0};
    std::mutex first_mu;
    std::string first_failure;
    auto load = [&](int seed) {
        HttpClient ca = as(*a, live), cb = as(*b, live), ra = as(*a, revoked), rb = as(*b, revoked);
        for (int i = 0; !stop; ++i) {
            const bool on_a = (i + seed) % 2 == 0;
            auto r = (on_a ? ca : cb).get("/api/v1/patients?q=du");
            (r.status == 200 ? reads_ok : reads_failed)++;
            if (r.status != 200) {
                std::lock_guard lock(first_mu);
                if (first_failure.empty()) first_failure = "read: " + std::to_string(r.status) + " " + r.body;
            }
            if ((on_a ? rb : ra).get("/api/v1/patients?q=du").status != 401) ++revoked_accepted;
            if (i % 25 == 0) {
                try {
                    login(on_a ? *b : *a, email, password);
                    ++logins_ok;
                } catch (const std::exception& e) {
                    ++logins_failed;
                    std::lock_guard lock(first_mu);
                    if (first_failure.empty()) first_failure = e.what();
                }
            }
        }
    };
    std::thread l1(load, 0), l2(load, 1);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const std::string old_master = redis.kill_master();
    const auto killed = std::chrono::steady_clock::now();
    // Failed over when Sentinel names another master and both instances write to it again.
    double failover_ms = -1;
    while (std::chrono::steady_clock::now() - killed < std::chrono::seconds(30)) {
        auto ready_a = a->client().get("/health/ready"), ready_b = b->client().get("/health/ready");
        auto cache_ok = [](const HttpResult& r) {
            return r.status == 200 && r.json().at("checks").at("cache").as_string() == "ok";
        };
        std::string now_master;
        try {
            now_master = redis.master();
        } catch (const std::exception&) {
        }
        if (!now_master.empty() && now_master != old_master && cache_ok(ready_a) && cache_ok(ready_b)) {
            failover_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - killed).count();
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // After the failover, a logout on one instance is refused on the other through the new master.
    const auto after = login(*a, email, password);
    EXPECT_EQ(as(*b, after).post("/api/v1/auth/logout", "").status, 204);
    EXPECT_EQ(as(*a, after).get("/api/v1/patients?q=du").status, 401);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    stop = true;
    l1.join();
    l2.join();
    std::cout << "redis failover under load: master killed, served again by the new master after " << failover_ms
              << " ms; reads " << reads_ok << " ok, " << reads_failed << " failed; logins " << logins_ok << " ok, "
              << logins_failed << " failed; revoked token accepted " << revoked_accepted << " times\n";
    RecordProperty("failover_ms", std::to_string(static_cast<int>(failover_ms)));
    EXPECT_GT(failover_ms, 0) << "no failover within 30 s";
    EXPECT_EQ(revoked_accepted.load(), 0);
    EXPECT_EQ(reads_failed.load(), 0) << first_failure;
    EXPECT_EQ(logins_failed.load(), 0) << first_failure;
    EXPECT_GT(reads_ok.load(), 100);
    EXPECT_GT(logins_ok.load(), 2);
}

/// `url` (postgresql://user@host:port/db…) naming database `db` instead.
std::string with_database(const std::string& url, const std::string& db) {
    auto host_start = url.find("://") + 3;
    auto slash = url.find('/', host_start);
    return url.substr(0, slash) + "/" + db;
}

TEST(ClusterConnections, TenInstancesThroughPgBouncerFitInAHundredConnections) {
    MS_REQUIRE_POSTGRES();
    MS_REQUIRE_REDIS();
    if (pgbouncer_url().empty()) {
        if (ci()) FAIL() << "MEDISECURE_TEST_PGBOUNCER_URL is not set under CI";
        GTEST_SKIP() << "no PgBouncer: set MEDISECURE_TEST_PGBOUNCER_URL (scripts/test.sh starts one)";
    }
    // One database per context (PgBouncer pools per database; a schema chosen by a startup
    // option would not survive transaction pooling).
    std::uint64_t r = random_u64();
    const std::string prefix = "c" + to_hex(&r, sizeof r).substr(0, 10) + "_";
    auto admin = db::parse_url(postgres_dsn());
    db::Database server(*admin, 1);
    std::map<std::string, std::string> direct, pooled;
    for (const auto& ctx : config::database_contexts()) {
        server.read([&](soci::session& sql) { server.exec_script(sql, "CREATE DATABASE " + prefix + ctx); });
        const std::string var = "MEDISECURE_" + upper(ctx) + "_DB_URL";
        direct[var] = with_database(postgres_dsn(), prefix + ctx);
        pooled[var] = with_database(pgbouncer_url(), prefix + ctx) + "?pgbouncer=true";
    }
    auto count_server_connections = [&] {
        long long n = 0;
        server.read([&](soci::session& sql) {
            sql << "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE '" + prefix + "%'", soci::into(n);
        });
        return n;
    };
    TempDir dir;
    auto env = practice_env(cluster_redis_url(redis_url()));
    env["MEDISECURE_DB_POOL_SIZE"] = "4";
    // Migrations connect directly (they hold a session lock); the instances go through PgBouncer.
    auto migrate_env = env;
    for (const auto& [k, v] : direct) migrate_env[k] = v;
    auto migrated = run_cli("migrate", dir.file("cli"), "", migrate_env);
    ASSERT_EQ(migrated.status, 0) << migrated.out;
    const std::string email = "doctor@ten.example.org", password = "correct horse battery staple";
    auto made = run_cli("user create --email " + email + " --role doctor --password-stdin", dir.file("cli"), password,
                        migrate_env);
    ASSERT_EQ(made.status, 0) << made.out;
    for (const auto& [k, v] : pooled) env[k] = v;
    auto refused = run_cli("migrate", dir.file("cli"), "", env);
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.out.find("not through PgBouncer"), std::string::npos) << refused.out;

    std::vector<std::unique_ptr<ServeProcess>> instances;
    for (int i = 0; i < 10; ++i)
        instances.push_back(std::make_unique<ServeProcess>(env, dir.file("i" + std::to_string(i)), false));
    const std::string token = [&] {
        auto res = instances[0]->client().post("/api/v1/auth/login",
                                                json::serialize(json::object{{"email", email}, {"password", password}}));
        EXPECT_EQ(res.status, 200) << res.body;
        return std::string(res.json().at("access_token").as_string());
    }();
    std::atomic<bool> stop{false};
    std::atomic<int> ok{0}, failed{0};
    std::vector<std::thread> load;
    for (int i = 0; i < 10; ++i)
        for (int t = 0; t < 2; ++t)
            load.emplace_back([&, i, t] {
                HttpClient c = instances[static_cast<std::size_t>(i)]->client();
                c.bearer = token;
                for (int n = 0; !stop; ++n) {
                    auto res = (n + t) % 3 ? c.get("/api/v1/patients?q=du")
                                           : c.post("/api/v1/patients?allow_duplicate=true",
                                                    R"({"first_name":"Dix","last_name":"Instances","sex":"male","birth_date":"1980-01-01"})");
                    (res.status == 200 || res.status == 201 ? ok : failed)++;
                }
            });
    long long peak = 0;
    for (int i = 0; i < 40; ++i) {
        peak = std::max(peak, count_server_connections());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop = true;
    for (auto& t : load) t.join();
    // What the instances hold open to PgBouncer, by their own metrics.
    long long clients = 0;
    for (auto& inst : instances) {
        auto m = inst->client().get("/metrics").body;
        for (std::size_t at = m.find("medisecure_db_pool_open{"); at != std::string::npos;
             at = m.find("medisecure_db_pool_open{", at + 1))
            clients += std::atoll(m.c_str() + m.find(' ', at) + 1);
    }
    std::cout << "ten instances through PgBouncer: " << ok << " requests answered, " << failed << " failed; "
              << clients << " connections open from the instances to PgBouncer; at most " << peak
              << " server connections to PostgreSQL\n";
    EXPECT_EQ(failed.load(), 0);
    EXPECT_GT(ok.load(), 100);
    EXPECT_GE(clients, 80);  // at least one per context per instance
    EXPECT_LE(peak, 8 * 8) << "PgBouncer's pools: 8 server connections per database";
    EXPECT_LT(peak, 100);
    instances.clear();
    for (const auto& ctx : config::database_contexts())
        server.read([&](soci::session& sql) { server.exec_script(sql, "DROP DATABASE " + prefix + ctx + " WITH (FORCE)"); });
}

}  // namespace
