// SPDX-License-Identifier: Apache-2.0
// OpenAPI 3.1 generated from the route table: paths, parameters, bodies, responses, errors and
// security all come from the Route definitions that also drive validation and dispatch.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "platform/http/router.hpp"

namespace medisecure::http {

struct ApiInfo {
    std::string title = "MediSecure API";
    std::string version;
    std::string description;
};

boost::json::object build_openapi(const Router& router, const ApiInfo& info);

}  // namespace medisecure::http
