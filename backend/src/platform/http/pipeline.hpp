// SPDX-License-Identifier: Apache-2.0
// Everything between the socket and the handler that is not transport: request id, client IP
// behind trusted proxies, CORS, route match (404/405), rate limits, authentication, role gate,
// body and parameter validation against the route's own schemas, the handler itself, security
// headers, and afterwards the access log and metrics. Plain synchronous code: the server runs
// handle() on the worker pool, and tests can call it without a socket.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "platform/cache/cache.hpp"
#include "platform/http/idempotency.hpp"
#include "platform/http/router.hpp"
#include "platform/http/url.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::http {

class StaticFiles;

/// Verifies access tokens. Implemented by the identity context.
class Authenticator {
public:
    virtual ~Authenticator() = default;
    /// `unauthenticated` for a bad, expired or revoked token.
    virtual Result<Principal> authenticate(std::string_view token) = 0;
};

struct RateLimit {
    double per_second = 0;  // 0 disables
    double burst = 0;
};

struct PipelineOptions {
    std::vector<std::string> cors_origins;     // exact origins allowed to call with credentials
    std::vector<std::string> trusted_proxies;  // peers (addresses or CIDR networks) whose X-Forwarded-* headers are believed
    RateLimit per_ip{50, 200};
    RateLimit per_user{30, 120};
    RateLimit auth_per_ip{1, 20};  // login and refresh
    bool hsts = true;
    bool validate_responses = false;  // check JSON responses against their documented schemas
    std::string access_cookie = "ms_access";
    /// Where Idempotency-Key claims and answers are kept (none: the header is ignored).
    IdempotencyStore* idempotency = nullptr;
    /// Recognises an exception that means a dependency is down (a database that cannot be
    /// reached): the answer is then that error (503 with Retry-After), not a 500.
    std::function<std::optional<Error>(std::exception_ptr)> classify_exception;
    /// Turns an unexpected exception into a one-line description without patient data.
    std::function<std::string(std::exception_ptr)> describe_exception;
};

class Pipeline {
public:
    Pipeline(const Router& router, Authenticator& auth, Cache& cache, metrics::Registry& registry,
             PipelineOptions options, const StaticFiles* static_files = nullptr);

    /// Cheap, non-blocking: resolves the route so the transport can apply its body limit.
    const Route* route_for(const Request& req) const;
    /// Runs the whole chain and the handler. Never throws.
    Response handle(Request& req);
    /// A problem response for failures detected by the transport (413, 431, 503...), with the
    /// same headers as any other response.
    Response reject(Request& req, const Error& e);
    /// After the response was written: access log line and metrics.
    void finish(const Request& req, const Response& resp, std::chrono::steady_clock::duration elapsed);

private:
    Response dispatch(Request& req);
    Result<void> authenticate(Request& req, const Route& route);
    Result<void> validate_params(Request& req, const Route& route, bool& path_invalid);
    Result<void> parse_body(Request& req, const Route& route);
    /// Runs a POST that carries an Idempotency-Key: once per key, the answer replayed after.
    Response run_idempotent(Request& req, const Route& route, std::string_view key);
    void identify(Request& req);
    void decorate(const Request& req, Response& resp);
    bool origin_allowed(std::string_view origin) const;
    void check_response(const Request& req, Response& resp);

    struct RouteMetrics {
        std::string labels;  // method and route template, rendered
        metrics::Histogram* latency = nullptr;
        std::unique_ptr<std::atomic<metrics::Counter*>[]> by_status;  // index: status - 100
    };
    RouteMetrics make_route_metrics(std::string_view method, std::string_view route);
    metrics::Counter& status_counter(RouteMetrics& m, int status);

    const Router& router_;
    Authenticator& auth_;
    Cache& cache_;
    metrics::Registry& registry_;
    PipelineOptions opt_;
    const StaticFiles* static_files_;
    std::vector<Network> proxies_;  // opt_.trusted_proxies, parsed
    std::vector<RouteMetrics> route_metrics_;
    RouteMetrics unmatched_metrics_;
    RouteMetrics static_metrics_;
    metrics::Counter* rate_limited_;
    metrics::Counter* unhandled_;
};

}  // namespace medisecure::http
