// SPDX-License-Identifier: Apache-2.0
#include "platform/http/openapi.hpp"

#include <boost/json.hpp>
#include <set>

#include "platform/http/problem.hpp"

namespace medisecure::http {
namespace json = boost::json;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const char* reason(int status) {
    switch (status) {
    case 400: return "Malformed request (JSON or query string)";
    case 401: return "Not signed in, or the access token is invalid, expired or revoked";
    case 403: return "The caller's role may not do this";
    case 404: return "Not found, or outside the caller's reach";
    case 409: return "Conflict with the current state";
    case 410: return "No longer available";
    case 412: return "If-Match does not match the current version";
    case 413: return "Request body too large";
    case 415: return "Body is not application/json";
    case 422: return "Validation failed; `errors` lists the fields";
    case 428: return "If-Match is required";
    case 429: return "Rate limit exceeded; see Retry-After";
    case 500: return "Unexpected error; the body carries only the request id";
    case 503: return "A store is unavailable (the request was not completed)";
    default: return "Error";
    }
}

}  // namespace

json::object build_openapi(const Router& router, const ApiInfo& info) {
    json::object components_schemas;
    json::object paths;
    std::set<std::string> tags;
    auto problem_ref = schema::to_json_schema(problem_schema(), components_schemas);

    for (const auto& r : router.routes()) {
        json::object op;
        op["operationId"] = r.operation_id;
        op["summary"] = r.summary;
        std::string desc = r.description;
        if (r.access.authenticated) {
            std::string roles;
            for (auto role : r.access.roles) roles += (roles.empty() ? "" : ", ") + std::string(to_string(role));
            desc += std::string(desc.empty() ? "" : "\n\n") + "**Roles:** " + (roles.empty() ? "any signed-in user" : roles) + ".";
            json::array roles_arr;
            for (auto role : r.access.roles) roles_arr.emplace_back(to_string(role));
            op["x-roles"] = std::move(roles_arr);
        }
        if (!desc.empty()) op["description"] = desc;
        if (!r.tag.empty()) {
            op["tags"] = json::array{json::string(r.tag)};
            tags.insert(r.tag);
        }
        if (r.access.authenticated) op["security"] = json::array{json::object{{"bearer", json::array{}}},
                                                                  json::object{{"cookie", json::array{}}}};
        else op["security"] = json::array{};

        json::array params;
        bool has_query = false, has_path = false;
        for (const auto& p : r.params) {
            json::object po;
            po["name"] = p.name;
            po["in"] = p.in == ParamIn::path ? "path" : p.in == ParamIn::query ? "query" : "header";
            po["required"] = p.in == ParamIn::path ? true : p.required;
            if (!p.description.empty()) po["description"] = p.description;
            po["schema"] = schema::to_json_schema(p.schema, components_schemas);
            params.push_back(std::move(po));
            has_query |= p.in == ParamIn::query;
            has_path |= p.in == ParamIn::path;
        }
        if (r.method == Method::post && r.access.authenticated) {
            // Every creating request of a signed-in caller may be retried safely (pipeline.cpp).
            params.push_back(json::object{
                {"name", "Idempotency-Key"},
                {"in", "header"},
                {"required", false},
                {"description", "Any unique value (a UUID), sent again with a retry of the same request: the change is "
                                "made once and the retry gets the first answer (Idempotent-Replayed: true). Kept 24 h "
                                "per user; the same key with another request is 422, while the first still runs 409."},
                {"schema", json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}});
        }
        if (!params.empty()) op["parameters"] = std::move(params);

        if (r.body) {
            json::object content;
            if (r.body->content_type == "application/json")
                content[r.body->content_type] = json::object{{"schema", schema::to_json_schema(r.body->schema, components_schemas)}};
            else
                content[r.body->content_type] = json::object{{"schema", json::object{{"type", "string"}, {"contentMediaType", r.body->content_type}}}};
            json::object body{{"required", r.body->required}, {"content", std::move(content)}};
            if (!r.body->description.empty()) body["description"] = r.body->description;
            op["requestBody"] = std::move(body);
        }

        json::object responses;
        for (const auto& d : r.responses) {
            json::object ro;
            ro["description"] = d.description;
            if (d.schema) {
                ro["content"] = json::object{{d.content_type, json::object{{"schema", schema::to_json_schema(*d.schema, components_schemas)}}}};
            } else if (!d.content_type.empty() && d.status != 204 && d.status != 304) {
                ro["content"] = json::object{{d.content_type, json::object{{"schema", json::object{{"type", "string"}}}}}};
            }
            if (!d.headers.empty()) {
                json::object hs;
                for (const auto& h : d.headers) hs[h] = json::object{{"schema", json::object{{"type", "string"}}}};
                ro["headers"] = std::move(hs);
            }
            responses[std::to_string(d.status)] = std::move(ro);
        }
        std::set<int> errors(r.errors.begin(), r.errors.end());
        errors.insert(500);
        if (r.rate != RateClass::none) errors.insert(429);
        if (r.access.authenticated) {
            errors.insert(401);
            if (!r.access.roles.empty()) errors.insert(403);
        }
        if (has_path) errors.insert(404);
        if (has_query) errors.insert(422);
        if (r.body) {
            errors.insert(400);
            errors.insert(413);
            if (r.body->content_type == "application/json") {
                errors.insert(415);
                errors.insert(422);
            }
        }
        for (int status : errors) {
            auto key = std::to_string(status);
            if (responses.contains(key)) continue;
            responses[key] = json::object{{"description", reason(status)},
                                          {"content", json::object{{"application/problem+json", json::object{{"schema", problem_ref}}}}}};
        }
        op["responses"] = std::move(responses);
        auto& path_item = paths[r.path];
        if (!path_item.is_object()) path_item.emplace_object();
        path_item.as_object()[lower(to_string(r.method))] = std::move(op);
    }

    json::array tag_list;
    for (const auto& t : tags) tag_list.push_back(json::object{{"name", t}});
    json::object doc;
    doc["openapi"] = "3.1.0";
    doc["info"] = json::object{{"title", info.title}, {"version", info.version}, {"description", info.description},
                               {"license", json::object{{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}};
    doc["servers"] = json::array{json::object{{"url", "/"}}};
    doc["tags"] = std::move(tag_list);
    doc["paths"] = std::move(paths);
    doc["components"] = json::object{
        {"schemas", std::move(components_schemas)},
        {"securitySchemes",
         json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
                      {"cookie", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "ms_access"}}}}}};
    return doc;
}

}  // namespace medisecure::http
