// SPDX-License-Identifier: Apache-2.0
// A route table for the fuzz targets that go through the pipeline: routes with the parameter,
// body and response schemas the contexts use (formats, patterns, enumerations, bounds, nested
// objects, maps, nullable members, arrays), so that the pipeline's own parsing and validation
// run on outside input. Handlers echo what they were given.
#pragma once

#include <boost/json.hpp>

#include "platform/http/router.hpp"

namespace medisecure::fuzz {

inline void add_fuzz_routes(http::Router& router) {
    using http::Access;
    using http::Method;
    using http::ParamIn;
    using http::Request;
    using http::Response;
    using schema::opt;
    using schema::req;
    using schema::Schema;
    const Schema uuid = Schema::string().format("uuid");
    const Schema address = Schema::named(
        "FuzzAddress", Schema::object({opt("line1", Schema::string().max_length(200)),
                                       opt("postal_code", Schema::string().pattern("^[0-9A-Z -]{2,10}$")),
                                       opt("city", Schema::string().min_length(1).max_length(100)),
                                       opt("country", Schema::string().pattern("^[A-Z]{2}$"))}));
    const Schema patient = Schema::object(
        {req("family_name", Schema::string().min_length(1).max_length(100)),
         req("given_name", Schema::string().min_length(1).max_length(100)),
         req("birth_date", Schema::string().format("date")),
         opt("sex", Schema::string().enumeration({"female", "male", "other", "unknown"})),
         opt("nir", Schema::string().pattern("^[12][0-9]{2}(0[1-9]|1[0-2])(2[AB]|[0-9]{2})[0-9]{8}$").nullable()),
         opt("email", Schema::string().format("email").max_length(254).nullable()),
         opt("phone", Schema::string().pattern("^\\+?[0-9 .()-]{6,20}$")),
         opt("address", address.nullable()),
         opt("notes", Schema::string().max_length(2000).multiline()),
         opt("weight_kg", Schema::number().minimum(0.2).maximum(500)),
         opt("children", Schema::integer().minimum(0).maximum(30)),
         opt("consent", Schema::boolean()),
         opt("tags", Schema::array(Schema::string().max_length(30)).max_items(10)),
         opt("codes", Schema::array(Schema::object({req("code", Schema::string().pattern("^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$")),
                                                    opt("primary", Schema::boolean())}))
                          .min_items(1)
                          .max_items(20)),
         opt("extra", Schema::map_of(Schema::string().max_length(50)).max_items(5)),
         opt("anything", Schema::any()),
         opt("scheduled_at", Schema::string().format("date-time")),
         opt("id", uuid)});
    const Schema echo_response = Schema::object({req("ok", Schema::boolean())});
    auto echo = [](int status) {
        return [status](Request& r) {
            boost::json::object o{{"ok", true}};
            (void)r.json;
            (void)r.query_params;
            return Response::json(status, o);
        };
    };

    router.add({.method = Method::post,
                .path = "/api/v1/patients",
                .operation_id = "fuzzCreate",
                .access = Access::anyone(),
                .body = http::BodyDoc{patient},
                .responses = {{201, "ok", echo_response}},
                .handler = echo(201)});
    router.add({.method = Method::get,
                .path = "/api/v1/patients",
                .operation_id = "fuzzSearch",
                .access = Access::anyone(),
                .params = {{"q", ParamIn::query, Schema::string().min_length(1).max_length(100), false, ""},
                           {"limit", ParamIn::query, Schema::integer().minimum(1).maximum(100), false, ""},
                           {"active", ParamIn::query, Schema::boolean(), false, ""},
                           {"from", ParamIn::query, Schema::string().format("date"), false, ""},
                           {"sort", ParamIn::query, Schema::string().enumeration({"name", "-name", "created"}), false, ""},
                           {"cursor", ParamIn::query, Schema::string().max_length(500), false, ""}},
                .responses = {{200, "ok", echo_response}},
                .handler = echo(200)});
    router.add({.method = Method::put,
                .path = "/api/v1/patients/{id}",
                .operation_id = "fuzzUpdate",
                .access = Access::roles_of({Role::doctor, Role::secretary}),
                .params = {{"id", ParamIn::path, uuid, true, ""},
                           {"If-Match", ParamIn::header, Schema::string().pattern("^\"[0-9]+\"$"), true, ""}},
                .body = http::BodyDoc{patient},
                .responses = {{200, "ok", echo_response}},
                .handler = echo(200)});
    router.add({.method = Method::get,
                .path = "/api/v1/patients/{id}/documents/{doc}",
                .operation_id = "fuzzDocument",
                .access = Access::signed_in(),
                .params = {{"id", ParamIn::path, uuid, true, ""}, {"doc", ParamIn::path, uuid, true, ""}},
                .responses = {{200, "ok", echo_response}},
                .handler = echo(200)});
    router.add({.method = Method::delete_,
                .path = "/api/v1/patients/{id}",
                .operation_id = "fuzzDelete",
                .access = Access::roles_of({Role::admin}),
                .params = {{"id", ParamIn::path, uuid, true, ""}},
                .handler = [](Request&) { return Response::empty(204); }});
    router.freeze();
}

}  // namespace medisecure::fuzz
