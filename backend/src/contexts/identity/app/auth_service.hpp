// SPDX-License-Identifier: Apache-2.0
// Signing in and out. Failures look the same whether or not the account exists, in answer and
// in time (a dummy Argon2 verification runs for unknown e-mails). Repeated failures lock twice:
// an e-mail address for the client address guessing it (lockout_threshold failures: that
// address alone is held off), and the e-mail address for everyone once failures from anywhere
// reach account_lockout_threshold (a guesser spread over many addresses). The account-wide lock
// is not one an attacker can hand the owner for free: the right password with a valid second
// factor passes it, and an administrator can lift it. Refresh tokens rotate, and a rotated
// token presented again revokes its whole family. Every outcome is audited.
#pragma once

#include <memory>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/identity/app/token_service.hpp"
#include "contexts/identity/ports/identity_store.hpp"
#include "platform/crypto/password_hasher.hpp"
#include "platform/crypto/sealed_box.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::identity {

struct AuthPolicy {
    int lockout_threshold = 5;  // per e-mail address and client address
    std::chrono::seconds lockout{15 * 60};
    std::chrono::seconds session_ttl{12 * 3600};
    bool admins_need_totp = false;
    int account_lockout_threshold = 20;  // per e-mail address, from any client address
};

/// The key of an e-mail address's sign-in throttle; "<key>|<client address>" is the key of its
/// per-address one.
std::string login_throttle_key(std::string_view normalised_email);

struct SignIn {
    std::string access_token;
    std::int64_t access_expires_at = 0;
    std::string refresh_token;
    Timestamp session_expires_at{};
    User user;
    bool enrolment_required = false;  // the session is limited to TOTP enrolment
};

struct TotpEnrolment {
    std::string secret_base32;
    std::string otpauth_uri;
};

class AuthService {
public:
    AuthService(IdentityStore& store, TokenService& tokens, const crypto::PasswordHasher& hasher,
                std::string master_key, audit::AuditTrail& audit, const Clock& clock, AuthPolicy policy,
                metrics::Registry& registry);

    Result<SignIn> login(const Caller& caller, std::string_view email, std::string_view password,
                         std::string_view totp_code);
    Result<SignIn> refresh(const Caller& caller, std::string_view refresh_token);
    /// Ends the session named by the caller (from its access token) or by a refresh token.
    void logout(const Caller& caller, std::string_view refresh_token);
    Result<User> me(const Caller& caller);
    Result<void> change_password(const Caller& caller, std::string_view current, std::string_view next);
    Result<TotpEnrolment> totp_enroll(const Caller& caller);
    /// Enables TOTP; returns fresh tokens (no longer limited to enrolment).
    Result<SignIn> totp_confirm(const Caller& caller, std::string_view code);
    Result<void> totp_disable(const Caller& caller, std::string_view password);

    /// Tokens for a new session of `u` (also used after enrolment).
    SignIn open_session(const User& u, const Caller& caller);
    const crypto::SealedBox& totp_box() const { return *totp_box_; }

private:
    Caller as_user(const Caller& c, const User& u) const;
    std::optional<std::string> totp_secret(const User& u) const;

    IdentityStore& store_;
    TokenService& tokens_;
    const crypto::PasswordHasher& hasher_;
    std::unique_ptr<crypto::SealedBox> totp_box_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    AuthPolicy policy_;
    metrics::Counter& login_failures_;
    metrics::Counter& logins_;
};

}  // namespace medisecure::identity
