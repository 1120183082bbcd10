// SPDX-License-Identifier: Apache-2.0
// Small parsers of outside text: query strings and percent-decoding, the Cookie header,
// base64url (pagination cursors, token parts), the trusted-proxy networks and the server URLs
// of the configuration. The first input byte picks the parser.
#include <sys/socket.h>

#include <string>

#include "fuzz_input.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/http/url.hpp"

using namespace medisecure;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    std::uint8_t which = in.byte();
    std::string_view text = in.rest();
    switch (which % 6) {
    case 0: {
        auto q = http::parse_query(text);
        if (q)
            for (const auto& [k, v] : *q) {
                fuzz::check(k.find('\0') == std::string::npos && v.find('\0') == std::string::npos, "no NUL in a query");
                auto round = http::parse_query(http::percent_encode(k) + "=" + http::percent_encode(v));
                fuzz::check(round && round->size() == 1 && round->front().first == k && round->front().second == v,
                            "an encoded pair decodes to itself");
            }
        break;
    }
    case 1: {
        for (bool plus : {false, true}) {
            auto d = http::percent_decode(text, plus);
            if (!d) continue;
            fuzz::check(d->find('\0') == std::string::npos, "no NUL after decoding");
            auto again = http::percent_decode(http::percent_encode(*d), false);
            fuzz::check(again && *again == *d, "percent-encoding round-trips");
        }
        break;
    }
    case 2: {
        std::string_view header = text;
        for (std::string_view n : {"ms_access", "ms_refresh", "csrf"}) {
            auto c = http::find_cookie(header, n);
            if (c) fuzz::check(c->data() >= header.data() && c->data() + c->size() <= header.data() + header.size(),
                               "a cookie value is inside the header");
        }
        break;
    }
    case 3: {
        auto raw = crypto::base64url_decode(text);
        if (raw) {
            auto again = crypto::base64url_decode(crypto::base64url_encode(*raw));
            fuzz::check(again && *again == *raw, "base64url round-trips");
        }
        if (auto b = crypto::base64_decode(text)) fuzz::check(crypto::base64_decode(crypto::base64_encode(*b)) == *b, "base64 round-trips");
        if (auto b = crypto::base32_decode(text)) fuzz::check(crypto::base32_decode(crypto::base32_encode(*b)) == *b, "base32 round-trips");
        break;
    }
    case 4: {
        auto net = http::parse_network(text);
        if (net) {
            fuzz::check(net->prefix >= 0 && net->prefix <= (net->family == AF_INET ? 32 : 128), "a prefix fits its family");
            (void)net->contains("10.1.2.3");
            (void)net->contains("fd00::1");
            (void)net->contains(text);
        }
        break;
    }
    default: {
        std::string error;
        auto url = http::parse_server_url(text, 5432, &error);
        if (url) fuzz::check(url->port >= 1 && url->port <= 65535, "a port is from 1 to 65535");
        else fuzz::check(!error.empty(), "a refused URL says why");
        break;
    }
    }
    return 0;
}
