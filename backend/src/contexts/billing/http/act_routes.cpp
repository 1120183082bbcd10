// SPDX-License-Identifier: Apache-2.0
// /api/v1/billing/acts: search the catalogue; administrators create, change, deactivate and
// delete (never-invoiced) codes.
#include <boost/json.hpp>
#include <cstdlib>

#include "contexts/billing/app/billing_json.hpp"
#include "contexts/billing/http/routes.hpp"
#include "core/text.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::billing {
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

std::vector<std::string> systems() { return {"NGAP", "CCAM", "OTHER"}; }

Schema price_s() {
    return Schema::integer().minimum(0).maximum(static_cast<double>(kMaxUnitPrice)).describe("Euro cents, excluding VAT").example(3000);
}
Schema vat_s() {
    return Schema::integer().minimum(0).maximum(kMaxVatRate).describe("Basis points: 2000 = 20 %; 0 for medical care (exempt)");
}
Schema label_s() { return Schema::string().min_length(1).max_length(kMaxLabelLength); }

const Schema& act_s() {
    static const Schema s = Schema::named(
        "Act", Schema::object({req("code", Schema::string().example("DEQP003")),
                               req("system", Schema::string().enumeration(systems())),
                               req("label", Schema::string()),
                               req("price_cents", Schema::integer()),
                               req("vat_rate_bp", Schema::integer()),
                               req("active", Schema::boolean()),
                               req("created_at", Schema::string().format("date-time")),
                               req("updated_at", Schema::string().format("date-time")),
                               req("version", Schema::integer())}));
    return s;
}

const Schema& code_param() {
    static const Schema s = Schema::string().pattern("^[A-Za-z0-9._-]{1,16}$");
    return s;
}

}  // namespace

int query_limit(const http::Request& r, int fallback) { return http::query_limit(r, fallback, 1000000); }

namespace {

Response act_response(int status, const Act& a) {
    Response r = Response::json(status, act_json(a));
    r.headers.set("ETag", http::etag_for(a.version));
    return r;
}

}  // namespace

void add_act_routes(http::Router& router, ActCatalogue& acts) {
    const auto billers = Access::roles_of({Role::admin, Role::accountant, Role::doctor});
    const auto admins = Access::roles_of({Role::admin});

    router.add({
        .method = Method::get,
        .path = "/api/v1/billing/acts",
        .operation_id = "searchActs",
        .summary = "Search the act catalogue (NGAP, CCAM, practice items)",
        .description = "`q` matches the beginning of a code or words of the label, ignoring case and accents "
                       "(\"electrocardio\" finds DEQP003, \"deqp\" too); an exact code comes first. Without `q`, the "
                       "catalogue is listed by code, a page at a time (`next_cursor`). Inactive codes are left out "
                       "unless `include_inactive=true`.",
        .tag = "billing",
        .access = billers,
        .params = {{"q", ParamIn::query, Schema::string().max_length(100), false, "Code prefix or label words"},
                   {"system", ParamIn::query, Schema::string().enumeration(systems()), false, "Only this nomenclature"},
                   {"include_inactive", ParamIn::query, Schema::boolean(), false, "Also deactivated codes"},
                   {"cursor", ParamIn::query, code_param(), false, "From a previous page (listing without q)"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false, "Page size (default 50, at most 200)"}},
        .responses = {{200, "Matching codes",
                       Schema::named("ActPage", Schema::object({req("items", Schema::array(act_s())),
                                                                req("next_cursor", Schema::string().nullable())}))}},
        .handler = [&acts](Request& r) {
            ActQuery q;
            q.terms = query_terms(r.query("q").value_or(""));
            if (q.terms.size() > 6) return http::problem(invalid_field("q", "too_many_terms", "use at most 6 words"), r.request_id);
            if (auto s = r.query("system")) q.system = parse_act_system(*s);
            q.include_inactive = r.query("include_inactive").value_or("false") == "true";
            q.after_code = normalize_code(r.query("cursor").value_or(""));
            q.limit = query_limit(r, q.limit);
            auto found = acts.search(r.caller(), q);
            if (!found) return http::problem(found.error(), r.request_id);
            json::array items;
            for (const auto& a : *found) items.push_back(act_json(a));
            json::value next = nullptr;
            int limit = std::clamp(q.limit, 1, ActCatalogue::kMaxPageSize);
            if (q.terms.empty() && static_cast<int>(found->size()) == limit) next = json::string(found->back().code);
            return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/billing/acts/{code}",
        .operation_id = "getAct",
        .summary = "Read one code of the catalogue",
        .tag = "billing",
        .access = billers,
        .params = {{"code", ParamIn::path, code_param(), true, "The code, e.g. G or DEQP003"}},
        .responses = {{200, "The code", act_s(), "application/json", {"ETag"}}},
        .handler = [&acts](Request& r) {
            auto a = acts.get(r.caller(), std::string(r.path_param("code")));
            if (!a) return http::problem(a.error(), r.request_id);
            return act_response(200, *a);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/billing/acts",
        .operation_id = "createAct",
        .summary = "Add a code to the catalogue (administrators)",
        .description = "CCAM codes are four letters and three digits; NGAP codes a letter key of up to 10 letters and "
                       "digits; OTHER items (certificates, expert reports) up to 16 characters. Prices are euro cents "
                       "excluding VAT; medical care is exempt (0).",
        .tag = "billing",
        .access = admins,
        .body = http::BodyDoc{Schema::named(
            "ActInput", Schema::object({req("code", Schema::string().min_length(1).max_length(16)),
                                        req("system", Schema::string().enumeration(systems())),
                                        req("label", label_s()),
                                        req("price_cents", price_s()),
                                        opt("vat_rate_bp", vat_s()),
                                        opt("active", Schema::boolean())}))},
        .responses = {{201, "Added", act_s(), "application/json", {"Location", "ETag"}}},
        .errors = {409},
        .handler = [&acts](Request& r) {
            const auto& b = r.json.as_object();
            Act a;
            a.code = jsonu::string_or(b, "code");
            a.system = parse_act_system(jsonu::string_or(b, "system")).value_or(ActSystem::other);
            a.label = jsonu::string_or(b, "label");
            a.price_cents = jsonu::opt_int(b, "price_cents").value_or(0);
            a.vat_rate_bp = static_cast<BasisPoints>(jsonu::opt_int(b, "vat_rate_bp").value_or(0));
            a.active = jsonu::opt_bool(b, "active").value_or(true);
            auto created = acts.create(r.caller(), a);
            if (!created) return http::problem(created.error(), r.request_id);
            Response resp = act_response(201, *created);
            resp.headers.set("Location", "/api/v1/billing/acts/" + created->code);
            return resp;
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/billing/acts/{code}",
        .operation_id = "updateAct",
        .summary = "Change a code's label, price, VAT rate or activity (administrators)",
        .description = "Invoices already issued keep the label and price they were issued with. Deactivate "
                       "(`active: false`) a code that is no longer billed; it stays readable. If-Match is optional: "
                       "when sent and stale, 412.",
        .tag = "billing",
        .access = admins,
        .params = {{"code", ParamIn::path, code_param(), true, "The code"},
                   {"If-Match", ParamIn::header, Schema::string(), false, "The ETag of the version being changed"}},
        .body = http::BodyDoc{Schema::named("ActPatch", Schema::object({opt("label", label_s()), opt("price_cents", price_s()),
                                                                        opt("vat_rate_bp", vat_s()), opt("active", Schema::boolean())})
                                                            .min_items(1))},
        .responses = {{200, "Changed", act_s(), "application/json", {"ETag"}}},
        .errors = {412},
        .handler = [&acts](Request& r) {
            auto version = http::if_match_version(r, false);
            if (!version) return http::problem(version.error(), r.request_id);
            const auto& b = r.json.as_object();
            ActPatch p;
            for (const auto& kv : b) p.fields.emplace_back(kv.key());
            p.label = jsonu::opt_string(b, "label");
            p.price_cents = jsonu::opt_int(b, "price_cents");
            if (auto v = jsonu::opt_int(b, "vat_rate_bp")) p.vat_rate_bp = static_cast<BasisPoints>(*v);
            p.active = jsonu::opt_bool(b, "active");
            auto a = acts.update(r.caller(), std::string(r.path_param("code")), *version, p);
            if (!a) return http::problem(a.error(), r.request_id);
            return act_response(200, *a);
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/billing/acts/{code}",
        .operation_id = "deleteAct",
        .summary = "Delete a code never invoiced (administrators)",
        .description = "A code that appears on any invoice or credit note is never deleted (409): deactivate it.",
        .tag = "billing",
        .access = admins,
        .params = {{"code", ParamIn::path, code_param(), true, "The code"}},
        .responses = {{204, "Deleted", std::nullopt, ""}},
        .errors = {409},
        .handler = [&acts](Request& r) {
            auto done = acts.remove(r.caller(), std::string(r.path_param("code")));
            if (!done) return http::problem(done.error(), r.request_id);
            return Response::empty(204);
        }});
}

}  // namespace medisecure::billing
