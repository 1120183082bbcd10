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
#include <stb/stb_image_write.h>

#include <boost/json.hpp>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "contexts/identity/app/token_service.hpp"
#include "core/random.hpp"
#include "core/timezone.hpp"
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

/// One request as `c`: a body of `{}` for the methods that take one (the role decides before the
/// body is read).
HttpResult probe(const TestApp& app, const Probe& c, const std::string& method, const std::string& path) {
    auto client = app.client();
    client.bearer = c.token;
    const bool with_body = method == "POST" || method == "PUT" || method == "PATCH";
    return client.request(method, path, with_body ? "{}" : "");
}

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
        auto r = probe(app, c, method, path);
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

namespace {

/// A Monday at least a week ahead, 10:00 in the practice's zone (Europe/Paris in the test
/// configuration): inside any portal's booking window, whatever day the test runs.
std::string next_monday_ten() {
    const auto paris = *TimeZone::named("Europe/Paris");
    const std::chrono::sys_days today{paris.local_date(SystemClock{}.now())};
    const auto monday =
        today + std::chrono::days(7 + (8 - static_cast<int>(std::chrono::weekday{today}.iso_encoding())) % 7);
    return format_instant(paris.to_utc(LocalSeconds{std::chrono::local_days{monday.time_since_epoch()}.time_since_epoch()} +
                                       std::chrono::hours(10)));
}

/// A small PNG, so that the document gets a thumbnail.
std::string tiny_png() {
    std::vector<unsigned char> px(64 * 48 * 3, 0x80);
    std::string out;
    stbi_write_png_to_func(
        [](void* c, void* p, int n) { static_cast<std::string*>(c)->append(static_cast<char*>(p), static_cast<std::size_t>(n)); },
        &out, 64, 48, 3, px.data(), 64 * 3);
    return out;
}

/// The objects of one kind (the path's first segment after /api/v1/) a patient's test reaches by
/// id: their own, another patient's (or another user's), and their own ones a patient never sees.
struct Objects {
    std::string own, other;
    std::vector<std::string> hidden;
    bool per_user = false;  // owned by a user (jobs, notifications): every role is checked, not only patients
};

std::string kind_of(const std::string& path) {
    const std::string prefix = "/api/v1/";
    if (path.rfind(prefix, 0) != 0) return "";
    return path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size());
}

}  // namespace

// Object-level authorization beyond the patient's own record: every operation that names an
// object by id (an encounter, an appointment, an invoice, a document, a job, a notification) is
// sent, as a patient, with another patient's object, their own, and their own ones they may not
// see (a draft encounter or invoice, a document hidden from the portal); and for the objects a
// user owns (jobs, notifications), as every role, with another user's. Another's or a hidden
// object answers exactly as a missing one (404 for a read); one's own is never refused. An
// operation on a kind of object this test has no example of fails it, so a new route is covered
// the day it is added.
TEST(AuthorizationMatrix, EveryObjectOfAnotherPatientOrUserAnswersAsAMissingOne) {
    TestApp app;
    const std::string own = app.patient("Alice", "Martin", "1980-02-03");
    const std::string other = app.patient("Bruno", "Petit", "1975-06-07");
    const Account me = app.user(Role::patient, own);
    const Account them = app.user(Role::patient, other);
    const Account doctor = app.user(Role::doctor);
    const Account secretary = app.user(Role::secretary);
    const Account accountant = app.user(Role::accountant);
    auto as = [&](const Account& a) {
        auto c = app.client();
        c.bearer = a.token;
        return c;
    };
    auto created = [](const HttpResult& r, const char* what) {
        if (r.status != 201 && r.status != 202 && r.status != 200)
            throw std::runtime_error(std::string(what) + ": " + std::to_string(r.status) + " " + r.body);
        const auto& v = r.json().as_object();
        return std::string(v.contains("id") ? v.at("id").as_string() : v.at("job_id").as_string());
    };
    std::map<std::string, Objects> objects;

    // Encounters: a signed one for each patient (with a prescription, for its PDF); a draft of
    // one's own is the doctor's until it is signed.
    auto encounter = [&](const std::string& patient, bool sign) {
        json::object b{{"patient_id", patient},
                       {"reason", "Mal de gorge"},
                       {"diagnoses", json::array{json::object{{"code", "J039"}}}},
                       {"prescriptions", json::array{json::object{{"drug", "Paracétamol 1 g, comprimé"},
                                                                  {"dose", "1 comprimé"},
                                                                  {"frequency", "3 fois par jour"},
                                                                  {"duration", "5 jours"}}}}};
        auto id = created(as(doctor).post("/api/v1/encounters", json::serialize(b)), "encounter");
        if (sign) created(as(doctor).post("/api/v1/encounters/" + id + "/sign", "", {"If-Match: \"v1\""}), "signature");
        return id;
    };
    objects["encounters"] = {encounter(own, true), encounter(other, true), {encounter(own, false)}};

    // Invoices: an issued one for each; a draft is the practice's until it is issued.
    auto invoice = [&](const std::string& patient, bool issue) {
        json::object b{{"patient_id", patient}, {"lines", json::array{json::object{{"code", "G"}}}}};
        auto id = created(as(doctor).post("/api/v1/invoices", json::serialize(b)), "invoice");
        if (issue) created(as(accountant).post("/api/v1/invoices/" + id + "/issue", ""), "issue");
        return id;
    };
    objects["invoices"] = {invoice(own, true), invoice(other, true), {invoice(own, false)}};

    // Documents: an image for each (it gets a thumbnail), and one of one's own hidden from the
    // portal.
    const std::string png = tiny_png();
    auto document = [&](const std::string& patient, bool visible) {
        return created(as(doctor).request("POST",
                                          "/api/v1/patients/" + patient + "/documents?category=imaging&title=Photo" +
                                              (visible ? "" : "&visible_to_patient=false"),
                                          png, {}, "application/octet-stream"),
                       "document");
    };
    objects["documents"] = {document(own, true), document(other, true), {document(own, false)}};
    for (const auto& id : {objects["documents"].own, objects["documents"].other})
        ASSERT_TRUE(eventually([&] { return as(doctor).get("/api/v1/documents/" + id).json().at("has_thumbnail").as_bool(); }));

    // Appointments: the doctor opens Mondays; one booking for each patient.
    {
        auto h = as(secretary).request("PUT", "/api/v1/practitioners/" + doctor.id + "/opening-hours",
                                       R"({"ranges":[{"weekday":1,"start":"08:00","end":"12:00"}]})", {"If-Match: \"v0\""});
        ASSERT_EQ(h.status, 200) << h.body;
        auto type = created(as(secretary).post("/api/v1/practitioners/" + doctor.id + "/appointment-types",
                                               R"({"label":"Consultation","duration_minutes":20,"portal_bookable":true})"),
                            "appointment type");
        auto book = [&](const std::string& patient, const std::string& start) {
            json::object b{{"practitioner_id", doctor.id}, {"type_id", type}, {"start", start}, {"patient_id", patient}};
            return created(as(secretary).post("/api/v1/appointments", json::serialize(b)), "booking");
        };
        const std::string ten = next_monday_ten();
        objects["appointments"] = {book(own, ten), book(other, ten.substr(0, 14) + "20" + ten.substr(16)), {}};
    }

    // Jobs and notifications belong to the user who asked: each patient exports their data; the
    // export's notification is theirs.
    {
        auto mine = created(as(me).post("/api/v1/patients/" + own + "/export", ""), "export");
        auto theirs = created(as(them).post("/api/v1/patients/" + other + "/export", ""), "export");
        for (const auto& [who, job] : {std::pair{&me, mine}, std::pair{&them, theirs}})
            ASSERT_TRUE(eventually([&] { return as(*who).get("/api/v1/jobs/" + job).json().at("status") == "succeeded"; }));
        objects["jobs"] = {mine, theirs, {}, true};
        auto note = [&](const Account& a) -> std::string {
            auto page = as(a).get("/api/v1/notifications");
            if (page.status != 200 || page.json().at("items").as_array().empty()) return "";
            return std::string(page.json().at("items").at(0).at("id").as_string());
        };
        objects["notifications"] = {note(me), note(them), {}, true};
        ASSERT_FALSE(objects["notifications"].own.empty());
        ASSERT_FALSE(objects["notifications"].other.empty());
    }

    // Kinds whose objects are not anybody's: a practitioner's free slots are for any caller who
    // may book.
    const std::set<std::string> shared = {"practitioners"};
    // Another user's object answered by design: administrators follow every job's state (no
    // personal data in it), though its file is its owner's alone.
    const std::set<std::string> oversight = {"GET /api/v1/jobs/{id} as admin"};

    std::vector<Probe> callers;
    for (Role r : {Role::doctor, Role::nurse, Role::secretary, Role::accountant})
        callers.push_back({std::string(to_string(r)), app.user(r).token, r});
    callers.push_back({"admin", app.admin().token, Role::admin});
    callers.push_back({"patient", me.token, Role::patient});

    auto spec = app.client().get("/openapi.json").json();
    const std::string missing = "01900000-0000-7000-8000-00000000dead";
    std::size_t sent = 0, checked_operations = 0;
    std::set<std::string> kinds_seen;
    std::vector<std::string> leaks;
    auto send = [&](const Probe& c, const std::string& method, const std::string& path) {
        auto r = probe(app, c, method, path);
        ++sent;
        return Outcome{r.status, r.code()};
    };
    auto text = [](const Outcome& o) { return std::to_string(o.status) + " " + o.code; };
    for (const auto& [p, item] : spec.at("paths").as_object()) {
        const std::string path(p);
        if (path.find('{') == std::string::npos || is_patient_scoped(path)) continue;
        const std::string kind = kind_of(path);
        for (const auto& [m, op_value] : item.as_object()) {
            std::string method(m);
            for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            const auto& op = op_value.as_object();
            const auto* declared = op.if_contains("x-roles");
            if (!declared) continue;  // open, or refused by the first test
            std::set<std::string> roles;
            for (const auto& r : declared->as_array()) roles.insert(std::string(r.as_string()));
            if (!roles.empty() && !roles.count("patient")) continue;  // staff only: no object is anybody's
            const std::string name = method + " " + path;
            if (shared.count(kind)) continue;
            auto found = objects.find(kind);
            if (found == objects.end()) {
                leaks.push_back(name + ": a patient reaches objects of kind \"" + kind +
                                "\" by id, and this test has none of them to try");
                continue;
            }
            ++checked_operations;
            kinds_seen.insert(kind);
            const Objects& o = found->second;
            for (const auto& c : callers) {
                if (!roles.empty() && !roles.count(std::string(to_string(*c.role)))) continue;
                if (*c.role != Role::patient && !o.per_user) continue;  // staff see every patient's
                const std::string who = name + " as " + c.name;
                if (oversight.count(who)) {
                    const auto seen = send(c, method, fill(path, o.other));
                    if (seen.status != 200) leaks.push_back(who + " on another's object: " + text(seen) + " (200 expected)");
                    continue;
                }
                const auto as_missing = send(c, method, fill(path, missing));
                std::vector<std::pair<std::string, std::string>> not_theirs{{"another's", o.other}};
                if (*c.role == Role::patient)
                    for (const auto& h : o.hidden) not_theirs.emplace_back("their own hidden", h);
                for (const auto& [what, id] : not_theirs) {
                    const auto got = send(c, method, fill(path, id));
                    if (got.status != as_missing.status || got.code != as_missing.code ||
                        (method == "GET" && got.status != 404))
                        leaks.push_back(who + " on " + what + " object: " + text(got) + " (as missing: " +
                                        text(as_missing) + ")");
                }
                if (*c.role != Role::patient) continue;
                const auto mine = send(c, method, fill(path, o.own));
                if (mine.status == 401 || mine.status == 403 || mine.status == 404)
                    leaks.push_back(who + " on their own object: " + text(mine));
            }
        }
    }
    std::printf("object-level authorization: %zu operations on %zu kinds of object, %zu requests; %zu leaks\n",
                checked_operations, kinds_seen.size(), sent, leaks.size());
    for (const auto& l : leaks) ADD_FAILURE() << l;
    // Every example was used: the kinds above are all reached by some operation.
    for (const auto& [kind, o] : objects) EXPECT_TRUE(kinds_seen.count(kind)) << kind << " is reached by no operation";
    EXPECT_GE(checked_operations, 12u);
}
