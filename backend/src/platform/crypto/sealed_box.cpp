// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/sealed_box.hpp"

#include <sodium.h>

#include <stdexcept>

#include "platform/crypto/digest.hpp"

namespace medisecure::crypto {

namespace {
constexpr unsigned char kVersion = 1;
}

SealedBox::SealedBox(std::string key32) : key_(std::move(key32)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
    if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        throw std::invalid_argument("sealed box key must be 32 bytes");
}

std::string SealedBox::seal(std::string_view plaintext, std::string_view associated) const {
    std::string out(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    p[0] = kVersion;
    randombytes_buf(p + 1, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        p + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), nullptr, p + 1,
        reinterpret_cast<const unsigned char*>(key_.data()));
    return base64_encode(out);
}

std::optional<std::string> SealedBox::open(std::string_view sealed, std::string_view associated) const {
    auto raw = base64_decode(sealed);
    const std::size_t header = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (!raw || raw->size() < header + crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        static_cast<unsigned char>((*raw)[0]) != kVersion)
        return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(raw->data());
    std::string out(raw->size() - header - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, p + header, raw->size() - header,
            reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), p + 1,
            reinterpret_cast<const unsigned char*>(key_.data())) != 0)
        return std::nullopt;
    out.resize(mlen);
    return out;
}

}  // namespace medisecure::crypto
