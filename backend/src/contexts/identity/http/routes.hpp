// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/identity/app/auth_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/http/router.hpp"

namespace medisecure::identity {

struct CookiePolicy {
    bool always_secure = false;  // production, or a public https URL; otherwise Secure over TLS
};

void add_routes(http::Router& router, AuthService& auth, UserAdmin& users, TokenService& tokens, CookiePolicy cookies);

/// The pipeline's view of access tokens.
class TokenAuthenticator final : public http::Authenticator {
public:
    explicit TokenAuthenticator(TokenService& tokens) : tokens_(tokens) {}
    Result<http::Principal> authenticate(std::string_view token) override;

private:
    TokenService& tokens_;
};

}  // namespace medisecure::identity
