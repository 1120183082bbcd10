// SPDX-License-Identifier: Apache-2.0
#include "platform/http/problem.hpp"

#include <boost/json.hpp>

namespace medisecure::http {
namespace json = boost::json;

int to_status(ErrorKind kind) {  // -Werror=switch keeps this exhaustive
    switch (kind) {
    case ErrorKind::bad_request: return 400;
    case ErrorKind::invalid_input: return 422;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::method_not_allowed: return 405;
    case ErrorKind::conflict: return 409;
    case ErrorKind::precondition_failed: return 412;
    case ErrorKind::precondition_required: return 428;
    case ErrorKind::gone: return 410;
    case ErrorKind::payload_too_large: return 413;
    case ErrorKind::request_timeout: return 408;
    case ErrorKind::unsupported_media_type: return 415;
    case ErrorKind::too_many_requests: return 429;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::insufficient_storage: return 507;
    // Not the caller's fault and not a bug: the stored bytes are damaged, and retrying will not
    // help. Its own type says so (clients and operators tell it from an unexpected error).
    case ErrorKind::data_corrupted: return 500;
    case ErrorKind::internal: return 500;
    }
    return 500;
}

Response problem(const Error& e, std::string_view request_id) {
    const auto& meta = info(e.kind);
    json::object body;
    body["type"] = "urn:medisecure:problem:" + std::string(meta.slug);
    body["title"] = meta.title;
    body["status"] = to_status(e.kind);
    if (e.kind == ErrorKind::internal) {
        body["detail"] = "An unexpected error occurred. Quote the request id when reporting it.";
        body["code"] = "internal";
    } else {
        body["detail"] = e.detail;
        body["code"] = e.code;
        if (!e.fields.empty()) {
            json::array errors;
            for (const auto& f : e.fields)
                errors.push_back(json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
            body["errors"] = std::move(errors);
        }
        if (!e.extensions_json.empty()) {
            boost::system::error_code ec;
            auto ext = json::parse(e.extensions_json, ec);
            if (!ec && ext.is_object())
                for (auto& kv : ext.get_object())
                    if (!body.contains(kv.key())) body[kv.key()] = kv.value();
        }
    }
    body["instance"] = "urn:medisecure:request:" + std::string(request_id);
    Response r = Response::json(to_status(e.kind), body);
    r.content_type = "application/problem+json";
    if (e.retry_after_s > 0) r.headers.set("Retry-After", std::to_string(e.retry_after_s));
    return r;
}

schema::Schema problem_object(std::vector<schema::Property> extensions) {
    using schema::Schema;
    std::vector<schema::Property> props{
        schema::req("type", Schema::string().describe("A URN naming the problem type")),
        schema::req("title", Schema::string()),
        schema::req("status", Schema::integer()),
        schema::req("detail", Schema::string().describe("Safe to show; never contains patient data")),
        schema::req("code", Schema::string().describe("Stable machine-readable code")),
        schema::req("instance", Schema::string().describe("The request id, as a URN")),
        schema::opt("errors", Schema::array(Schema::named("FieldError", Schema::object({
                                  schema::req("field", Schema::string().describe("JSON pointer, or the query parameter's name")),
                                  schema::req("code", Schema::string()),
                                  schema::req("message", Schema::string()),
                              })))),
    };
    for (auto& e : extensions) props.push_back(std::move(e));
    return Schema::object(std::move(props)).describe("RFC 9457 problem details");
}

const schema::Schema& problem_schema() {
    static const schema::Schema s = schema::Schema::named("Problem", problem_object({}));
    return s;
}

}  // namespace medisecure::http
