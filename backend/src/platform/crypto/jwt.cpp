// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/jwt.hpp"

#include <boost/json.hpp>

#include "platform/crypto/digest.hpp"

namespace medisecure::crypto {
namespace json = boost::json;

namespace {
Error bad_token() { return unauthenticated("invalid_token", "The access token is invalid or expired."); }
}  // namespace

JwtSigner::JwtSigner(std::string key, std::string issuer)
    : key_(key), issuer_(std::move(issuer)),
      header_b64_(base64url_encode(R"({"alg":"HS256","typ":"JWT"})")) {}

std::string JwtSigner::sign(json::object claims) const {
    claims["iss"] = issuer_;
    std::string signing_input = header_b64_ + "." + base64url_encode(json::serialize(claims));
    auto mac = key_.mac(signing_input);
    return signing_input + "." +
           base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

Result<json::object> JwtSigner::verify(std::string_view token, std::int64_t now_s) const {
    if (token.size() > 4096) return bad_token();
    auto dot1 = token.find('.');
    if (dot1 == std::string_view::npos) return bad_token();
    auto dot2 = token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        return bad_token();
    // The header must be exactly ours: no alg negotiation, no key ids to chase.
    if (token.substr(0, dot1) != header_b64_) return bad_token();
    auto mac = key_.mac(token.substr(0, dot2));
    auto sig = base64url_decode(token.substr(dot2 + 1));
    if (!sig || !constant_time_equal(*sig, std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size())))
        return bad_token();
    auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!payload) return bad_token();
    boost::system::error_code ec;
    auto v = json::parse(*payload, ec);
    if (ec || !v.is_object()) return bad_token();
    auto& claims = v.get_object();
    auto iss = claims.if_contains("iss");
    if (!iss || !iss->is_string() || iss->get_string() != issuer_) return bad_token();
    auto exp = claims.if_contains("exp");
    if (!exp || !exp->is_int64() || exp->get_int64() <= now_s) return bad_token();
    if (auto nbf = claims.if_contains("nbf"); nbf && (!nbf->is_int64() || nbf->get_int64() > now_s + 30))
        return bad_token();
    return std::move(claims);
}

}  // namespace medisecure::crypto
