// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "contexts/identity/app/token_service.hpp"
#include "core/time.hpp"
#include "platform/cache/memory_cache.hpp"

using namespace medisecure;
using namespace medisecure::identity;

namespace {
User user(const std::string& id, Role role) {
    User u;
    u.id = id;
    u.role = role;
    return u;
}
}  // namespace

TEST(TokenService, IssuesVerifiableTokensWithTheirClaims) {
    ManualClock clock(*parse_instant("2026-03-01T08:00:00Z"));
    MemoryCache cache(clock);
    TokenService tokens(std::string(40, 'j'), cache, clock, 900);
    User u = user("u1", Role::patient);
    u.patient_id = "p1";
    std::int64_t exp = 0;
    auto t = tokens.issue(u, "s1", false, exp);
    EXPECT_EQ(exp, to_seconds(clock.now()) + 900);
    auto c = tokens.verify(t);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user_id, "u1");
    EXPECT_EQ(c->role, Role::patient);
    EXPECT_EQ(c->patient_id, "p1");
    EXPECT_EQ(c->session_id, "s1");
    EXPECT_FALSE(c->enrolment_only);
}

TEST(TokenService, ExpiresAfterItsLifetime) {
    ManualClock clock(*parse_instant("2026-03-01T08:00:00Z"));
    MemoryCache cache(clock);
    TokenService tokens(std::string(40, 'j'), cache, clock, 900);
    User u = user("u1", Role::doctor);
    std::int64_t exp = 0;
    auto t = tokens.issue(u, "s1", false, exp);
    clock.advance(std::chrono::seconds(899));
    EXPECT_TRUE(tokens.verify(t));
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(tokens.verify(t).error().code, "invalid_token");
}

TEST(TokenService, DeniedSessionsAreRefusedAtOnce) {
    ManualClock clock(*parse_instant("2026-03-01T08:00:00Z"));
    MemoryCache cache(clock);
    TokenService tokens(std::string(40, 'j'), cache, clock, 900);
    User u = user("u1", Role::doctor);
    std::int64_t exp = 0;
    auto t = tokens.issue(u, "s1", false, exp);
    auto other = tokens.issue(u, "s2", false, exp);
    tokens.deny_session("s1");
    EXPECT_EQ(tokens.verify(t).error().code, "token_revoked");
    EXPECT_TRUE(tokens.verify(other));
    // A token signed with another secret is worthless.
    TokenService stranger(std::string(40, 'x'), cache, clock, 900);
    EXPECT_FALSE(stranger.verify(other));
}

TEST(TokenService, ATokenVerifiedBeforeIsStillCheckedForRevocationAndSecret) {
    ManualClock clock(*parse_instant("2026-03-01T08:00:00Z"));
    MemoryCache cache(clock);
    TokenService tokens(std::string(40, 'j'), cache, clock, 900);
    User u = user("u1", Role::nurse);
    std::int64_t exp = 0;
    auto t = tokens.issue(u, "s1", false, exp);
    ASSERT_TRUE(tokens.verify(t));
    ASSERT_TRUE(tokens.verify(t));  // from this thread's memo
    EXPECT_EQ(tokens.verify(t)->role, Role::nurse);
    TokenService stranger(std::string(40, 'x'), cache, clock, 900);
    EXPECT_FALSE(stranger.verify(t));  // the memo is not another secret's
    ASSERT_TRUE(tokens.verify(t));
    tokens.deny_session("s1");
    EXPECT_EQ(tokens.verify(t).error().code, "token_revoked");
}
