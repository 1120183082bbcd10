// SPDX-License-Identifier: Apache-2.0
// Access tokens: short-lived HS256 JWTs naming the user, role, session and (for patients) the
// patient record. Logging out puts the session on a deny-list in the cache for as long as its
// tokens could live, so a stolen token stops working at once.
#pragma once

#include <string>

#include "contexts/identity/domain/user.hpp"
#include "core/clock.hpp"
#include "platform/cache/cache.hpp"
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

class TokenService {
public:
    TokenService(std::string jwt_secret, Cache& cache, const Clock& clock, int access_ttl_s);
    /// Returns the token; `expires_at` receives its expiry (Unix seconds).
    std::string issue(const User& u, const std::string& session_id, bool enrolment_only, std::int64_t& expires_at) const;
    Result<AccessClaims> verify(std::string_view token) const;
    void deny_session(const std::string& session_id) const;
    int access_ttl_s() const { return ttl_; }

private:
    crypto::JwtSigner signer_;
    Cache& cache_;
    const Clock& clock_;
    int ttl_;
    std::uint64_t instance_;  // keys this service's memo of verified tokens
};

}  // namespace medisecure::identity
