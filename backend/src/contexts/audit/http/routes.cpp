// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/audit and GET /api/v1/patients/{id}/access-log.
#include "contexts/audit/http/routes.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "platform/http/problem.hpp"

namespace medisecure::audit {
namespace json = boost::json;
using http::Method;
using http::Request;
using http::Response;
using schema::Schema;

namespace {

const std::vector<std::string>& actor_roles() {
    static const std::vector<std::string> roles{"admin", "doctor", "nurse", "secretary", "accountant", "patient", "system"};
    return roles;
}

const Schema& record_schema() {
    static const Schema s = Schema::named(
        "AuditRecord",
        Schema::object({
            schema::req("seq", Schema::integer()),
            schema::req("at", Schema::string().format("date-time")),
            schema::req("actor_id", Schema::string()),
            schema::req("actor_name", Schema::string().nullable()),
            schema::req("actor_role", Schema::string().enumeration(actor_roles()).describe(
                                          "`system` for the server's own work and for requests made before signing in")),
            schema::req("action", Schema::string().example("patient.read")),
            schema::req("resource_type", Schema::string()),
            schema::req("resource_id", Schema::string()),
            schema::req("patient_id", Schema::string().nullable()),
            schema::req("client_ip", Schema::string()),
            schema::req("request_id", Schema::string()),
            schema::req("outcome", Schema::string().enumeration({"success", "denied", "not_found", "failure", "error"})),
            schema::req("detail", Schema::string()),
        }));
    return s;
}

const Schema& access_schema() {
    static const Schema s = Schema::named(
        "AccessLogEntry",
        Schema::object({
            schema::req("at", Schema::string().format("date-time")),
            schema::req("actor_name", Schema::string().nullable().describe("Who accessed the record")),
            schema::req("actor_role", Schema::string().enumeration(actor_roles())),
            schema::req("action", Schema::string().example("patient.read")),
            schema::req("outcome", Schema::string()),
        }));
    return s;
}

Schema page_of(const Schema& item, const std::string& name) {
    return Schema::named(name, Schema::object({schema::req("items", Schema::array(item)),
                                               schema::req("next_cursor", Schema::string().nullable().describe(
                                                                              "Pass as `before` for the next page"))}));
}

std::optional<std::int64_t> cursor(const Request& req) {
    return http::query_integer(req, "before");
}

int limit_of(const Request& req) {
    return http::query_limit(req, 50, 200);
}

std::map<std::string, std::string> resolve(const NameResolver& names, const std::vector<AuditRecord>& rs) {
    std::set<std::string> ids;
    for (const auto& r : rs) ids.insert(r.actor_id);
    return names ? names(ids) : std::map<std::string, std::string>{};
}

/// A user's display name; a system actor ("system:calendar_feed") is named by what it is, so that a reader
/// of the log never sees a bare identifier. Unknown or anonymous actors stay null.
json::value name_or_null(const std::map<std::string, std::string>& names, const std::string& id) {
    auto it = names.find(id);
    if (it != names.end()) return json::string(it->second);
    constexpr std::string_view system_prefix = "system:";
    if (id.starts_with(system_prefix)) return json::string("MediSecure (" + id.substr(system_prefix.size()) + ")");
    return nullptr;
}


}  // namespace

void add_routes(http::Router& router, AuditQueries& queries, NameResolver names) {
    const Schema seq_param = Schema::integer().minimum(1);
    const Schema limit_param = Schema::integer().minimum(1).maximum(200);

    router.add({
        .method = Method::get,
        .path = "/api/v1/audit",
        .operation_id = "searchAudit",
        .summary = "Search the audit trail (newest first)",
        .tag = "audit",
        .access = http::Access::roles_of({Role::admin}),
        .params = {{"patient_id", http::ParamIn::query, Schema::string().format("uuid"), false, "Records touching this patient"},
                   {"actor_id", http::ParamIn::query, Schema::string().max_length(100), false, "Records by this user"},
                   {"action", http::ParamIn::query, Schema::string().max_length(64), false, "e.g. patient.read, auth.login"},
                   {"from", http::ParamIn::query, Schema::string().format("date-time"), false, "Inclusive lower bound"},
                   {"to", http::ParamIn::query, Schema::string().format("date-time"), false, "Exclusive upper bound"},
                   {"before", http::ParamIn::query, seq_param, false, "Cursor from a previous page"},
                   {"limit", http::ParamIn::query, limit_param, false, "Page size (default 50, at most 200)"}},
        .responses = {{200, "A page of audit records", page_of(record_schema(), "AuditPage")}},
        .handler = [&queries, names](Request& req) {
            AuditFilter f;
            f.patient_id = req.query("patient_id").value_or("");
            f.actor_id = req.query("actor_id").value_or("");
            f.action = req.query("action").value_or("");
            if (auto v = req.query("from")) f.from = parse_instant(*v);
            if (auto v = req.query("to")) f.to = parse_instant(*v);
            f.before_seq = cursor(req);
            f.limit = limit_of(req);
            auto page = queries.search(req.caller(), f);
            if (!page) return http::problem(page.error(), req.request_id);
            auto who = resolve(names, page->records);
            json::array items;
            for (const auto& r : page->records)
                items.push_back(json::object{
                    {"seq", r.seq}, {"at", format_instant(r.at)}, {"actor_id", r.actor_id},
                    {"actor_name", name_or_null(who, r.actor_id)}, {"actor_role", r.actor_role},
                    {"action", r.action}, {"resource_type", r.resource_type}, {"resource_id", r.resource_id},
                    {"patient_id", r.patient_id.empty() ? json::value(nullptr) : json::value(r.patient_id)},
                    {"client_ip", r.client_ip}, {"request_id", r.request_id},
                    {"outcome", to_string(r.outcome)}, {"detail", r.detail}});
            return Response::json(200, json::object{{"items", std::move(items)},
                                                    {"next_cursor", page->next_before ? json::value(std::to_string(*page->next_before)) : json::value(nullptr)}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/access-log",
        .operation_id = "getPatientAccessLog",
        .summary = "Who accessed this patient's record, when, and what they did",
        .description = "Open to the patient themself and to administrators.",
        .tag = "patients",
        .access = http::Access::roles_of({Role::patient, Role::admin}),
        .params = {{"id", http::ParamIn::path, Schema::string().format("uuid"), true, "Patient id"},
                   {"before", http::ParamIn::query, seq_param, false, "Cursor from a previous page"},
                   {"limit", http::ParamIn::query, limit_param, false, "Page size (default 50, at most 200)"}},
        .responses = {{200, "A page of accesses, newest first", page_of(access_schema(), "AccessLogPage")}},
        .handler = [&queries, names](Request& req) {
            auto page = queries.access_log(req.caller(), std::string(req.path_param("id")), cursor(req), limit_of(req));
            if (!page) return http::problem(page.error(), req.request_id);
            auto who = resolve(names, page->records);
            json::array items;
            for (const auto& r : page->records)
                items.push_back(json::object{{"at", format_instant(r.at)},
                                             {"actor_name", name_or_null(who, r.actor_id)},
                                             {"actor_role", r.actor_role},
                                             {"action", r.action},
                                             {"outcome", to_string(r.outcome)}});
            return Response::json(200, json::object{{"items", std::move(items)},
                                                    {"next_cursor", page->next_before ? json::value(std::to_string(*page->next_before)) : json::value(nullptr)}});
        }});
}

}  // namespace medisecure::audit
