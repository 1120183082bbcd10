// SPDX-License-Identifier: Apache-2.0
// /api/v1/users: administration of accounts.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

class UsersApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { app_ = new TestApp(); }
    static void TearDownTestSuite() { delete app_; }
    static TestApp* app_;
    HttpClient admin() {
        HttpClient c(app_->base_url());
        c.bearer = app_->admin().token;
        return c;
    }
};
TestApp* UsersApi::app_ = nullptr;

TEST_F(UsersApi, CreateWithGeneratedPasswordReadAndList) {
    auto c = admin();
    auto r = c.post("/api/v1/users", R"({"email":"Accueil@Cabinet.fr","display_name":"Zoé Accueil","role":"secretary"})");
    ASSERT_EQ(r.status, 201) << r.body;
    auto body = r.json();
    std::string id(body.at("user").at("id").as_string());
    EXPECT_EQ(body.at("user").at("email"), "accueil@cabinet.fr");
    std::string temp(body.at("temporary_password").as_string());
    EXPECT_EQ(temp.size(), 29u);
    EXPECT_EQ(r.header("location"), "/api/v1/users/" + id);
    EXPECT_EQ(app_->client().post("/api/v1/auth/login", json::serialize(json::object{{"email", "accueil@cabinet.fr"}, {"password", temp}})).status, 200);
    auto got = c.get("/api/v1/users/" + id);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.header("etag"), "\"v1\"");
    auto list = c.get("/api/v1/users?role=secretary&limit=200");
    ASSERT_EQ(list.status, 200);
    bool found = false;
    for (const auto& u : list.json().at("items").as_array()) found |= u.at("id") == id;
    EXPECT_TRUE(found);
}

TEST_F(UsersApi, ValidationErrorsNameTheFields) {
    auto c = admin();
    auto r = c.post("/api/v1/users", R"({"email":"not-an-email","display_name":"","role":"surgeon","extra":1})");
    ASSERT_EQ(r.status, 422);
    std::set<std::string> fields;
    for (const auto& e : r.json().at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
    EXPECT_EQ(fields, (std::set<std::string>{"/email", "/display_name", "/role", "/extra"}));
    auto weak = c.post("/api/v1/users", R"({"email":"w@x.fr","display_name":"W","role":"nurse","password":"password1234"})");
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(weak.json().at("errors").at(0).at("code"), "too_common");
    auto patient = c.post("/api/v1/users", R"({"email":"p@x.fr","display_name":"P","role":"patient"})");
    EXPECT_EQ(patient.json().at("errors").at(0).at("field"), "/patient_id");
    auto unknown = c.post("/api/v1/users", R"({"email":"p@x.fr","display_name":"P","role":"patient","patient_id":"01900000-0000-7000-8000-000000000000"})");
    EXPECT_EQ(unknown.json().at("errors").at(0).at("code"), "unknown_patient");
    c.post("/api/v1/users", R"({"email":"dup@x.fr","display_name":"D","role":"nurse"})");
    EXPECT_EQ(c.post("/api/v1/users", R"({"email":"DUP@x.fr","display_name":"D","role":"nurse"})").status, 409);
}

TEST_F(UsersApi, OnlyAdminsManageUsers) {
    for (auto role : {Role::doctor, Role::nurse, Role::secretary, Role::accountant}) {
        auto u = app_->user(role);
        HttpClient c(app_->base_url());
        c.bearer = u.token;
        EXPECT_EQ(c.get("/api/v1/users").status, 403);
        EXPECT_EQ(c.post("/api/v1/users", R"({"email":"z@x.fr","display_name":"Z","role":"admin"})").status, 403);
        EXPECT_EQ(c.get("/api/v1/users/" + u.id).status, 403);
    }
}

TEST_F(UsersApi, NotFound) {
    auto c = admin();
    EXPECT_EQ(c.get("/api/v1/users/01900000-0000-7000-8000-000000000000").status, 404);
    EXPECT_EQ(c.get("/api/v1/users/42").status, 404);
    EXPECT_EQ(c.patch("/api/v1/users/01900000-0000-7000-8000-000000000000", R"({"active":false})").status, 404);
}

TEST_F(UsersApi, DeactivationEndsSessionsAndBlocksSignIn) {
    auto nurse = app_->user(Role::nurse);
    auto c = admin();
    auto r = c.patch("/api/v1/users/" + nurse.id, R"({"active":false})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("user").at("active"), false);
    HttpClient n(app_->base_url());
    n.bearer = nurse.token;
    EXPECT_EQ(n.get("/api/v1/auth/me").status, 401);
    EXPECT_EQ(app_->client().post("/api/v1/auth/login", json::serialize(json::object{{"email", nurse.email}, {"password", nurse.password}})).status, 401);
}

TEST_F(UsersApi, RoleChangeEndsSessionsAndResetPasswordShowsItOnce) {
    auto sec = app_->user(Role::secretary);
    auto c = admin();
    auto r = c.patch("/api/v1/users/" + sec.id, R"({"role":"nurse","reset_password":true})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("user").at("role"), "nurse");
    std::string temp(r.json().at("temporary_password").as_string());
    HttpClient s(app_->base_url());
    s.bearer = sec.token;
    EXPECT_EQ(s.get("/api/v1/auth/me").status, 401);
    EXPECT_EQ(app_->client().post("/api/v1/auth/login", json::serialize(json::object{{"email", sec.email}, {"password", temp}})).status, 200);
    EXPECT_TRUE(c.get("/api/v1/users/" + sec.id).json().at("role") == "nurse");
}

TEST_F(UsersApi, IfMatchIsHonoured) {
    auto doc = app_->user(Role::doctor);
    auto c = admin();
    auto etag = c.get("/api/v1/users/" + doc.id).header("etag");
    auto ok = c.patch("/api/v1/users/" + doc.id, R"({"display_name":"Dr Renamed"})", {"If-Match: " + etag});
    ASSERT_EQ(ok.status, 200);
    auto stale = c.patch("/api/v1/users/" + doc.id, R"({"display_name":"Dr Again"})", {"If-Match: " + etag});
    EXPECT_EQ(stale.status, 412);
}

TEST_F(UsersApi, TheLastAdministratorStays) {
    TestApp app;
    HttpClient c(app.base_url());
    c.bearer = app.admin().token;
    auto me = c.get("/api/v1/auth/me").json();
    std::string id(me.at("id").as_string());
    EXPECT_EQ(c.patch("/api/v1/users/" + id, R"({"active":false})").code(), "last_admin");
    EXPECT_EQ(c.patch("/api/v1/users/" + id, R"({"role":"doctor"})").code(), "last_admin");
}
