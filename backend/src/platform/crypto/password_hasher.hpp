// SPDX-License-Identifier: Apache-2.0
// Argon2id password hashing (PHC string format). Blocking and CPU-heavy by design: call from
// the worker pool only. Thread safety: const methods are safe from any thread.
#pragma once

#include <cstdint>
#include <future>
#include <string>
#include <string_view>

namespace medisecure::crypto {

struct Argon2Params {
    std::uint32_t memory_kib = 19456;  // OWASP's Argon2id baseline: 19 MiB, t=2, p=1
    std::uint32_t iterations = 2;
    std::uint32_t parallelism = 1;
};

class PasswordHasher {
public:
    explicit PasswordHasher(Argon2Params p);
    std::string hash(std::string_view password) const;
    bool verify(std::string_view encoded, std::string_view password) const;
    /// Spends the same time as a real verification; called when the account does not exist
    /// so that timing does not reveal it.
    void verify_dummy(std::string_view password) const;
    /// True when `encoded` was made with other parameters (rehash after a successful login).
    bool needs_rehash(std::string_view encoded) const;

private:
    Argon2Params params_;
    std::string prefix_;
    std::shared_future<std::string> dummy_;  // ready shortly after construction
};

}  // namespace medisecure::crypto
