// SPDX-License-Identifier: Apache-2.0
// How the transport reads a request head, apart from its socket: the head parser's limits, the
// parse errors that get an answer (400, 413, 431) and the plain Request a parsed head becomes.
// Beast is visible here: included by server.cpp and by the HTTP fuzz target only, so that the
// fuzzer reads requests exactly as the server does.
#pragma once

#include <boost/beast/http.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "platform/http/types.hpp"
#include "platform/http/url.hpp"

namespace medisecure::http::wire {

namespace bhttp = boost::beast::http;
using HeadParser = bhttp::request_parser<bhttp::empty_body>;

/// A head parser as every request starts: the header limit, and no body limit until the route
/// is known (Beast would otherwise refuse a large Content-Length while still reading the head).
inline void limit_head(HeadParser& hp, std::size_t header_limit) {
    hp.header_limit(static_cast<std::uint32_t>(header_limit));
    hp.body_limit(std::numeric_limits<std::uint64_t>::max());
}

inline std::optional<Method> from_beast(bhttp::verb v) {
    switch (v) {
    case bhttp::verb::get: return Method::get;
    case bhttp::verb::head: return Method::head;
    case bhttp::verb::post: return Method::post;
    case bhttp::verb::put: return Method::put;
    case bhttp::verb::patch: return Method::patch;
    case bhttp::verb::delete_: return Method::delete_;
    case bhttp::verb::options: return Method::options;
    default: return std::nullopt;
    }
}

/// The answer to a head Beast refused (its status: 431 for headers too large, else the
/// error's); nullopt when the connection just ends (end of stream, timeout, reset).
struct HeadRefusal {
    Error error;
    int status = 0;  // 0: the error kind's own status
};
inline std::optional<HeadRefusal> refuse_head(const boost::system::error_code& ec) {
    if (ec == bhttp::error::header_limit)
        return HeadRefusal{{ErrorKind::payload_too_large, "headers_too_large", "The request headers are too large."}, 431};
    if (ec == bhttp::error::body_limit)
        return HeadRefusal{{ErrorKind::payload_too_large, "payload_too_large", "The request body is too large."}};
    if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target || ec == bhttp::error::bad_version ||
        ec == bhttp::error::bad_field || ec == bhttp::error::bad_value || ec == bhttp::error::bad_line_ending)
        return HeadRefusal{bad_request("malformed_http", "The request is not valid HTTP/1.1.")};
    return std::nullopt;
}

/// The Request a parsed head describes: target, query string, header fields, and, when the
/// method and the percent-decoded path are acceptable, method and path. Otherwise `early` says
/// why (405 or 400) and the request goes no further than the pipeline's reject().
struct Head {
    Request req;
    bool keep_alive = false;
    std::optional<Error> early;
};
inline Head request_from_head(const HeadParser::value_type& head, std::string peer) {
    Head h;
    Request& req = h.req;
    req.client_ip = std::move(peer);
    req.target = std::string(head.target());
    for (const auto& f : head) req.headers.add(std::string(f.name_string()), std::string(f.value()));
    h.keep_alive = head.keep_alive();
    auto method = from_beast(head.method());
    auto qpos = req.target.find('?');
    auto decoded = percent_decode(std::string_view(req.target).substr(0, qpos), false);
    if (qpos != std::string::npos) req.query_string = req.target.substr(qpos + 1);
    if (!method) {
        h.early = Error{ErrorKind::method_not_allowed, "method_not_allowed", "This method is not supported."};
    } else if (!decoded || decoded->empty() || (*decoded)[0] != '/') {
        h.early = bad_request("malformed_target", "The request target is malformed.");
    } else {
        req.method = *method;
        req.path = std::move(*decoded);
    }
    return h;
}

}  // namespace medisecure::http::wire
