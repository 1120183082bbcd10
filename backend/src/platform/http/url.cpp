// SPDX-License-Identifier: Apache-2.0
#include "platform/http/url.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace medisecure::http {
namespace {
int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int h = hex(s[i + 1]), l = hex(s[i + 2]);
            if (h < 0 || l < 0) return std::nullopt;
            char d = static_cast<char>(h * 16 + l);
            if (d == '\0') return std::nullopt;
            out += d;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '\0') {
            return std::nullopt;  // a NUL written as is, like %00
        } else {
            out += c;
        }
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!q.empty()) {
        auto amp = q.find('&');
        auto part = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto k = percent_decode(part.substr(0, eq), true);
        auto v = percent_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1), true);
        if (!k || !v) return std::nullopt;
        out.emplace_back(std::move(*k), std::move(*v));
    }
    return out;
}

std::optional<std::string_view> find_cookie(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semi = header.find(';');
        auto part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        if (part.substr(0, eq) == name) {
            auto v = part.substr(eq + 1);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            return v;
        }
    }
    return std::nullopt;
}

std::optional<ServerUrl> parse_server_url(std::string_view rest, int default_port, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<ServerUrl> {
        if (error) *error = why;
        return std::nullopt;
    };
    ServerUrl u;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        u.query = std::string(rest.substr(q + 1));
        rest = rest.substr(0, q);
    }
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        u.path = std::string(rest.substr(slash + 1));
        rest = rest.substr(0, slash);
    }
    // The last '@': a password may hold one, percent-encoded or not.
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        std::string_view cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = cred.find(':');
        auto user = percent_decode(cred.substr(0, colon), false);
        auto pass = colon == std::string_view::npos ? std::optional<std::string>("") : percent_decode(cred.substr(colon + 1), false);
        if (!user || !pass) return fail("bad percent-encoding in the credentials");
        u.username = std::move(*user);
        u.password = std::move(*pass);
        u.has_credentials = true;
    }
    u.port = default_port;
    // host:port, [v6]:port, or a host alone.
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
        std::string_view p = rest.substr(colon + 1);
        int port = 0;
        for (char ch : p) {
            if (ch < '0' || ch > '9') return fail("port must be a number");
            port = port * 10 + (ch - '0');
            if (port > 65535) return fail("port out of range");
        }
        if (p.empty() || port == 0) return fail("port must be a number");
        u.port = port;
        rest = rest.substr(0, colon);
    }
    u.host = std::string(rest);
    if (u.host.empty()) return fail("missing host");
    return u;
}

namespace {
/// The address's family and bytes, or 0 when it is not one.
int parse_address(std::string_view text, unsigned char* out) {
    if (text.size() > 45) return 0;
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    if (::inet_pton(AF_INET, buf, out) == 1) return AF_INET;
    if (::inet_pton(AF_INET6, buf, out) == 1) return AF_INET6;
    return 0;
}
}  // namespace

std::optional<Network> parse_network(std::string_view text) {
    Network n;
    auto slash = text.find('/');
    n.family = parse_address(text.substr(0, slash), n.bytes);
    if (n.family == 0) return std::nullopt;
    const int bits = n.family == AF_INET ? 32 : 128;
    n.prefix = bits;
    if (slash != std::string_view::npos) {
        std::string_view p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3) return std::nullopt;
        int v = 0;
        for (char c : p) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
        if (v > bits) return std::nullopt;
        n.prefix = v;
    }
    return n;
}

bool Network::contains(std::string_view address) const {
    unsigned char a[16] = {};
    if (parse_address(address, a) != family) return false;
    const int full = prefix / 8, rest = prefix % 8;
    if (std::memcmp(a, bytes, static_cast<std::size_t>(full)) != 0) return false;
    if (rest == 0) return true;
    const unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (a[full] & mask) == (bytes[full] & mask);
}

}  // namespace medisecure::http
