// SPDX-License-Identifier: Apache-2.0
// /api/v1/auth/*: sign-in, cookies, lockout, refresh rotation and reuse, logout, TOTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/crypto/totp.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {
std::string login_body(const std::string& email, const std::string& password, const std::string& totp = "") {
    json::object o{{"email", email}, {"password", password}};
    if (!totp.empty()) o["totp_code"] = totp;
    return json::serialize(o);
}
std::string totp_now(const std::string& secret_b32) {
    auto seed = *crypto::base32_decode(secret_b32);
    // The server's clock, which a test run may have moved (MEDISECURE_TEST_CLOCK).
    return crypto::hotp(seed, static_cast<std::uint64_t>(to_seconds(SystemClock{}.now()) / 30));
}
}  // namespace

class AuthApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { app_ = new TestApp(); }
    static void TearDownTestSuite() { delete app_; }
    static TestApp* app_;
};
TestApp* AuthApi::app_ = nullptr;

TEST_F(AuthApi, LoginSetsHttpOnlyStrictCookiesAndReturnsTheUser) {
    auto doc = app_->user(Role::doctor);
    auto c = app_->client(true);
    auto r = c.post("/api/v1/auth/login", login_body(doc.email, doc.password));
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    EXPECT_EQ(body.at("user").at("email"), doc.email);
    EXPECT_EQ(body.at("user").at("role"), "doctor");
    EXPECT_EQ(body.at("token_type"), "Bearer");
    EXPECT_EQ(body.at("expires_in"), 900);
    auto cookies = r.all("set-cookie");
    ASSERT_EQ(cookies.size(), 2u);
    for (const auto& ck : cookies) {
        EXPECT_NE(ck.find("HttpOnly"), std::string::npos);
        EXPECT_NE(ck.find("SameSite=Strict"), std::string::npos);
        EXPECT_EQ(ck.find("Secure"), std::string::npos);  // plain HTTP on loopback
    }
    EXPECT_NE(cookies[1].find("Path=/api/v1/auth"), std::string::npos);
    // The browser session works with the cookie alone.
    auto me = c.get("/api/v1/auth/me");
    EXPECT_EQ(me.status, 200);
    EXPECT_EQ(me.json().at("id"), doc.id);
}

TEST_F(AuthApi, CookiesAreSecureBehindATlsProxy) {
    TestApp app([](config::Config& c) { c.trusted_proxies = {"127.0.0.1"}; });
    auto r = app.client().post("/api/v1/auth/login", login_body(app.admin().email, app.admin().password),
                               {"X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.5"});
    ASSERT_EQ(r.status, 200);
    for (const auto& ck : r.all("set-cookie")) EXPECT_NE(ck.find("; Secure"), std::string::npos);
}

TEST_F(AuthApi, LoginValidation) {
    auto c = app_->client();
    auto missing = c.post("/api/v1/auth/login", R"({"email":"a@b.fr"})");
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(missing.json().at("errors").at(0).at("field"), "/password");
    EXPECT_EQ(c.post("/api/v1/auth/login", "{not json").status, 400);
    EXPECT_EQ(c.request("POST", "/api/v1/auth/login", login_body("a@b.fr", "x"), {}, "text/plain").status, 415);
    auto bad_totp = c.post("/api/v1/auth/login", login_body("a@b.fr", "x", "12ab56"));
    EXPECT_EQ(bad_totp.status, 422);
    EXPECT_EQ(bad_totp.json().at("errors").at(0).at("field"), "/totp_code");
}

TEST_F(AuthApi, FailuresAreIdenticalForUnknownAccounts) {
    auto nurse = app_->user(Role::nurse);
    auto c = app_->client();
    auto wrong = c.post("/api/v1/auth/login", login_body(nurse.email, "not the password"));
    auto unknown = c.post("/api/v1/auth/login", login_body("nobody-" + nurse.email, "not the password"));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    auto strip = [](json::value v) {
        v.as_object().erase("instance");
        return v;
    };
    EXPECT_EQ(strip(wrong.json()), strip(unknown.json()));
}

TEST_F(AuthApi, LockoutAfterFiveFailures) {
    auto sec = app_->user(Role::secretary);
    auto c = app_->client();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(c.post("/api/v1/auth/login", login_body(sec.email, "wrong password!")).status, 401);
    auto locked = c.post("/api/v1/auth/login", login_body(sec.email, sec.password));
    EXPECT_EQ(locked.status, 429);
    EXPECT_EQ(locked.code(), "login_locked");
    EXPECT_GT(std::stoi(locked.header("retry-after")), 800);
    // The same for an address with no account.
    for (int i = 0; i < 5; ++i) c.post("/api/v1/auth/login", login_body("ghost@nowhere.fr", "wrong password!"));
    EXPECT_EQ(c.post("/api/v1/auth/login", login_body("ghost@nowhere.fr", "anything at all")).code(), "login_locked");
}

TEST_F(AuthApi, RefreshRotatesAndReuseEndsTheSession) {
    auto doc = app_->user(Role::doctor);
    auto c = app_->client(true);
    ASSERT_EQ(c.post("/api/v1/auth/login", login_body(doc.email, doc.password)).status, 200);
    std::string first = c.cookie("ms_refresh");
    ASSERT_FALSE(first.empty());
    auto r1 = c.post("/api/v1/auth/refresh", "");
    ASSERT_EQ(r1.status, 200) << r1.body;
    std::string second = c.cookie("ms_refresh");
    EXPECT_NE(second, first);
    std::string access = std::string(r1.json().at("access_token").as_string());

    // An attacker replays the first refresh token.
    auto attacker = app_->client();
    auto replay = attacker.post("/api/v1/auth/refresh", json::serialize(json::object{{"refresh_token", first}}));
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(replay.code(), "refresh_token_reused");
    // The whole family is gone: the newest refresh token and its access token too.
    EXPECT_EQ(c.post("/api/v1/auth/refresh", "").status, 401);
    auto stolen = app_->client();
    stolen.bearer = access;
    EXPECT_EQ(stolen.get("/api/v1/auth/me").code(), "token_revoked");
}

TEST_F(AuthApi, LogoutRevokesTheAccessTokenAtOnce) {
    auto doc = app_->user(Role::doctor);
    auto c = app_->client();
    c.bearer = doc.token;
    EXPECT_EQ(c.get("/api/v1/auth/me").status, 200);
    auto out = c.post("/api/v1/auth/logout", "");
    EXPECT_EQ(out.status, 204);
    for (const auto& ck : out.all("set-cookie")) EXPECT_NE(ck.find("Max-Age=0"), std::string::npos);
    auto after = c.get("/api/v1/auth/me");
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.code(), "token_revoked");
    // A browser session (cookies only) ends the same way.
    auto b = app_->client(true);
    ASSERT_EQ(b.post("/api/v1/auth/login", login_body(doc.email, doc.password)).status, 200);
    std::string token = b.cookie("ms_access");
    EXPECT_EQ(b.post("/api/v1/auth/logout", "").status, 204);
    auto replay = app_->client();
    replay.bearer = token;
    EXPECT_EQ(replay.get("/api/v1/auth/me").status, 401);
}

TEST_F(AuthApi, MeRequiresAValidToken) {
    auto c = app_->client();
    EXPECT_EQ(c.get("/api/v1/auth/me").code(), "authentication_required");
    c.bearer = "eyJhbGciOiJIUzI1NiJ9.e30.forged";
    EXPECT_EQ(c.get("/api/v1/auth/me").code(), "invalid_token");
    EXPECT_EQ(c.get("/api/v1/auth/me", {"Authorization: Basic YWxhZGRpbjpvcGVu"}).status, 401);
}

TEST_F(AuthApi, ChangePassword) {
    auto nurse = app_->user(Role::nurse);
    auto c = app_->client();
    c.bearer = nurse.token;
    auto weak = c.post("/api/v1/auth/password", json::serialize(json::object{{"current_password", nurse.password}, {"new_password", "short"}}));
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(weak.json().at("errors").at(0).at("field"), "/new_password");
    auto wrong = c.post("/api/v1/auth/password", json::serialize(json::object{{"current_password", "nope"}, {"new_password", "a much longer phrase"}}));
    EXPECT_EQ(wrong.status, 422);
    EXPECT_EQ(c.post("/api/v1/auth/password", json::serialize(json::object{{"current_password", nurse.password},
                                                                              {"new_password", "a much longer phrase"}}))
                  .status,
              204);
    EXPECT_EQ(app_->client().post("/api/v1/auth/login", login_body(nurse.email, "a much longer phrase")).status, 200);
    EXPECT_EQ(app_->client().post("/api/v1/auth/password", "{}").status, 401);
}

TEST_F(AuthApi, TotpEnrolmentAndSignIn) {
    auto doc = app_->user(Role::doctor);
    auto c = app_->client();
    c.bearer = doc.token;
    auto e = c.post("/api/v1/auth/totp/enroll", "");
    ASSERT_EQ(e.status, 200);
    std::string secret(e.json().at("secret").as_string());
    EXPECT_EQ(c.post("/api/v1/auth/totp/confirm", R"({"code":"000000"})").status, 422);
    auto ok = c.post("/api/v1/auth/totp/confirm", json::serialize(json::object{{"code", totp_now(secret)}}));
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json().at("user").at("totp_enabled"), true);
    // Enabling the second factor replaces the session: the old token is over, the new one works.
    EXPECT_EQ(c.get("/api/v1/auth/me").status, 401);
    c.bearer = std::string(ok.json().at("access_token").as_string());
    EXPECT_EQ(c.post("/api/v1/auth/totp/enroll", "").status, 409);

    auto anon = app_->client();
    auto need = anon.post("/api/v1/auth/login", login_body(doc.email, doc.password));
    EXPECT_EQ(need.status, 401);
    EXPECT_EQ(need.code(), "totp_required");
    // The code used to confirm cannot be used again; wait for the next step when needed.
    auto code = totp_now(secret);
    auto r = anon.post("/api/v1/auth/login", login_body(doc.email, doc.password, code));
    if (r.status == 401) {
        std::this_thread::sleep_for(std::chrono::seconds(31 - (to_seconds(SystemClock{}.now()) % 30)));
        r = anon.post("/api/v1/auth/login", login_body(doc.email, doc.password, totp_now(secret)));
    }
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST(AuthApiPolicy, AdminsMustEnrolBeforeAnythingElse) {
    TestApp app([](config::Config& c) { c.totp_required_for_admins = true; });
    auto r = app.client().post("/api/v1/auth/login", login_body(app.admin().email, app.admin().password));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("totp_enrolment_required"), true);
    auto c = app.client();
    c.bearer = std::string(r.json().at("access_token").as_string());
    auto blocked = c.get("/api/v1/users");
    EXPECT_EQ(blocked.status, 403);
    EXPECT_EQ(blocked.code(), "totp_enrolment_required");
    auto limited = c.get("/api/v1/auth/me");
    EXPECT_EQ(limited.status, 200);
    EXPECT_EQ(limited.json().at("totp_enrolment_required"), true);  // a reloaded page still knows
    auto e = c.post("/api/v1/auth/totp/enroll", "");
    ASSERT_EQ(e.status, 200);
    auto full = c.post("/api/v1/auth/totp/confirm",
                       json::serialize(json::object{{"code", totp_now(std::string(e.json().at("secret").as_string()))}}));
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.json().at("totp_enrolment_required"), false);
    auto admin = app.client();
    admin.bearer = std::string(full.json().at("access_token").as_string());
    EXPECT_EQ(admin.get("/api/v1/users").status, 200);
    EXPECT_EQ(admin.get("/api/v1/auth/me").json().at("totp_enrolment_required"), false);
    EXPECT_EQ(c.get("/api/v1/auth/me").status, 401);  // the limited session is over
}
