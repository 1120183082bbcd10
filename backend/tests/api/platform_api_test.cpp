// SPDX-License-Identifier: Apache-2.0
// Transport and platform behaviour over real HTTP: health, metrics, OpenAPI, docs, headers,
// limits, rate limiting, graceful shutdown, failing closed, static files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <future>
#include <set>
#include <thread>

#include "platform/json/schema.hpp"

#include "serve_process.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

TEST(PlatformApi, HealthAndReadiness) {
    TestApp app;
    auto c = app.client();
    auto live = c.get("/health/live");
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.json().at("status"), "live");
    auto ready = c.get("/health/ready");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.json().at("checks").at("database:patients"), "ok");
    EXPECT_EQ(ready.json().at("checks").at("audit_writer"), "ok");
}

TEST(PlatformApi, MetricsInPrometheusFormat) {
    TestApp app;
    auto c = app.client();
    c.bearer = app.admin().token;
    c.get("/api/v1/auth/me");
    (void)app.client().post("/api/v1/auth/login", R"({"email":"x@y.fr","password":"wrong password"})");
    auto m = c.get("/metrics");
    EXPECT_EQ(m.status, 200);
    EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
    for (const char* family :
         {"medisecure_http_requests_total{method=\"GET\",route=\"/api/v1/auth/me\",status=\"200\"}",
          "medisecure_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/auth/me\",le=\"0.005\"}",
          "medisecure_http_in_flight_requests", "medisecure_worker_queue_depth", "medisecure_db_pool_in_use{context=\"patients\"}",
          "medisecure_login_failures_total 1", "medisecure_audit_records_written_total"})
        EXPECT_NE(m.body.find(family), std::string::npos) << family;
}

TEST(PlatformApi, MetricsTokenWhenConfigured) {
    TestApp app([](config::Config& c) { c.metrics_token = "scrape-token-123456"; });
    auto c = app.client();
    EXPECT_EQ(c.get("/metrics").status, 401);
    EXPECT_EQ(c.get("/metrics", {"Authorization: Bearer scrape-token-123456"}).status, 200);
}

TEST(PlatformApi, OpenApiDocumentsEveryRoute) {
    TestApp app;
    auto r = app.client().get("/openapi.json");
    ASSERT_EQ(r.status, 200);
    auto doc = r.json().as_object();
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    std::set<std::string> ids;
    int operations = 0;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            ++operations;
            const auto& o = op.as_object();
            EXPECT_FALSE(o.at("summary").as_string().empty()) << path;
            EXPECT_TRUE(ids.insert(std::string(o.at("operationId").as_string())).second) << "duplicate operationId";
            const auto& responses = o.at("responses").as_object();
            EXPECT_TRUE(responses.contains("500")) << path;
            bool has_success = false;
            for (const auto& [status, _] : responses) has_success |= status.front() == '2';
            EXPECT_TRUE(has_success) << method << " " << path;
            if (path.find('{') != std::string::npos) {
                EXPECT_TRUE(responses.contains("404")) << path;
            }
            if (o.contains("requestBody")) {
                EXPECT_TRUE(responses.contains("422") || responses.contains("400")) << path;
            }
            if (!o.at("security").as_array().empty()) {
                EXPECT_TRUE(responses.contains("401")) << path;
            }
        }
    }
    EXPECT_GE(operations, 20);
    auto schemas = doc.at("components").at("schemas").as_object();
    for (const char* s : {"Problem", "Patient", "PatientInput", "User", "SignIn", "AuditRecord"})
        EXPECT_TRUE(schemas.contains(s)) << s;
    // The served document is the one the binary writes for the web application's types.
    EXPECT_EQ(json::parse(app.app().openapi_json()), r.json());
}

TEST(PlatformApi, DocsUseTheLocalSwaggerUi) {
    TestApp app([](config::Config& c) {
        // The repository's own copy, installed by scripts/npm-deps.sh.
        c.swagger_ui_dir = std::string(MEDISECURE_SOURCE_DIR) + "/../frontend/node_modules/swagger-ui-dist";
    });
    auto c = app.client();
    auto index = c.get("/docs/");
    ASSERT_EQ(index.status, 200);
    EXPECT_NE(index.body.find("/docs/swagger-ui-bundle.js"), std::string::npos);
    EXPECT_EQ(index.body.find("<script>"), std::string::npos);  // no inline script under the CSP
    EXPECT_EQ(c.get("/docs").status, 308);
    auto bundle = c.get("/docs/swagger-ui-bundle.js");
    EXPECT_EQ(bundle.status, 200);
    EXPECT_GT(bundle.body.size(), 100000u);
    EXPECT_NE(c.get("/docs/medisecure-init.js").body.find("/openapi.json"), std::string::npos);
}

TEST(PlatformApi, SecurityHeadersOnEveryResponse) {
    TestApp app;
    auto c = app.client();
    for (const auto& r : {c.get("/health/live"), c.get("/api/v1/nowhere"), c.get("/api/v1/auth/me")}) {
        EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
        EXPECT_EQ(r.header("x-frame-options"), "DENY");
        EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
        EXPECT_EQ(r.header("cache-control"), "no-store");
        EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
        EXPECT_NE(r.header("strict-transport-security").find("max-age="), std::string::npos);
        EXPECT_FALSE(r.header("x-request-id").empty());
    }
}

TEST(PlatformApi, RequestIdIsAcceptedOrGenerated) {
    TestApp app;
    auto c = app.client();
    EXPECT_EQ(c.get("/health/live", {"X-Request-Id: trace-abc-1"}).header("x-request-id"), "trace-abc-1");
    auto generated = c.get("/api/v1/nowhere");
    EXPECT_EQ(generated.header("x-request-id").size(), 36u);
    EXPECT_NE(generated.body.find(generated.header("x-request-id")), std::string::npos);  // problem instance
}

TEST(PlatformApi, NotFoundAndMethodNotAllowedAreProblems) {
    TestApp app;
    auto c = app.client();
    auto nf = c.get("/api/v1/nowhere");
    EXPECT_EQ(nf.status, 404);
    EXPECT_EQ(nf.header("content-type"), "application/problem+json");
    auto na = c.request("PUT", "/api/v1/patients", "{}");
    EXPECT_EQ(na.status, 405);
    EXPECT_NE(na.header("allow").find("GET"), std::string::npos);
    EXPECT_EQ(c.request("TRACE", "/api/v1/patients").status, 405);
}

TEST(PlatformApi, OversizedBodiesAre413AndOversizedHeaders431) {
    TestApp app([](config::Config& c) { c.max_body_bytes = 64 * 1024; });
    auto c = app.client();
    std::string big = R"({"email":"a@b.fr","password":")" + std::string(200 * 1024, 'x') + "\"}";
    auto r = c.post("/api/v1/auth/login", big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.code(), "payload_too_large");
    auto h = c.get("/health/live", {"X-Big: " + std::string(32 * 1024, 'h')});
    EXPECT_EQ(h.status, 431);
    // The server is still fine afterwards.
    EXPECT_EQ(app.client().get("/health/live").status, 200);
}

TEST(PlatformApi, RateLimitAnswers429WithRetryAfter) {
    TestApp app([](config::Config& c) {
        c.rate_ip_per_s = 1;
        c.rate_ip_burst = 5;
    });
    auto c = app.client();
    c.bearer = app.admin().token;
    int ok = 0, limited = 0;
    std::string retry;
    for (int i = 0; i < 12; ++i) {
        auto r = c.get("/api/v1/auth/me");
        if (r.status == 200) ++ok;
        if (r.status == 429) {
            ++limited;
            retry = r.header("retry-after");
            EXPECT_EQ(r.code(), "rate_limited");
        }
    }
    EXPECT_LE(ok, 6);
    EXPECT_GE(limited, 6);
    EXPECT_FALSE(retry.empty());
    EXPECT_EQ(c.get("/health/live").status, 200);  // health checks are never limited
}

TEST(PlatformApi, LoginHasItsOwnStricterBudget) {
    TestApp app([](config::Config& c) {
        c.rate_auth_per_s = 0.1;
        c.rate_auth_burst = 4;  // the test application's own admin sign-in takes the first
    });
    auto c = app.client();
    std::vector<long> statuses;
    for (int i = 0; i < 5; ++i) statuses.push_back(c.post("/api/v1/auth/login", R"({"email":"a@b.fr","password":"nope nope"})").status);
    EXPECT_EQ(statuses, (std::vector<long>{401, 401, 401, 429, 429}));
}

namespace {

std::size_t content_length(const std::string& head) {
    auto at = head.find("\r\nContent-Length: ");
    return at == std::string::npos ? std::string::npos : std::stoul(head.substr(at + 18));
}

/// One keep-alive connection spoken to byte for byte, to check what goes on the wire.
class RawConnection {
public:
    explicit RawConnection(const std::string& base_url) {
        auto port = std::stoi(base_url.substr(base_url.rfind(':') + 1));
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fd_ = -1;
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool open() const { return fd_ >= 0; }
    /// A send that cannot proceed for this long fails (the peer stopped reading).
    void send_timeout(int seconds) {
        timeval tv{seconds, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    bool send(const std::string& bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    /// The next response: its head (through the blank line) and the body its Content-Length
    /// announces (none after a HEAD request).
    std::pair<std::string, std::string> response(bool to_head = false) {
        std::size_t end;
        while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return {};
        std::string head = pending_.substr(0, end + 4);
        pending_.erase(0, end + 4);
        std::size_t length = to_head || content_length(head) == std::string::npos ? 0 : content_length(head);
        while (pending_.size() < length)
            if (!fill()) break;
        std::string body = pending_.substr(0, length);
        pending_.erase(0, body.size());
        return {head, body};
    }
    /// True once the server has closed the connection with nothing left to read.
    bool closed_by_server() { return pending_.empty() && !fill(); }

private:
    bool fill() {
        char buf[4096];
        auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        pending_.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    int fd_ = -1;
    std::string pending_;
};

}  // namespace

// The bytes of a response: the status line, each field once, the length of the body (also for
// HEAD, which sends none), the connection kept until the client asks to close it.
TEST(PlatformApi, ResponsesOnTheWire) {
    TestApp app;
    auto body = app.client().get("/health/live").body;
    ASSERT_FALSE(body.empty());
    RawConnection conn(app.base_url());
    ASSERT_TRUE(conn.open());

    ASSERT_TRUE(conn.send("GET /health/live HTTP/1.1\r\nHost: t\r\nX-Request-Id: wire-1\r\n\r\n"));
    auto [head, got] = conn.response();
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\nServer: MediSecure\r\n", 0), 0u) << head;
    EXPECT_EQ(content_length(head), body.size()) << head;
    EXPECT_NE(head.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Type:"), head.rfind("Content-Type:")) << head;
    EXPECT_NE(head.find("\r\nX-Request-Id: wire-1\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Connection:"), std::string::npos) << head;
    EXPECT_EQ(got, body);

    // HEAD: the same length and no body; the next response follows at once.
    ASSERT_TRUE(conn.send("HEAD /health/live HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto [head2, none] = conn.response(true);
    EXPECT_EQ(head2.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head2;
    EXPECT_EQ(content_length(head2), body.size()) << head2;

    // An error keeps the connection open; its problem body is exactly its announced length.
    ASSERT_TRUE(conn.send("GET /api/v1/nowhere HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto [head3, problem] = conn.response();
    EXPECT_EQ(head3.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << head3;
    EXPECT_NE(head3.find("\r\nContent-Type: application/problem+json\r\n"), std::string::npos) << head3;
    EXPECT_EQ(json::parse(problem).at("status").as_int64(), 404);

    // Connection: close is answered with it, and the server closes after the body.
    ASSERT_TRUE(conn.send("GET /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    auto [head4, last] = conn.response();
    EXPECT_EQ(head4.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head4;
    EXPECT_NE(head4.find("\r\nConnection: close\r\n"), std::string::npos) << head4;
    EXPECT_EQ(last, body);
    EXPECT_TRUE(conn.closed_by_server());
}

// Slowloris: a head sent a line at a time gets 408 once the read timeout has passed since its
// first byte, and the connection is closed; an idle kept-alive connection still has the idle
// timeout; other clients are served meanwhile.
TEST(PlatformApi, SlowRequestHeadsAreAnswered408InTime) {
    TestApp app([](config::Config& c) {
        c.read_timeout_s = 2;
        c.idle_timeout_s = 60;
    });
    RawConnection idle(app.base_url());
    RawConnection slow(app.base_url());
    ASSERT_TRUE(idle.open() && slow.open());
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(slow.send("GET /health/live HTTP/1.1\r\nHost: t\r\n"));
    for (int i = 0; i < 12; ++i) {  // a header line every 500 ms, for up to 6 s
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        if (!slow.send("X-Slow-" + std::to_string(i) + ": x\r\n")) break;
        EXPECT_EQ(app.client().get("/health/live").status, 200);  // others are served meanwhile
    }
    auto [head, body] = slow.response();
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(head.rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u) << head;
    EXPECT_NE(body.find("request_timeout"), std::string::npos) << body;
    EXPECT_GE(waited, 1.9);
    EXPECT_LT(waited, 4.5);
    EXPECT_TRUE(slow.closed_by_server());
    // The idle connection (no byte sent for longer than the read timeout) is still served.
    ASSERT_TRUE(idle.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(idle.response().first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

// R.U.D.Y.: a request body dripped a byte at a time is answered 408 once the read timeout has
// passed (for the whole body of a JSON request; for each 64 KiB of an upload), and the
// connection is closed; an upload that takes longer than the read timeout in all, at a steady
// rate, is taken whole.
TEST(PlatformApi, SlowRequestBodiesAreAnswered408InTime) {
    TestApp app([](config::Config& c) { c.read_timeout_s = 2; });
    const Account doctor = app.user(Role::doctor);
    const std::string pid = app.patient("Léa", "Girard", "1990-01-01");
    const std::string upload_head = "POST /api/v1/patients/" + pid +
                                    "/documents?category=other&title=Scan HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
                                    doctor.token + "\r\nContent-Type: application/octet-stream\r\n";
    auto drip = [&](const std::string& what, const std::string& head) {
        RawConnection slow(app.base_url());
        ASSERT_TRUE(slow.open());
        const auto t0 = std::chrono::steady_clock::now();
        ASSERT_TRUE(slow.send(head));
        std::atomic<bool> stop{false};
        std::thread sender([&] {
            for (int i = 0; i < 40 && !stop; ++i) {  // a byte every 200 ms, for up to 8 s
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                if (!slow.send("a")) break;
            }
        });
        auto [got, body] = slow.response();
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        stop = true;
        sender.join();
        EXPECT_EQ(got.rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u) << what << ": " << got;
        EXPECT_NE(got.find("\r\nConnection: close\r\n"), std::string::npos) << what << ": " << got;
        EXPECT_NE(body.find("request_timeout"), std::string::npos) << what << ": " << body;
        EXPECT_GE(waited, 1.9) << what;
        EXPECT_LT(waited, 4.5) << what;
        EXPECT_TRUE(slow.closed_by_server()) << what;
    };
    drip("a JSON body", "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000\r\n\r\n{");
    drip("an upload", upload_head + "Content-Length: 1000000\r\n\r\n%PDF-1.4\n");

    // 640 KiB in pieces of 16 KiB every 100 ms: 4 s in all, each 64 KiB within 0.5 s.
    const std::string pdf = "%PDF-1.4\n" + std::string(640 * 1024 - 16, 'a') + "\n%%EOF\n";
    RawConnection steady(app.base_url());
    ASSERT_TRUE(steady.open());
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(steady.send(upload_head + "Content-Length: " + std::to_string(pdf.size()) + "\r\n\r\n"));
    for (std::size_t at = 0; at < pdf.size(); at += 16 * 1024) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        ASSERT_TRUE(steady.send(pdf.substr(at, 16 * 1024)));
    }
    auto [head, body] = steady.response();
    EXPECT_GT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 3.5);
    EXPECT_EQ(head.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << head << body;
    EXPECT_EQ(json::parse(body).at("size").as_int64(), static_cast<std::int64_t>(pdf.size()));
}

namespace {
/// This process's resident memory, in MiB.
double rss_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    return 0;
}

/// The value of a counter on /metrics, or -1.
double counter_value(HttpClient& c, const std::string& name) {
    auto m = c.get("/metrics");
    auto at = m.body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(m.body.substr(at + name.size() + 2));
}
}  // namespace

// Idle connections: up to 10,000 sockets opened and left silent (and some sending half a head)
// fill the server's connection cap; clients arriving after them are still served at once, the
// oldest idle connections being closed to make room, and memory stays bounded. Before, every
// new client was refused until the idle ones timed out (75 s). The cap is the default (10,000)
// when this process may open 20,000 descriptors (both ends are here), else what fits.
TEST(PlatformApi, IdleConnectionsAtTheCapMakeRoomForNewClients) {
    rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
    ::getrlimit(RLIMIT_NOFILE, &lim);
    const int cap = static_cast<int>(std::min<rlim_t>(10000, (lim.rlim_cur - 400) / 2));
    ASSERT_GE(cap, 200) << "too few file descriptors: " << lim.rlim_cur;
    TestApp app([cap](config::Config& c) {
        c.max_connections = cap;
        c.idle_timeout_s = 600;
        c.read_timeout_s = 600;
    });
    auto probe = app.client();
    ASSERT_EQ(probe.get("/health/live").status, 200);
    const double rss_before = rss_mib();
    std::vector<std::unique_ptr<RawConnection>> idle;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < cap; ++i) {
        idle.push_back(std::make_unique<RawConnection>(app.base_url()));
        ASSERT_TRUE(idle.back()->open()) << i;
        if (i % 10 == 0) {
            ASSERT_TRUE(idle.back()->send("GET /health/live HTTP/1.1\r\nHost: t\r\n"));  // half a head
        }
    }
    const double opened_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all accepted: the cap is reached
    const double rss_full = rss_mib();
    // Twenty clients arrive: each is served, promptly.
    double slowest = 0;
    for (int i = 0; i < 20; ++i) {
        const auto s = std::chrono::steady_clock::now();
        auto r = app.client().get("/health/live");
        slowest = std::max(slowest, std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count());
        EXPECT_EQ(r.status, 200) << "client " << i << " arriving at the cap";
    }
    EXPECT_LT(slowest, 2.0);
    // The oldest idle connection was the one closed; the newest is still served.
    EXPECT_TRUE(idle.front()->closed_by_server());
    ASSERT_TRUE(idle.back()->send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_EQ(idle.back()->response().first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
    // Each client's connection ends with its request, freeing its place for the next one: at
    // least the first had to make room.
    EXPECT_GE(counter_value(probe, "medisecure_http_idle_connections_closed_total"), 1);
    const double per_connection_kib = (rss_full - rss_before) * 1024 / cap;
    if (!kAddressSanitizer) {
        EXPECT_LT(rss_full - rss_before, 256.0) << "MiB for " << cap << " idle connections";
    }
    std::cout << "  " << cap << " idle connections opened in " << opened_s << " s; resident memory " << rss_before
              << " -> " << rss_full << " MiB (" << per_connection_kib << " KiB each, server and client); the slowest of "
              << "20 clients arriving at the cap served in " << slowest * 1000 << " ms\n";
}

// Giant input: a body declared as 2 GiB, a chunked body that never ends and a header of 1 MiB are
// each refused within their limit, reading no more than the limit (and the bounded drain after
// it), memory stays flat, and other clients are served meanwhile.
TEST(PlatformApi, GiantBodiesAndHeadersAreRefusedWithinTheirLimits) {
    TestApp app;  // the default limits: 1 MiB bodies, 16 KiB headers
    ASSERT_EQ(app.client().get("/health/live").status, 200);
    const double rss_before = rss_mib();
    // Sends `head`, then up to `total` bytes of `chunk` while the server reads them (a send that
    // cannot proceed for 2 s means it stopped reading); returns the bytes sent and the answer.
    auto flood = [&](const std::string& head, const std::string& chunk, std::size_t total) {
        RawConnection conn(app.base_url());
        EXPECT_TRUE(conn.open());
        conn.send_timeout(2);
        EXPECT_TRUE(conn.send(head));
        std::size_t sent = 0;
        while (sent < total && conn.send(chunk)) {
            sent += chunk.size();
            if (sent % (16u << 20) == 0) {
                EXPECT_EQ(app.client().get("/health/live").status, 200);  // others are served meanwhile
            }
        }
        return std::make_pair(sent, conn.response().first);
    };
    const std::string mib(1u << 20, 'x');
    auto [declared_sent, declared] = flood("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                           "Content-Length: 2147483648\r\n\r\n",
                                           mib, std::size_t{2} << 30);
    EXPECT_EQ(declared.rfind("HTTP/1.1 413 ", 0), 0u) << declared;
    EXPECT_LT(declared_sent, std::size_t{64} << 20) << "bytes the server took of a body declared as 2 GiB";
    std::string chunk = "100000\r\n" + mib + "\r\n";  // 1 MiB chunks, no end
    auto [chunked_sent, chunked] = flood("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                         "Transfer-Encoding: chunked\r\n\r\n",
                                         chunk, std::size_t{2} << 30);
    EXPECT_EQ(chunked.rfind("HTTP/1.1 413 ", 0), 0u) << chunked;
    EXPECT_LT(chunked_sent, std::size_t{64} << 20) << "bytes the server took of an endless chunked body";
    auto [header_sent, header] = flood("GET /health/live HTTP/1.1\r\nHost: t\r\nX-Big: ", std::string(64u << 10, 'h'), 1u << 20);
    EXPECT_EQ(header.rfind("HTTP/1.1 431 ", 0), 0u) << header;
    const double rss_after = rss_mib();
    EXPECT_LT(rss_after - rss_before, 64.0) << "MiB";
    EXPECT_EQ(app.client().get("/health/live").status, 200);
    std::cout << "  a body declared as 2 GiB: " << (declared_sent >> 20) << " MiB taken before the 413; an endless chunked "
              << "body: " << (chunked_sent >> 20) << " MiB; a header of 1 MiB: 431 after " << (header_sent >> 10)
              << " KiB; resident memory " << rss_before << " -> "
              << rss_after << " MiB\n";
}

// Reply amplification: an unauthenticated body of many unknown fields gets a short answer.
TEST(PlatformApi, AnswersToHostileBodiesStaySmall) {
    TestApp app;
    auto c = app.client();
    std::string huge = R"({"email":"a@b.fr","password":"x")";
    for (int i = 0; i < 70000; ++i) huge += ",\"u" + std::to_string(i) + "\":1";
    huge += "}";
    auto r = c.post("/api/v1/auth/login", huge);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.code(), "body_too_complex");
    EXPECT_LT(r.body.size(), 1024u);
    std::string many = R"({"email":"a@b.fr","password":"x")";
    for (int i = 0; i < 5000; ++i) many += ",\"u" + std::to_string(i) + "\":1";
    many += "}";
    auto v = c.post("/api/v1/auth/login", many);
    EXPECT_EQ(v.status, 422);
    EXPECT_EQ(v.json().at("errors").as_array().size(), schema::kMaxIssues);
    EXPECT_LT(v.body.size(), 4096u);
}

// CSRF: a cookie-carried state change needs a same-origin Origin or Sec-Fetch-Site; a cross-site
// one without Origin is refused and changes nothing.
TEST(PlatformApi, CookieSessionsRefuseCrossSiteWritesWithoutOrigin) {
    TestApp app;
    auto browser = app.client(true);
    ASSERT_EQ(browser.post("/api/v1/auth/login", json::serialize(json::object{{"email", app.admin().email},
                                                                               {"password", app.admin().password}}))
                  .status,
              200);
    const std::string change = json::serialize(json::object{{"current_password", app.admin().password},
                                                            {"new_password", "a new phrase for the practice"}});
    auto cross = browser.post("/api/v1/auth/password", change, {"Sec-Fetch-Site: cross-site"});
    EXPECT_EQ(cross.status, 403);
    EXPECT_EQ(cross.code(), "cross_origin_refused");
    auto foreign = browser.post("/api/v1/auth/password", change, {"Origin: https://evil.example"});
    EXPECT_EQ(foreign.status, 403);
    auto bare = browser.post("/api/v1/auth/password", change, {"Sec-Fetch-Site:"});  // curl: the header removed
    EXPECT_EQ(bare.code(), "cross_origin_refused");
    // Nothing changed: the old password still signs in.
    EXPECT_EQ(app.client()
                  .post("/api/v1/auth/login", json::serialize(json::object{{"email", app.admin().email},
                                                                           {"password", app.admin().password}}))
                  .status,
              200);
    auto same = browser.post("/api/v1/auth/password", change);
    EXPECT_EQ(same.status, 204) << same.body;  // same-origin: accepted
}

// Idempotency-Key: a creating request retried with the same key makes its change once and gets
// the first answer; the same key for another request, or while the first still runs, is refused.
TEST(PlatformApi, IdempotencyKeysMakeRetriedCreatesHappenOnce) {
    TestApp app;
    auto c = app.client();
    c.bearer = app.admin().token;
    const std::string body = R"({"first_name":"Jeanne","last_name":"Idem","sex":"female","birth_date":"1970-01-02"})";
    auto first = c.post("/api/v1/patients?allow_duplicate=true", body, {"Idempotency-Key: 7d3c5b9e-create-1"});
    ASSERT_EQ(first.status, 201) << first.body;
    auto retry = c.post("/api/v1/patients?allow_duplicate=true", body, {"Idempotency-Key: 7d3c5b9e-create-1"});
    EXPECT_EQ(retry.status, 201);
    EXPECT_EQ(retry.header("idempotent-replayed"), "true");
    EXPECT_EQ(retry.json().at("id"), first.json().at("id"));
    EXPECT_EQ(retry.header("location"), first.header("location"));
    auto search = c.get("/api/v1/patients?q=idem");
    ASSERT_EQ(search.status, 200);
    EXPECT_EQ(search.json().at("items").as_array().size(), 1u);  // one patient, not two
    // The same key with another body: refused, nothing created.
    auto other = c.post("/api/v1/patients?allow_duplicate=true",
                        R"({"first_name":"Paul","last_name":"Idem","sex":"male","birth_date":"1971-01-02"})",
                        {"Idempotency-Key: 7d3c5b9e-create-1"});
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(other.code(), "idempotency_key_reused");
    // Another user's key of the same text is their own.
    auto doctor = app.user(Role::doctor);
    auto d = app.client();
    d.bearer = doctor.token;
    EXPECT_EQ(d.post("/api/v1/patients?allow_duplicate=true", body, {"Idempotency-Key: 7d3c5b9e-create-1"}).status, 201);
    // A malformed key.
    EXPECT_EQ(c.post("/api/v1/patients", body, {"Idempotency-Key: " + std::string(300, 'k')}).code(), "invalid_idempotency_key");
    // Eight retries at once: one change; each answer is the first's (201) or "still running" (409).
    std::vector<std::future<HttpResult>> racing;
    for (int i = 0; i < 8; ++i)
        racing.push_back(std::async(std::launch::async, [&] {
            auto r = app.client();
            r.bearer = app.admin().token;
            return r.post("/api/v1/patients?allow_duplicate=true",
                          R"({"first_name":"Race","last_name":"Idemrace","sex":"female","birth_date":"1980-01-02"})",
                          {"Idempotency-Key: race-1"});
        }));
    std::set<std::string> ids;
    for (auto& f : racing) {
        auto r = f.get();
        EXPECT_TRUE(r.status == 201 || (r.status == 409 && r.code() == "idempotency_key_in_use")) << r.status << r.body;
        if (r.status == 201) ids.insert(std::string(r.json().at("id").as_string()));
    }
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(c.get("/api/v1/patients?q=idemrace").json().at("items").as_array().size(), 1u);
}

// `medisecure worker` with jobs.worker_listen: health and metrics for Prometheus and probes, and
// nothing of the API.
TEST(PlatformApi, AWorkerServesHealthAndMetricsButNoApi) {
    TempDir dir;
    const int port = free_tcp_port();
    auto worker = ServeProcess::worker({{"MEDISECURE_WORKER_LISTEN", "127.0.0.1:" + std::to_string(port)}},
                                       dir.path().string());
    HttpClient c("http://127.0.0.1:" + std::to_string(port));
    auto metrics = c.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("medisecure_jobs"), std::string::npos);
    EXPECT_EQ(c.get("/health/live").status, 200);
    EXPECT_EQ(c.get("/health/ready").status, 200);
    auto api = c.post("/api/v1/auth/login", R"({"email":"a@b.fr","password":"whatever it is"})");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.code(), "route_not_found");
    worker->stop();
}

// A database that goes away under a running instance: requests that need it fail at once with
// 503 and Retry-After (not a 500, not a hang), the others are served, and the instance recovers
// by itself when it is back. On a MariaDB of the test's own (billing), stopped and started.
TEST(PlatformApi, ADatabaseDownAnswers503AndTheInstanceRecovers) {
    MS_REQUIRE_MARIADB();
    const int port = free_tcp_port();
    const std::string env = "MS_MARIADB_NAME=own-" + std::to_string(port) + " MS_MARIADB_PORT=" + std::to_string(port) +
                            " " + std::string(MEDISECURE_SOURCE_DIR) + "/../scripts/services/mariadb.sh ";
    auto run = [&](const std::string& verb) {
        std::string out;
        FILE* p = popen((env + verb).c_str(), "r");
        char buf[512];
        while (p && fgets(buf, sizeof buf, p)) out += buf;
        const int status = p ? pclose(p) : -1;
        return std::make_pair(status, out.substr(0, out.find('\n')));
    };
    auto [started, url] = run("start");  // a new state directory per port: empty
    ASSERT_EQ(started, 0) << url;
    struct Stop {
        std::function<void()> f;
        ~Stop() { f(); }
    } stop{[&] {
        (void)run("stop");
        std::error_code ec;  // its state directory (scripts/services/mariadb.sh's default place)
        std::filesystem::remove_all(std::string(MEDISECURE_SOURCE_DIR) + "/../build/services/mariadb-own-" + std::to_string(port), ec);
    }};
    TestApp app([&](config::Config& c) { c.database_urls["billing"] = url; });
    auto c = app.client();
    c.bearer = app.admin().token;
    ASSERT_EQ(c.get("/api/v1/invoices").status, 200);
    ASSERT_EQ(run("stop").first, 0);
    const auto t0 = std::chrono::steady_clock::now();
    auto down = c.get("/api/v1/invoices");
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(down.code(), "database_unavailable");
    EXPECT_EQ(down.header("retry-after"), "2");
    EXPECT_LT(took, 5.0);
    EXPECT_EQ(c.get("/api/v1/auth/me").status, 200);  // what does not need billing is served
    ASSERT_EQ(run("start").first, 0);
    long status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        status = c.get("/api/v1/invoices").status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 200);  // recovered without a restart
}

TEST(PlatformApi, GracefulShutdownFinishesInFlightRequests) {
    // Production Argon2 parameters make a sign-in take long enough to be in flight.
    TestApp app([](config::Config& c) {
        c.argon2_memory_kib = 65536;
        c.argon2_iterations = 4;
    });
    auto pending = std::async(std::launch::async, [&] {
        auto c = app.client();
        return c.post("/api/v1/auth/login", R"({"email":"nobody@x.fr","password":"some long password"})");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    auto t0 = std::chrono::steady_clock::now();
    app.stop();
    auto r = pending.get();
    EXPECT_EQ(r.status, 401);  // answered, not cut off
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

TEST(PlatformApi, ReadsFailClosedWhenTheAuditStoreIsDown) {
    TestApp app;
    auto id = app.patient("Zoé", "Bérard", "2001-02-03");
    auto c = app.client();
    c.bearer = app.admin().token;
    ASSERT_EQ(c.get("/api/v1/patients/" + id).status, 200);
    // Sabotage the audit journal from outside, as a full disk or a lost volume would: records
    // can no longer be made durable, so the data must not leave.
    auto journal = std::filesystem::path(app.config().data_dir) / "audit.journal";
    std::filesystem::rename(journal, journal.string() + ".moved");
    std::filesystem::create_directory(journal);
    auto r = c.get("/api/v1/patients/" + id);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.code(), "audit_unavailable");
    EXPECT_EQ(r.body.find("Bérard"), std::string::npos);  // the data did not leave
    EXPECT_EQ(c.get("/health/ready").status, 503);
    std::filesystem::remove(journal);
    std::filesystem::rename(journal.string() + ".moved", journal);
    EXPECT_EQ(c.get("/api/v1/patients/" + id).status, 200);
}

TEST(PlatformApi, AReadStaysAuditedWhileTheAuditIndexIsDownAndIsIndexedWhenItIsBack) {
    TestApp app;
    auto id = app.patient("Zoé", "Bérard", "2001-02-03");
    auto c = app.client();
    c.bearer = app.admin().token;
    auto url = db::parse_url(app.config().database_url("audit"));
    db::Database raw(*url, 1);
    raw.write([](soci::session& sql) { sql << "ALTER TABLE audit_log RENAME TO audit_log_moved"; });
    // The journal holds the record durably: the read is answered.
    auto r = c.get("/api/v1/patients/" + id);
    EXPECT_EQ(r.status, 200);
    raw.write([](soci::session& sql) { sql << "ALTER TABLE audit_log_moved RENAME TO audit_log"; });
    auto trail = c.get("/api/v1/audit?patient_id=" + id);
    ASSERT_EQ(trail.status, 200);
    auto items = trail.json().at("items").as_array();
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0].at("action").as_string(), "patient.read");
    EXPECT_EQ(items[0].at("request_id").as_string(), r.header("x-request-id"));
}

TEST(PlatformApi, ServesTheWebApplicationWithClientSideRoutes) {
    TempDir web;
    std::filesystem::create_directories(web.path() / "assets");
    std::ofstream(web.file("index.html")) << "<!doctype html><title>MediSecure</title>";
    std::ofstream(web.file("assets/app-3f2a1b.js")) << "console.log(1)";
    TestApp app([&](config::Config& c) { c.static_dir = web.path().string(); });
    auto c = app.client();
    auto index = c.get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_NE(index.header("content-type").find("text/html"), std::string::npos);
    EXPECT_EQ(index.header("cache-control"), "no-cache");
    EXPECT_EQ(c.get("/patients/0190/chart").body, index.body);  // the application shell
    auto asset = c.get("/assets/app-3f2a1b.js");
    EXPECT_NE(asset.header("cache-control").find("immutable"), std::string::npos);
    auto again = c.get("/assets/app-3f2a1b.js", {"If-None-Match: " + asset.header("etag")});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(c.get("/missing.js").status, 404);
    EXPECT_EQ(c.get("/api/v1/unknown").status, 404);  // never the shell for the API
}
