// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/password_hasher.hpp"

#include <argon2.h>

#include <stdexcept>
#include <vector>

#include "core/random.hpp"

namespace medisecure::crypto {

PasswordHasher::PasswordHasher(Argon2Params p) : params_(p) {
    prefix_ = "$argon2id$v=19$m=" + std::to_string(p.memory_kib) + ",t=" +
              std::to_string(p.iterations) + ",p=" + std::to_string(p.parallelism) + "$";
    // Computed in the background: a whole Argon2 hash would otherwise delay every start.
    dummy_ = std::async(std::launch::async, [this] { return hash("medisecure timing equaliser"); }).share();
}

std::string PasswordHasher::hash(std::string_view password) const {
    unsigned char salt[16];
    random_bytes(salt, sizeof salt);
    const std::size_t hash_len = 32;
    std::size_t len = argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism,
                                        sizeof salt, hash_len, Argon2_id);
    std::vector<char> encoded(len);
    int rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism,
                                   password.data(), password.size(), salt, sizeof salt, hash_len,
                                   encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2: ") + argon2_error_message(rc));
    return std::string(encoded.data());
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
    std::string enc(encoded);  // argon2 wants a NUL-terminated string
    return argon2id_verify(enc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
    (void)verify(dummy_.get(), password);
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
    return encoded.substr(0, prefix_.size()) != prefix_;
}

}  // namespace medisecure::crypto
