// SPDX-License-Identifier: Apache-2.0
// The plain request and response that contexts see. No Beast or Asio here: handlers are
// ordinary synchronous functions that run on the worker pool.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/caller.hpp"
#include "platform/http/streams.hpp"

namespace medisecure::http {

enum class Method { get, head, post, put, patch, delete_, options };
std::string_view to_string(Method m);
std::optional<Method> parse_method(std::string_view s);

/// Ordered header list with case-insensitive lookup (HTTP field names are case-insensitive).
class Headers {
public:
    std::optional<std::string_view> get(std::string_view name) const;
    void set(std::string name, std::string value);  // replaces every field of that name
    void add(std::string name, std::string value);
    bool has(std::string_view name) const { return get(name).has_value(); }
    const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

/// The authenticated principal behind a request (set by the pipeline from the access token).
struct Principal {
    std::string user_id;
    Role role = Role::patient;
    std::string patient_id;
    std::string session_id;
    std::int64_t expires_at = 0;  // Unix seconds
    bool enrolment_only = false;  // TOTP enrolment pending: only enrolment routes are open
};

struct Route;

struct Request {
    Method method = Method::get;
    std::string target;        // as received: path + query
    std::string path;          // percent-decoded path
    std::string query_string;  // raw, without '?'
    Headers headers;
    std::string body;
    /// Set instead of `body` for routes that declare a streamed body (uploads).
    std::shared_ptr<SpooledBody> spooled_body;
    std::string client_ip;
    bool via_tls = false;  // TLS at a trusted proxy (X-Forwarded-Proto) or a direct TLS socket

    // Filled by the pipeline before the handler runs.
    std::string request_id;
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> path_params;
    std::vector<std::pair<std::string, std::string>> query_params;
    std::optional<Principal> principal;
    boost::json::value json;  // the validated body, for routes that declare a JSON body
    std::shared_ptr<AuditTicket> audit_ticket = std::make_shared<AuditTicket>();
    std::chrono::steady_clock::time_point received_at = std::chrono::steady_clock::now();

    std::string_view path_param(std::string_view name) const;
    std::optional<std::string> query(std::string_view name) const;
    std::vector<std::string> query_all(std::string_view name) const;
    std::optional<std::string_view> cookie(std::string_view name) const;
    /// The caller for use cases: principal plus request id, client IP and audit ticket.
    Caller caller() const;
};

/// A query parameter the route's schema declares an integer, as a number: the schema lets
/// through what JSON calls an integer, "1e3" and values past any C++ integer (up to 2^64-1)
/// among them, so std::stoi there throws (a 500). nullopt when absent or not a number; values
/// beyond int64 are clamped to it.
std::optional<std::int64_t> query_integer(const Request& r, std::string_view name);
/// The `limit` query parameter: `fallback` when absent, at most `cap`, at least 1.
int query_limit(const Request& r, int fallback, int cap);

struct Response {
    int status = 200;
    Headers headers;
    std::string body;
    std::string content_type;
    /// Stable, low-cardinality name for logs and metrics (the route template).
    std::string route_label;
    std::string user_id;  // for the access log
    /// Downloads: the body comes from here instead of `body`.
    std::shared_ptr<BodySource> stream;
    /// Server-sent events: the connection stays open and carries these events.
    std::shared_ptr<EventStream> events;

    static Response json(int status, const boost::json::value& v);
    static Response empty(int status);
    static Response text(int status, std::string body, std::string content_type);
};

}  // namespace medisecure::http
