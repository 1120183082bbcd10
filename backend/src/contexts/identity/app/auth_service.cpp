// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/app/auth_service.hpp"

#include "contexts/identity/domain/password_policy.hpp"
#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/crypto/totp.hpp"

namespace medisecure::identity {

using audit::Outcome;

namespace {
Error invalid_credentials() {
    return unauthenticated("invalid_credentials", "The e-mail address or password is incorrect.");
}
}  // namespace

std::string login_throttle_key(std::string_view email) { return "login:" + std::string(email); }

AuthService::AuthService(IdentityStore& store, TokenService& tokens, const crypto::PasswordHasher& hasher,
                         std::string master_key, audit::AuditTrail& audit, const Clock& clock, AuthPolicy policy,
                         metrics::Registry& registry)
    : store_(store), tokens_(tokens), hasher_(hasher),
      totp_box_(std::make_unique<crypto::SealedBox>(crypto::derive_key(master_key, "medisecure totp seed v1"))),
      audit_(audit), clock_(clock), policy_(policy),
      login_failures_(registry.counter("medisecure_login_failures_total", "Failed sign-in attempts")),
      logins_(registry.counter("medisecure_logins_total", "Successful sign-ins")) {}

Caller AuthService::as_user(const Caller& c, const User& u) const {
    Caller out = c;
    out.user_id = u.id;
    out.role = u.role;
    out.patient_id = u.patient_id;
    return out;
}

std::optional<std::string> AuthService::totp_secret(const User& u) const {
    if (u.totp_secret_sealed.empty()) return std::nullopt;
    return totp_box_->open(u.totp_secret_sealed, u.id);
}

SignIn AuthService::open_session(const User& u, const Caller& caller) {
    auto now = clock_.now();
    Session s;
    s.id = new_uuid_v7(now);
    s.user_id = u.id;
    s.created_at = now;
    s.last_used_at = now;
    s.expires_at = now + policy_.session_ttl;
    s.client_ip = caller.client_ip;
    SignIn out;
    out.refresh_token = crypto::random_token(32);
    RefreshToken first{crypto::sha256_hex(out.refresh_token), s.id, now, s.expires_at};
    store_.create_session(s, first);
    out.enrolment_required = u.role == Role::admin && policy_.admins_need_totp && !u.totp_enabled;
    out.access_token = tokens_.issue(u, s.id, out.enrolment_required, out.access_expires_at);
    out.session_expires_at = s.expires_at;
    out.user = u;
    return out;
}

Result<SignIn> AuthService::login(const Caller& caller, std::string_view email_in, std::string_view password,
                                  std::string_view totp_code) {
    const auto now = clock_.now();
    const std::string email = normalise_email(email_in);
    const std::string account_key = login_throttle_key(email);
    const std::string address_key = account_key + "|" + caller.client_ip;
    auto locked = [&](const Caller& who, const std::string& user_id, Timestamp until) -> Error {
        login_failures_.inc();
        audit_.record(who, {"auth.login", "user", user_id, "", Outcome::denied, "locked"});
        auto wait = std::chrono::duration_cast<std::chrono::seconds>(until - now).count();
        Error e{ErrorKind::too_many_requests, "login_locked", "Too many failed sign-ins; try again later."};
        e.retry_after_s = static_cast<int>(std::max<long long>(1, wait));
        return e;
    };
    // This client address guessed this account too often: refused before any work.
    if (Throttle t = store_.throttle(address_key); t.locked_until > now) return locked(caller, "", t.locked_until);
    const Timestamp account_locked_until = store_.throttle(account_key).locked_until;
    const bool account_locked = account_locked_until > now;

    auto fail = [&](const Caller& who, const std::string& user_id, std::string_view reason) -> Error {
        login_failures_.inc();
        store_.record_failure(address_key, now, policy_.lockout_threshold, policy_.lockout, policy_.lockout);
        store_.record_failure(account_key, now, policy_.account_lockout_threshold, policy_.lockout, policy_.lockout);
        audit_.record(who, {"auth.login", "user", user_id, "", Outcome::failure, std::string(reason)});
        return invalid_credentials();
    };

    auto user = store_.find_user_by_email(email);
    // Locked for everyone: only the second factor can prove the owner. An account without one
    // (or no account: the same answer) is refused before any work.
    if (account_locked && (!user || !user->totp_enabled))
        return locked(user ? as_user(caller, *user) : caller, user ? user->id : "", account_locked_until);
    if (!user) {
        hasher_.verify_dummy(password);  // the same time as a real verification
        return fail(caller, "", "unknown_account");
    }
    const Caller who = as_user(caller, *user);
    if (!hasher_.verify(user->password_hash, password)) return fail(who, user->id, "bad_password");
    if (!user->active) return fail(who, user->id, "inactive");

    if (user->totp_enabled) {
        if (totp_code.empty()) {
            audit_.record(who, {"auth.login", "user", user->id, "", Outcome::failure, "totp_required"});
            return unauthenticated("totp_required", "Enter the code from your authenticator app.");
        }
        auto secret = totp_secret(*user);
        auto step = secret ? crypto::totp_match(*secret, totp_code, to_seconds(now), user->totp_last_step) : std::nullopt;
        if (!step) {
            (void)fail(who, user->id, "bad_totp");
            return unauthenticated("invalid_totp", "The authenticator code is incorrect or was already used.");
        }
        user->totp_last_step = *step;
        user->version += 1;
        user->updated_at = now;
        if (auto r = store_.update_user(*user); !r) return r.error();
    }
    // The owner, proven: this address's failures are forgotten. The account's are not: they
    // count a guesser's from elsewhere, and expire with their window (a locked account stays
    // locked for the others; its owner passes it with the second factor, as now).
    store_.clear_throttle(address_key);
    if (hasher_.needs_rehash(user->password_hash)) {
        user->password_hash = hasher_.hash(password);
        user->version += 1;
        user->updated_at = now;
        (void)store_.update_user(*user);  // a lost race only delays the upgrade to the next sign-in
    }
    SignIn s = open_session(*user, caller);
    logins_.inc();
    audit_.record(who, {"auth.login", "user", user->id, "", Outcome::success,
                        s.enrolment_required ? "totp_enrolment_required" : ""});
    return s;
}

Result<SignIn> AuthService::refresh(const Caller& caller, std::string_view refresh_token) {
    const auto now = clock_.now();
    auto denied = [&](std::string_view reason) {
        audit_.record(caller, {"auth.refresh", "session", "", "", Outcome::failure, std::string(reason)});
        return unauthenticated("invalid_refresh_token", "The session has ended; sign in again.");
    };
    if (refresh_token.empty() || refresh_token.size() > 128) return denied("missing");
    SignIn out;
    out.refresh_token = crypto::random_token(32);
    // The new token's session is known only after rotation; the store fills it in.
    RefreshToken next{crypto::sha256_hex(out.refresh_token), "", now, now};
    auto rot = store_.rotate(crypto::sha256_hex(refresh_token), next, now);
    switch (rot.status) {
    case RotateStatus::unknown: return denied("unknown");
    case RotateStatus::expired: return denied("expired");
    case RotateStatus::revoked: return denied("revoked");
    case RotateStatus::reused: {
        // Someone replayed a consumed token: the family may be stolen, so all of it ends now.
        tokens_.deny_session(rot.session.id);
        Caller who = caller;
        who.user_id = rot.session.user_id;
        audit_.record(who, {"auth.refresh", "session", rot.session.id, "", Outcome::denied, "reuse_detected"});
        return unauthenticated("refresh_token_reused", "This session was ended for safety; sign in again.");
    }
    case RotateStatus::rotated: break;
    }
    auto user = store_.find_user(rot.session.user_id);
    if (!user || !user->active) {
        store_.revoke_session(rot.session.id, now, "inactive");
        tokens_.deny_session(rot.session.id);
        return denied("inactive");
    }
    out.enrolment_required = user->role == Role::admin && policy_.admins_need_totp && !user->totp_enabled;
    out.access_token = tokens_.issue(*user, rot.session.id, out.enrolment_required, out.access_expires_at);
    out.session_expires_at = rot.session.expires_at;
    out.user = *user;
    audit_.record(as_user(caller, *user), {"auth.refresh", "session", rot.session.id, "", Outcome::success, ""});
    return out;
}

void AuthService::logout(const Caller& caller, std::string_view refresh_token) {
    const auto now = clock_.now();
    std::string sid = caller.session_id;
    if (sid.empty() && !refresh_token.empty() && refresh_token.size() <= 128) {
        // Without a valid access token, the refresh token names the session.
        if (auto s = store_.session_of_token(crypto::sha256_hex(refresh_token))) sid = s->id;
    }
    if (sid.empty()) return;
    store_.revoke_session(sid, now, "logout");
    tokens_.deny_session(sid);
    audit_.record(caller, {"auth.logout", "session", sid, "", Outcome::success, ""});
}

Result<User> AuthService::me(const Caller& caller) {
    auto u = store_.find_user(caller.user_id);
    if (!u || !u->active) return unauthenticated("account_unavailable", "This account is no longer available.");
    return *u;
}

Result<void> AuthService::change_password(const Caller& caller, std::string_view current, std::string_view next) {
    auto u = store_.find_user(caller.user_id);
    if (!u) return unauthenticated("account_unavailable", "This account is no longer available.");
    if (!hasher_.verify(u->password_hash, current)) {
        audit_.record(caller, {"auth.password_change", "user", u->id, "", Outcome::failure, "bad_password"});
        return invalid_field("/current_password", "incorrect", "is not the current password");
    }
    if (auto issues = check_password(next, u->email, u->display_name, "/new_password"); !issues.empty())
        return invalid_input("weak_password", "The new password does not meet the policy.", std::move(issues));
    auto now = clock_.now();
    u->password_hash = hasher_.hash(next);
    u->password_changed_at = now;
    u->updated_at = now;
    u->version += 1;
    if (auto r = store_.update_user(*u); !r) return r.error();
    // Other sign-ins end: whoever knew the old password is out.
    for (const auto& sid : store_.revoke_user_sessions(u->id, now, "password_changed", caller.session_id))
        tokens_.deny_session(sid);
    audit_.record(caller, {"auth.password_change", "user", u->id, "", Outcome::success, ""});
    return {};
}

Result<TotpEnrolment> AuthService::totp_enroll(const Caller& caller) {
    auto u = store_.find_user(caller.user_id);
    if (!u) return unauthenticated("account_unavailable", "This account is no longer available.");
    if (u->totp_enabled) return conflict("totp_already_enabled", "Two-factor authentication is already on.");
    std::string seed(20, '\0');
    random_bytes(seed.data(), seed.size());
    u->totp_secret_sealed = totp_box_->seal(seed, u->id);
    u->updated_at = clock_.now();
    u->version += 1;
    if (auto r = store_.update_user(*u); !r) return r.error();
    audit_.record(caller, {"auth.totp_enrol", "user", u->id, "", Outcome::success, "started"});
    auto b32 = crypto::base32_encode(seed);
    return TotpEnrolment{b32, crypto::totp_uri("MediSecure", u->email, b32)};
}

Result<SignIn> AuthService::totp_confirm(const Caller& caller, std::string_view code) {
    auto u = store_.find_user(caller.user_id);
    if (!u) return unauthenticated("account_unavailable", "This account is no longer available.");
    if (u->totp_enabled) return conflict("totp_already_enabled", "Two-factor authentication is already on.");
    auto secret = totp_secret(*u);
    if (!secret) return conflict("totp_not_started", "Start the enrolment first.");
    auto now = clock_.now();
    auto step = crypto::totp_match(*secret, code, to_seconds(now), u->totp_last_step);
    if (!step) {
        audit_.record(caller, {"auth.totp_enrol", "user", u->id, "", Outcome::failure, "bad_code"});
        return invalid_field("/code", "incorrect", "is not the current code of the authenticator app");
    }
    u->totp_enabled = true;
    u->totp_last_step = *step;
    u->updated_at = now;
    u->version += 1;
    if (auto r = store_.update_user(*u); !r) return r.error();
    // The enrolment-limited session is replaced by a full one.
    if (!caller.session_id.empty()) {
        store_.revoke_session(caller.session_id, now, "totp_enrolled");
        tokens_.deny_session(caller.session_id);
    }
    audit_.record(caller, {"auth.totp_enrol", "user", u->id, "", Outcome::success, "enabled"});
    return open_session(*u, caller);
}

Result<void> AuthService::totp_disable(const Caller& caller, std::string_view password) {
    auto u = store_.find_user(caller.user_id);
    if (!u) return unauthenticated("account_unavailable", "This account is no longer available.");
    if (!u->totp_enabled) return conflict("totp_not_enabled", "Two-factor authentication is off.");
    if (u->role == Role::admin && policy_.admins_need_totp)
        return forbidden("totp_required_for_role", "Administrators must keep two-factor authentication.");
    if (!hasher_.verify(u->password_hash, password))
        return invalid_field("/password", "incorrect", "is not the current password");
    u->totp_enabled = false;
    u->totp_secret_sealed.clear();
    u->updated_at = clock_.now();
    u->version += 1;
    if (auto r = store_.update_user(*u); !r) return r.error();
    audit_.record(caller, {"auth.totp_disable", "user", u->id, "", Outcome::success, ""});
    return {};
}

}  // namespace medisecure::identity
