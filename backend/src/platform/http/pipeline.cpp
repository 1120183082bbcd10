// SPDX-License-Identifier: Apache-2.0
#include "platform/http/pipeline.hpp"

#include "platform/crypto/digest.hpp"

#include <boost/json.hpp>
#include <strings.h>

#include <algorithm>

#include "core/random.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/static_files.hpp"
#include "platform/http/url.hpp"
#include "platform/json/json_util.hpp"
#include "platform/log/log.hpp"

namespace medisecure::http {
namespace json = boost::json;

namespace {

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == ':';
    });
}

bool is_json_content_type(std::string_view ct) {
    auto semi = ct.find(';');
    auto base = ct.substr(0, semi);
    while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
    if (base.size() == 16 && ::strncasecmp(base.data(), "application/json", 16) == 0) return true;
    return base.size() > 5 && ::strncasecmp(base.data() + base.size() - 5, "+json", 5) == 0;
}

bool unsafe(Method m) { return m == Method::post || m == Method::put || m == Method::patch || m == Method::delete_; }

std::string_view trim_view(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

Pipeline::Pipeline(const Router& router, Authenticator& auth, Cache& cache, metrics::Registry& registry,
                   PipelineOptions options, const StaticFiles* static_files)
    : router_(router), auth_(auth), cache_(cache), registry_(registry), opt_(std::move(options)),
      static_files_(static_files) {
    for (const auto& r : router_.routes())
        route_metrics_.push_back(make_route_metrics(to_string(r.method), r.path));
    unmatched_metrics_ = make_route_metrics("ANY", "unmatched");
    static_metrics_ = make_route_metrics("GET", "static");
    rate_limited_ = &registry_.counter("medisecure_http_rate_limited_total",
                                       "Requests refused by a rate limit");
    unhandled_ = &registry_.counter("medisecure_http_unhandled_errors_total",
                                    "Requests that ended in an unexpected error (500)");
    for (const auto& p : opt_.trusted_proxies) {
        auto n = parse_network(p);
        if (!n) throw std::invalid_argument("trusted proxy '" + p + "' is neither an IP address nor a network");
        proxies_.push_back(*n);
    }
}

Pipeline::RouteMetrics Pipeline::make_route_metrics(std::string_view method, std::string_view route) {
    RouteMetrics m;
    m.labels = "method=\"" + std::string(method) + "\",route=\"" + metrics::label_value(route) + "\"";
    m.latency = &registry_.histogram("medisecure_http_request_duration_seconds",
                                     "Time from request received to response written",
                                     metrics::latency_buckets(), m.labels);
    m.by_status = std::make_unique<std::atomic<metrics::Counter*>[]>(500);
    for (int i = 0; i < 500; ++i) m.by_status[i].store(nullptr);
    return m;
}

metrics::Counter& Pipeline::status_counter(RouteMetrics& m, int status) {
    if (status < 100 || status > 599) status = 599;
    auto& slot = m.by_status[status - 100];
    if (auto* c = slot.load(std::memory_order_acquire)) return *c;
    auto* c = &registry_.counter("medisecure_http_requests_total", "HTTP requests by route and status",
                                 m.labels + ",status=\"" + std::to_string(status) + "\"");
    slot.store(c, std::memory_order_release);
    return *c;
}

const Route* Pipeline::route_for(const Request& req) const { return router_.match(req.method, req.path).route; }

bool Pipeline::origin_allowed(std::string_view origin) const {
    return std::find(opt_.cors_origins.begin(), opt_.cors_origins.end(), origin) != opt_.cors_origins.end();
}

void Pipeline::identify(Request& req) {
    if (req.request_id.empty()) {
        auto given = req.headers.get("X-Request-Id");
        if (given && valid_request_id(*given)) req.request_id = std::string(*given);
        else req.request_id = new_uuid_v7(SystemClock{}.now());
    }
    // Behind a trusted proxy, the client is the right-most address the proxies did not add.
    auto is_proxy = [&](std::string_view address) {
        return std::any_of(proxies_.begin(), proxies_.end(), [&](const Network& n) { return n.contains(address); });
    };
    bool trusted = is_proxy(req.client_ip);
    if (trusted) {
        if (auto xff = req.headers.get("X-Forwarded-For")) {
            std::string_view list = *xff;
            std::string chosen;
            while (!list.empty()) {
                auto comma = list.rfind(',');
                auto item = trim_view(comma == std::string_view::npos ? list : list.substr(comma + 1));
                list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
                if (item.empty()) continue;
                chosen = std::string(item);
                if (!is_proxy(chosen)) break;
            }
            if (!chosen.empty() && chosen.size() <= 64) req.client_ip = chosen;
        }
        if (auto proto = req.headers.get("X-Forwarded-Proto")) req.via_tls = *proto == "https";
    }
}

Response Pipeline::handle(Request& req) {
    Response resp;
    try {
        identify(req);
        resp = dispatch(req);
    } catch (const std::exception& e) {
        if (auto known = opt_.classify_exception ? opt_.classify_exception(std::current_exception()) : std::nullopt) {
            log::warn("http.dependency_unavailable", {{"request_id", req.request_id},
                                                      {"route", req.route ? std::string_view(req.route->path) : "-"},
                                                      {"code", known->code}});
            resp = problem(*known, req.request_id);
        } else {
            unhandled_->inc();
            std::string what = opt_.describe_exception ? opt_.describe_exception(std::current_exception())
                                                       : std::string("exception");
            log::error("http.unhandled", {{"request_id", req.request_id},
                                          {"route", req.route ? std::string_view(req.route->path) : "-"},
                                          {"error", what}});
            resp = problem({ErrorKind::internal, "internal", ""}, req.request_id);
        }
    }
    if (req.route) resp.route_label = req.route->path;
    if (req.principal) resp.user_id = req.principal->user_id;
    decorate(req, resp);
    return resp;
}

Response Pipeline::reject(Request& req, const Error& e) {
    identify(req);
    Response resp = problem(e, req.request_id);
    if (req.route) resp.route_label = req.route->path;
    decorate(req, resp);
    return resp;
}

Response Pipeline::dispatch(Request& req) {
    const bool is_api = req.path.rfind("/api/", 0) == 0;

    // CORS preflight: answered before routing, for allowed origins only.
    auto origin = req.headers.get("Origin");
    if (req.method == Method::options) {
        Response r = Response::empty(204);
        if (origin && origin_allowed(*origin) && req.headers.has("Access-Control-Request-Method")) {
            r.headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
            r.headers.set("Access-Control-Allow-Headers",
                          "Authorization, Content-Type, If-Match, If-None-Match, X-Request-Id");
            r.headers.set("Access-Control-Max-Age", "600");
        }
        return r;
    }

    Match m = router_.match(req.method, req.path);
    if (!m.route) {
        if (!m.allowed.empty()) {
            Response r = problem({ErrorKind::method_not_allowed, "method_not_allowed",
                                  "This resource does not support that method."},
                                 req.request_id);
            std::string allow;
            for (auto a : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(to_string(a));
            r.headers.set("Allow", allow);
            return r;
        }
        if (!is_api && static_files_ && (req.method == Method::get || req.method == Method::head)) {
            if (auto r = static_files_->serve(req.path, req.headers.get("If-None-Match"))) return *r;
        }
        return problem(not_found("route_not_found", "No such resource."), req.request_id);
    }
    req.route = m.route;
    req.path_params = std::move(m.params);
    const Route& route = *m.route;

    // Per-IP budget first: it protects everything after it, authentication included.
    if (route.rate != RateClass::none) {
        const auto& lim = route.rate == RateClass::auth ? opt_.auth_per_ip : opt_.per_ip;
        if (lim.per_second > 0) {
            auto key = std::string(route.rate == RateClass::auth ? "rl:auth:" : "rl:ip:") + req.client_ip;
            auto d = cache_.take(key, lim.per_second, lim.burst);
            if (!d.allowed) {
                rate_limited_->inc();
                Error e{ErrorKind::too_many_requests, "rate_limited", "Too many requests; retry later."};
                e.retry_after_s = d.retry_after_s;
                return problem(e, req.request_id);
            }
        }
    }

    // Who is asking, before anything about the request is looked at: an anonymous or refused
    // caller learns nothing of the parameters an operation takes (and costs no validation).
    if (route.access.authenticated) {
        if (auto a = authenticate(req, route); !a) {
            Response r = problem(a.error(), req.request_id);
            if (a.error().kind == ErrorKind::unauthenticated) r.headers.set("WWW-Authenticate", "Bearer");
            return r;
        }
        if (opt_.per_user.per_second > 0 && route.rate != RateClass::none) {
            auto d = cache_.take("rl:user:" + req.principal->user_id, opt_.per_user.per_second, opt_.per_user.burst);
            if (!d.allowed) {
                rate_limited_->inc();
                Error e{ErrorKind::too_many_requests, "rate_limited", "Too many requests; retry later."};
                e.retry_after_s = d.retry_after_s;
                return problem(e, req.request_id);
            }
        }
    }

    auto q = parse_query(req.query_string);
    if (!q) return problem(bad_request("malformed_query", "The query string is malformed."), req.request_id);
    req.query_params = std::move(*q);

    bool path_invalid = false;
    if (auto v = validate_params(req, route, path_invalid); !v) {
        if (path_invalid) return problem(not_found("not_found", "No such resource."), req.request_id);
        return problem(v.error(), req.request_id);
    }

    if (route.body) {
        if (auto b = parse_body(req, route); !b) return problem(b.error(), req.request_id);
    }

    if (opt_.idempotency && req.method == Method::post && req.principal) {
        if (auto key = req.headers.get("Idempotency-Key")) return run_idempotent(req, route, *key);
    }
    Response resp = route.handler(req);
    if (opt_.validate_responses) check_response(req, resp);
    return resp;
}

Response Pipeline::run_idempotent(Request& req, const Route& route, std::string_view key) {
    const bool printable = std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (key.empty() || key.size() > 255 || !printable)
        return problem(bad_request("invalid_idempotency_key", "Idempotency-Key: 1 to 255 visible ASCII characters."),
                       req.request_id);
    // The request as the key promises it: the same method, target and body.
    crypto::Sha256 h;
    const std::string head = std::string(to_string(req.method)) + " " + req.path + "?" + req.query_string + "\n";
    h.update(head.data(), head.size());
    if (req.spooled_body) {
        char buf[64 * 1024];
        while (std::size_t n = req.spooled_body->read(buf, sizeof buf)) h.update(buf, n);
        req.spooled_body->rewind();
    } else {
        h.update(req.body.data(), req.body.size());
    }
    const std::string fingerprint = h.hex_digest();
    const std::string scope = req.principal->user_id + "\n" + std::string(key);
    Claim claim;
    try {
        claim = opt_.idempotency->claim(scope, fingerprint, SystemClock{}.now());
    } catch (const std::exception&) {
        // Without the record of keys a retry could be applied twice: refuse rather than guess.
        Error e{ErrorKind::unavailable, "idempotency_store_unavailable", "Retry in a moment."};
        e.retry_after_s = 1;
        return problem(e, req.request_id);
    }
    switch (claim.outcome) {
    case ClaimOutcome::replay: {
        Response r;
        r.status = claim.stored->status;
        r.content_type = claim.stored->content_type;
        r.body = std::move(claim.stored->body);
        for (auto& [k, v] : claim.stored->headers) r.headers.set(k, v);
        r.headers.set("Idempotent-Replayed", "true");
        return r;
    }
    case ClaimOutcome::in_progress: {
        Error e = conflict("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.");
        e.retry_after_s = 1;
        return problem(e, req.request_id);
    }
    case ClaimOutcome::mismatch:
        return problem(invalid_input("idempotency_key_reused", "This Idempotency-Key was used for another request.",
                                     {{"Idempotency-Key", "reused", "was sent before with another request"}}),
                       req.request_id);
    case ClaimOutcome::claimed: break;
    }
    Response resp;
    try {
        resp = route.handler(req);
    } catch (...) {
        opt_.idempotency->release(scope);
        throw;
    }
    if (opt_.validate_responses) check_response(req, resp);
    // A server-side failure leaves the key free for the retry; a stream cannot be replayed.
    if (resp.status >= 500 || resp.stream || resp.events) {
        opt_.idempotency->release(scope);
        return resp;
    }
    StoredResponse stored{resp.status, resp.content_type, {}, resp.body};
    for (const char* name : {"Location", "ETag"})
        if (auto v = resp.headers.get(name)) stored.headers.emplace_back(name, std::string(*v));
    try {
        opt_.idempotency->complete(scope, stored);
    } catch (const std::exception&) {
        // The change is made: answer it. The key stays claimed, so a retry gets 409, never a
        // second change.
        log::warn("http.idempotency_not_recorded", {{"request_id", req.request_id}});
    }
    return resp;
}

Result<void> Pipeline::validate_params(Request& req, const Route& route, bool& path_invalid) {
    std::vector<FieldIssue> issues;
    for (const auto& p : route.params) {
        if (p.in == ParamIn::header) continue;
        std::optional<std::string> raw;
        if (p.in == ParamIn::path) raw = std::string(req.path_param(p.name));
        else raw = req.query(p.name);
        if (!raw) {
            if (p.required) issues.push_back({p.name, "required", "is required"});
            continue;
        }
        // Query values are text; integers and booleans are checked as the JSON they denote.
        json::value v;
        auto t = p.schema.type();
        if (t == schema::Type::integer || t == schema::Type::number) {
            boost::system::error_code ec;
            v = json::parse(*raw, ec);
            if (ec || !(v.is_number())) v = json::string(*raw);
        } else if (t == schema::Type::boolean) {
            if (*raw == "true") v = true;
            else if (*raw == "false") v = false;
            else v = json::string(*raw);
        } else {
            v = json::string(*raw);
        }
        std::vector<FieldIssue> local;
        if (!schema::validate(p.schema, v, local, "")) {
            if (p.in == ParamIn::path) {
                path_invalid = true;
                return invalid_input("invalid_path", "not found");
            }
            for (auto& i : local) issues.push_back({p.name, i.code, i.message});
        }
    }
    if (!issues.empty())
        return invalid_input("invalid_parameters", "The query parameters are invalid.", std::move(issues));
    return {};
}

Result<void> Pipeline::authenticate(Request& req, const Route& route) {
    std::string_view token;
    bool from_cookie = false;
    if (auto h = req.headers.get("Authorization")) {
        if (h->size() > 7 && ::strncasecmp(h->data(), "Bearer ", 7) == 0) token = h->substr(7);
        else return unauthenticated("unsupported_authorization", "Use a Bearer access token.");
    } else if (auto c = req.cookie(opt_.access_cookie)) {
        token = *c;
        from_cookie = true;
    }
    if (token.empty()) return unauthenticated("authentication_required", "Sign in to continue.");
    // Cookies ride along on cross-site requests: a state change carried by a cookie must prove
    // it comes from this site, by an Origin that is this server's (or a configured one) or,
    // without an Origin, by the browser's own Fetch Metadata saying same-origin. A request with
    // neither is refused: every browser that sends cookies sends one of the two on a POST, and
    // scripts use a bearer token.
    if (from_cookie && unsafe(req.method)) {
        bool same = false;
        if (auto origin = req.headers.get("Origin")) {
            auto host = req.headers.get("Host");
            same = origin_allowed(*origin) ||
                   (host && (*origin == "http://" + std::string(*host) || *origin == "https://" + std::string(*host)));
        } else if (auto site = req.headers.get("Sec-Fetch-Site")) {
            same = *site == "same-origin";
        }
        if (!same) return forbidden("cross_origin_refused", "Cross-origin request refused.");
    }
    auto p = auth_.authenticate(token);
    if (!p) return p.error();
    req.principal = std::move(*p);
    if (req.principal->enrolment_only && !route.access.open_during_enrolment)
        return forbidden("totp_enrolment_required",
                         "Two-factor authentication must be set up before using this account.");
    if (!route.access.allows(req.principal->role))
        return forbidden("role_not_allowed", "Your role does not allow this action.");
    return {};
}

Result<void> Pipeline::parse_body(Request& req, const Route& route) {
    const auto& doc = *route.body;
    if (doc.content_type != "application/json") return {};  // raw bodies are the handler's
    if (!doc.required && req.body.empty()) return {};
    auto ct = req.headers.get("Content-Type");
    if (!ct || !is_json_content_type(*ct))
        return Error{ErrorKind::unsupported_media_type, "unsupported_media_type",
                     "The request body must be application/json."};
    auto parsed = jsonu::parse(req.body);
    if (!parsed) return parsed.error();
    std::vector<FieldIssue> issues;
    if (!schema::validate(doc.schema, *parsed, issues)) {
        std::string detail = issues.size() >= schema::kMaxIssues
                                 ? "The request has invalid fields; the first " + std::to_string(issues.size()) + " are listed."
                                 : std::string("The request has invalid fields.");
        return invalid_input("validation_failed", std::move(detail), std::move(issues));
    }
    req.json = std::move(*parsed);
    return {};
}

void Pipeline::check_response(const Request& req, Response& resp) {
    const bool is_problem = resp.content_type == "application/problem+json";
    if ((resp.content_type != "application/json" && !is_problem) || !req.route) return;
    for (const auto& doc : req.route->responses) {
        if (doc.status != resp.status || doc.content_type != resp.content_type) continue;
        if (!doc.schema) return;
        boost::system::error_code ec;
        auto v = json::parse(resp.body, ec);
        std::vector<FieldIssue> issues;
        if (ec || !schema::validate(*doc.schema, v, issues)) {
            std::string where = issues.empty() ? "unparseable" : issues.front().field + " " + issues.front().code;
            log::error("http.response_schema_mismatch",
                       {{"route", req.route->path}, {"status", resp.status}, {"issue", where}});
            resp = problem({ErrorKind::internal, "response_schema_mismatch", ""}, req.request_id);
            resp.headers.set("X-Schema-Mismatch", where);
        }
        return;
    }
    if (resp.status < 300 && !is_problem) {
        log::error("http.response_undocumented", {{"route", req.route->path}, {"status", resp.status}});
        resp = problem({ErrorKind::internal, "response_undocumented", ""}, req.request_id);
        resp.headers.set("X-Schema-Mismatch", "undocumented status");
    }
}

void Pipeline::decorate(const Request& req, Response& resp) {
    auto& h = resp.headers;
    h.set("X-Request-Id", req.request_id);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (!h.has("Content-Security-Policy"))
        h.set("Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
              "data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri "
              "'none'; form-action 'self'; frame-ancestors 'none'");
    if (opt_.hsts) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
    if (auto origin = req.headers.get("Origin"); origin && origin_allowed(*origin)) {
        h.set("Access-Control-Allow-Origin", std::string(*origin));
        h.set("Access-Control-Allow-Credentials", "true");
        h.set("Access-Control-Expose-Headers", "ETag, Location, Retry-After, X-Request-Id");
        h.add("Vary", "Origin");
    }
}

void Pipeline::finish(const Request& req, const Response& resp, std::chrono::steady_clock::duration elapsed) {
    double seconds = std::chrono::duration<double>(elapsed).count();
    RouteMetrics* m = &unmatched_metrics_;
    if (req.route) m = &route_metrics_[router_.index_of(req.route)];
    else if (resp.status == 200 || resp.status == 304) m = &static_metrics_;
    m->latency->observe(seconds);
    status_counter(*m, resp.status).inc();
    if (log::enabled(log::Level::info)) {
        // The route template, never the raw path or query: those can carry identifiers and names.
        log::info("http.access", {{"request_id", req.request_id},
                                  {"method", to_string(req.method)},
                                  {"route", req.route ? std::string_view(req.route->path) : std::string_view(m == &static_metrics_ ? "static" : "unmatched")},
                                  {"status", resp.status},
                                  {"duration_ms", seconds * 1000.0},
                                  {"bytes", resp.body.size()},
                                  {"ip", req.client_ip},
                                  {"user", resp.user_id}});
    }
}

}  // namespace medisecure::http
