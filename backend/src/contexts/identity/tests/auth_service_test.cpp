// SPDX-License-Identifier: Apache-2.0
// Sign-in rules against the real SQL store on SQLite.
#include <gtest/gtest.h>

#include "contexts/identity/adapters/sql/sql_identity_store.hpp"
#include "contexts/identity/app/auth_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "core/time.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/crypto/totp.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::identity;
using audit::Outcome;
using medisecure::testkit::caller_of;

namespace {

struct Auth : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "identity");
    SqlIdentityStore store{*db};
    ManualClock clock{*parse_instant("2026-03-02T08:00:00Z")};
    MemoryCache cache{clock};
    TokenService tokens{std::string(40, 'j'), cache, clock, 900};
    crypto::PasswordHasher hasher{crypto::Argon2Params{1024, 1, 1}};
    testkit::RecordingAuditTrail audit;
    metrics::Registry reg;
    AuthPolicy policy{5, std::chrono::minutes(15), std::chrono::hours(12), true};
    AuthService auth{store, tokens, hasher, std::string(40, 'm'), audit, clock, policy, reg};
    UserAdmin users{store, tokens, hasher, audit, clock, [](const std::string& id) { return id == "p-1"; }};
    Caller anon = [] {
        Caller c;
        c.user_id = "anonymous";
        c.client_ip = "10.1.1.1";
        c.request_id = "r";
        return c;
    }();

    User make(Role role, const std::string& email, const std::string& password = "correct horse battery staple",
              const std::string& patient_id = "") {
        NewUser n;
        n.email = email;
        n.display_name = "Test User";
        n.role = role;
        n.patient_id = patient_id;
        n.password = password;
        auto r = users.create(Caller::system("test"), n);
        EXPECT_TRUE(r) << (r ? "" : r.error().code);
        return r->user;
    }
};

}  // namespace

TEST_F(Auth, SignsInAndOutAndTheTokenStopsWorking) {
    make(Role::doctor, "doc@cabinet.fr");
    auto s = auth.login(anon, "DOC@cabinet.fr", "correct horse battery staple", "");
    ASSERT_TRUE(s);
    auto claims = tokens.verify(s->access_token);
    ASSERT_TRUE(claims);
    EXPECT_EQ(audit.count("auth.login", Outcome::success), 1u);
    Caller me = caller_of(Role::doctor, claims->user_id);
    me.session_id = claims->session_id;
    auth.logout(me, "");
    EXPECT_EQ(tokens.verify(s->access_token).error().code, "token_revoked");
    EXPECT_FALSE(auth.refresh(anon, s->refresh_token));
}

TEST_F(Auth, FailuresLookTheSameForUnknownAccounts) {
    make(Role::doctor, "doc@cabinet.fr");
    auto wrong = auth.login(anon, "doc@cabinet.fr", "wrong password here", "");
    auto unknown = auth.login(anon, "nobody@cabinet.fr", "wrong password here", "");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().kind, unknown.error().kind);
    EXPECT_EQ(wrong.error().code, unknown.error().code);
    EXPECT_EQ(wrong.error().detail, unknown.error().detail);
    EXPECT_EQ(audit.count("auth.login", Outcome::failure), 2u);
}

TEST_F(Auth, LocksAfterFiveFailuresForKnownAndUnknownAddressesAlike) {
    make(Role::doctor, "doc@cabinet.fr");
    for (const char* email : {"doc@cabinet.fr", "ghost@cabinet.fr"}) {
        for (int i = 0; i < 5; ++i) EXPECT_EQ(auth.login(anon, email, "wrong password here", "").error().code, "invalid_credentials");
        auto locked = auth.login(anon, email, "correct horse battery staple", "");
        ASSERT_FALSE(locked);
        EXPECT_EQ(locked.error().code, "login_locked");
        EXPECT_EQ(locked.error().kind, ErrorKind::too_many_requests);
        EXPECT_GT(locked.error().retry_after_s, 14 * 60);
    }
    clock.advance(std::chrono::minutes(15));
    EXPECT_TRUE(auth.login(anon, "doc@cabinet.fr", "correct horse battery staple", ""));
}

namespace {
Caller from(const std::string& address) {
    Caller c;
    c.user_id = "anonymous";
    c.client_ip = address;
    c.request_id = "r";
    return c;
}
}  // namespace

// Five wrong passwords from one address hold off that address, not the account's owner elsewhere.
TEST_F(Auth, ALockedAddressDoesNotLockTheOwnerOut) {
    make(Role::admin, "admin@cabinet.fr");
    for (int i = 0; i < 5; ++i) EXPECT_EQ(auth.login(from("203.0.113.7"), "admin@cabinet.fr", "wrong password here", "").error().code, "invalid_credentials");
    EXPECT_EQ(auth.login(from("203.0.113.7"), "admin@cabinet.fr", "correct horse battery staple", "").error().code, "login_locked");
    EXPECT_TRUE(auth.login(from("198.51.100.2"), "admin@cabinet.fr", "correct horse battery staple", ""));
    // The owner's success does not lift the guesser's lock.
    EXPECT_EQ(auth.login(from("203.0.113.7"), "admin@cabinet.fr", "correct horse battery staple", "").error().code, "login_locked");
}

// Guesses spread over many addresses lock the account for everyone; the right password with a
// valid second factor still passes, and an administrator can lift the lock.
TEST_F(Auth, FailuresFromManyAddressesLockTheAccountButNotItsSecondFactor) {
    auto doc = make(Role::doctor, "doc@cabinet.fr");
    auto nurse = make(Role::nurse, "nurse@cabinet.fr");
    // The doctor has a second factor.
    auto s = auth.login(anon, "doc@cabinet.fr", "correct horse battery staple", "");
    ASSERT_TRUE(s);
    auto claims = *tokens.verify(s->access_token);
    Caller me = caller_of(Role::doctor, claims.user_id);
    me.session_id = claims.session_id;
    auto e = auth.totp_enroll(me);
    ASSERT_TRUE(e);
    auto seed = *crypto::base32_decode(e->secret_base32);
    ASSERT_TRUE(auth.totp_confirm(me, crypto::hotp(seed, static_cast<std::uint64_t>(to_seconds(clock.now()) / 30))));
    clock.advance(std::chrono::seconds(30));

    for (const char* email : {"doc@cabinet.fr", "nurse@cabinet.fr"})
        for (int i = 0; i < policy.account_lockout_threshold; ++i)
            (void)auth.login(from("192.0.2." + std::to_string(i)), email, "wrong password here", "");
    // The nurse has no second factor: the lock holds, whatever the address and the password.
    auto nurse_locked = auth.login(from("198.51.100.9"), "nurse@cabinet.fr", "correct horse battery staple", "");
    ASSERT_FALSE(nurse_locked);
    EXPECT_EQ(nurse_locked.error().code, "login_locked");
    EXPECT_GT(nurse_locked.error().retry_after_s, 14 * 60);
    // The doctor proves it is them: password and code.
    EXPECT_EQ(auth.login(from("198.51.100.9"), "doc@cabinet.fr", "wrong password here", "").error().code, "invalid_credentials");
    EXPECT_EQ(auth.login(from("198.51.100.9"), "doc@cabinet.fr", "correct horse battery staple", "").error().code, "totp_required");
    EXPECT_TRUE(auth.login(from("198.51.100.9"), "doc@cabinet.fr", "correct horse battery staple",
                           crypto::hotp(seed, static_cast<std::uint64_t>(to_seconds(clock.now()) / 30))));
    // An administrator lifts the nurse's lock.
    UserChanges unlock;
    unlock.unlock = true;
    ASSERT_TRUE(users.update(caller_of(Role::admin), nurse.id, unlock));
    EXPECT_TRUE(auth.login(from("198.51.100.9"), "nurse@cabinet.fr", "correct horse battery staple", ""));
    (void)doc;
}

// How many passwords an attacker can try on one account in an hour, from one address and from a
// new address for every try (the figures of docs/security.md).
TEST_F(Auth, GuessesPerHourAreBounded) {
    make(Role::secretary, "sec@cabinet.fr");
    auto guesses = [&](bool spread) {
        int checked = 0;
        const auto end = clock.now() + std::chrono::hours(1);
        for (int i = 0; clock.now() < end; ++i, clock.advance(std::chrono::seconds(5))) {
            auto r = auth.login(from(spread ? "192.0.2." + std::to_string(i % 250) + "." + std::to_string(i / 250)
                                            : std::string("203.0.113.7")),
                                "sec@cabinet.fr", "wrong password here", "");
            if (r.error().code == "invalid_credentials") ++checked;  // a password was tried
        }
        return checked;
    };
    const int one_address = guesses(false);
    clock.advance(std::chrono::hours(1));
    const int many_addresses = guesses(true);
    std::printf("guesses per hour on one account: %d from one address, %d from a new address each time\n", one_address,
                many_addresses);
    // 5 (20) tries, then 15 minutes locked: at most 4 rounds in an hour.
    EXPECT_EQ(one_address, 4 * policy.lockout_threshold);
    EXPECT_EQ(many_addresses, 4 * policy.account_lockout_threshold);
}

TEST_F(Auth, InactiveAccountsCannotSignIn) {
    auto u = make(Role::nurse, "nurse@cabinet.fr");
    UserChanges ch;
    ch.active = false;
    ASSERT_TRUE(users.update(caller_of(Role::admin), u.id, ch));
    EXPECT_EQ(auth.login(anon, "nurse@cabinet.fr", "correct horse battery staple", "").error().code, "invalid_credentials");
}

TEST_F(Auth, RefreshRotatesAndReuseEndsTheWholeFamily) {
    make(Role::secretary, "sec@cabinet.fr");
    auto s = auth.login(anon, "sec@cabinet.fr", "correct horse battery staple", "");
    ASSERT_TRUE(s);
    auto r1 = auth.refresh(anon, s->refresh_token);
    ASSERT_TRUE(r1);
    EXPECT_NE(r1->refresh_token, s->refresh_token);
    auto r2 = auth.refresh(anon, r1->refresh_token);
    ASSERT_TRUE(r2);
    // The first token again: someone is replaying it.
    auto replay = auth.refresh(anon, s->refresh_token);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, "refresh_token_reused");
    EXPECT_FALSE(auth.refresh(anon, r2->refresh_token));          // the legitimate newest token is dead too
    EXPECT_EQ(tokens.verify(r2->access_token).error().code, "token_revoked");  // and its access token
    EXPECT_EQ(audit.count("auth.refresh", Outcome::denied), 1u);
}

TEST_F(Auth, SessionsEndAfterTheirLifetime) {
    make(Role::secretary, "sec@cabinet.fr");
    auto s = auth.login(anon, "sec@cabinet.fr", "correct horse battery staple", "");
    clock.advance(std::chrono::hours(12));
    EXPECT_FALSE(auth.refresh(anon, s->refresh_token));
}

TEST_F(Auth, TotpEnrolmentThenRequiredAtSignIn) {
    make(Role::admin, "admin@cabinet.fr");
    auto s = auth.login(anon, "admin@cabinet.fr", "correct horse battery staple", "");
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->enrolment_required);  // mandatory for admins under this policy
    auto claims = *tokens.verify(s->access_token);
    EXPECT_TRUE(claims.enrolment_only);
    Caller me = caller_of(Role::admin, claims.user_id);
    me.session_id = claims.session_id;
    auto e = auth.totp_enroll(me);
    ASSERT_TRUE(e);
    auto seed = *crypto::base32_decode(e->secret_base32);
    EXPECT_NE(e->otpauth_uri.find("otpauth://totp/MediSecure:admin%40cabinet.fr?secret="), std::string::npos);
    EXPECT_FALSE(auth.totp_confirm(me, "000000"));
    auto code = crypto::hotp(seed, static_cast<std::uint64_t>(to_seconds(clock.now()) / 30));
    auto full = auth.totp_confirm(me, code);
    ASSERT_TRUE(full);
    EXPECT_FALSE(full->enrolment_required);
    EXPECT_EQ(tokens.verify(s->access_token).error().code, "token_revoked");  // the limited session ended

    auto no_code = auth.login(anon, "admin@cabinet.fr", "correct horse battery staple", "");
    EXPECT_EQ(no_code.error().code, "totp_required");
    EXPECT_EQ(auth.login(anon, "admin@cabinet.fr", "correct horse battery staple", code).error().code, "invalid_totp");  // used
    clock.advance(std::chrono::seconds(30));
    auto next = crypto::hotp(seed, static_cast<std::uint64_t>(to_seconds(clock.now()) / 30));
    EXPECT_TRUE(auth.login(anon, "admin@cabinet.fr", "correct horse battery staple", next));
    EXPECT_EQ(auth.totp_disable(me, "correct horse battery staple").error().code, "totp_required_for_role");
}

TEST_F(Auth, ChangingThePasswordEndsOtherSessions) {
    make(Role::doctor, "doc@cabinet.fr");
    auto a = *auth.login(anon, "doc@cabinet.fr", "correct horse battery staple", "");
    auto b = *auth.login(anon, "doc@cabinet.fr", "correct horse battery staple", "");
    auto ca = *tokens.verify(a.access_token);
    Caller me = caller_of(Role::doctor, ca.user_id);
    me.session_id = ca.session_id;
    EXPECT_EQ(auth.change_password(me, "wrong", "a brand new long phrase").error().code, "validation_failed");
    EXPECT_EQ(auth.change_password(me, "correct horse battery staple", "short").error().code, "weak_password");
    ASSERT_TRUE(auth.change_password(me, "correct horse battery staple", "a brand new long phrase"));
    EXPECT_TRUE(tokens.verify(a.access_token));
    EXPECT_EQ(tokens.verify(b.access_token).error().code, "token_revoked");
    EXPECT_TRUE(auth.login(anon, "doc@cabinet.fr", "a brand new long phrase", ""));
}

TEST_F(Auth, UserAdministrationRules) {
    auto admin = make(Role::admin, "admin@cabinet.fr");
    EXPECT_EQ(users.create(caller_of(Role::doctor), NewUser{"x@y.fr", "X", Role::nurse, "", {}}).error().kind, ErrorKind::forbidden);
    auto created = users.create(caller_of(Role::admin), NewUser{"x@y.fr", "X", Role::nurse, "", {}});
    ASSERT_TRUE(created);
    EXPECT_EQ(created->temporary_password.size(), 29u);
    EXPECT_EQ(users.create(caller_of(Role::admin), NewUser{"X@Y.fr", "X", Role::nurse, "", {}}).error().code, "email_taken");
    EXPECT_EQ(users.create(caller_of(Role::admin), NewUser{"p@y.fr", "P", Role::patient, "p-unknown", {}}).error().fields.at(0).code,
              "unknown_patient");
    ASSERT_TRUE(users.create(caller_of(Role::admin), NewUser{"p@y.fr", "P", Role::patient, "p-1", {}}));
    EXPECT_EQ(users.create(caller_of(Role::admin), NewUser{"q@y.fr", "Q", Role::patient, "p-1", {}}).error().code,
              "patient_already_linked");
    UserChanges demote;
    demote.role = Role::doctor;
    EXPECT_EQ(users.update(caller_of(Role::admin), admin.id, demote).error().code, "last_admin");
    UserChanges stale;
    stale.display_name = "New";
    stale.expected_version = 99;
    EXPECT_EQ(users.update(caller_of(Role::admin), admin.id, stale).error().kind, ErrorKind::precondition_failed);
    UserChanges reset;
    reset.reset_password = true;
    auto r = users.update(caller_of(Role::admin), created->user.id, reset);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->temporary_password.empty());
    EXPECT_TRUE(auth.login(anon, "x@y.fr", r->temporary_password, ""));
    EXPECT_EQ(users.get(caller_of(Role::admin), "missing").error().kind, ErrorKind::not_found);
}
