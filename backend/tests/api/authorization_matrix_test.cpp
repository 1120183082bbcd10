// SPDX-License-Identifier: Apache-2.0
// The authorization matrix, generated from the server's own /openapi.json: every operation ×
// every kind of caller (the six roles, anonymous, a deactivated user, an expired token) is sent,
// and its status checked against the operation's declared roles (`x-roles`; [] is any signed-in
// user). A patient reaches only their own record: another patient's id answers exactly as a
// missing one (status and code; 404 for every read). An operation added without declared access
// fails the test. Requests carry no valid body: the role decides before the body is read, so a
// refusal for the role is seen whatever the body; an allowed caller gets a 4xx for the body,
// never a refusal for the role. Every answer also carries the security headers (and no
// Cache-Control a shared cache would honour): the headers on every route of the API.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <regex>
#include <set>

#include "contexts/identity/app/token_service.hpp"
#include "core/random.hpp"
#include "platform/cache/memory_cache.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {

/// The only operations open without a token, each for its reason.
const std::set<std::string> kPublic = {
    "POST /api/v1/auth/login",      // signing in
    "POST /api/v1/auth/refresh",    // the refresh token is its own credential
    "POST /api/v1/auth/logout",     // ends whatever session it is given, if any
    "GET /api/v1/calendar/{file}",  // the practitioner's feed: its file name is a secret token
    "GET /health/live",             // load balancers
    "GET /health/ready",
    "GET /metrics",        // Prometheus (a bearer token when metrics_token is set)
    "GET /openapi.json",   // the API's description
};

struct Probe {
    std::string name;
    std::string token;         // empty: anonymous
    std::optional<Role> role;  // none: refused before any role check (anonymous, deactivated, expired)
};

struct Outcome {
    long status = 0;
    std::string code;
};

/// The path with every parameter given `id` (an act's code, which is no UUID, gets a code no act
/// has).
std::string fill(std::string path, const std::string& id) {
    path = std::regex_replace(path, std::regex("\\{code\\}"), "ZZZ99");
    return std::regex_replace(path, std::regex("\\{[a-z_]+\\}"), id);
}

bool is_patient_scoped(const std::string& path) { return path.rfind("/api/v1/patients/{id}", 0) == 0; }

}  // namespace

TEST(AuthorizationMatrix, EveryOperationTimesEveryCallerMatchesItsDeclaredAccess) {
    TestApp app;
    const std::string own = app.patient("Alice", "Martin", "1980-02-03");
    const std::string other = app.patient("Bruno", "Petit", "1975-06-07");
    std::vector<Probe> callers;
    for (Role r : {Role::doctor, Role::nurse, Role::secretary, Role::accountant})
        callers.push_back({std::string(to_string(r)), app.user(r).token, r});
    callers.push_back({"admin", app.admin().token, Role::admin});
    const Account patient = app.user(Role::patient, own);
    callers.push_back({"patient", patient.token, Role::patient});
    callers.push_back({"anonymous", "", std::nullopt});
    // A deactivated user's token, refused from the moment of the deactivation.
    const Account gone = app.user(Role::nurse);
    {
        auto admin = app.client();
        admin.bearer = app.admin().token;
        ASSERT_EQ(admin.patch("/api/v1/users/" + gone.id, R"({"active":false})").status, 200);
    }
    callers.push_back({"deactivated", gone.token, std::nullopt});
    // An expired token: well signed, for a real user and session, issued two hours ago.
    {
        ManualClock past(SystemClock{}.now() - std::chrono::hours(2));
        MemoryCache cache(past);
        identity::TokenService old(app.config().jwt_secret, cache, past, 900);
        identity::User u;
        u.id = patient.id;
        u.email = patient.email;
        u.role = Role::doctor;
        std::int64_t expires = 0;
        callers.push_back({"expired", old.issue(u, new_uuid_v7(past.now()), false, expires), std::nullopt});
    }

    auto spec = app.client().get("/openapi.json").json();
    const std::string missing = "01900000-0000-7000-8000-00000000dead";
    std::size_t sent = 0, operations = 0;
    std::vector<std::string> leaks, undeclared, bare;
    // Every answer, whatever its status, carries the security headers, and none may be stored by
    // a shared cache (they can name a patient).
    const std::vector<std::pair<std::string, std::string>> kHeaders{
        {"x-content-type-options", "nosniff"}, {"x-frame-options", "DENY"}, {"referrer-policy", "no-referrer"},
        {"content-security-policy", "frame-ancestors 'none'"}, {"cross-origin-resource-policy", "same-origin"},
        {"x-request-id", ""}};
    auto send = [&](const Probe& c, const std::string& method, const std::string& path) {
        auto client = app.client();
        client.bearer = c.token;
        const bool with_body = method == "POST" || method == "PUT" || method == "PATCH";
        auto r = client.request(method, path, with_body ? "{}" : "");
        ++sent;
        for (const auto& [name, want] : kHeaders) {
            if (r.header(name).find(want) == std::string::npos || r.header(name).empty())
                bare.push_back(c.name + " " + method + " " + path + ": " + name + " is \"" + r.header(name) + "\"");
        }
        const auto cache = r.header("cache-control");
        if (cache.empty() || cache.find("public") != std::string::npos)
            bare.push_back(c.name + " " + method + " " + path + ": cache-control is \"" + cache + "\"");
        return Outcome{r.status, r.code()};
    };
    for (const auto& [p, item] : spec.at("paths").as_object()) {
        const std::string path(p);
        for (const auto& [m, op_value] : item.as_object()) {
            std::string method(m);
            for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE") continue;
            ++operations;
            const auto& op = op_value.as_object();
            const std::string name = method + " " + path;
            const auto* security = op.if_contains("security");
            const bool open = !security || security->as_array().empty();
            if (open) {
                if (!kPublic.count(name)) undeclared.push_back(name + ": open to anyone without being listed as public");
                continue;
            }
            const auto* declared = op.if_contains("x-roles");
            if (!declared) {
                undeclared.push_back(name + ": no x-roles");
                continue;
            }
            std::set<std::string> roles;
            for (const auto& r : declared->as_array()) roles.insert(std::string(r.as_string()));
            const bool any_role = roles.empty();
            // An event stream never ends for a caller it accepts: only refusals are checked there.
            const bool stream = path.size() > 7 && path.substr(path.size() - 7) == "/stream";
            for (const auto& c : callers) {
                const std::string who = name + " as " + c.name;
                if (!c.role) {
                    auto o = send(c, method, fill(path, missing));
                    if (o.status != 401) leaks.push_back(who + ": " + std::to_string(o.status) + " " + o.code + " (401 expected)");
                    continue;
                }
                const bool allowed = any_role || roles.count(std::string(to_string(*c.role)));
                if (!allowed) {
                    auto o = send(c, method, fill(path, missing));
                    if (o.status != 403 || o.code != "role_not_allowed")
                        leaks.push_back(who + ": " + std::to_string(o.status) + " " + o.code + " (403 role_not_allowed expected)");
                    continue;
                }
                if (stream) continue;
                // Allowed: a missing object is not found, never refused for the role.
                auto o = send(c, method, fill(path, missing));
                if (o.status == 401 || (o.status == 403 && o.code == "role_not_allowed"))
                    leaks.push_back(who + ": refused (" + std::to_string(o.status) + " " + o.code + ") although declared");
                if (*c.role != Role::patient || !is_patient_scoped(path)) continue;
                // A patient and another patient's record: exactly as missing (404 for a read; a
                // write whose body or parameters are refused first answers the same refusal).
                auto theirs = send(c, method, fill(path, other));
                if (theirs.status != o.status || theirs.code != o.code || (method == "GET" && o.status != 404))
                    leaks.push_back(who + " on another patient: " + std::to_string(theirs.status) + " " + theirs.code +
                                    " (as missing: " + std::to_string(o.status) + " " + o.code + ")");
                auto mine = send(c, method, fill(path, own));
                if (mine.status == 401 || mine.status == 403 || mine.status == 404)
                    leaks.push_back(who + " on their own record: " + std::to_string(mine.status) + " " + mine.code);
            }
        }
    }
    std::printf("authorization matrix: %zu operations, %zu callers, %zu requests sent; %zu leaks, %zu undeclared; "
                "%zu answers without a security header\n",
                operations, callers.size(), sent, leaks.size(), undeclared.size(), bare.size());
    for (const auto& l : leaks) ADD_FAILURE() << l;
    for (std::size_t i = 0; i < bare.size() && i < 20; ++i) ADD_FAILURE() << bare[i];
    for (const auto& u : undeclared) ADD_FAILURE() << u;
    EXPECT_GT(operations, 90u);  // the whole API was read, not a part of it
    EXPECT_GT(sent, 700u);
}

// Mass assignment: every JSON request body refuses the fields a client must never set (ids,
// versions, audit fields, another role or record) unless its schema declares them writable; the
// few that are (an administrator sets a user's role; staff link an invoice to a patient) are
// listed here with their reason, and the list is checked to be exact.
TEST(AuthorizationMatrix, EveryWritableSchemaRefusesFieldsItDoesNotDeclare) {
    TestApp app;
    const std::vector<std::string> guarded = {"id",         "version",    "created_at", "updated_at", "created_by",
                                              "updated_by", "mrn",        "role",       "patient_id", "user_id",
                                              "status",     "number",     "signed_at",  "signed_by",  "deleted_at",
                                              "issued_at",  "paid_cents", "recorded_by"};
    // Declared writable, by design.
    const std::set<std::string> writable = {
        "POST /api/v1/users role",                // an administrator gives the new account its role
        "POST /api/v1/users patient_id",          // … and links a patient account to its record
        "PATCH /api/v1/users/{id} role",          // … or changes them (the sessions end)
        "PATCH /api/v1/users/{id} patient_id",
        "POST /api/v1/encounters patient_id",     // the consultation's patient (checked to exist)
        "POST /api/v1/appointments patient_id",   // the booking's patient (a patient: their own only)
        "POST /api/v1/invoices patient_id",       // the invoice's patient (checked to exist)
        "POST /api/v1/patients/{id}/allergies status",   // a clinical status (active, suspected…), not a workflow one
        "POST /api/v1/patients/{id}/conditions status",  // (active, resolved…) as the clinician records it
        "PATCH /api/v1/prescriptions/{id} status",  // dispensed / stopped: the point of the route
        "PATCH /api/v1/allergies/{id} status",      // active / resolved / refuted
        "PATCH /api/v1/conditions/{id} status",
    };
    auto spec = app.client().get("/openapi.json").json();
    const auto& schemas = spec.at("components").at("schemas").as_object();
    auto resolve = [&](const json::value& s) -> const json::object& {
        const json::value* v = &s;
        while (v->as_object().contains("$ref")) {
            std::string ref(v->at("$ref").as_string());
            v = &schemas.at(ref.substr(ref.rfind('/') + 1));
        }
        return v->as_object();
    };
    std::set<std::string> declared_writable;
    std::size_t bodies = 0, probes = 0;
    const std::string missing = "01900000-0000-7000-8000-00000000dead";
    for (const auto& [p, item] : spec.at("paths").as_object()) {
        for (const auto& [m, op] : item.as_object()) {
            const auto* body = op.as_object().if_contains("requestBody");
            if (!body) continue;
            const auto* content = body->at("content").as_object().if_contains("application/json");
            if (!content) continue;
            std::string method(m);
            for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            const std::string name = method + " " + std::string(p);
            const auto& schema = resolve(content->at("schema"));
            const auto* props = schema.if_contains("properties");
            ++bodies;
            auto client = app.client();
            client.bearer = app.admin().token;
            // A caller the operation accepts: the administrator, or the first declared role.
            if (const auto* roles = op.as_object().if_contains("x-roles"); roles && !roles->as_array().empty()) {
                std::string first(roles->as_array().front().as_string());
                if (first != "admin") client.bearer = app.user(*parse_role(first)).token;
            }
            for (const auto& f : guarded) {
                if (props && props->as_object().contains(f)) {
                    declared_writable.insert(name + " " + f);
                    continue;
                }
                ++probes;
                std::string path = fill(std::string(p), missing);
                if (name.find("/auth/login") != std::string::npos || name.find("/auth/refresh") != std::string::npos)
                    client.bearer.clear();
                auto r = client.request(method, path, json::serialize(json::object{{f, "x"}}));
                bool refused = false;
                if (r.status == 422)
                    for (const auto& e : r.json().at("errors").as_array())
                        refused |= e.at("field") == "/" + f && e.at("code") == "unknown_field";
                EXPECT_TRUE(refused) << name << ": field " << f << " not refused (" << r.status << " " << r.body.substr(0, 200) << ")";
            }
        }
    }
    std::printf("mass assignment: %zu request bodies, %zu guarded fields refused; %zu declared writable\n", bodies,
                probes, declared_writable.size());
    EXPECT_EQ(declared_writable, writable);
    EXPECT_GT(bodies, 30u);
}
