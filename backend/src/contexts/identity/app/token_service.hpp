// SPDX-License-Identifier: Apache-2.0
// Access tokens: short-lived HS256 JWTs naming the user, role, session and (for patients) the
// patient record. Logging out puts the session on a deny-list in the cache for as long as its
// tokens could live, so a stolen token stops working at once.
//
// The deny-list fails closed. With a shared cache (Redis) every instance sees every revocation;
// when that cache cannot be reached, a token's session is looked up in the identity store
// instead (its `revoked_at`), and a store that cannot answer either refuses the token. A cache
// that lost its contents (a Redis restarted without persistence) is detected by a marker key
// missing beside the session's, read in the same round trip, and refilled from the store before
// any token is accepted. Revocations this instance made are also kept in its own memory, and any
// it could not write to the shared cache are written once it is back.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "contexts/identity/domain/user.hpp"
#include "core/clock.hpp"
#include "platform/cache/cache.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/crypto/jwt.hpp"

namespace medisecure::identity {

struct AccessClaims {
    std::string user_id;
    Role role = Role::patient;
    std::string patient_id;
    std::string session_id;
    std::int64_t expires_at = 0;
    bool enrolment_only = false;
};

class IdentityStore;

class TokenService {
public:
    /// `store`: where revocations are durable (the sessions' `revoked_at`); without one, a cache
    /// that cannot be reached refuses every token.
    TokenService(std::string jwt_secret, Cache& cache, const Clock& clock, int access_ttl_s,
                 IdentityStore* store = nullptr);
    /// Returns the token; `expires_at` receives its expiry (Unix seconds).
    std::string issue(const User& u, const std::string& session_id, bool enrolment_only, std::int64_t& expires_at) const;
    Result<AccessClaims> verify(std::string_view token) const;
    void deny_session(const std::string& session_id) const;
    /// Writes every session revoked in the last access-token lifetime to the deny-list (at start,
    /// and when the shared cache is found empty). Returns how many.
    std::size_t load_revocations() const;
    int access_ttl_s() const { return ttl_; }

private:
    bool revoked(const std::string& session_id) const;
    void flush_pending() const;

    crypto::JwtSigner signer_;
    Cache& cache_;
    const Clock& clock_;
    int ttl_;
    IdentityStore* store_;
    std::uint64_t instance_;  // keys this service's memo of verified tokens
    mutable MemoryCache own_;  // revocations made here
    mutable std::mutex mu_;   // pending_, reloads
    mutable std::vector<std::string> pending_;  // not yet written to the shared cache
    mutable std::atomic<bool> has_pending_{false};
};

}  // namespace medisecure::identity
