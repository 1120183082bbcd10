// SPDX-License-Identifier: Apache-2.0
// Routes every instance serves: liveness, readiness (each store checked), Prometheus metrics
// and the OpenAPI document.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "platform/http/router.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::http {

struct ReadinessCheck {
    std::string name;
    std::function<bool()> check;  // blocking allowed: runs on the worker pool
    /// Not critical: failing, it reads "degraded" and the instance stays ready (the API serves
    /// without it, e.g. the shared cache).
    bool critical = true;
};

struct SystemRoutes {
    std::vector<ReadinessCheck> checks;
    std::function<bool()> draining;  // not ready while shutting down
    metrics::Registry* registry = nullptr;
    std::string metrics_token;  // when set, /metrics requires "Authorization: Bearer <token>"
    std::function<std::string()> openapi_json;  // rendered once, on first request
};

void add_system_routes(Router& router, SystemRoutes deps);

}  // namespace medisecure::http
