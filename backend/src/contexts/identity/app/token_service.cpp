// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/app/token_service.hpp"

#include <boost/json.hpp>

#include "platform/crypto/digest.hpp"

namespace medisecure::identity {
namespace json = boost::json;

namespace {
std::string deny_key(std::string_view sid) { return "revoked:sid:" + std::string(sid); }
}  // namespace

TokenService::TokenService(std::string jwt_secret, Cache& cache, const Clock& clock, int access_ttl_s)
    : signer_(crypto::derive_key(jwt_secret, "medisecure access token v1"), "medisecure"), cache_(cache),
      clock_(clock), ttl_(access_ttl_s) {}

std::string TokenService::issue(const User& u, const std::string& session_id, bool enrolment_only,
                                std::int64_t& expires_at) const {
    auto now = to_seconds(clock_.now());
    expires_at = now + ttl_;
    json::object claims{{"sub", u.id},      {"role", to_string(u.role)}, {"sid", session_id},
                        {"iat", now},       {"exp", expires_at},         {"jti", crypto::random_token(12)}};
    if (!u.patient_id.empty()) claims["pid"] = u.patient_id;
    if (enrolment_only) claims["enr"] = true;
    return signer_.sign(std::move(claims));
}

Result<AccessClaims> TokenService::verify(std::string_view token) const {
    auto claims = signer_.verify(token, to_seconds(clock_.now()));
    if (!claims) return claims.error();
    auto str = [&](const char* k) -> std::string {
        auto* v = claims->if_contains(k);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    AccessClaims c;
    c.user_id = str("sub");
    c.session_id = str("sid");
    c.patient_id = str("pid");
    auto role = parse_role(str("role"));
    if (c.user_id.empty() || c.session_id.empty() || !role)
        return unauthenticated("invalid_token", "The access token is invalid or expired.");
    c.role = *role;
    c.expires_at = claims->at("exp").get_int64();
    if (auto* e = claims->if_contains("enr"); e && e->is_bool()) c.enrolment_only = e->get_bool();
    if (cache_.get(deny_key(c.session_id)))
        return unauthenticated("token_revoked", "This session has ended; sign in again.");
    return c;
}

void TokenService::deny_session(const std::string& session_id) const {
    // A little longer than any token of the session can live, clock skew included.
    cache_.put(deny_key(session_id), "1", std::chrono::seconds(ttl_ + 60));
}

}  // namespace medisecure::identity
