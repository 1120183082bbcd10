// SPDX-License-Identifier: Apache-2.0
#include "platform/http/types.hpp"

#include <boost/json/serialize.hpp>
#include <strings.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "platform/http/url.hpp"

namespace medisecure::http {
namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::string_view to_string(Method m) {
    switch (m) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::delete_: return "DELETE";
    case Method::options: return "OPTIONS";
    }
    return "GET";
}

std::optional<Method> parse_method(std::string_view s) {
    for (auto m : {Method::get, Method::head, Method::post, Method::put, Method::patch,
                   Method::delete_, Method::options})
        if (to_string(m) == s) return m;
    return std::nullopt;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& [k, v] : fields_)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

void Headers::set(std::string name, std::string value) {
    std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
    fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
}

std::string_view Request::path_param(std::string_view name) const {
    for (const auto& [k, v] : path_params)
        if (k == name) return v;
    return {};
}

std::optional<std::string> Request::query(std::string_view name) const {
    for (const auto& [k, v] : query_params)
        if (k == name) return v;
    return std::nullopt;
}

std::optional<std::int64_t> query_integer(const Request& r, std::string_view name) {
    auto v = r.query(name);
    if (!v) return std::nullopt;
    std::string_view text = *v;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc::result_out_of_range) d = text.starts_with('-') ? -HUGE_VAL : HUGE_VAL;
    else if (ec != std::errc{} || end == text.data() || std::isnan(d)) return std::nullopt;
    constexpr double kMax = 9.2e18;  // below 2^63, exactly representable
    if (d >= kMax) return std::numeric_limits<std::int64_t>::max();
    if (d <= -kMax) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
}

int query_limit(const Request& r, int fallback, int cap) {
    auto n = query_integer(r, "limit");
    if (!n) return fallback;
    return static_cast<int>(std::clamp<std::int64_t>(*n, 1, cap));
}

std::vector<std::string> Request::query_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : query_params)
        if (k == name) out.push_back(v);
    return out;
}

std::optional<std::string_view> Request::cookie(std::string_view name) const {
    auto h = headers.get("Cookie");
    if (!h) return std::nullopt;
    return find_cookie(*h, name);
}

Caller Request::caller() const {
    Caller c;
    if (principal) {
        c.user_id = principal->user_id;
        c.role = principal->role;
        c.patient_id = principal->patient_id;
        c.session_id = principal->session_id;
    } else {
        c.user_id = "anonymous";
        c.role = Role::system;
    }
    c.request_id = request_id;
    c.client_ip = client_ip;
    c.audit_ticket = audit_ticket;
    return c;
}

Response Response::json(int status, const boost::json::value& v) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(v);
    r.content_type = "application/json";
    return r;
}

Response Response::empty(int status) {
    Response r;
    r.status = status;
    return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

}  // namespace medisecure::http
