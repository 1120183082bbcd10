// SPDX-License-Identifier: Apache-2.0
// Hashes, MACs and encodings used across the platform (OpenSSL and libsodium underneath).
#pragma once

#include <array>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medisecure::crypto {

using Digest32 = std::array<unsigned char, 32>;

Digest32 sha256(std::string_view data);

/// SHA-256 over data that arrives in pieces.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t n);
    std::string hex_digest();  // finalises

private:
    void* ctx_;
};
std::string sha256_hex(std::string_view data);
Digest32 hmac_sha256(std::string_view key, std::string_view data);
/// HMAC-SHA-256 with its key schedule computed once: each message starts from a copy of the
/// keyed state (for keys used on every request: tokens, the audit chain). Thread-safe.
class HmacKey {
public:
    explicit HmacKey(std::string_view key);
    ~HmacKey();
    HmacKey(HmacKey&&) noexcept;
    HmacKey& operator=(HmacKey&&) noexcept;
    Digest32 mac(std::string_view data) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};
std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view data);
/// A 32-byte subkey of `secret` for one purpose (keyed BLAKE2b), so one configured secret
/// never serves two purposes directly.
std::string derive_key(std::string_view secret, std::string_view purpose);
bool constant_time_equal(std::string_view a, std::string_view b);
std::string random_token(std::size_t bytes);  // base64url, no padding

std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);
std::string base32_encode(std::string_view data);  // RFC 4648, no padding (TOTP secrets)
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace medisecure::crypto
