// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/app/token_service.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <unordered_map>

#include "contexts/identity/ports/identity_store.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

namespace medisecure::identity {
namespace json = boost::json;

namespace {
std::string deny_key(std::string_view sid) { return "revoked:sid:" + std::string(sid); }
/// Present while the cache holds every recent revocation; its absence means the cache lost them.
constexpr const char* kLoadedKey = "revoked:loaded";
constexpr std::chrono::hours kLoadedFor{24};

/// Tokens this thread has verified, with their claims: a token seen again skips the base64,
/// the MAC and the JSON (it is the same bytes, so the same user). Expiry and revocation are
/// still checked on every request; the memo belongs to one TokenService (its secret).
struct VerifiedTokens {
    std::uint64_t instance = 0;
    std::unordered_map<std::string, AccessClaims> claims;
};
thread_local VerifiedTokens t_verified;
std::atomic<std::uint64_t> g_instances{0};
constexpr std::size_t kVerifiedPerThread = 512;
}  // namespace

TokenService::TokenService(std::string jwt_secret, Cache& cache, const Clock& clock, int access_ttl_s,
                           IdentityStore* store)
    : signer_(crypto::derive_key(jwt_secret, "medisecure access token v1"), "medisecure"), cache_(cache),
      clock_(clock), ttl_(access_ttl_s), store_(store), instance_(++g_instances), own_(clock) {}

bool TokenService::revoked(const std::string& sid) const {
    const std::string key = deny_key(sid);
    if (own_.get(key)) return true;
    try {
        if (has_pending_.load()) flush_pending();
        auto got = cache_.get_many({key, kLoadedKey});
        if (got[0]) return true;
        if (got[1] || !store_) return false;
        // The cache does not hold the revocations (new, flushed or restarted): refill it first.
        std::lock_guard lock(mu_);
        auto again = cache_.get_many({key, kLoadedKey});
        if (again[0]) return true;
        if (!again[1]) {
            auto n = load_revocations();
            log::warn("auth.deny_list_reloaded", {{"sessions", n}});
            return cache_.get(key).has_value();
        }
        return false;
    } catch (const CacheUnavailable&) {
        if (!store_) return true;
        try {
            auto s = store_->find_session(sid);
            return !s || s->revoked_at.has_value();
        } catch (const std::exception&) {
            return true;  // neither the cache nor the store can say: refuse
        }
    }
}

std::size_t TokenService::load_revocations() const {
    if (!store_) return 0;
    auto sids = store_->revoked_since(clock_.now() - std::chrono::seconds(ttl_ + 60));
    for (const auto& sid : sids) own_.put(deny_key(sid), "1", std::chrono::seconds(ttl_ + 60));
    for (const auto& sid : sids) cache_.put(deny_key(sid), "1", std::chrono::seconds(ttl_ + 60));
    cache_.put(kLoadedKey, "1", kLoadedFor);
    return sids.size();
}

void TokenService::flush_pending() const {
    std::lock_guard lock(mu_);
    while (!pending_.empty()) {
        cache_.put(deny_key(pending_.back()), "1", std::chrono::seconds(ttl_ + 60));  // throws while still down
        pending_.pop_back();
    }
    has_pending_.store(false);
}

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
    auto now = to_seconds(clock_.now());
    if (t_verified.instance == instance_) {
        if (auto it = t_verified.claims.find(std::string(token)); it != t_verified.claims.end()) {
            if (it->second.expires_at <= now) {
                t_verified.claims.erase(it);
                return unauthenticated("invalid_token", "The access token is invalid or expired.");
            }
            if (revoked(it->second.session_id))
                return unauthenticated("token_revoked", "This session has ended; sign in again.");
            return it->second;
        }
    }
    auto claims = signer_.verify(token, now);
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
    if (revoked(c.session_id))
        return unauthenticated("token_revoked", "This session has ended; sign in again.");
    if (t_verified.instance != instance_ || t_verified.claims.size() >= kVerifiedPerThread) {
        t_verified.claims.clear();
        t_verified.instance = instance_;
    }
    t_verified.claims.emplace(std::string(token), c);
    return c;
}

void TokenService::deny_session(const std::string& session_id) const {
    // A little longer than any token of the session can live, clock skew included.
    own_.put(deny_key(session_id), "1", std::chrono::seconds(ttl_ + 60));
    try {
        cache_.put(deny_key(session_id), "1", std::chrono::seconds(ttl_ + 60));
    } catch (const CacheUnavailable& e) {
        // Durable in the store already; other instances find it there while the cache is down.
        std::lock_guard lock(mu_);
        pending_.push_back(session_id);
        has_pending_.store(true);
        log::warn("auth.deny_list_deferred", {{"error", e.what()}});
    }
}

}  // namespace medisecure::identity
