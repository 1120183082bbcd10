// SPDX-License-Identifier: Apache-2.0
// The middleware chain without a socket: what every request goes through.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/http/problem.hpp"

using namespace medisecure;
using namespace medisecure::http;
using schema::Schema;

namespace {

class FakeAuth final : public Authenticator {
public:
    Result<Principal> authenticate(std::string_view token) override {
        if (token == "admin") return Principal{"u-admin", Role::admin, "", "s1", 0, false};
        if (token == "nurse") return Principal{"u-nurse", Role::nurse, "", "s2", 0, false};
        if (token == "enrolling") return Principal{"u-adm2", Role::admin, "", "s3", 0, true};
        return unauthenticated("invalid_token", "bad");
    }
};

struct Fixture : ::testing::Test {
    ManualClock clock{*parse_instant("2026-01-01T00:00:00Z")};
    MemoryCache cache{clock};
    metrics::Registry registry;
    FakeAuth auth;
    Router router;
    std::unique_ptr<Pipeline> pipeline;

    void build(PipelineOptions opt = {}) {
        Route echo;
        echo.method = Method::post;
        echo.path = "/api/v1/things/{id}";
        echo.access = Access::roles_of({Role::admin});
        echo.params = {{"id", ParamIn::path, Schema::string().format("uuid"), true, ""},
                       {"limit", ParamIn::query, Schema::integer().maximum(10), false, ""}};
        echo.body = BodyDoc{Schema::object({schema::req("name", Schema::string().max_length(5))})};
        echo.responses = {{200, "ok", Schema::object({schema::req("name", Schema::string())})}};
        echo.handler = [](Request& r) { return Response::json(200, boost::json::object{{"name", r.json.at("name")}}); };
        router.add(echo);
        Route boom;
        boom.method = Method::get;
        boom.path = "/api/v1/boom";
        boom.access = Access::anyone();
        boom.handler = [](Request&) -> Response { throw std::runtime_error("SELECT secret FROM patients"); };
        router.add(boom);
        Route wrong;
        wrong.method = Method::get;
        wrong.path = "/api/v1/wrong";
        wrong.access = Access::anyone();
        wrong.responses = {{200, "ok", Schema::object({schema::req("n", Schema::integer())})}};
        wrong.handler = [](Request&) { return Response::json(200, boost::json::object{{"n", "text"}}); };
        router.add(wrong);
        Route enrol;
        enrol.method = Method::get;
        enrol.path = "/api/v1/enrol";
        enrol.access = Access::signed_in().during_enrolment();
        enrol.handler = [](Request&) { return Response::empty(204); };
        router.add(enrol);
        router.freeze();
        opt.validate_responses = true;
        pipeline = std::make_unique<Pipeline>(router, auth, cache, registry, opt);
    }

    Response call(Method m, std::string path, std::vector<std::pair<std::string, std::string>> headers = {},
                  std::string body = "", std::string query = "") {
        Request r;
        r.method = m;
        r.path = std::move(path);
        r.query_string = std::move(query);
        r.body = std::move(body);
        r.client_ip = "10.0.0.1";
        for (auto& [k, v] : headers) r.headers.add(k, v);
        return pipeline->handle(r);
    }
    static std::string code(const Response& r) {
        return std::string(boost::json::parse(r.body).at("code").as_string());
    }
};

const std::string kId = "/api/v1/things/0190a3d2-5e8b-7c3a-9f00-000000000001";

}  // namespace

TEST_F(Fixture, HappyPathWithSecurityHeaders) {
    build();
    auto r = call(Method::post, kId, {{"Authorization", "Bearer admin"}, {"Content-Type", "application/json"}}, R"({"name":"ok"})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(*r.headers.get("Cache-Control"), "no-store");
    EXPECT_EQ(*r.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(*r.headers.get("X-Frame-Options"), "DENY");
    EXPECT_TRUE(r.headers.has("Content-Security-Policy"));
    EXPECT_TRUE(r.headers.has("Strict-Transport-Security"));
    EXPECT_EQ(*r.headers.get("Referrer-Policy"), "no-referrer");
    EXPECT_TRUE(r.headers.has("X-Request-Id"));
}

TEST_F(Fixture, RequestIdIsEchoedWhenSafeAndReplacedOtherwise) {
    build();
    auto r = call(Method::get, "/api/v1/enrol", {{"X-Request-Id", "abc-123"}, {"Authorization", "Bearer admin"}});
    EXPECT_EQ(*r.headers.get("X-Request-Id"), "abc-123");
    auto bad = call(Method::get, "/api/v1/enrol", {{"X-Request-Id", "<script>"}, {"Authorization", "Bearer admin"}});
    EXPECT_NE(*bad.headers.get("X-Request-Id"), "<script>");
}

TEST_F(Fixture, AuthenticationAndRoleGate) {
    build();
    auto none = call(Method::post, kId, {{"Content-Type", "application/json"}}, R"({"name":"ok"})");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(*none.headers.get("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(none.content_type, "application/problem+json");
    auto bad = call(Method::post, kId, {{"Authorization", "Bearer forged"}});
    EXPECT_EQ(bad.status, 401);
    auto nurse = call(Method::post, kId, {{"Authorization", "Bearer nurse"}, {"Content-Type", "application/json"}}, R"({"name":"ok"})");
    EXPECT_EQ(nurse.status, 403);
    EXPECT_EQ(code(nurse), "role_not_allowed");
    auto cookie = call(Method::get, "/api/v1/enrol", {{"Cookie", "x=1; ms_access=admin"}});
    EXPECT_EQ(cookie.status, 204);
}

TEST_F(Fixture, EnrolmentOnlySessionsReachOnlyEnrolmentRoutes) {
    build();
    EXPECT_EQ(call(Method::get, "/api/v1/enrol", {{"Authorization", "Bearer enrolling"}}).status, 204);
    auto r = call(Method::post, kId, {{"Authorization", "Bearer enrolling"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(code(r), "totp_enrolment_required");
}

TEST_F(Fixture, NotFoundAndMethodNotAllowed) {
    build();
    EXPECT_EQ(call(Method::get, "/api/v1/nothing").status, 404);
    auto r = call(Method::get, kId);
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(*r.headers.get("Allow"), "POST");
    // An id that cannot exist is "not found", like a missing one.
    EXPECT_EQ(call(Method::post, "/api/v1/things/42", {{"Authorization", "Bearer admin"}}).status, 404);
}

TEST_F(Fixture, BodyAndQueryValidation) {
    build();
    std::vector<std::pair<std::string, std::string>> h = {{"Authorization", "Bearer admin"}, {"Content-Type", "application/json"}};
    EXPECT_EQ(call(Method::post, kId, {{"Authorization", "Bearer admin"}, {"Content-Type", "text/plain"}}, "x").status, 415);
    EXPECT_EQ(call(Method::post, kId, h, "{broken").status, 400);
    auto r = call(Method::post, kId, h, R"({"name":"toolongname","x":1})");
    EXPECT_EQ(r.status, 422);
    auto errors = boost::json::parse(r.body).at("errors").as_array();
    EXPECT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].at("field"), "/name");
    auto q = call(Method::post, kId, h, R"({"name":"ok"})", "limit=99");
    EXPECT_EQ(q.status, 422);
    EXPECT_EQ(boost::json::parse(q.body).at("errors").at(0).at("field"), "limit");
    EXPECT_EQ(call(Method::post, kId, h, R"({"name":"ok"})", "limit=%zz").status, 400);
}

TEST_F(Fixture, UnexpectedErrorsAnswer500WithOnlyTheRequestId) {
    build();
    auto r = call(Method::get, "/api/v1/boom", {{"X-Request-Id", "req-42"}});
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
    EXPECT_EQ(r.body.find("patients"), std::string::npos);
    EXPECT_NE(r.body.find("req-42"), std::string::npos);
}

TEST_F(Fixture, ResponsesThatBreakTheirSchemaAreCaught) {
    build();
    auto r = call(Method::get, "/api/v1/wrong");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(*r.headers.get("X-Schema-Mismatch"), "/n type");
}

TEST_F(Fixture, RateLimitsPerIpAndPerUser) {
    PipelineOptions opt;
    opt.per_ip = {1, 2};
    opt.per_user = {0, 0};
    build(opt);
    EXPECT_EQ(call(Method::get, "/api/v1/boom").status, 500);
    EXPECT_EQ(call(Method::get, "/api/v1/boom").status, 500);
    auto r = call(Method::get, "/api/v1/boom");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(*r.headers.get("Retry-After"), "1");
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(call(Method::get, "/api/v1/boom").status, 500);
}

TEST_F(Fixture, PerUserLimit) {
    PipelineOptions opt;
    opt.per_ip = {0, 0};
    opt.per_user = {1, 1};
    build(opt);
    EXPECT_EQ(call(Method::get, "/api/v1/enrol", {{"Authorization", "Bearer admin"}}).status, 204);
    EXPECT_EQ(call(Method::get, "/api/v1/enrol", {{"Authorization", "Bearer admin"}}).status, 429);
    EXPECT_EQ(call(Method::get, "/api/v1/enrol", {{"Authorization", "Bearer nurse"}}).status, 204);
}

TEST_F(Fixture, CorsForConfiguredOriginsOnly) {
    PipelineOptions opt;
    opt.cors_origins = {"https://app.example.org"};
    build(opt);
    auto pre = call(Method::options, kId, {{"Origin", "https://app.example.org"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(pre.status, 204);
    EXPECT_EQ(*pre.headers.get("Access-Control-Allow-Origin"), "https://app.example.org");
    EXPECT_EQ(*pre.headers.get("Access-Control-Allow-Credentials"), "true");
    auto other = call(Method::options, kId, {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_FALSE(other.headers.has("Access-Control-Allow-Origin"));
}

// An answer never grows with the attacker's input: many unknown fields get the first few issues,
// and a body of very many small values is refused before it is parsed.
TEST_F(Fixture, ValidationAnswersAndParsedBodiesAreBounded) {
    build();
    std::vector<std::pair<std::string, std::string>> h = {{"Authorization", "Bearer admin"}, {"Content-Type", "application/json"}};
    std::string many = R"({"name":"ok")";
    for (int i = 0; i < 5000; ++i) many += ",\"k" + std::to_string(i) + "\":0";
    many += "}";
    auto r = call(Method::post, kId, h, many);
    EXPECT_EQ(r.status, 422);
    auto body = boost::json::parse(r.body);
    EXPECT_EQ(body.at("errors").as_array().size(), schema::kMaxIssues);
    EXPECT_NE(std::string(body.at("detail").as_string()).find("the first 20"), std::string::npos);
    EXPECT_LT(r.body.size(), 4096u);
    std::string objects = "[";
    for (int i = 0; i < 20000; ++i) objects += i ? ",{}" : "{}";
    objects += "]";
    auto big = call(Method::post, kId, h, objects);
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(code(big), "body_too_complex");
    // Commas and brackets inside strings are text, not values.
    std::string text = R"({"name":")" + std::string(30000, ',') + R"("})";
    EXPECT_EQ(call(Method::post, kId, h, text).status, 422);  // too long a name, not too complex
}

TEST_F(Fixture, CookieAuthenticatedWritesFromForeignOriginsAreRefused) {
    build();
    auto r = call(Method::post, kId,
                  {{"Cookie", "ms_access=admin"}, {"Origin", "https://evil.example"}, {"Host", "127.0.0.1:8000"},
                   {"Content-Type", "application/json"}},
                  R"({"name":"ok"})");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(code(r), "cross_origin_refused");
    auto same = call(Method::post, kId,
                     {{"Cookie", "ms_access=admin"}, {"Origin", "http://127.0.0.1:8000"}, {"Host", "127.0.0.1:8000"},
                      {"Content-Type", "application/json"}},
                     R"({"name":"ok"})");
    EXPECT_EQ(same.status, 200);
    // No Origin: the browser's Fetch Metadata must say same-origin; neither is refused.
    auto send = [&](std::vector<std::pair<std::string, std::string>> extra) {
        std::vector<std::pair<std::string, std::string>> h = {{"Cookie", "ms_access=admin"}, {"Host", "127.0.0.1:8000"},
                                                              {"Content-Type", "application/json"}};
        h.insert(h.end(), extra.begin(), extra.end());
        return call(Method::post, kId, h, R"({"name":"ok"})");
    };
    EXPECT_EQ(code(send({{"Sec-Fetch-Site", "cross-site"}})), "cross_origin_refused");
    EXPECT_EQ(code(send({{"Sec-Fetch-Site", "same-site"}})), "cross_origin_refused");
    EXPECT_EQ(code(send({})), "cross_origin_refused");
    EXPECT_EQ(send({{"Sec-Fetch-Site", "same-origin"}}).status, 200);
    // A bearer token is not sent by a browser on its own: no such check.
    EXPECT_EQ(call(Method::post, kId, {{"Authorization", "Bearer admin"}, {"Content-Type", "application/json"}}, R"({"name":"ok"})")
                  .status,
              200);
}

// Proxies given as a network (HAProxy pods whose addresses change): any address in it is a proxy.
TEST_F(Fixture, TrustedProxiesMayBeNetworks) {
    PipelineOptions opt;
    opt.trusted_proxies = {"10.42.0.0/16", "fd00::/8"};
    build(opt);
    auto seen = [&](const std::string& peer, const std::string& xff) {
        Request r;
        r.method = Method::get;
        r.path = "/api/v1/nothing";
        r.client_ip = peer;
        r.headers.add("X-Forwarded-For", xff);
        pipeline->handle(r);
        return r.client_ip;
    };
    EXPECT_EQ(seen("10.42.7.9", "203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(seen("10.42.7.9", "203.0.113.7, 10.42.3.3"), "203.0.113.7");  // a chain of proxies
    EXPECT_EQ(seen("10.43.0.1", "203.0.113.7"), "10.43.0.1");               // outside the network
    EXPECT_EQ(seen("fd12::1", "2001:db8::5"), "2001:db8::5");
    EXPECT_EQ(seen("fe80::1", "2001:db8::5"), "fe80::1");
    EXPECT_TRUE(http::parse_network("192.168.1.0/24"));
    EXPECT_TRUE(http::parse_network("10.0.0.7"));
    EXPECT_FALSE(http::parse_network("10.0.0.0/33"));
    EXPECT_FALSE(http::parse_network("proxy.internal"));
    EXPECT_FALSE(http::parse_network("10.0.0.0/"));
    EXPECT_TRUE(http::parse_network("10.1.2.3/12")->contains("10.15.255.255"));
    EXPECT_FALSE(http::parse_network("10.1.2.3/12")->contains("10.16.0.0"));
}

TEST_F(Fixture, ClientAddressFromTrustedProxiesOnly) {
    PipelineOptions opt;
    opt.trusted_proxies = {"10.0.0.1"};
    build(opt);
    Request r;
    r.method = Method::get;
    r.path = "/api/v1/nothing";
    r.client_ip = "10.0.0.1";
    r.headers.add("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
    r.headers.add("X-Forwarded-Proto", "https");
    pipeline->handle(r);
    EXPECT_EQ(r.client_ip, "203.0.113.7");
    EXPECT_TRUE(r.via_tls);
    Request s;
    s.method = Method::get;
    s.path = "/api/v1/nothing";
    s.client_ip = "198.51.100.9";
    s.headers.add("X-Forwarded-For", "203.0.113.7");
    pipeline->handle(s);
    EXPECT_EQ(s.client_ip, "198.51.100.9");
}

TEST_F(Fixture, MetricsCountByRouteTemplateAndStatus) {
    build();
    Request r;
    r.method = Method::get;
    r.path = "/api/v1/boom";
    auto resp = pipeline->handle(r);
    pipeline->finish(r, resp, std::chrono::milliseconds(3));
    auto text = registry.render();
    EXPECT_NE(text.find(R"(medisecure_http_requests_total{method="GET",route="/api/v1/boom",status="500"} 1)"), std::string::npos);
    EXPECT_NE(text.find("medisecure_http_unhandled_errors_total 1"), std::string::npos);
}
