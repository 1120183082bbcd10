// SPDX-License-Identifier: Apache-2.0
#include "platform/http/system_routes.hpp"

#include <boost/json.hpp>
#include <memory>
#include <mutex>

#include "platform/crypto/digest.hpp"
#include "platform/http/problem.hpp"

namespace medisecure::http {
namespace json = boost::json;
using schema::Schema;

void add_system_routes(Router& router, SystemRoutes deps) {
    auto shared = std::make_shared<SystemRoutes>(std::move(deps));

    const Schema live = Schema::named("Liveness", Schema::object({schema::req("status", Schema::string().enumeration({"live"}))}));
    router.add({.method = Method::get,
                .path = "/health/live",
                .operation_id = "healthLive",
                .summary = "Liveness: the process answers",
                .tag = "operations",
                .access = Access::anyone(),
                .responses = {{200, "Alive", live}},
                .rate = RateClass::none,
                .light = true,
                .in_process = true,
                .handler = [](Request&) { return Response::json(200, json::object{{"status", "live"}}); }});

    const Schema ready = Schema::named(
        "Readiness", Schema::object({schema::req("status", Schema::string().enumeration({"ready", "not_ready"})),
                                     schema::req("checks", Schema::map_of(Schema::string().enumeration({"ok", "degraded", "failing"})))}));
    router.add({.method = Method::get,
                .path = "/health/ready",
                .operation_id = "healthReady",
                .summary = "Readiness: every store answers and the instance is not draining",
                .tag = "operations",
                .access = Access::anyone(),
                .responses = {{200, "Ready", ready}, {503, "Not ready", ready}},
                .rate = RateClass::none,
                .handler = [shared](Request&) {
                    json::object checks;
                    bool ok = true;
                    for (const auto& c : shared->checks) {
                        bool good = false;
                        try {
                            good = c.check();
                        } catch (...) {
                            good = false;
                        }
                        checks[c.name] = good ? "ok" : c.critical ? "failing" : "degraded";
                        ok &= good || !c.critical;
                    }
                    if (shared->draining && shared->draining()) {
                        checks["draining"] = "failing";
                        ok = false;
                    }
                    return Response::json(ok ? 200 : 503, json::object{{"status", ok ? "ready" : "not_ready"},
                                                                        {"checks", std::move(checks)}});
                }});

    router.add({.method = Method::get,
                .path = "/metrics",
                .operation_id = "metrics",
                .summary = "Prometheus metrics (text exposition format 0.0.4)",
                .tag = "operations",
                .access = Access::anyone(),
                .responses = {{200, "Metrics", std::nullopt, "text/plain"}},
                .errors = {401},
                .rate = RateClass::none,
                .handler = [shared](Request& req) {
                    if (!shared->metrics_token.empty()) {
                        auto h = req.headers.get("Authorization");
                        std::string expected = "Bearer " + shared->metrics_token;
                        if (!h || !crypto::constant_time_equal(*h, expected)) {
                            Response r = problem(unauthenticated("metrics_token_required", "A metrics token is required."),
                                                 req.request_id);
                            r.headers.set("WWW-Authenticate", "Bearer");
                            return r;
                        }
                    }
                    return Response::text(200, shared->registry->render(), "text/plain; version=0.0.4; charset=utf-8");
                }});

    auto once = std::make_shared<std::once_flag>();
    auto doc = std::make_shared<std::string>();
    router.add({.method = Method::get,
                .path = "/openapi.json",
                .operation_id = "openapi",
                .summary = "This API's OpenAPI 3.1 document, generated from the route table",
                .tag = "operations",
                .access = Access::anyone(),
                .responses = {{200, "OpenAPI document", std::nullopt, "application/json"}},
                .rate = RateClass::none,
                .handler = [shared, once, doc](Request&) {
                    std::call_once(*once, [&] { *doc = shared->openapi_json(); });
                    Response r = Response::text(200, *doc, "application/json");
                    r.headers.set("Cache-Control", "no-cache");
                    return r;
                }});
}

}  // namespace medisecure::http
