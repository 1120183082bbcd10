// SPDX-License-Identifier: Apache-2.0
#include "platform/http/cookies.hpp"

namespace medisecure::http {

void set_cookie(Response& resp, const CookieSpec& spec, std::string_view value, bool secure) {
    std::string c = spec.name + "=" + std::string(value) + "; Path=" + spec.path +
                    "; Max-Age=" + std::to_string(value.empty() ? 0 : spec.max_age_s) + "; HttpOnly; SameSite=Strict";
    if (secure) c += "; Secure";
    resp.headers.add("Set-Cookie", std::move(c));
}

}  // namespace medisecure::http
