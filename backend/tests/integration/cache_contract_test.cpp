// SPDX-License-Identifier: Apache-2.0
// The Cache port against the in-process cache and a real Redis (scripts/services/redis.sh), and
// what several instances rely on it for: one rate-limit budget, one deny-list that fails closed.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contexts/identity/adapters/sql/sql_identity_store.hpp"
#include "contexts/identity/app/token_service.hpp"
#include "core/random.hpp"
#include "platform/cache/fallback_cache.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/cache/redis_cache.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace std::chrono_literals;

namespace {

std::string unique_prefix() { return "test:" + new_uuid_v7(SystemClock().now()) + ":"; }

std::unique_ptr<RedisCache> redis_at(const std::string& url, metrics::Registry& reg, RedisOptions opt = {}) {
    auto target = parse_redis_url(url);
    if (!target) throw std::runtime_error("bad test Redis URL");
    if (opt.key_prefix == RedisOptions{}.key_prefix) opt.key_prefix = unique_prefix();
    return std::make_unique<RedisCache>(*target, opt, reg);
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

int own_port() { return testkit::free_tcp_port(); }

// ----- the contract, on both -----

class CacheContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "redis") {
            MS_REQUIRE_REDIS();
            redis = redis_at(testkit::redis_url(), reg);
            cache = redis.get();
        } else {
            cache = &memory;
        }
    }
    SystemClock clock;
    metrics::Registry reg;
    MemoryCache memory{clock};
    std::unique_ptr<RedisCache> redis;
    Cache* cache = nullptr;
};

TEST_P(CacheContract, StoresExpiresAndErases) {
    cache->put("a", "1", 1s);
    cache->put("b", std::string("with\0nul", 8), 60s);
    EXPECT_EQ(cache->get("a"), "1");
    EXPECT_EQ(cache->get("b"), std::string("with\0nul", 8));
    EXPECT_FALSE(cache->get("missing"));
    auto many = cache->get_many({"b", "missing", "a"});
    ASSERT_EQ(many.size(), 3u);
    EXPECT_EQ(many[0], std::string("with\0nul", 8));
    EXPECT_FALSE(many[1]);
    EXPECT_EQ(many[2], "1");
    cache->erase("b");
    EXPECT_FALSE(cache->get("b"));
    std::this_thread::sleep_for(1100ms);
    EXPECT_FALSE(cache->get("a"));
    EXPECT_TRUE(cache->ping());
}

TEST_P(CacheContract, TokenBucketRefusesThenRefills) {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(cache->take("ip", 20, 3).allowed) << i;
    auto refused = cache->take("ip", 20, 3);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after_s, 1);
    EXPECT_TRUE(cache->take("other", 20, 3).allowed);  // one bucket per key
    std::this_thread::sleep_for(120ms);                // 20 a second: two tokens back
    EXPECT_TRUE(cache->take("ip", 20, 3).allowed);
}

TEST_P(CacheContract, TakingIsAtomicUnderConcurrency) {
    // Read-modify-write would let more than the burst through.
    std::atomic<int> allowed{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < 8; ++t)
        ts.emplace_back([&] {
            for (int i = 0; i < 40; ++i)
                if (cache->take("shared", 0.01, 100).allowed) ++allowed;
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(allowed.load(), 100);
}

INSTANTIATE_TEST_SUITE_P(Cache, CacheContract, ::testing::Values("memory", "redis"),
                         [](const auto& p) { return p.param; });

// ----- Redis: URLs, several instances, faults -----

TEST(RedisUrl, ParsesServersSentinelsAndCredentials) {
    auto a = parse_redis_url("redis://:s3cr%40t@10.0.0.5:6380/2");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->server.host, "10.0.0.5");
    EXPECT_EQ(a->server.port, 6380);
    EXPECT_EQ(a->password, "s3cr@t");
    EXPECT_EQ(a->db, 2);
    EXPECT_FALSE(a->via_sentinel());
    auto b = parse_redis_url("redis://cache");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->server.port, 6379);
    EXPECT_EQ(b->db, 0);
    auto c = parse_redis_url("redis-sentinel://app:pw@s1:26379,s2,[::1]:26380/mymaster/1");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->sentinels.size(), 3u);
    EXPECT_EQ(c->sentinels[1].port, 26379);
    EXPECT_EQ(c->sentinels[2].host, "::1");
    EXPECT_EQ(c->sentinels[2].port, 26380);
    EXPECT_EQ(c->master_name, "mymaster");
    EXPECT_EQ(c->username, "app");
    EXPECT_EQ(c->db, 1);
    std::string error;
    EXPECT_FALSE(parse_redis_url("redis-sentinel://s1:26379", &error));
    EXPECT_NE(error.find("master"), std::string::npos);
    EXPECT_FALSE(parse_redis_url("redis://h:99999", &error));
    EXPECT_FALSE(parse_redis_url("redis://h/16", &error));
    EXPECT_FALSE(parse_redis_url("rediss://h", &error));
    EXPECT_FALSE(parse_redis_url("http://h", &error));
    EXPECT_EQ(redact_redis_url("redis://:s3cret@h:6379/0"), "redis://:***@h:6379/0");
    EXPECT_EQ(redact_redis_url("redis-sentinel://u:pw@a:1,b:2/m"), "redis-sentinel://u:***@a:1,b:2/m");
    EXPECT_EQ(redact_redis_url("redis://h:6379"), "redis://h:6379");
}

TEST(RedisCache, TwoInstancesDrawFromOneBudget) {
    MS_REQUIRE_REDIS();
    metrics::Registry r1, r2;
    RedisOptions opt;
    opt.key_prefix = unique_prefix();
    auto a = redis_at(testkit::redis_url(), r1, opt);
    auto b = redis_at(testkit::redis_url(), r2, opt);
    int allowed = 0;
    for (int i = 0; i < 30; ++i) allowed += (i % 2 ? a : b)->take("ip:203.0.113.9", 0.01, 10).allowed ? 1 : 0;
    EXPECT_EQ(allowed, 10);
    a->put("k", "from a", 60s);
    EXPECT_EQ(b->get("k"), "from a");
}

TEST(RedisCache, AWrongPasswordIsUnavailableAndNotPrinted) {
    MS_REQUIRE_REDIS();
    auto target = parse_redis_url(testkit::redis_url());
    ASSERT_TRUE(target);
    target->password = "not-the-password-42";
    metrics::Registry reg;
    RedisCache cache(*target, {}, reg);
    try {
        cache.get("x");
        ADD_FAILURE() << "a wrong password was accepted";
    } catch (const CacheUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("refused the credentials"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("not-the-password-42"), std::string::npos);
    }
    EXPECT_FALSE(cache.ping());
}

TEST(RedisCache, FailsFastWhileDownAndReconnectsAfterARestart) {
    MS_REQUIRE_REDIS();
    testkit::OwnRedis server(own_port());
    const std::string url = server.start();
    metrics::Registry reg;
    RedisOptions opt;
    opt.retry_after = 300ms;
    auto cache = redis_at(url, reg, opt);
    cache->put("k", "v", 60s);
    EXPECT_EQ(cache->get("k"), "v");

    // Restarted (empty: nothing saved): the pooled connection is dead; the next call reconnects.
    server.stop();
    server.start();
    EXPECT_FALSE(cache->get("k"));
    cache->put("k", "v2", 60s);
    EXPECT_EQ(cache->get("k"), "v2");

    // Down: the first call fails within the connect timeout, the next ones at once.
    server.stop();
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(cache->get("k"), CacheUnavailable);
    EXPECT_LT(elapsed_ms(t0), 1200);
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i) EXPECT_THROW(cache->get("k"), CacheUnavailable);
    EXPECT_LT(elapsed_ms(t0), 50) << "calls while down must not each wait for a timeout";
    EXPECT_FALSE(cache->ping());
    EXPECT_NE(reg.render().find("medisecure_cache_remote_up 0"), std::string::npos);

    // Back: served again once the retry delay has passed.
    server.start();
    std::this_thread::sleep_for(350ms);
    EXPECT_TRUE(cache->ping());
    cache->put("k", "v3", 60s);
    EXPECT_EQ(cache->get("k"), "v3");
    EXPECT_NE(reg.render().find("medisecure_cache_remote_up 1"), std::string::npos);
}

TEST(FallbackCache, RateLimitsFallBackToTheInstanceAndReadsMiss) {
    MS_REQUIRE_REDIS();
    testkit::OwnRedis server(own_port());
    const std::string url = server.start();
    SystemClock clock;
    metrics::Registry reg;
    MemoryCache local(clock);
    RedisOptions opt;
    opt.retry_after = 5s;
    auto redis = redis_at(url, reg, opt);
    FallbackCache cache(*redis, local, reg);
    cache.put("k", "v", 60s);
    EXPECT_EQ(cache.get("k"), "v");
    server.stop();
    EXPECT_FALSE(cache.get("k"));  // a miss, not an error
    cache.put("k", "w", 60s);      // skipped, not an error
    int allowed = 0;
    for (int i = 0; i < 10; ++i) allowed += cache.take("ip", 0.01, 4).allowed ? 1 : 0;
    EXPECT_EQ(allowed, 4);  // the instance's own bucket still limits
    EXPECT_FALSE(cache.ping());
    EXPECT_NE(reg.render().find("medisecure_cache_fallbacks_total{use=\"rate_limit\"} 10"), std::string::npos)
        << reg.render();
}

// ----- the deny-list across instances -----

class SharedDenyList : public ::testing::Test {
protected:
    void SetUp() override {
        MS_REQUIRE_REDIS();
        db = testkit::sqlite_database(dir, "identity");
        store = std::make_unique<identity::SqlIdentityStore>(*db);
        user.id = new_uuid_v7(clock.now());
        user.email = "dr@x.fr";
        user.display_name = "Dr X";
        user.role = Role::doctor;
        user.password_hash = "$argon2id$x";
        user.created_at = user.updated_at = user.password_changed_at = clock.now();
        ASSERT_TRUE(store->insert_user(user));
        for (const char* sid : {"s-1", "s-2"})
            store->create_session({sid, user.id, clock.now(), clock.now(), clock.now() + 8h, std::nullopt, "", "ip"},
                                  {std::string("h") + sid, sid, clock.now(), clock.now() + 8h});
    }
    std::string token(const identity::TokenService& t, const std::string& sid) {
        std::int64_t exp = 0;
        return t.issue(user, sid, false, exp);
    }
    /// What logout does: the store first (durable), then the deny-list.
    void logout(const identity::TokenService& t, const std::string& sid) {
        store->revoke_session(sid, clock.now(), "logout");
        t.deny_session(sid);
    }
    testkit::TempDir dir;
    SystemClock clock;
    std::unique_ptr<db::Database> db;
    std::unique_ptr<identity::SqlIdentityStore> store;
    identity::User user;
};

TEST_F(SharedDenyList, ALogoutOnOneInstanceRefusesTheTokenOnAnother) {
    metrics::Registry r1, r2;
    RedisOptions opt;
    opt.key_prefix = unique_prefix();
    auto ca = redis_at(testkit::redis_url(), r1, opt), cb = redis_at(testkit::redis_url(), r2, opt);
    identity::TokenService a(std::string(40, 's'), *ca, clock, 900, store.get());
    identity::TokenService b(std::string(40, 's'), *cb, clock, 900, store.get());
    a.load_revocations();
    const auto t1 = token(a, "s-1");
    ASSERT_TRUE(b.verify(t1));  // also memoised by b
    logout(a, "s-1");
    auto refused = b.verify(t1);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "token_revoked");
    EXPECT_TRUE(b.verify(token(a, "s-2")));  // another session of the user is not affected
}

TEST_F(SharedDenyList, ACacheThatLostItsContentsIsRefilledBeforeAnyTokenIsAccepted) {
    testkit::OwnRedis server(own_port());
    const std::string url = server.start();
    metrics::Registry r1, r2;
    RedisOptions opt;
    opt.retry_after = 100ms;
    opt.key_prefix = unique_prefix();
    auto ca = redis_at(url, r1, opt), cb = redis_at(url, r2, opt);
    identity::TokenService a(std::string(40, 's'), *ca, clock, 900, store.get());
    identity::TokenService b(std::string(40, 's'), *cb, clock, 900, store.get());
    a.load_revocations();
    const auto t1 = token(a, "s-1");
    logout(a, "s-1");
    server.stop();  // restarted without persistence: every revocation is gone from Redis
    server.start();
    std::this_thread::sleep_for(150ms);
    auto refused = b.verify(t1);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "token_revoked");
    EXPECT_TRUE(b.verify(token(a, "s-2")));
}

TEST_F(SharedDenyList, FailsClosedWhileRedisIsDown) {
    testkit::OwnRedis server(own_port());
    const std::string url = server.start();
    metrics::Registry r1, r2;
    RedisOptions opt;
    opt.key_prefix = unique_prefix();
    auto ca = redis_at(url, r1, opt), cb = redis_at(url, r2, opt);
    identity::TokenService a(std::string(40, 's'), *ca, clock, 900, store.get());
    identity::TokenService b(std::string(40, 's'), *cb, clock, 900, store.get());
    a.load_revocations();
    const auto t1 = token(a, "s-1"), t2 = token(a, "s-2");
    ASSERT_TRUE(b.verify(t1));
    server.stop();
    logout(a, "s-1");  // Redis cannot take it: durable in the store, kept by a, written later
    auto refused = b.verify(t1);
    ASSERT_FALSE(refused) << "a revoked token was accepted while Redis was down";
    EXPECT_EQ(refused.error().code, "token_revoked");
    EXPECT_FALSE(a.verify(t1));
    EXPECT_TRUE(b.verify(t2));  // live sessions still work, checked against the store

    // Without a store to ask, an unreachable deny-list refuses every token.
    identity::TokenService blind(std::string(40, 's'), *cb, clock, 900, nullptr);
    EXPECT_FALSE(blind.verify(t2));

    // Back: a's deferred revocation reaches Redis (on a's next check), so even an instance with
    // no store to ask refuses the token.
    server.start();
    std::this_thread::sleep_for(1100ms);  // the adapters' retry delay
    EXPECT_TRUE(a.verify(t2));
    identity::TokenService c(std::string(40, 's'), *cb, clock, 900, nullptr);
    EXPECT_FALSE(c.verify(t1));
}

}  // namespace
