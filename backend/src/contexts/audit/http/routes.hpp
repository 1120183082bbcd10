// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <set>

#include "contexts/audit/app/audit_queries.hpp"
#include "platform/http/router.hpp"

namespace medisecure::audit {

/// Display names of users by id (from the identity context), for showing who accessed what.
using NameResolver = std::function<std::map<std::string, std::string>(const std::set<std::string>&)>;

void add_routes(http::Router& router, AuditQueries& queries, NameResolver names);

}  // namespace medisecure::audit
