// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/app/user_admin.hpp"

#include <algorithm>

#include "contexts/identity/app/auth_service.hpp"
#include "contexts/identity/domain/password_policy.hpp"
#include "core/random.hpp"

namespace medisecure::identity {

using audit::Outcome;

std::string generate_password() {
    static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int g = 0; g < 5; ++g) {
        if (g) out += '-';
        for (int i = 0; i < 5; ++i) {
            // Rejection sampling keeps every character equally likely.
            unsigned char b;
            do {
                random_bytes(&b, 1);
            } while (b >= 256 - (256 % kAlphabet.size()));
            out += kAlphabet[b % kAlphabet.size()];
        }
    }
    return out;
}

UserAdmin::UserAdmin(IdentityStore& store, TokenService& tokens, const crypto::PasswordHasher& hasher,
                     audit::AuditTrail& audit, const Clock& clock, std::function<bool(const std::string&)> patient_exists)
    : store_(store), tokens_(tokens), hasher_(hasher), audit_(audit), clock_(clock),
      patient_exists_(std::move(patient_exists)) {}

Result<UserPage> UserAdmin::list(const Caller& caller, UserFilter filter) {
    if (!may_administer(caller)) return forbidden("role_not_allowed", "Only administrators manage users.");
    int limit = std::clamp(filter.limit, 1, 200);
    filter.limit = limit + 1;
    filter.email_prefix = normalise_email(filter.email_prefix);
    UserPage page;
    page.users = store_.list_users(filter);
    if (static_cast<int>(page.users.size()) > limit) {
        page.users.resize(static_cast<std::size_t>(limit));
        page.next_cursor = page.users.back().email;
    }
    audit_.record(caller, {"user.list", "user", "", "", Outcome::success, ""});
    return page;
}

Result<UserWithSecret> UserAdmin::create(const Caller& caller, NewUser in) {
    if (!may_administer(caller)) return forbidden("role_not_allowed", "Only administrators manage users.");
    auto now = clock_.now();
    User u;
    u.id = new_uuid_v7(now);
    u.email = normalise_email(in.email);
    u.display_name = in.display_name;
    u.role = in.role;
    u.patient_id = in.patient_id;
    u.created_at = u.updated_at = u.password_changed_at = now;
    auto issues = validate_user(u);
    if (u.role == Role::patient && !u.patient_id.empty() && !patient_exists_(u.patient_id))
        issues.push_back({"/patient_id", "unknown_patient", "does not name a patient record"});
    UserWithSecret out;
    std::string password;
    if (in.password) {
        password = *in.password;
        auto p = check_password(password, u.email, u.display_name);
        issues.insert(issues.end(), p.begin(), p.end());
    } else {
        password = generate_password();
        out.temporary_password = password;
    }
    if (!issues.empty()) return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
    u.password_hash = hasher_.hash(password);
    if (auto r = store_.insert_user(u); !r) {
        audit_.record(caller, {"user.create", "user", "", "", Outcome::failure, r.error().code});
        return r.error();
    }
    audit_.record(caller, {"user.create", "user", u.id, u.patient_id, Outcome::success,
                           "role=" + std::string(to_string(u.role))});
    out.user = std::move(u);
    return out;
}

Result<User> UserAdmin::get(const Caller& caller, const std::string& id) {
    if (!may_administer(caller)) return forbidden("role_not_allowed", "Only administrators manage users.");
    auto u = store_.find_user(id);
    if (!u) return not_found("user_not_found", "No such user.");
    audit_.record(caller, {"user.read", "user", id, "", Outcome::success, ""});
    return *u;
}

Result<UserWithSecret> UserAdmin::update(const Caller& caller, const std::string& id, const UserChanges& ch) {
    if (!may_administer(caller)) return forbidden("role_not_allowed", "Only administrators manage users.");
    auto found = store_.find_user(id);
    if (!found) return not_found("user_not_found", "No such user.");
    User u = *found;
    if (ch.expected_version && *ch.expected_version != u.version)
        return Error{ErrorKind::precondition_failed, "stale_version", "The user was changed meanwhile; reload it."};
    const bool was_active_admin = u.active && u.role == Role::admin;
    if (ch.display_name) u.display_name = *ch.display_name;
    if (ch.role) u.role = *ch.role;
    if (ch.active) u.active = *ch.active;
    if (ch.patient_id) u.patient_id = *ch.patient_id;
    if (ch.role && *ch.role != Role::patient && !ch.patient_id) u.patient_id.clear();
    auto issues = validate_user(u);
    if (u.role == Role::patient && !u.patient_id.empty() && u.patient_id != found->patient_id &&
        !patient_exists_(u.patient_id))
        issues.push_back({"/patient_id", "unknown_patient", "does not name a patient record"});
    if (!issues.empty()) return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
    const bool still_active_admin = u.active && u.role == Role::admin;
    if (was_active_admin && !still_active_admin && store_.count_active_admins() <= 1)
        return conflict("last_admin", "The last active administrator cannot be demoted or deactivated.");

    auto now = clock_.now();
    UserWithSecret out;
    if (ch.reset_password) {
        out.temporary_password = generate_password();
        u.password_hash = hasher_.hash(out.temporary_password);
        u.password_changed_at = now;
    }
    if (ch.reset_totp) {
        u.totp_enabled = false;
        u.totp_secret_sealed.clear();
        u.totp_last_step = 0;
    }
    u.updated_at = now;
    u.version = found->version + 1;
    if (auto r = store_.update_user(u); !r) return r.error();
    if (ch.unlock || ch.reset_password) store_.clear_throttles(login_throttle_key(u.email));

    // Any change of who this person is, or of how they prove it, ends their open sessions.
    bool end_sessions = !u.active || u.role != found->role || u.patient_id != found->patient_id ||
                        ch.reset_password || ch.reset_totp;
    if (end_sessions)
        for (const auto& sid : store_.revoke_user_sessions(u.id, now, "account_changed")) tokens_.deny_session(sid);

    std::string detail;
    if (ch.role) detail += "role=" + std::string(to_string(u.role)) + " ";
    if (ch.active) detail += std::string("active=") + (u.active ? "true " : "false ");
    if (ch.reset_password) detail += "password_reset ";
    if (ch.reset_totp) detail += "totp_reset ";
    if (!detail.empty()) detail.pop_back();
    audit_.record(caller, {"user.update", "user", u.id, u.patient_id, Outcome::success, detail});
    out.user = std::move(u);
    return out;
}

std::map<std::string, std::string> UserAdmin::display_names(const std::set<std::string>& ids) {
    return store_.display_names(ids);
}

}  // namespace medisecure::identity
