// SPDX-License-Identifier: Apache-2.0
// Authenticated encryption of small secrets at rest (TOTP seeds, wrapped document keys):
// XChaCha20-Poly1305 with associated data binding the ciphertext to its owner.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medisecure::crypto {

class SealedBox {
public:
    explicit SealedBox(std::string key32);  // exactly 32 bytes
    /// base64(version || nonce || ciphertext+tag)
    std::string seal(std::string_view plaintext, std::string_view associated) const;
    /// nullopt when the ciphertext, the key or the associated data do not match.
    std::optional<std::string> open(std::string_view sealed, std::string_view associated) const;

private:
    std::string key_;
};

}  // namespace medisecure::crypto
