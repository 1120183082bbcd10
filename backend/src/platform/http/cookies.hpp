// SPDX-License-Identifier: Apache-2.0
// Session cookies: HttpOnly and SameSite=Strict always, Secure over TLS, so browser JavaScript
// never holds a token.
#pragma once

#include <string>
#include <string_view>

#include "platform/http/types.hpp"

namespace medisecure::http {

struct CookieSpec {
    std::string name;
    std::string path = "/";
    long long max_age_s = 0;  // 0 with an empty value deletes the cookie
};

/// Appends a Set-Cookie header.
void set_cookie(Response& resp, const CookieSpec& spec, std::string_view value, bool secure);

}  // namespace medisecure::http
