// SPDX-License-Identifier: Apache-2.0
// Encounters (drafts, signature, amendments), prescriptions and their PDF.
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

std::vector<http::Param> page_params_doc() {
    return {{"cursor", ParamIn::query, Schema::string().max_length(200), false, "`next_cursor` of the previous page"},
            {"limit", ParamIn::query, Schema::integer().minimum(1), false, "Page size (default 20, at most 100)"}};
}

Response encounter_response(int status, const EncounterRecord& rec, const NameLookup& names) {
    std::set<std::string> ids;
    views::people_of(rec.encounter, ids);
    Response r = Response::json(status, views::encounter_json(rec.encounter, names(ids), rec.view, rec.intact));
    r.headers.set("ETag", http::etag_for(rec.encounter.version));
    return r;
}

Response page_response(const EncounterPage& page, const NameLookup& names) {
    std::set<std::string> ids;
    for (const auto& e : page.items) views::people_of(e, ids);
    auto who = names(ids);
    json::array items;
    for (const auto& e : page.items) items.push_back(views::encounter_item_json(e, who));
    return Response::json(200, json::object{{"items", std::move(items)},
                                            {"next_cursor", page.next ? json::value(io::encode_cursor(*page.next))
                                                                      : json::value(nullptr)}});
}

Response prescription_response(const Prescription& p, const NameLookup& names) {
    std::set<std::string> ids;
    views::people_of(p, ids);
    Response r = Response::json(200, views::prescription_json(p, names(ids)));
    r.headers.set("ETag", http::etag_for(p.version));
    return r;
}

SoapNotes notes_from(const json::object* n) {
    SoapNotes out;
    if (!n) return out;
    out.subjective = jsonu::string_or(*n, "subjective");
    out.objective = jsonu::string_or(*n, "objective");
    out.assessment = jsonu::string_or(*n, "assessment");
    out.plan = jsonu::string_or(*n, "plan");
    return out;
}

EncounterPatch patch_from(const json::object& b) {
    EncounterPatch p;
    for (const auto& kv : b) p.fields.emplace_back(kv.key());
    if (jsonu::has(b, "appointment_id")) p.appointment_id = jsonu::string_or(b, "appointment_id");  // null clears
    if (auto s = jsonu::opt_string(b, "reason")) p.reason = *s;
    p.occurred_at = io::instant_of(b, "occurred_at");
    if (const auto* n = jsonu::opt_object(b, "notes")) {
        if (auto s = jsonu::opt_string(*n, "subjective")) p.subjective = *s;
        if (auto s = jsonu::opt_string(*n, "objective")) p.objective = *s;
        if (auto s = jsonu::opt_string(*n, "assessment")) p.assessment = *s;
        if (auto s = jsonu::opt_string(*n, "plan")) p.plan = *s;
    }
    if (b.contains("diagnoses")) p.diagnoses = io::diagnoses_from(b.if_contains("diagnoses"));
    if (b.contains("prescriptions")) p.prescriptions = io::prescriptions_from(b.if_contains("prescriptions"));
    return p;
}

}  // namespace

void add_encounter_routes(http::Router& router, EncounterService& service, const NameLookup& names) {
    router.add({
        .method = Method::post,
        .path = "/api/v1/encounters",
        .operation_id = "createEncounter",
        .summary = "Start a consultation (a draft)",
        .description = "Doctors only; the caller becomes the author. Diagnoses take the code table's label when none "
                       "is given; prescriptions written here are signed with the encounter.",
        .tag = "records",
        .access = io::doctors(),
        .body = http::BodyDoc{schemas::encounter_input()},
        .responses = {{201, "The draft", schemas::encounter(), "application/json", {"Location", "ETag"}}},
        .handler = [&service, names](Request& r) {
            const auto& b = r.json.as_object();
            EncounterInput in;
            in.patient_id = jsonu::string_or(b, "patient_id");
            in.appointment_id = jsonu::string_or(b, "appointment_id");
            in.occurred_at = io::instant_of(b, "occurred_at");
            in.reason = jsonu::string_or(b, "reason");
            in.notes = notes_from(jsonu::opt_object(b, "notes"));
            in.diagnoses = io::diagnoses_from(b.if_contains("diagnoses"));
            in.prescriptions = io::prescriptions_from(b.if_contains("prescriptions"));
            auto rec = service.create(r.caller(), std::move(in));
            if (!rec) return http::problem(rec.error(), r.request_id);
            Response resp = encounter_response(201, *rec, names);
            resp.headers.set("Location", "/api/v1/encounters/" + rec->encounter.id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/encounters/drafts",
        .operation_id = "listMyDrafts",
        .summary = "The calling doctor's unsigned drafts",
        .tag = "records",
        .access = io::doctors(),
        .params = page_params_doc(),
        .responses = {{200, "Drafts, newest first", schemas::encounter_page()}},
        .handler = [&service, names](Request& r) {
            auto params = io::page_params(r, 20);
            if (!params) return http::problem(params.error(), r.request_id);
            auto page = service.drafts(r.caller(), params->first, params->second);
            if (!page) return http::problem(page.error(), r.request_id);
            return page_response(*page, names);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/encounters/{id}",
        .operation_id = "getEncounter",
        .summary = "Read an encounter",
        .description = "Doctors read every encounter, drafts included; nurses signed ones without the subjective, "
                       "objective and assessment notes or amendment texts; a patient their own signed ones. Anything "
                       "else answers 404.",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Encounter id")},
        .responses = {{200, "The encounter", schemas::encounter(), "application/json", {"ETag"}}},
        .handler = [&service, names](Request& r) {
            auto rec = service.get(r.caller(), std::string(r.path_param("id")));
            if (!rec) return http::problem(rec.error(), r.request_id);
            return encounter_response(200, *rec, names);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/encounters/{id}",
        .operation_id = "updateEncounter",
        .summary = "Change a draft (If-Match required)",
        .description = "Only the author changes a draft; the fields sent change, and `diagnoses` and `prescriptions` "
                       "replace the lists. A signed encounter answers 409: correct it with an amendment.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Encounter id"), io::if_match_param()},
        .body = http::BodyDoc{schemas::encounter_patch()},
        .responses = {{200, "The draft", schemas::encounter(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&service, names](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            auto rec = service.update(r.caller(), std::string(r.path_param("id")), *version, patch_from(r.json.as_object()));
            if (!rec) return http::problem(rec.error(), r.request_id);
            return encounter_response(200, *rec, names);
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/encounters/{id}",
        .operation_id = "discardEncounter",
        .summary = "Discard a draft (If-Match required)",
        .description = "Only the author discards a draft; a signed encounter is never deleted (409).",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Encounter id"), io::if_match_param()},
        .responses = {{204, "Discarded", std::nullopt, ""}},
        .errors = {409, 412, 428},
        .handler = [&service](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            auto done = service.discard(r.caller(), std::string(r.path_param("id")), *version);
            if (!done) return http::problem(done.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/encounters/{id}/sign",
        .operation_id = "signEncounter",
        .summary = "Sign a draft (If-Match required)",
        .description = "The author signs the version they read: the encounter and its prescriptions become immutable, "
                       "and the patient's portal is notified.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Encounter id"), io::if_match_param()},
        .responses = {{200, "The signed encounter", schemas::encounter(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&service, names](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            auto rec = service.sign(r.caller(), std::string(r.path_param("id")), *version);
            if (!rec) return http::problem(rec.error(), r.request_id);
            return encounter_response(200, *rec, names);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/encounters/{id}/amendments",
        .operation_id = "amendEncounter",
        .summary = "Correct a signed encounter with an amendment",
        .description = "Any doctor; the amendment is signed at once and shown with the original, which never changes. "
                       "A draft answers 409: edit it instead.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Encounter id")},
        .body = http::BodyDoc{schemas::amendment_input()},
        .responses = {{201, "The amendment", schemas::amendment(), "application/json", {"Location"}}},
        .errors = {409},
        .handler = [&service, names](Request& r) {
            const auto& b = r.json.as_object();
            AmendmentInput in{jsonu::string_or(b, "text"), io::diagnoses_from(b.if_contains("diagnoses"))};
            std::string id(r.path_param("id"));
            auto a = service.amend(r.caller(), id, std::move(in));
            if (!a) return http::problem(a.error(), r.request_id);
            Response resp = Response::json(201, views::amendment_json(*a, names({a->author_id}), access::View::full));
            resp.headers.set("Location", "/api/v1/encounters/" + id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/encounters/{id}/prescription.pdf",
        .operation_id = "getPrescriptionPdf",
        .summary = "The prescription (ordonnance) of a signed encounter, as PDF",
        .description = "With the prescriber, the practice, the patient, the date and the drugs. 409 for a draft, 404 "
                       "when the encounter prescribes nothing.",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Encounter id")},
        .responses = {{200, "The PDF", std::nullopt, "application/pdf", {"Content-Disposition"}}},
        .errors = {409},
        .handler = [&service](Request& r) {
            auto pdf = service.prescription_pdf(r.caller(), std::string(r.path_param("id")));
            if (!pdf) return http::problem(pdf.error(), r.request_id);
            Response resp = Response::text(200, std::move(pdf->bytes), "application/pdf");
            resp.headers.set("Content-Disposition", "inline; filename=\"" + pdf->filename + "\"");
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/encounters",
        .operation_id = "listPatientEncounters",
        .summary = "A patient's encounters, newest first",
        .description = "Doctors also see drafts; nurses and the patient signed encounters only.",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = [] {
            auto p = page_params_doc();
            p.insert(p.begin(), io::id_param("Patient id"));
            return p;
        }(),
        .responses = {{200, "A page of encounters", schemas::encounter_page()}},
        .handler = [&service, names](Request& r) {
            auto params = io::page_params(r, 20);
            if (!params) return http::problem(params.error(), r.request_id);
            auto page = service.list(r.caller(), std::string(r.path_param("id")), params->first, params->second);
            if (!page) return http::problem(page.error(), r.request_id);
            return page_response(*page, names);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/patients/{id}/prescriptions",
        .operation_id = "listPatientPrescriptions",
        .summary = "A patient's signed prescriptions, newest first",
        .tag = "records",
        .access = io::clinical_readers(),
        .params = {io::id_param("Patient id"),
                   {"status", ParamIn::query, Schema::string().enumeration({"active", "stopped", "completed"}), false,
                    "Only this status"}},
        .responses = {{200, "Prescriptions", schemas::prescription_list()}},
        .handler = [&service, names](Request& r) {
            std::optional<PrescriptionStatus> status;
            if (auto s = r.query("status")) status = parse_prescription_status(*s);
            auto list = service.prescriptions(r.caller(), std::string(r.path_param("id")), status);
            if (!list) return http::problem(list.error(), r.request_id);
            std::set<std::string> ids;
            for (const auto& p : *list) views::people_of(p, ids);
            auto who = names(ids);
            json::array items;
            for (const auto& p : *list) items.push_back(views::prescription_json(p, who));
            return Response::json(200, json::object{{"items", std::move(items)}});
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/prescriptions/{id}",
        .operation_id = "setPrescriptionStatus",
        .summary = "Stop or complete a signed prescription (If-Match required)",
        .description = "Doctors only. The prescription's content and its PDF never change; its status records who "
                       "stopped or completed it, when and why. A prescription in a draft is edited with the draft.",
        .tag = "records",
        .access = io::doctors(),
        .params = {io::id_param("Prescription id"), io::if_match_param()},
        .body = http::BodyDoc{schemas::prescription_status_input()},
        .responses = {{200, "The prescription", schemas::prescription(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&service, names](Request& r) {
            auto version = io::required_version(r);
            if (!version) return http::problem(version.error(), r.request_id);
            const auto& b = r.json.as_object();
            auto status = parse_prescription_status(jsonu::string_or(b, "status")).value_or(PrescriptionStatus::stopped);
            auto p = service.set_prescription_status(r.caller(), std::string(r.path_param("id")), *version, status,
                                                     jsonu::string_or(b, "reason"));
            if (!p) return http::problem(p.error(), r.request_id);
            return prescription_response(*p, names);
        }});
}

}  // namespace medisecure::records::detail
