// SPDX-License-Identifier: Apache-2.0
// /api/v1/patients: register, read, edit (If-Match), archive, search.
#include "contexts/patients/http/routes.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <memory>

#include "core/text.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/rendered_bodies.hpp"
#include "platform/http/url.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::patients {
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

std::vector<std::string> sexes() { return {"female", "male", "other", "unknown"}; }
std::vector<std::string> statuses() { return {"provisional", "recovered", "validated", "qualified"}; }

Schema name_s() { return Schema::string().min_length(1).max_length(100); }
Schema text_s(std::size_t max) { return Schema::string().max_length(max); }
Schema phone_s() {
    return Schema::string().pattern(R"(^(\+?[0-9 .()-]{6,20})?$)").describe("Empty when unknown").example("+33 6 12 34 56 78");
}

const Schema& address_s() {
    static const Schema s = Schema::named(
        "Address", Schema::object({opt("line1", text_s(200)), opt("line2", text_s(200)), opt("postal_code", text_s(16)),
                                   opt("city", text_s(100)),
                                   opt("country", Schema::string().pattern("^[A-Z]{2}$").describe("ISO 3166-1 alpha-2; FR by default"))}));
    return s;
}
const Schema& emergency_s() {
    static const Schema s = Schema::named(
        "EmergencyContact", Schema::object({opt("name", text_s(200)), opt("relationship", text_s(100)), opt("phone", phone_s())}));
    return s;
}
const Schema& insurance_s() {
    static const Schema s = Schema::named(
        "Insurance", Schema::object({opt("amo_number", text_s(32).describe("Régime obligatoire beneficiary number")),
                                     opt("amo_fund", text_s(64).describe("Caisse, e.g. CPAM 751")),
                                     opt("amc_name", text_s(100).describe("Complémentaire (mutuelle)")),
                                     opt("amc_number", text_s(64))}));
    return s;
}

/// The writable fields; `required_core` makes names, sex and birth date required (create).
std::vector<schema::Property> writable(bool create) {
    auto core = [&](std::string n, Schema s) { return create ? req(std::move(n), std::move(s)) : opt(std::move(n), std::move(s)); };
    auto clearable = [&](Schema s) { return create ? s : s.nullable(); };
    return {
        core("first_name", name_s().describe("Given names, the first one first")),
        core("last_name", name_s().describe("Nom d'usage")),
        opt("birth_name", clearable(text_s(100).describe("Nom de naissance, when it differs"))),
        core("sex", Schema::string().enumeration(sexes())),
        core("birth_date", Schema::string().format("date")),
        opt("birth_place_code", clearable(text_s(5).describe("INSEE code of the commune of birth"))),
        opt("nir", clearable(Schema::string().max_length(21).describe("NIR, 15 characters with the key; spaces allowed").example("2 84 05 2A 004 123 38"))),
        opt("ins_oid", clearable(Schema::string().enumeration(ins_oids()).describe("INS OID: NIR, NIA or their test ranges"))),
        opt("identity_status", Schema::string().enumeration(statuses())),
        opt("email", clearable(Schema::string().format("email").max_length(254))),
        opt("phone", clearable(phone_s())),
        opt("address", clearable(address_s())),
        opt("emergency_contact", clearable(emergency_s())),
        opt("insurance", clearable(insurance_s())),
        opt("preferred_language", Schema::string().pattern("^[a-z]{2}$").describe("ISO 639-1, e.g. fr, en")),
        opt("primary_practitioner_id", clearable(Schema::string().format("uuid"))),
    };
}

const Schema& patient_s() {
    static const Schema s = Schema::named(
        "Patient",
        Schema::object({
            req("id", Schema::string().format("uuid")),
            req("mrn", Schema::string().describe("Medical record number, with a check digit")),
            req("first_name", Schema::string()),
            req("last_name", Schema::string()),
            req("birth_name", Schema::string().nullable()),
            req("sex", Schema::string().enumeration(sexes())),
            req("birth_date", Schema::string().format("date")),
            req("age", Schema::integer()),
            opt("birth_place_code", Schema::string().nullable()),
            req("nir", Schema::string().nullable()),
            opt("ins_oid", Schema::string().nullable()),
            opt("identity_status", Schema::string().enumeration(statuses())),
            opt("email", Schema::string().nullable()),
            opt("phone", Schema::string().nullable()),
            req("address", address_s()),
            opt("emergency_contact", emergency_s()),
            req("insurance", insurance_s()),
            opt("preferred_language", Schema::string()),
            opt("primary_practitioner_id", Schema::string().nullable()),
            req("archived", Schema::boolean()),
            req("created_at", Schema::string().format("date-time")),
            req("updated_at", Schema::string().format("date-time")),
            req("version", Schema::integer()),
        }).describe("Accountants receive the identity and insurance an invoice needs; the optional fields are left out."));
    return s;
}

const Schema& summary_s() {
    static const Schema s = Schema::named(
        "PatientSummary",
        Schema::object({req("id", Schema::string().format("uuid")), req("mrn", Schema::string()),
                        req("first_name", Schema::string()), req("last_name", Schema::string()),
                        req("birth_name", Schema::string().nullable()), req("sex", Schema::string().enumeration(sexes())),
                        req("birth_date", Schema::string().format("date")), req("age", Schema::integer()),
                        req("archived", Schema::boolean())}));
    return s;
}

json::value nul(const std::string& v) { return jsonu::nullable_if_empty(v); }

int age_of(const Patient& p) {
    return years_between(p.birth_date, date_of(SystemClock{}.now()));
}

json::object address_json(const Address& a) {
    return {{"line1", a.line1}, {"line2", a.line2}, {"postal_code", a.postal_code}, {"city", a.city}, {"country", a.country}};
}

json::object patient_json(const Patient& p, PatientView view) {
    json::object o{{"id", p.id},
                   {"mrn", p.mrn},
                   {"first_name", p.first_name},
                   {"last_name", p.last_name},
                   {"birth_name", nul(p.birth_name)},
                   {"sex", to_string(p.sex)},
                   {"birth_date", format_date(p.birth_date)},
                   {"age", age_of(p)},
                   {"nir", nul(p.nir)},
                   {"address", address_json(p.address)},
                   {"insurance", json::object{{"amo_number", p.insurance.amo_number},
                                              {"amo_fund", p.insurance.amo_fund},
                                              {"amc_name", p.insurance.amc_name},
                                              {"amc_number", p.insurance.amc_number}}},
                   {"archived", p.archived},
                   {"created_at", format_instant(p.created_at)},
                   {"updated_at", format_instant(p.updated_at)},
                   {"version", p.version}};
    if (view == PatientView::full) {
        o["birth_place_code"] = nul(p.birth_place_code);
        o["ins_oid"] = nul(p.ins_oid);
        o["identity_status"] = to_string(p.identity_status);
        o["email"] = nul(p.email);
        o["phone"] = nul(p.phone);
        o["emergency_contact"] = json::object{{"name", p.emergency_contact.name},
                                              {"relationship", p.emergency_contact.relationship},
                                              {"phone", p.emergency_contact.phone}};
        o["preferred_language"] = p.preferred_language;
        o["primary_practitioner_id"] = nul(p.primary_practitioner_id);
    }
    return o;
}

json::object summary_json(const Patient& p) {
    return {{"id", p.id},       {"mrn", p.mrn},          {"first_name", p.first_name},
            {"last_name", p.last_name}, {"birth_name", nul(p.birth_name)}, {"sex", to_string(p.sex)},
            {"birth_date", format_date(p.birth_date)}, {"age", age_of(p)}, {"archived", p.archived}};
}

/// What a patient's body shows, for RenderedBodies: the record's version and update instant, and
/// the day (the age depends on it). `out` gets it appended.
void stamp_of(std::string& out, const Patient& p) {
    out += p.id;
    out += ':';
    out += std::to_string(p.version);
    out += ':';
    out += std::to_string(to_micros(p.updated_at));
    out += ';';
}
std::string day_stamp() {
    return std::to_string(
               std::chrono::sys_days(date_of(SystemClock{}.now())).time_since_epoch().count()) +
           ';';
}

/// The record's body; kept in `rendered` when given (reads and edits, whose next read is likely),
/// built directly otherwise (a registration: keeping it would push out a body being read).
Response patient_response(int status, const Patient& p, const Caller& caller,
                          http::RenderedBodies* rendered) {
    auto view = PatientService::view_for(caller.role);
    auto make = [&] { return json::serialize(patient_json(p, view)); };
    std::string body;
    if (rendered) {
        auto stamp = day_stamp();
        stamp_of(stamp, p);
        body = rendered->body(std::to_string(static_cast<int>(view)) + p.id, stamp, make);
    } else {
        body = make();
    }
    Response r = Response::text(status, std::move(body), "application/json");
    r.headers.set("ETag", http::etag_for(p.version));
    return r;
}

Address address_from(const json::object* o) {
    Address a;
    if (!o) return a;
    a.line1 = trim(jsonu::string_or(*o, "line1"));
    a.line2 = trim(jsonu::string_or(*o, "line2"));
    a.postal_code = trim(jsonu::string_or(*o, "postal_code"));
    a.city = trim(jsonu::string_or(*o, "city"));
    a.country = jsonu::string_or(*o, "country", "FR");
    return a;
}
EmergencyContact emergency_from(const json::object* o) {
    EmergencyContact e;
    if (!o) return e;
    e.name = trim(jsonu::string_or(*o, "name"));
    e.relationship = trim(jsonu::string_or(*o, "relationship"));
    e.phone = trim(jsonu::string_or(*o, "phone"));
    return e;
}
Insurance insurance_from(const json::object* o) {
    Insurance i;
    if (!o) return i;
    i.amo_number = trim(jsonu::string_or(*o, "amo_number"));
    i.amo_fund = trim(jsonu::string_or(*o, "amo_fund"));
    i.amc_name = trim(jsonu::string_or(*o, "amc_name"));
    i.amc_number = trim(jsonu::string_or(*o, "amc_number"));
    return i;
}

Patient patient_from(const json::object& b) {
    Patient p;
    p.first_name = jsonu::string_or(b, "first_name");
    p.last_name = jsonu::string_or(b, "last_name");
    p.birth_name = jsonu::string_or(b, "birth_name");
    p.sex = parse_sex(jsonu::string_or(b, "sex")).value_or(Sex::unknown);
    p.birth_date = parse_date(jsonu::string_or(b, "birth_date")).value_or(Date{});
    p.birth_place_code = jsonu::string_or(b, "birth_place_code");
    p.nir = jsonu::string_or(b, "nir");
    p.ins_oid = jsonu::string_or(b, "ins_oid");
    p.identity_status = parse_identity_status(jsonu::string_or(b, "identity_status")).value_or(IdentityStatus::provisional);
    p.email = jsonu::string_or(b, "email");
    p.phone = jsonu::string_or(b, "phone");
    p.address = address_from(jsonu::opt_object(b, "address"));
    if (p.address.country.empty()) p.address.country = "FR";
    p.emergency_contact = emergency_from(jsonu::opt_object(b, "emergency_contact"));
    p.insurance = insurance_from(jsonu::opt_object(b, "insurance"));
    p.preferred_language = jsonu::string_or(b, "preferred_language", "fr");
    p.primary_practitioner_id = jsonu::string_or(b, "primary_practitioner_id");
    return p;
}

PatientPatch patch_from(const json::object& b) {
    PatientPatch pp;
    for (const auto& kv : b) pp.fields.emplace_back(kv.key());
    auto str = [&](const char* k, std::optional<std::string>& out) {
        if (jsonu::has(b, k)) out = jsonu::string_or(b, k);  // null clears
    };
    str("first_name", pp.first_name);
    str("last_name", pp.last_name);
    str("birth_name", pp.birth_name);
    if (auto v = jsonu::opt_string(b, "sex")) pp.sex = parse_sex(*v);
    if (auto v = jsonu::opt_string(b, "birth_date")) pp.birth_date = parse_date(*v);
    str("birth_place_code", pp.birth_place_code);
    str("nir", pp.nir);
    str("ins_oid", pp.ins_oid);
    if (auto v = jsonu::opt_string(b, "identity_status")) pp.identity_status = parse_identity_status(*v);
    str("email", pp.email);
    str("phone", pp.phone);
    if (jsonu::has(b, "address")) {
        pp.address = address_from(jsonu::opt_object(b, "address"));
        if (pp.address->country.empty()) pp.address->country = "FR";
    }
    if (jsonu::has(b, "emergency_contact")) pp.emergency_contact = emergency_from(jsonu::opt_object(b, "emergency_contact"));
    if (jsonu::has(b, "insurance")) pp.insurance = insurance_from(jsonu::opt_object(b, "insurance"));
    if (auto v = jsonu::opt_string(b, "preferred_language")) pp.preferred_language = *v;
    str("primary_practitioner_id", pp.primary_practitioner_id);
    return pp;
}

std::string encode_cursor(const SearchCursor& c) { return crypto::base64url_encode(c.sort_key + "\n" + c.id); }

std::optional<SearchCursor> decode_cursor(std::string_view text) {
    auto raw = crypto::base64url_decode(text);
    if (!raw) return std::nullopt;
    auto nl = raw->find('\n');
    if (nl == std::string::npos) return std::nullopt;
    return SearchCursor{raw->substr(0, nl), raw->substr(nl + 1)};
}

const Schema& id_param() {
    static const Schema s = Schema::string().format("uuid");
    return s;
}

const Schema& duplicate_problem_s() {
    static const Schema s = Schema::named(
        "PossibleDuplicateProblem",
        http::problem_object({schema::req(
            "candidates",
            Schema::array(Schema::named(
                              "DuplicateCandidate",
                              Schema::object({req("id", Schema::string().format("uuid")),
                                              req("mrn", Schema::string()),
                                              req("first_name", Schema::string()),
                                              req("last_name", Schema::string()),
                                              req("birth_date", Schema::string().format("date")),
                                              req("reason", Schema::string().enumeration({"same_name_and_birth_date", "same_nir"}))})))
                .describe("Existing patients that look like the same person"))}));
    return s;
}

/// A search's parameters, from any source of query values (validated by the pipeline first,
/// except in the light probe, which only needs to know whether the answer is cached).
Result<PatientQuery> search_query(const std::function<std::optional<std::string>(std::string_view)>& get) {
    PatientQuery q;
    q.terms = query_terms(get("q").value_or(""));
    if (q.terms.size() > 6) return invalid_field("q", "too_many_terms", "use at most 6 words");
    if (auto v = get("birth_date")) q.birth_date = parse_date(*v);
    q.mrn = get("mrn").value_or("");
    q.nir = get("nir").value_or("");
    q.include_archived = get("include_archived").value_or("false") == "true";
    if (auto c = get("cursor")) {
        q.after = decode_cursor(*c);
        if (!q.after) return invalid_field("cursor", "invalid", "is not a cursor from this API");
    }
    if (auto l = get("limit")) {
        int n = 0;
        auto [end, ec] = std::from_chars(l->data(), l->data() + l->size(), n);
        if (ec != std::errc{} || end != l->data() + l->size()) return invalid_field("limit", "invalid", "is not an integer");
        q.limit = n;
    }
    return q;
}

}  // namespace

void add_routes(http::Router& router, PatientService& service) {
    // As many bodies as the embedded patient cache holds records (20,000 by default), and as many
    // search pages as it holds results.
    auto rendered = std::make_shared<http::RenderedBodies>(20000);
    auto pages = std::make_shared<http::RenderedBodies>(512);
    const auto staff_write = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary});
    const auto readers = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::accountant, Role::patient});

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients",
        .operation_id = "registerPatient",
        .summary = "Register a patient",
        .description = "Refuses a probable duplicate (same normalised names and birth date, or same NIR) with 409 and "
                       "the candidates, unless `allow_duplicate=true` says it is a different person.",
        .tag = "patients",
        .access = staff_write,
        .params = {{"allow_duplicate", ParamIn::query, Schema::boolean(), false, "Register even if it looks like a duplicate"}},
        .body = http::BodyDoc{Schema::named("PatientInput", Schema::object(writable(true)))},
        .responses = {{201, "Registered", patient_s(), "application/json", {"Location", "ETag"}},
                      {409, "A probable duplicate exists: the candidates are listed", duplicate_problem_s(),
                       "application/problem+json"}},
        .handler = [&service](Request& r) {
            bool allow = r.query("allow_duplicate").value_or("false") == "true";
            auto p = service.register_patient(r.caller(), patient_from(r.json.as_object()), allow);
            if (!p) return http::problem(p.error(), r.request_id);
            Response resp = patient_response(201, *p, r.caller(), nullptr);
            resp.headers.set("Location", "/api/v1/patients/" + p->id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}",
        .operation_id = "getPatient",
        .summary = "Read a patient's record",
        .description = "A patient reaches only their own record; any other id answers 404 like a missing one.",
        .tag = "patients",
        .access = readers,
        .params = {{"id", ParamIn::path, id_param(), true, "Patient id"}},
        .responses = {{200, "The record", patient_s(), "application/json", {"ETag"}}},
        .light = true,  // a cache hit, or one read by primary key
        .handler = [&service, rendered](Request& r) {
            auto p = service.get(r.caller(), std::string(r.path_param("id")));
            if (!p) return http::problem(p.error(), r.request_id);
            return patient_response(200, *p, r.caller(), rendered.get());
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/patients/{id}",
        .operation_id = "updatePatient",
        .summary = "Change a patient's record (merge patch, If-Match required)",
        .description = "Only the fields sent change; `null` clears an optional field; address, emergency_contact and "
                       "insurance are replaced as a whole. Send the ETag you read in If-Match: 412 when someone "
                       "changed the record meanwhile, 428 without it. A patient may change only email, phone, "
                       "address, emergency_contact and preferred_language of their own record.",
        .tag = "patients",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient}),
        .params = {{"id", ParamIn::path, id_param(), true, "Patient id"},
                   {"If-Match", ParamIn::header, Schema::string(), true, "The ETag of the version being changed"}},
        .body = http::BodyDoc{Schema::named("PatientPatch", Schema::object(writable(false)).min_items(1))},
        .responses = {{200, "Changed", patient_s(), "application/json", {"ETag"}}},
        .errors = {403, 412, 428},
        .handler = [&service, rendered](Request& r) {
            auto version = http::if_match_version(r, true);
            if (!version) return http::problem(version.error(), r.request_id);
            if (!*version)
                return http::problem({ErrorKind::precondition_required, "if_match_required",
                                      "Send the ETag you read (not *) in an If-Match header."},
                                     r.request_id);
            auto p = service.update(r.caller(), std::string(r.path_param("id")), **version, patch_from(r.json.as_object()));
            if (!p) return http::problem(p.error(), r.request_id);
            return patient_response(200, *p, r.caller(), rendered.get());
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/patients/{id}",
        .operation_id = "archivePatient",
        .summary = "Archive a patient (records are never deleted)",
        .tag = "patients",
        .access = Access::roles_of({Role::admin}),
        .params = {{"id", ParamIn::path, id_param(), true, "Patient id"}},
        .responses = {{204, "Archived", std::nullopt, ""}},
        .handler = [&service](Request& r) {
            auto p = service.archive(r.caller(), std::string(r.path_param("id")));
            if (!p) return http::problem(p.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients",
        .operation_id = "searchPatients",
        .summary = "Find patients by name prefix, birth date, MRN or NIR",
        .description = "`q` matches the beginnings of names, ignoring case and accents: \"helene\" finds Hélène, "
                       "\"dupont mar\" finds Marie Dupont. Results are ordered by last then first name; pass "
                       "`next_cursor` back as `cursor` for the next page.",
        .tag = "patients",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::accountant}),
        .params = {{"q", ParamIn::query, Schema::string().max_length(100), false, "Name prefixes"},
                   {"birth_date", ParamIn::query, Schema::string().format("date"), false, "Exact birth date"},
                   {"mrn", ParamIn::query, Schema::string().max_length(16), false, "Exact MRN"},
                   {"nir", ParamIn::query, Schema::string().max_length(21), false, "Exact NIR"},
                   {"include_archived", ParamIn::query, Schema::boolean(), false, "Also archived records"},
                   {"cursor", ParamIn::query, Schema::string().max_length(400), false, "From a previous page"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false,
                    "Page size (default 20; larger values are capped at 100)"}},
        .responses = {{200, "A page of matches",
                       Schema::named("PatientPage", Schema::object({req("items", Schema::array(summary_s())),
                                                                    req("next_cursor", Schema::string().nullable())}))}},
        // Answered on the connection's thread when the page is cached (most repeated searches).
        .light_when = [&service](const Request& r) {
            auto params = http::parse_query(r.query_string);
            if (!params) return false;
            auto q = search_query([&](std::string_view name) -> std::optional<std::string> {
                for (const auto& [k, v] : *params)
                    if (k == name) return v;
                return std::nullopt;
            });
            return q && service.search_cached(std::move(*q));
        },
        .handler = [&service, pages](Request& r) {
            auto q = search_query([&](std::string_view name) { return r.query(name); });
            if (!q) return http::problem(q.error(), r.request_id);
            auto page = service.search(r.caller(), std::move(*q));
            if (!page) return http::problem(page.error(), r.request_id);
            // A page is the same for every role allowed here: it shows the patients' summaries.
            auto stamp = day_stamp();
            for (const auto& p : page->patients) stamp_of(stamp, p);
            if (page->next) stamp += "next";
            auto body = pages->body(std::string(r.query_string), stamp, [&] {
                json::array items;
                for (const auto& p : page->patients) items.push_back(summary_json(p));
                return json::serialize(json::object{
                    {"items", std::move(items)},
                    {"next_cursor", page->next ? json::value(encode_cursor(*page->next)) : json::value(nullptr)}});
            });
            return Response::text(200, std::move(body), "application/json");
        }});
}

}  // namespace medisecure::patients
