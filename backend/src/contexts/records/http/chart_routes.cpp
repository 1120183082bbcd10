// SPDX-License-Identifier: Apache-2.0
// Vitals, allergies, conditions, the clinical summary and the ICD-10 search.
#include <boost/json.hpp>

#include "contexts/records/app/record_json.hpp"
#include "contexts/records/http/io.hpp"
#include "contexts/records/http/routes.hpp"
#include "contexts/records/http/schemas.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::records::detail {

namespace json = boost::json;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::Schema;

namespace {


template <class T>
Response one(int status, const T& item, const NameLookup& names,
             json::object (*render)(const T&, const views::Names&)) {
    std::set<std::string> ids;
    views::people_of(item, ids);
    Response r = Response::json(status, render(item, names(ids)));
    r.headers.set("ETag", http::etag_for(item.version));
    return r;
}

template <class T>
Response many(const std::vector<T>& list, const NameLookup& names, json::object (*render)(const T&, const views::Names&)) {
    std::set<std::string> ids;
    for (const auto& x : list) views::people_of(x, ids);
    auto who = names(ids);
    json::array items;
    for (const auto& x : list) items.push_back(render(x, who));
    return Response::json(200, json::object{{"items", std::move(items)}});
}

json::array vitals_array(const std::vector<VitalsEntry>& list, const views::Names& who) {
    json::array items;
    for (const auto& v : list) items.push_back(views::vitals_json(v, who));
    return items;
}

std::optional<Date> date_of_member(const json::object& b, std::string_view key) {
    auto s = jsonu::opt_string(b, key);
    return s ? parse_date(*s) : std::nullopt;
}

std::vector<std::string> keys_of(const json::object& b) {
    std::vector<std::string> out;
    for (const auto& kv : b) out.emplace_back(kv.key());
    return out;
}

}  // namespace

void add_chart_routes(http::Router& router, ChartService& service, CodeCatalog& codes, const NameLookup& names) {
    router.add({
        .method = Method::get,
        .path = "/api/v1/codes/icd10",
        .operation_id = "searchIcd10",
        .summary = "Search ICD-10 codes",
        .description = "`q` is the beginning of a code (\"J45\", \"e11.9\") or words of a label, ignoring case and "
                       "accents (\"diabete type 2\", \"angine\"). Results are ordered by code.",
        .tag = "records",
        .access = http::Access::roles_of({Role::doctor, Role::nurse}),
        .params = {{"q", ParamIn::query, Schema::string().min_length(1).max_length(100), true, "A code prefix or label words"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false, "At most this many (default 20, at most 50)"}},
        .responses = {{200, "Matching codes", schemas::code_list()}},
        .handler = [&codes](Request& r) {
            int limit = http::query_limit(r, 20, 1000);
            auto found = codes.search(r.caller(), r.query("q").value_or(""), limit);
            if (!found) return http::problem(found.error(), r.request_id);
            json::array items;
            for (const auto& c : *found) items.push_back(json::object{{"code", c.code}, {"label", c.label}});
            return Response::json(200, json::object{{"items", std::move(items)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients/{id}/vitals",
        .operation_id = "recordVitals",
        .summary = "Record vital signs or an observation",
        .description = "Nurses and doctors. Each measure has its unit in its name and must be plausible (422 with the "
                       "field otherwise); blood pressure needs both values; BMI is derived.",
        .tag = "records",
        .access = io::care_staff(),
        .params = {io::id_param("Patient id")},
        .body = http::BodyDoc{schemas::vitals_input()},
        .responses = {{201, "Recorded", schemas::vitals()}},
        .handler = [&service, names](Request& r) {
            const auto& b = r.json.as_object();
            VitalSigns v;
            v.patient_id = std::string(r.path_param("id"));
            v.encounter_id = jsonu::string_or(b, "encounter_id");
            auto as_int = [&](const char* k) {
                auto x = jsonu::opt_int(b, k);
                return x ? std::optional<int>(static_cast<int>(*x)) : std::nullopt;
            };
            v.systolic_mmhg = as_int("systolic_mmhg");
            v.diastolic_mmhg = as_int("diastolic_mmhg");
            v.heart_rate_bpm = as_int("heart_rate_bpm");
            v.spo2_pct = as_int("spo2_pct");
            v.temperature_c = jsonu::opt_number(b, "temperature_c");
            v.weight_kg = jsonu::opt_number(b, "weight_kg");
            v.height_cm = jsonu::opt_number(b, "height_cm");
            v.note = jsonu::string_or(b, "note");
            auto entry = service.record_vitals(r.caller(), std::move(v), io::instant_of(b, "taken_at"));
            if (!entry) return http::problem(entry.error(), r.request_id);
            std::set<std::string> ids;
            views::people_of(entry->vitals, ids);
            return Response::json(201, views::vitals_json(*entry, names(ids)));
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/vitals",
        .operation_id = "listVitals",
        .summary = "A patient's vital signs over time (for charts)",
        .description = "Oldest first: the most recent `limit` records taken between `from` and `to`.",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Patient id"),
                   {"from", ParamIn::query, Schema::string().format("date-time"), false, "Taken at or after"},
                   {"to", ParamIn::query, Schema::string().format("date-time"), false, "Taken at or before"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1), false, "Default 500, at most 1000"}},
        .responses = {{200, "Vitals", schemas::vitals_list()}},
        .handler = [&service, names](Request& r) {
            VitalsQuery q;
            q.patient_id = std::string(r.path_param("id"));
            if (auto f = r.query("from")) q.from = parse_instant(*f);
            if (auto t = r.query("to")) q.to = parse_instant(*t);
            q.limit = http::query_limit(r, q.limit, 100000);
            auto list = service.vitals(r.caller(), q);
            if (!list) return http::problem(list.error(), r.request_id);
            std::set<std::string> ids;
            for (const auto& v : *list) views::people_of(v.vitals, ids);
            return Response::json(200, json::object{{"items", vitals_array(*list, names(ids))}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients/{id}/allergies",
        .operation_id = "addAllergy",
        .summary = "Record an allergy",
        .tag = "records",
        .access = io::care_staff(),
        .params = {io::id_param("Patient id")},
        .body = http::BodyDoc{schemas::allergy_input()},
        .responses = {{201, "Recorded", schemas::allergy(), "application/json", {"ETag"}}},
        .handler = [&service, names](Request& r) {
            const auto& b = r.json.as_object();
            Allergy a;
            a.patient_id = std::string(r.path_param("id"));
            a.substance = jsonu::string_or(b, "substance");
            a.reaction = jsonu::string_or(b, "reaction");
            a.severity = parse_severity(jsonu::string_or(b, "severity", "moderate")).value_or(Severity::moderate);
            a.status = parse_chart_status(jsonu::string_or(b, "status", "active")).value_or(ChartStatus::active);
            a.noted_on = date_of_member(b, "noted_on");
            auto added = service.add_allergy(r.caller(), std::move(a));
            if (!added) return http::problem(added.error(), r.request_id);
            return one<Allergy>(201, *added, names, views::allergy_json);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/allergies",
        .operation_id = "listAllergies",
        .summary = "A patient's allergies, active ones first",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Patient id")},
        .responses = {{200, "Allergies", schemas::allergy_list()}},
        .handler = [&service, names](Request& r) {
            auto list = service.allergies(r.caller(), std::string(r.path_param("id")));
            if (!list) return http::problem(list.error(), r.request_id);
            return many<Allergy>(*list, names, views::allergy_json);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/allergies/{id}",
        .operation_id = "updateAllergy",
        .summary = "Change an allergy (If-Match required)",
        .description = "E.g. `{\"status\":\"resolved\"}`; `noted_on: null` clears the date.",
        .tag = "records",
        .access = io::care_staff(),
        .params = {io::id_param("Allergy id"), io::if_match_param()},
        .body = http::BodyDoc{schemas::allergy_patch()},
        .responses = {{200, "Changed", schemas::allergy(), "application/json", {"ETag"}}},
        .errors = {412, 428},
        .handler = [&service, names](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            const auto& b = r.json.as_object();
            AllergyPatch p;
            p.fields = keys_of(b);
            if (auto s = jsonu::opt_string(b, "substance")) p.substance = *s;
            if (auto s = jsonu::opt_string(b, "reaction")) p.reaction = *s;
            if (auto s = jsonu::opt_string(b, "severity")) p.severity = parse_severity(*s);
            if (auto s = jsonu::opt_string(b, "status")) p.status = parse_chart_status(*s);
            if (b.contains("noted_on")) p.noted_on = date_of_member(b, "noted_on");
            auto a = service.update_allergy(r.caller(), std::string(r.path_param("id")), *version, p);
            if (!a) return http::problem(a.error(), r.request_id);
            return one<Allergy>(200, *a, names, views::allergy_json);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients/{id}/conditions",
        .operation_id = "addCondition",
        .summary = "Add a condition to the problem list",
        .description = "Doctors only. The label defaults to the code table's.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Patient id")},
        .body = http::BodyDoc{schemas::condition_input()},
        .responses = {{201, "Added", schemas::condition(), "application/json", {"ETag"}}},
        .handler = [&service, names](Request& r) {
            const auto& b = r.json.as_object();
            Condition c;
            c.patient_id = std::string(r.path_param("id"));
            c.code = jsonu::string_or(b, "code");
            c.label = jsonu::string_or(b, "label");
            c.onset_date = date_of_member(b, "onset_date");
            c.status = parse_chart_status(jsonu::string_or(b, "status", "active")).value_or(ChartStatus::active);
            c.note = jsonu::string_or(b, "note");
            c.encounter_id = jsonu::string_or(b, "encounter_id");
            auto added = service.add_condition(r.caller(), std::move(c));
            if (!added) return http::problem(added.error(), r.request_id);
            return one<Condition>(201, *added, names, views::condition_json);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/conditions",
        .operation_id = "listConditions",
        .summary = "A patient's problem list, active conditions first",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Patient id")},
        .responses = {{200, "Conditions", schemas::condition_list()}},
        .handler = [&service, names](Request& r) {
            auto list = service.conditions(r.caller(), std::string(r.path_param("id")));
            if (!list) return http::problem(list.error(), r.request_id);
            return many<Condition>(*list, names, views::condition_json);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/conditions/{id}",
        .operation_id = "updateCondition",
        .summary = "Change a condition (If-Match required)",
        .description = "E.g. `{\"status\":\"resolved\"}`. A new code without a label takes the code table's.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Condition id"), io::if_match_param()},
        .body = http::BodyDoc{schemas::condition_patch()},
        .responses = {{200, "Changed", schemas::condition(), "application/json", {"ETag"}}},
        .errors = {412, 428},
        .handler = [&service, names](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            const auto& b = r.json.as_object();
            ConditionPatch p;
            p.fields = keys_of(b);
            if (auto s = jsonu::opt_string(b, "code")) p.code = *s;
            if (auto s = jsonu::opt_string(b, "label")) p.label = *s;
            if (auto s = jsonu::opt_string(b, "note")) p.note = *s;
            if (auto s = jsonu::opt_string(b, "status")) p.status = parse_chart_status(*s);
            if (b.contains("onset_date")) p.onset_date = date_of_member(b, "onset_date");
            auto c = service.update_condition(r.caller(), std::string(r.path_param("id")), *version, p);
            if (!c) return http::problem(c.error(), r.request_id);
            return one<Condition>(200, *c, names, views::condition_json);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/summary",
        .operation_id = "getClinicalSummary",
        .summary = "A patient's clinical summary in one call",
        .description = "Active allergies and conditions, the latest value of each vital sign and the last records, "
                       "active prescriptions and the last encounters the caller may see.",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Patient id")},
        .responses = {{200, "The summary", schemas::summary()}},
        .handler = [&service, names](Request& r) {
            auto s = service.summary(r.caller(), std::string(r.path_param("id")));
            if (!s) return http::problem(s.error(), r.request_id);
            std::set<std::string> ids;
            for (const auto& a : s->allergies) views::people_of(a, ids);
            for (const auto& c : s->conditions) views::people_of(c, ids);
            for (const auto& v : s->recent_vitals) views::people_of(v.vitals, ids);
            for (const auto& p : s->prescriptions) views::people_of(p, ids);
            for (const auto& e : s->encounters) views::people_of(e, ids);
            auto who = names(ids);
            json::array allergies, conditions, prescriptions, encounters;
            for (const auto& a : s->allergies) allergies.push_back(views::allergy_json(a, who));
            for (const auto& c : s->conditions) conditions.push_back(views::condition_json(c, who));
            for (const auto& p : s->prescriptions) prescriptions.push_back(views::prescription_json(p, who));
            for (const auto& e : s->encounters) encounters.push_back(views::encounter_item_json(e, who));
            return Response::json(200, json::object{{"patient_id", s->patient_id},
                                                    {"allergies", std::move(allergies)},
                                                    {"conditions", std::move(conditions)},
                                                    {"latest_vitals", views::latest_json(s->latest)},
                                                    {"recent_vitals", vitals_array(s->recent_vitals, who)},
                                                    {"prescriptions", std::move(prescriptions)},
                                                    {"encounters", std::move(encounters)}});
        }});
}

}  // namespace medisecure::records::detail
