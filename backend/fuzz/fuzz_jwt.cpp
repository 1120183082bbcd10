// SPDX-License-Identifier: Apache-2.0
// Access tokens as the identity context verifies them (cookie or bearer value, attacker's
// choice): TokenService::verify over the HS256 JWS verifier. Even first bytes: the rest is the
// token as sent. Odd: the rest is a payload, signed here with the service's key, so that the
// claims' checks (issuer, expiry, subject, session, role) see arbitrary JSON too.
#include <boost/json.hpp>
#include <string>

#include "contexts/identity/app/token_service.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "fuzz_input.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/crypto/digest.hpp"

using namespace medisecure;

namespace {

constexpr std::string_view kSecret = "fuzzing secret, not a real one";

struct World {
    ManualClock clock{*parse_instant("2026-03-02T09:00:00Z")};
    MemoryCache cache{clock};
    identity::TokenService tokens{std::string(kSecret), cache, clock, 900};
    // The key and header TokenService signs with (token_service.cpp, jwt.cpp).
    crypto::HmacKey key{crypto::derive_key(kSecret, "medisecure access token v1")};
    std::string header = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");

    std::string sign(std::string_view payload) const {
        std::string input = header + "." + crypto::base64url_encode(payload);
        auto mac = key.mac(input);
        return input + "." + crypto::base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    fuzz::Input in(data, size);
    bool signed_here = in.byte() & 1;
    std::string_view rest = in.rest();
    std::string token = signed_here ? world.sign(rest) : std::string(rest);
    auto claims = world.tokens.verify(token);
    if (claims) {
        fuzz::check(!claims->user_id.empty() && !claims->session_id.empty(), "a verified token names a user and session");
        fuzz::check(claims->expires_at > to_seconds(world.clock.now()), "a verified token has not expired");
        // Any change to a verified token is refused.
        std::string tampered = token;
        tampered[tampered.size() / 2] ^= 1;
        if (tampered != token) fuzz::check(!world.tokens.verify(tampered), "a modified token is refused");
    } else {
        fuzz::check(claims.error().kind == ErrorKind::unauthenticated, "a refused token is unauthenticated");
    }
    return 0;
}
