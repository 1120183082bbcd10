// SPDX-License-Identifier: Apache-2.0
#include "platform/http/conditional.hpp"

namespace medisecure::http {

std::string etag_for(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Result<std::optional<std::int64_t>> if_match_version(const Request& req, bool required) {
    auto h = req.headers.get("If-Match");
    if (!h) {
        if (required)
            return Error{ErrorKind::precondition_required, "if_match_required",
                         "Send the ETag you read in an If-Match header."};
        return std::optional<std::int64_t>{};
    }
    std::string_view v = *h;
    if (v == "*") return std::optional<std::int64_t>{};
    if (v.substr(0, 2) == "W/") v.remove_prefix(2);
    if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'v')
        return Error{ErrorKind::precondition_failed, "stale_version", "The resource has changed; reload it."};
    std::int64_t n = 0;
    for (char c : v.substr(2, v.size() - 3)) {
        if (c < '0' || c > '9' || n > (INT64_MAX - 9) / 10)
            return Error{ErrorKind::precondition_failed, "stale_version", "The resource has changed; reload it."};
        n = n * 10 + (c - '0');
    }
    return std::optional<std::int64_t>{n};
}

}  // namespace medisecure::http
