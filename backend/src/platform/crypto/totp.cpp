// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/totp.hpp"

#include <cstdio>

#include "platform/crypto/digest.hpp"
#include "platform/http/url.hpp"

namespace medisecure::crypto {

std::string hotp(std::string_view secret, std::uint64_t counter, int digits) {
    char msg[8];
    for (int i = 7; i >= 0; --i) {
        msg[i] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    auto mac = hmac_sha1(secret, std::string_view(msg, 8));
    int offset = mac[19] & 0x0f;
    std::uint32_t bin = ((mac[offset] & 0x7fu) << 24) | (mac[offset + 1] << 16) |
                        (mac[offset + 2] << 8) | mac[offset + 3];
    std::uint32_t mod = 1;
    for (int i = 0; i < digits; ++i) mod *= 10;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*u", digits, bin % mod);
    return buf;
}

std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t now_s, std::int64_t last_used_step, int window) {
    if (code.size() != 6) return std::nullopt;
    std::int64_t step = now_s / kTotpStepSeconds;
    for (int d = -window; d <= window; ++d) {
        std::int64_t s = step + d;
        if (s <= last_used_step || s < 0) continue;
        if (constant_time_equal(hotp(secret, static_cast<std::uint64_t>(s)), code)) return s;
    }
    return std::nullopt;
}

std::string totp_uri(std::string_view issuer, std::string_view account, std::string_view secret_b32) {
    using http::percent_encode;
    return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
           "?secret=" + std::string(secret_b32) + "&issuer=" + percent_encode(issuer) +
           "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace medisecure::crypto
