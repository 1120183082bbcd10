// SPDX-License-Identifier: Apache-2.0
// Reading validated JSON without ceremony, and writing the API's common shapes.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace medisecure::jsonu {

namespace json = boost::json;

/// Values a request body may hold, counted before anything is built: the parsed form of a body
/// costs memory per value whatever its size in bytes (300,000 empty objects fit in 900 KB and
/// take tens of megabytes once parsed), so the count is bounded, not only the bytes.
inline constexpr std::size_t kMaxBodyValues = 10'000;

/// Parses a request body; malformed JSON or nesting deeper than 32 is a bad_request; more than
/// kMaxBodyValues values is payload_too_large (`body_too_complex`), refused before parsing.
Result<json::value> parse(std::string_view text);

/// Missing and null both read as nullopt / the default.
std::optional<std::string> opt_string(const json::object& o, std::string_view key);
std::string string_or(const json::object& o, std::string_view key, std::string fallback = {});
std::optional<std::int64_t> opt_int(const json::object& o, std::string_view key);
std::optional<double> opt_number(const json::object& o, std::string_view key);
std::optional<bool> opt_bool(const json::object& o, std::string_view key);
const json::object* opt_object(const json::object& o, std::string_view key);
bool has(const json::object& o, std::string_view key);
bool is_null(const json::object& o, std::string_view key);

/// A JSON string value or null for an empty optional.
json::value nullable(const std::optional<std::string>& v);
json::value nullable_if_empty(const std::string& v);

std::string serialize(const json::value& v);

// Strict reading, for codecs that read back only what they wrote (the caches'): any mismatch
// throws, and decode_exact turns what throws into nullopt.

/// `v` as an object of exactly `fields` members.
const json::object& exact_object(const json::value& v, std::size_t fields);
/// The string member `key`.
std::string string_at(const json::object& o, std::string_view key);
/// `*v`; nullopt (an enumerator its parser did not know) throws.
template <class T> T required(std::optional<T> v) {
    if (!v) throw std::invalid_argument("enumerator");
    return std::move(*v);
}
/// Parses `text` (throws when malformed).
json::value parse_exact(std::string_view text);
/// `read(the parsed text)`; nullopt for malformed JSON, or whatever `read` throws on.
template <class T, class Read> std::optional<T> decode_exact(std::string_view text, Read&& read) {
    try {
        return read(parse_exact(text));
    } catch (const std::exception&) {  // malformed JSON, a wrong kind, a missing field
        return std::nullopt;
    }
}

}  // namespace medisecure::jsonu
