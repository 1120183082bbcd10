// SPDX-License-Identifier: Apache-2.0
// Compact JWS with HS256 only: the algorithm is fixed by the verifier, never read from the
// token ("alg":"none" and algorithm confusion are refused). Thread safety: immutable after
// construction.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "platform/crypto/digest.hpp"

namespace medisecure::crypto {

class JwtSigner {
public:
    JwtSigner(std::string key, std::string issuer);
    /// Adds `iss`; the caller sets sub, iat, exp and the rest.
    std::string sign(boost::json::object claims) const;
    /// Checks the signature, the header, `iss`, and `exp`/`nbf` against `now_s` (Unix seconds,
    /// 30 s leeway on nbf only). Errors are `unauthenticated`.
    Result<boost::json::object> verify(std::string_view token, std::int64_t now_s) const;

private:
    HmacKey key_;
    std::string issuer_;
    std::string header_b64_;
};

}  // namespace medisecure::crypto
