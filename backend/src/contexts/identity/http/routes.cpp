// SPDX-License-Identifier: Apache-2.0
// /api/v1/auth/* and /api/v1/users*.
#include "contexts/identity/http/routes.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/cookies.hpp"
#include "platform/http/problem.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::identity {
namespace json = boost::json;
using http::Access;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::opt;
using schema::req;
using schema::Schema;

namespace {

const http::CookieSpec kAccessCookie{"ms_access", "/", 0};
const http::CookieSpec kRefreshCookie{"ms_refresh", "/api/v1/auth", 0};

std::vector<std::string> role_names() {
    std::vector<std::string> out;
    for (auto r : user_roles()) out.emplace_back(to_string(r));
    return out;
}

Schema user_object(bool with_session) {
    std::vector<schema::Property> props{
        req("id", Schema::string().format("uuid")),
        req("email", Schema::string().format("email")),
        req("display_name", Schema::string()),
        req("role", Schema::string().enumeration(role_names())),
        req("patient_id", Schema::string().format("uuid").nullable().describe("Patient accounts only")),
        req("active", Schema::boolean()),
        req("totp_enabled", Schema::boolean()),
        req("created_at", Schema::string().format("date-time")),
        req("updated_at", Schema::string().format("date-time")),
        req("version", Schema::integer()),
    };
    if (with_session)
        props.push_back(req("totp_enrolment_required",
                            Schema::boolean().describe("This session may only enrol a second factor until it is confirmed")));
    return Schema::object(std::move(props));
}

const Schema& user_schema() {
    static const Schema s = Schema::named("User", user_object(false));
    return s;
}

const Schema& current_user_schema() {
    static const Schema s = Schema::named("CurrentUser", user_object(true));
    return s;
}

const Schema& session_schema() {
    static const Schema s = Schema::named(
        "SignIn",
        Schema::object({
            req("access_token", Schema::string().describe("Also set as the HttpOnly cookie ms_access")),
            req("token_type", Schema::string().enumeration({"Bearer"})),
            req("expires_in", Schema::integer().describe("Seconds until the access token expires")),
            req("refresh_token", Schema::string().describe("Opaque, single use; also set as the HttpOnly cookie ms_refresh")),
            req("refresh_expires_at", Schema::string().format("date-time")),
            req("totp_enrolment_required", Schema::boolean().describe("The session may only enrol a second factor")),
            req("user", user_schema()),
        }));
    return s;
}

const Schema& user_with_secret_schema() {
    static const Schema s = Schema::named(
        "UserWithPassword",
        Schema::object({req("user", user_schema()),
                        req("temporary_password", Schema::string().nullable().describe(
                                                      "Shown once when the server generated a password"))}));
    return s;
}

json::object user_json(const User& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"display_name", u.display_name},
            {"role", to_string(u.role)},
            {"patient_id", jsonu::nullable_if_empty(u.patient_id)},
            {"active", u.active},
            {"totp_enabled", u.totp_enabled},
            {"created_at", format_instant(u.created_at)},
            {"updated_at", format_instant(u.updated_at)},
            {"version", u.version}};
}

Response sign_in_response(const Request& req, const SignIn& s, const Clock& clock, const CookiePolicy& cp) {
    auto now = to_seconds(clock.now());
    json::object body{{"access_token", s.access_token},
                      {"token_type", "Bearer"},
                      {"expires_in", s.access_expires_at - now},
                      {"refresh_token", s.refresh_token},
                      {"refresh_expires_at", format_instant(s.session_expires_at)},
                      {"totp_enrolment_required", s.enrolment_required},
                      {"user", user_json(s.user)}};
    Response r = Response::json(200, body);
    bool secure = cp.always_secure || req.via_tls;
    auto access = kAccessCookie;
    access.max_age_s = s.access_expires_at - now;
    auto refresh = kRefreshCookie;
    refresh.max_age_s = std::max<long long>(1, to_seconds(s.session_expires_at) - now);
    http::set_cookie(r, access, s.access_token, secure);
    http::set_cookie(r, refresh, s.refresh_token, secure);
    return r;
}

void clear_cookies(Response& r, const Request& req, const CookiePolicy& cp) {
    bool secure = cp.always_secure || req.via_tls;
    http::set_cookie(r, kAccessCookie, "", secure);
    http::set_cookie(r, kRefreshCookie, "", secure);
}

Response user_response(int status, const User& u) {
    Response r = Response::json(status, user_json(u));
    r.headers.set("ETag", http::etag_for(u.version));
    return r;
}

}  // namespace

Result<http::Principal> TokenAuthenticator::authenticate(std::string_view token) {
    auto c = tokens_.verify(token);
    if (!c) return c.error();
    http::Principal p;
    p.user_id = std::move(c->user_id);
    p.role = c->role;
    p.patient_id = std::move(c->patient_id);
    p.session_id = std::move(c->session_id);
    p.expires_at = c->expires_at;
    p.enrolment_only = c->enrolment_only;
    return p;
}

void add_routes(http::Router& router, AuthService& auth, UserAdmin& users, TokenService& tokens, CookiePolicy cp) {
    static const SystemClock clock;
    const Schema email = Schema::string().format("email").max_length(254);
    const Schema totp_code = Schema::string().pattern("^[0-9]{6}$").describe("Six digits from the authenticator app");
    const Schema password_in = Schema::string().min_length(1).max_length(1024).format("password");
    const Schema role = Schema::string().enumeration(role_names());

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/login",
        .operation_id = "login",
        .summary = "Sign in with e-mail and password (and a TOTP code when enrolled)",
        .description = "Returns the tokens and also sets them as HttpOnly cookies. Failures answer the same whether "
                       "or not the account exists; after repeated failures the address is locked for a while (429). "
                       "`totp_required` (401) asks for the second factor.",
        .tag = "auth",
        .access = Access::anyone(),
        .body = http::BodyDoc{Schema::named("LoginRequest", Schema::object({req("email", Schema::string().min_length(1).max_length(254)),
                                                                           req("password", password_in),
                                                                           opt("totp_code", totp_code)}))},
        .responses = {{200, "Signed in", session_schema()}},
        .errors = {401, 429},
        .rate = http::RateClass::auth,
        .handler = [&auth, cp](Request& r) {
            const auto& b = r.json.as_object();
            auto s = auth.login(r.caller(), jsonu::string_or(b, "email"), jsonu::string_or(b, "password"),
                                jsonu::string_or(b, "totp_code"));
            if (!s) return http::problem(s.error(), r.request_id);
            return sign_in_response(r, *s, clock, cp);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/refresh",
        .operation_id = "refresh",
        .summary = "Exchange a refresh token for new tokens (rotation)",
        .description = "The refresh token comes from the body or the ms_refresh cookie. Each token works once; "
                       "presenting a used token again ends the whole session.",
        .tag = "auth",
        .access = Access::anyone(),
        .body = http::BodyDoc{Schema::named("RefreshRequest", Schema::object({opt("refresh_token", Schema::string().max_length(128))})),
                              "", "application/json", false},
        .responses = {{200, "New tokens", session_schema()}},
        .errors = {401},
        // Refresh tokens are 256-bit random values: guessing is hopeless, so refreshing shares the ordinary
        // per-user budget rather than the strict sign-in budget (many tabs refresh at once).
        .rate = http::RateClass::standard,
        .handler = [&auth, cp](Request& r) {
            std::string token;
            if (r.json.is_object()) token = jsonu::string_or(r.json.as_object(), "refresh_token");
            if (token.empty())
                if (auto c = r.cookie("ms_refresh")) token = std::string(*c);
            auto s = auth.refresh(r.caller(), token);
            if (!s) {
                Response resp = http::problem(s.error(), r.request_id);
                clear_cookies(resp, r, cp);
                return resp;
            }
            return sign_in_response(r, *s, clock, cp);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/logout",
        .operation_id = "logout",
        .summary = "Sign out: the session ends and its access token is refused from now on",
        .tag = "auth",
        .access = Access::anyone(),
        .responses = {{204, "Signed out", std::nullopt, ""}},
        .handler = [&auth, &tokens, cp](Request& r) {
            Caller caller = r.caller();
            std::string_view token;
            if (auto h = r.headers.get("Authorization"); h && h->size() > 7) token = h->substr(7);
            else if (auto c = r.cookie("ms_access")) token = *c;
            if (!token.empty())
                if (auto claims = tokens.verify(token)) {
                    caller.user_id = claims->user_id;
                    caller.role = claims->role;
                    caller.session_id = claims->session_id;
                }
            std::string refresh;
            if (auto c = r.cookie("ms_refresh")) refresh = std::string(*c);
            auth.logout(caller, refresh);
            Response resp = Response::empty(204);
            clear_cookies(resp, r, cp);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/auth/me",
        .operation_id = "me",
        .summary = "The signed-in user",
        .tag = "auth",
        .access = Access::signed_in().during_enrolment(),
        .responses = {{200, "The user, and whether this session is limited to TOTP enrolment", current_user_schema()}},
        .handler = [&auth](Request& r) {
            auto u = auth.me(r.caller());
            if (!u) return http::problem(u.error(), r.request_id);
            json::object body = user_json(*u);
            body["totp_enrolment_required"] = r.principal && r.principal->enrolment_only;
            return Response::json(200, body);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/password",
        .operation_id = "changePassword",
        .summary = "Change one's own password (other sessions end)",
        .tag = "auth",
        .access = Access::signed_in().during_enrolment(),
        .body = http::BodyDoc{Schema::named("PasswordChange", Schema::object({req("current_password", password_in),
                                                                             req("new_password", Schema::string().min_length(1).max_length(1024).format("password"))}))},
        .responses = {{204, "Changed", std::nullopt, ""}},
        .handler = [&auth](Request& r) {
            const auto& b = r.json.as_object();
            auto res = auth.change_password(r.caller(), jsonu::string_or(b, "current_password"), jsonu::string_or(b, "new_password"));
            if (!res) return http::problem(res.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/totp/enroll",
        .operation_id = "totpEnroll",
        .summary = "Start TOTP enrolment: a new secret for the authenticator app",
        .tag = "auth",
        .access = Access::signed_in().during_enrolment(),
        .responses = {{200, "The secret, shown once",
                       Schema::named("TotpEnrolment", Schema::object({req("secret", Schema::string().describe("Base32")),
                                                                      req("otpauth_uri", Schema::string())}))}},
        .errors = {409},
        .handler = [&auth](Request& r) {
            auto e = auth.totp_enroll(r.caller());
            if (!e) return http::problem(e.error(), r.request_id);
            return Response::json(200, json::object{{"secret", e->secret_base32}, {"otpauth_uri", e->otpauth_uri}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/totp/confirm",
        .operation_id = "totpConfirm",
        .summary = "Finish TOTP enrolment with a current code; returns a fresh, unrestricted session",
        .tag = "auth",
        .access = Access::signed_in().during_enrolment(),
        .body = http::BodyDoc{Schema::named("TotpCode", Schema::object({req("code", totp_code)}))},
        .responses = {{200, "Enabled; new tokens", session_schema()}},
        .errors = {409},
        .handler = [&auth, cp](Request& r) {
            auto s = auth.totp_confirm(r.caller(), jsonu::string_or(r.json.as_object(), "code"));
            if (!s) return http::problem(s.error(), r.request_id);
            return sign_in_response(r, *s, clock, cp);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/auth/totp/disable",
        .operation_id = "totpDisable",
        .summary = "Turn TOTP off (refused for administrators when it is mandatory)",
        .tag = "auth",
        .access = Access::signed_in(),
        .body = http::BodyDoc{Schema::named("PasswordConfirmation", Schema::object({req("password", password_in)}))},
        .responses = {{204, "Disabled", std::nullopt, ""}},
        .errors = {403, 409},
        .handler = [&auth](Request& r) {
            auto res = auth.totp_disable(r.caller(), jsonu::string_or(r.json.as_object(), "password"));
            if (!res) return http::problem(res.error(), r.request_id);
            return Response::empty(204);
        }});

    // ----- user administration -----
    const auto admin_only = Access::roles_of({Role::admin});
    router.add({
        .method = Method::get,
        .path = "/api/v1/users",
        .operation_id = "listUsers",
        .summary = "List user accounts (by e-mail)",
        .tag = "users",
        .access = admin_only,
        .params = {{"role", ParamIn::query, role, false, "Only this role"},
                   {"active", ParamIn::query, Schema::boolean(), false, "Only active (true) or deactivated (false)"},
                   {"email", ParamIn::query, Schema::string().max_length(254), false, "E-mail prefix"},
                   {"cursor", ParamIn::query, Schema::string().max_length(254), false, "From a previous page"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1).maximum(200), false, "Page size (default 50)"}},
        .responses = {{200, "A page of users",
                       Schema::named("UserPage", Schema::object({req("items", Schema::array(user_schema())),
                                                                 req("next_cursor", Schema::string().nullable())}))}},
        .handler = [&users](Request& r) {
            UserFilter f;
            if (auto v = r.query("role")) f.role = parse_role(*v);
            if (auto v = r.query("active")) f.active = *v == "true";
            f.email_prefix = r.query("email").value_or("");
            f.after_email = r.query("cursor").value_or("");
            f.limit = http::query_limit(r, f.limit, 1000000);
            auto page = users.list(r.caller(), f);
            if (!page) return http::problem(page.error(), r.request_id);
            json::array items;
            for (const auto& u : page->users) items.push_back(user_json(u));
            return Response::json(200, json::object{{"items", std::move(items)},
                                                    {"next_cursor", jsonu::nullable_if_empty(page->next_cursor)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/users",
        .operation_id = "createUser",
        .summary = "Create a user account",
        .description = "Without `password`, a temporary password is generated and returned once.",
        .tag = "users",
        .access = admin_only,
        .body = http::BodyDoc{Schema::named(
            "NewUser", Schema::object({req("email", email), req("display_name", Schema::string().min_length(1).max_length(120)),
                                       req("role", role), opt("patient_id", Schema::string().format("uuid").nullable()),
                                       opt("password", Schema::string().min_length(1).max_length(1024).format("password"))}))},
        .responses = {{201, "Created", user_with_secret_schema(), "application/json", {"Location", "ETag"}}},
        .errors = {409},
        .handler = [&users](Request& r) {
            const auto& b = r.json.as_object();
            NewUser in;
            in.email = jsonu::string_or(b, "email");
            in.display_name = jsonu::string_or(b, "display_name");
            in.role = parse_role(jsonu::string_or(b, "role")).value_or(Role::secretary);
            in.patient_id = jsonu::string_or(b, "patient_id");
            in.password = jsonu::opt_string(b, "password");
            auto u = users.create(r.caller(), std::move(in));
            if (!u) return http::problem(u.error(), r.request_id);
            Response resp = Response::json(201, json::object{{"user", user_json(u->user)},
                                                             {"temporary_password", jsonu::nullable_if_empty(u->temporary_password)}});
            resp.headers.set("Location", "/api/v1/users/" + u->user.id);
            resp.headers.set("ETag", http::etag_for(u->user.version));
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/users/{id}",
        .operation_id = "getUser",
        .summary = "Read a user account",
        .tag = "users",
        .access = admin_only,
        .params = {{"id", ParamIn::path, Schema::string().format("uuid"), true, "User id"}},
        .responses = {{200, "The user", user_schema(), "application/json", {"ETag"}}},
        .handler = [&users](Request& r) {
            auto u = users.get(r.caller(), std::string(r.path_param("id")));
            if (!u) return http::problem(u.error(), r.request_id);
            return user_response(200, *u);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/users/{id}",
        .operation_id = "updateUser",
        .summary = "Change a user: name, role, patient link, active; reset password or second factor",
        .description = "Deactivation replaces deletion. Role, link or credential changes end the user's sessions. "
                       "If-Match is honoured when sent.",
        .tag = "users",
        .access = admin_only,
        .params = {{"id", ParamIn::path, Schema::string().format("uuid"), true, "User id"},
                   {"If-Match", ParamIn::header, Schema::string(), false, "ETag from a previous read"}},
        .body = http::BodyDoc{Schema::named(
            "UserChanges", Schema::object({opt("display_name", Schema::string().min_length(1).max_length(120)),
                                           opt("role", role), opt("active", Schema::boolean()),
                                           opt("patient_id", Schema::string().format("uuid").nullable()),
                                           opt("reset_password", Schema::boolean()), opt("reset_totp", Schema::boolean()),
                                           opt("unlock", Schema::boolean().describe(
                                                             "Lift the account's sign-in locks (its own and "
                                                             "every client address's)"))}))},
        .responses = {{200, "Changed", user_with_secret_schema(), "application/json", {"ETag"}}},
        .errors = {409, 412},
        .handler = [&users](Request& r) {
            auto version = http::if_match_version(r, false);
            if (!version) return http::problem(version.error(), r.request_id);
            const auto& b = r.json.as_object();
            UserChanges ch;
            ch.expected_version = *version;
            ch.display_name = jsonu::opt_string(b, "display_name");
            if (auto v = jsonu::opt_string(b, "role")) ch.role = parse_role(*v);
            ch.active = jsonu::opt_bool(b, "active");
            if (jsonu::has(b, "patient_id")) ch.patient_id = jsonu::string_or(b, "patient_id");
            ch.reset_password = jsonu::opt_bool(b, "reset_password").value_or(false);
            ch.reset_totp = jsonu::opt_bool(b, "reset_totp").value_or(false);
            ch.unlock = jsonu::opt_bool(b, "unlock").value_or(false);
            auto u = users.update(r.caller(), std::string(r.path_param("id")), ch);
            if (!u) return http::problem(u.error(), r.request_id);
            Response resp = Response::json(200, json::object{{"user", user_json(u->user)},
                                                             {"temporary_password", jsonu::nullable_if_empty(u->temporary_password)}});
            resp.headers.set("ETag", http::etag_for(u->user.version));
            return resp;
        }});
}

}  // namespace medisecure::identity
