// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "core/random.hpp"

namespace medisecure::crypto {

Digest32 sha256(std::string_view data) {
    Digest32 out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("sha256 failed");
    return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("sha256 init failed");
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::update(const void* data, std::size_t n) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, n) != 1) throw std::runtime_error("sha256 failed");
}
std::string Sha256::hex_digest() {
    Digest32 out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len) != 1) throw std::runtime_error("sha256 failed");
    return to_hex(out.data(), out.size());
}

std::string sha256_hex(std::string_view data) {
    auto d = sha256(data);
    return to_hex(d.data(), d.size());
}

Digest32 hmac_sha256(std::string_view key, std::string_view data) { return HmacKey(key).mac(data); }

// The key schedule is two SHA-256 states: one that has absorbed key XOR ipad, one key XOR
// opad (RFC 2104). A message starts from copies of them, in a context each thread keeps.
// OpenSSL's SHA-256 uses the processor's SHA extensions where it has them (six times
// libsodium's portable code here).
struct HmacKey::State {
    EVP_MD_CTX* inner = nullptr;
    EVP_MD_CTX* outer = nullptr;
    ~State() {
        EVP_MD_CTX_free(inner);
        EVP_MD_CTX_free(outer);
    }
};

namespace {

[[noreturn]] void hmac_failed() {
    throw std::runtime_error("hmac-sha256 failed");
}

/// This thread's working context, reused for every MAC it computes.
EVP_MD_CTX* scratch_context() {
    struct Scratch {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Scratch() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Scratch s;
    if (!s.ctx) hmac_failed();
    return s.ctx;
}

}  // namespace

HmacKey::HmacKey(std::string_view key) : state_(std::make_unique<State>()) {
    constexpr std::size_t kBlock = 64;
    std::array<unsigned char, kBlock> k{};
    if (key.size() > kBlock) {
        auto d = sha256(key);
        std::copy(d.begin(), d.end(), k.begin());
    } else {
        std::copy(key.begin(), key.end(), k.begin());
    }
    std::array<unsigned char, kBlock> ipad{}, opad{};
    for (std::size_t i = 0; i < kBlock; ++i) {
        ipad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
        opad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
    }
    state_->inner = EVP_MD_CTX_new();
    state_->outer = EVP_MD_CTX_new();
    bool ok = state_->inner && state_->outer &&
              EVP_DigestInit_ex(state_->inner, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(state_->inner, ipad.data(), ipad.size()) == 1 &&
              EVP_DigestInit_ex(state_->outer, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(state_->outer, opad.data(), opad.size()) == 1;
    OPENSSL_cleanse(k.data(), k.size());
    OPENSSL_cleanse(ipad.data(), ipad.size());
    OPENSSL_cleanse(opad.data(), opad.size());
    if (!ok) hmac_failed();
}
HmacKey::~HmacKey() = default;
HmacKey::HmacKey(HmacKey&&) noexcept = default;
HmacKey& HmacKey::operator=(HmacKey&&) noexcept = default;

Digest32 HmacKey::mac(std::string_view data) const {
    EVP_MD_CTX* w = scratch_context();
    Digest32 inner{}, out{};
    unsigned int len = 0;
    if (EVP_MD_CTX_copy_ex(w, state_->inner) != 1 ||
        EVP_DigestUpdate(w, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(w, inner.data(), &len) != 1 ||
        EVP_MD_CTX_copy_ex(w, state_->outer) != 1 ||
        EVP_DigestUpdate(w, inner.data(), inner.size()) != 1 ||
        EVP_DigestFinal_ex(w, out.data(), &len) != 1)
        hmac_failed();
    OPENSSL_cleanse(inner.data(), inner.size());
    return out;
}

std::array<unsigned char, 20> hmac_sha1(std::string_view key, std::string_view data) {
    std::array<unsigned char, 20> out{};
    unsigned int len = 0;
    if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len))
        throw std::runtime_error("hmac-sha1 failed");
    return out;
}

std::string derive_key(std::string_view secret, std::string_view purpose) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
    // BLAKE2b keys are at most 64 bytes: longer secrets are compressed first.
    std::string key(secret);
    if (key.size() > crypto_generichash_KEYBYTES_MAX) {
        auto d = sha256(secret);
        key.assign(reinterpret_cast<const char*>(d.data()), d.size());
    }
    std::string out(32, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                       reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                       reinterpret_cast<const unsigned char*>(key.data()), key.size());
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token(std::size_t bytes) {
    std::string raw(bytes, '\0');
    random_bytes(raw.data(), raw.size());
    return base64url_encode(raw);
}

namespace {
const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const char* kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64_encode(std::string_view data, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        std::uint32_t n = (static_cast<unsigned char>(data[i]) << 16) |
                          (static_cast<unsigned char>(data[i + 1]) << 8) |
                          static_cast<unsigned char>(data[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    if (i < data.size()) {
        std::uint32_t n = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        if (i + 1 < data.size()) out += alphabet[(n >> 6) & 63];
        else if (pad) out += '=';
        if (pad) out += '=';
    }
    return out;
}

std::optional<std::string> b64_decode(std::string_view text, bool url) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == (url ? '-' : '+')) v = 62;
        else if (c == (url ? '_' : '/')) v = 63;
        else return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if (bits >= 6) return std::nullopt;  // a lone trailing character cannot encode a byte
    return out;
}
}  // namespace

std::string base64url_encode(std::string_view data) { return b64_encode(data, kB64Url, false); }
std::optional<std::string> base64url_decode(std::string_view text) { return b64_decode(text, true); }
std::string base64_encode(std::string_view data) { return b64_encode(data, kB64, true); }
std::optional<std::string> base64_decode(std::string_view text) { return b64_decode(text, false); }

std::string base32_encode(std::string_view data) {
    static const char* kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : data) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += kAlpha[(acc >> bits) & 31];
        }
    }
    if (bits > 0) out += kAlpha[(acc << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=' || c == ' ') continue;
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a';
        else if (c >= '2' && c <= '7') v = c - '2' + 26;
        else return std::nullopt;
        acc = (acc << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return out;
}

}  // namespace medisecure::crypto
