// SPDX-License-Identifier: Apache-2.0
// Optimistic concurrency over HTTP: resources carry `ETag: "v<version>"`; updates send it back
// in If-Match (412 when stale, 428 when required and missing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "platform/http/types.hpp"

namespace medisecure::http {

std::string etag_for(std::int64_t version);
/// The version named by If-Match; nullopt for "*" or (when not required) no header.
Result<std::optional<std::int64_t>> if_match_version(const Request& req, bool required);

}  // namespace medisecure::http
