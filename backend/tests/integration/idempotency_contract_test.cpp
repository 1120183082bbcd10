// SPDX-License-Identifier: Apache-2.0
// The Idempotency-Key store's contract on SQLite and PostgreSQL: a key is claimed once, its answer
// replayed (sealed at rest), another request under the same key refused, a failed request's key
// freed, an expired key reusable, and of concurrent claims exactly one wins.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contexts/identity/adapters/sql/sql_idempotency_store.hpp"
#include "core/time.hpp"
#include "platform/db/query.hpp"
#include "test_support.hpp"

using namespace medisecure;
using http::ClaimOutcome;

namespace {

class IdempotencyContract : public ::testing::TestWithParam<std::string> {
protected:
    testkit::TempDir dir;
    std::unique_ptr<db::Database> open(std::size_t pool = 4) {
        if (GetParam() == "sqlite") return testkit::sqlite_database(dir, "identity", pool);
        return testkit::postgres_database("identity", pool);
    }
    void SetUp() override {
        if (GetParam() == "postgresql") MS_REQUIRE_POSTGRES();
    }
    const std::string key = std::string(32, 'k');
};

Timestamp t0() { return *parse_instant("2026-11-24T08:00:00Z"); }

}  // namespace

TEST_P(IdempotencyContract, ClaimedOnceReplayedRefusedForAnotherRequestAndFreedOnFailure) {
    auto db = open();
    identity::SqlIdempotencyStore store(*db, key);
    EXPECT_EQ(store.claim("u1\nk1", "fp-a", t0()).outcome, ClaimOutcome::claimed);
    EXPECT_EQ(store.claim("u1\nk1", "fp-a", t0()).outcome, ClaimOutcome::in_progress);
    EXPECT_EQ(store.claim("u1\nk1", "fp-b", t0()).outcome, ClaimOutcome::mismatch);
    EXPECT_EQ(store.claim("u2\nk1", "fp-a", t0()).outcome, ClaimOutcome::claimed);  // another user's key
    http::StoredResponse answer{201, "application/json", {{"Location", "/api/v1/patients/p1"}}, R"({"id":"p1","last_name":"Martin"})"};
    store.complete("u1\nk1", answer);
    auto again = store.claim("u1\nk1", "fp-a", t0() + std::chrono::hours(23));
    ASSERT_EQ(again.outcome, ClaimOutcome::replay);
    EXPECT_EQ(again.stored->status, 201);
    EXPECT_EQ(again.stored->body, answer.body);
    EXPECT_EQ(again.stored->headers, answer.headers);
    // Sealed at rest: the patient's name is not in the table.
    db->read([&](soci::session& sql) {
        db::Query("SELECT response FROM idempotency_keys WHERE scope = ").bind(std::string("u1\nk1")).for_each(sql, [&](const db::Row& r) {
            EXPECT_EQ(db::as_string(r, 0).find("Martin"), std::string::npos);
            EXPECT_FALSE(db::as_string(r, 0).empty());
        });
    });
    // A request that failed on the server's side frees its key for the retry.
    store.release("u2\nk1");
    EXPECT_EQ(store.claim("u2\nk1", "fp-a", t0()).outcome, ClaimOutcome::claimed);
    // A claim left pending by a process that died mid-request is taken over after 2 minutes,
    // not before.
    EXPECT_EQ(store.claim("u3\nk1", "fp-a", t0()).outcome, ClaimOutcome::claimed);
    EXPECT_EQ(store.claim("u3\nk1", "fp-a", t0() + std::chrono::seconds(90)).outcome, ClaimOutcome::in_progress);
    EXPECT_EQ(store.claim("u3\nk1", "fp-a", t0() + std::chrono::seconds(150)).outcome, ClaimOutcome::claimed);
    // After 24 hours the key is free again, for any request.
    EXPECT_EQ(store.claim("u1\nk1", "fp-c", t0() + std::chrono::hours(25)).outcome, ClaimOutcome::claimed);
    // A stored answer opened with another key is never replayed.
    store.complete("u1\nk1", answer);
    identity::SqlIdempotencyStore other(*db, std::string(32, 'x'));
    EXPECT_EQ(other.claim("u1\nk1", "fp-c", t0() + std::chrono::hours(25)).outcome, ClaimOutcome::in_progress);
}

TEST_P(IdempotencyContract, OfConcurrentClaimsExactlyOneWins) {
    auto db = open(8);
    identity::SqlIdempotencyStore store(*db, key);
    for (int round = 0; round < 20; ++round) {
        std::atomic<int> claimed{0}, waiting{0};
        std::vector<std::thread> threads;
        const std::string scope = "u\nround-" + std::to_string(round);
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                auto c = store.claim(scope, "fp", t0());
                if (c.outcome == ClaimOutcome::claimed) ++claimed;
                else if (c.outcome == ClaimOutcome::in_progress) ++waiting;
            });
        for (auto& th : threads) th.join();
        EXPECT_EQ(claimed.load(), 1) << "round " << round;
        EXPECT_EQ(waiting.load(), 7) << "round " << round;
    }
}

INSTANTIATE_TEST_SUITE_P(Engines, IdempotencyContract, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });
