// SPDX-License-Identifier: Apache-2.0
// Percent-decoding of paths and query strings, cookie header parsing, and the parts of a
// server's URL (scheme://user:password@host:port/path?query) as the engines' adapters take them.
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

/// An address or a network in CIDR notation (IPv4 or IPv6): "10.0.0.7", "10.42.0.0/16", "fd00::/8".
struct Network {
    int family = 0;  // AF_INET or AF_INET6
    unsigned char bytes[16] = {};
    int prefix = 0;  // bits that must match
    bool contains(std::string_view address) const;
};
/// nullopt when `text` is neither an address nor a network.
std::optional<Network> parse_network(std::string_view text);

/// The parts of `scheme://[user[:password]@]host[:port][/path][?query]`: user and password
/// percent-decoded (`has_credentials` tells an empty user from none), the path without its
/// leading '/' and not decoded (each engine reads it its own way), the query as written.
struct ServerUrl {
    std::string username, password;
    bool has_credentials = false;
    std::string host;
    int port = 0;
    std::string path, query;
};
/// `rest` is what follows "scheme://"; `default_port` is used when none is written. Returns
/// nullopt and sets `error` when the credentials' escapes are malformed, the host is missing,
/// or the port is not a number from 1 to 65535.
std::optional<ServerUrl> parse_server_url(std::string_view rest, int default_port, std::string* error = nullptr);

}  // namespace medisecure::http
