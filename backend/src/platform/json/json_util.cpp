// SPDX-License-Identifier: Apache-2.0
#include "platform/json/json_util.hpp"

#include <boost/json.hpp>

namespace medisecure::jsonu {

namespace {
/// An upper bound of the values in `text`, read in one pass without building anything: every
/// value but the first begins after a '[', a '{' or a ',' outside a string. Stops counting past
/// `stop_after`.
std::size_t count_values(std::string_view text, std::size_t stop_after) {
    std::size_t n = 1;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{' || c == ',') {
            if (++n > stop_after) break;
        }
    }
    return n;
}
}  // namespace

Result<json::value> parse(std::string_view text) {
    if (count_values(text, kMaxBodyValues) > kMaxBodyValues)
        return Error{ErrorKind::payload_too_large, "body_too_complex",
                     "The request body holds more than " + std::to_string(kMaxBodyValues) + " JSON values."};
    boost::system::error_code ec;
    json::parse_options opt;
    opt.max_depth = 32;
    json::value v = json::parse(text, ec, {}, opt);
    if (ec) return bad_request("malformed_json", "The request body is not valid JSON.");
    return v;
}

std::optional<std::string> opt_string(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string()) return std::nullopt;
    return std::string(it->value().get_string());
}

std::string string_or(const json::object& o, std::string_view key, std::string fallback) {
    auto v = opt_string(o, key);
    return v ? *v : std::move(fallback);
}

std::optional<std::int64_t> opt_int(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    const auto& v = it->value();
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
    if (v.is_double()) return static_cast<std::int64_t>(v.get_double());
    return std::nullopt;
}

std::optional<double> opt_number(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    const auto& v = it->value();
    if (v.is_double()) return v.get_double();
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return std::nullopt;
}

std::optional<bool> opt_bool(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_bool()) return std::nullopt;
    return it->value().get_bool();
}

const json::object* opt_object(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_object()) return nullptr;
    return &it->value().get_object();
}

bool has(const json::object& o, std::string_view key) { return o.contains(key); }

bool is_null(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_null();
}

json::value nullable(const std::optional<std::string>& v) {
    if (!v) return nullptr;
    return json::string(*v);
}

json::value nullable_if_empty(const std::string& v) {
    if (v.empty()) return nullptr;
    return json::string(v);
}

std::string serialize(const json::value& v) { return json::serialize(v); }

const json::object& exact_object(const json::value& v, std::size_t fields) {
    const auto& o = v.as_object();
    if (o.size() != fields) throw std::invalid_argument("fields");
    return o;
}

std::string string_at(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

json::value parse_exact(std::string_view text) { return json::parse(text); }

}  // namespace medisecure::jsonu
