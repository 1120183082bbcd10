// SPDX-License-Identifier: Apache-2.0
// Percent-decoding of paths and query strings, and cookie header parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medisecure::http {

/// Decodes %XX (and '+' as space when `plus_is_space`); nullopt on a malformed escape or NUL.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);
/// Splits "a=1&b=x%20y" into decoded pairs; nullopt when an escape is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q);
std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name);

}  // namespace medisecure::http
