// SPDX-License-Identifier: Apache-2.0
// TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, 6 digits, as every
// authenticator app expects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medisecure::crypto {

inline constexpr int kTotpStepSeconds = 30;

std::string hotp(std::string_view secret, std::uint64_t counter, int digits = 6);
/// The step matched by `code` within ±`window` steps of `now_s`, if any, and only when it is
/// later than `last_used_step` (a code is never accepted twice).
std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t now_s, std::int64_t last_used_step,
                                       int window = 1);
std::string totp_uri(std::string_view issuer, std::string_view account, std::string_view secret_b32);

}  // namespace medisecure::crypto
