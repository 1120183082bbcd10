// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/encounter_service.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "contexts/records/app/prescription_pdf.hpp"
#include "contexts/records/domain/icd10.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "platform/crypto/digest.hpp"

namespace medisecure::records {

using audit::Outcome;

namespace {

Error encounter_signed() {
    return conflict("encounter.signed", "A signed encounter cannot change; add an amendment to correct it.");
}
Error not_author() { return forbidden("encounter.not_author", "Only the author of a draft edits, signs or discards it."); }
Error prescription_not_found() { return not_found("prescription_not_found", "No such prescription."); }

/// Codes in their normal form ("j459" → "J45.9"), labels trimmed, a primary one chosen.
void normalise(std::vector<Diagnosis>& list, CodeCatalog& codes) {
    for (auto& d : list) {
        if (auto c = normalise_code(d.code)) d.code = *c;
        d.label = trim(d.label);
    }
    codes.fill_labels(list);
    settle_primary(list);
}


}  // namespace

EncounterService::EncounterService(RecordsStore& store, CodeCatalog& codes, audit::AuditTrail& audit, const Clock& clock,
                                   Directory directory, std::string signing_key, Practice practice, const TimeZone& zone)
    : store_(store), codes_(codes), audit_(audit), clock_(clock), directory_(std::move(directory)),
      signing_key_(std::move(signing_key)), practice_(std::move(practice)), zone_(zone) {}

std::string EncounterService::seal(const std::string& content) const {
    auto mac = crypto::hmac_sha256(signing_key_, content);
    return to_hex(mac.data(), mac.size());
}

bool EncounterService::intact(const Encounter& e) const {
    if (e.is_signed() && !crypto::constant_time_equal(seal(signed_content(e)), e.signature)) return false;
    for (const auto& a : e.amendments)
        if (!crypto::constant_time_equal(seal(signed_content(a)), a.signature)) return false;
    return true;
}

EncounterRecord EncounterService::visible(const Caller& caller, Encounter e) const {
    EncounterRecord rec;
    rec.intact = intact(e);
    rec.view = access::encounter_view(caller);
    access::redact(e, rec.view);
    rec.encounter = std::move(e);
    return rec;
}

std::vector<Prescription> EncounterService::prescriptions_from(const std::vector<Prescription>& input, const Encounter& e) {
    std::vector<Prescription> out;
    auto now = clock_.now();
    for (std::size_t i = 0; i < input.size(); ++i) {
        Prescription p;
        p.id = new_uuid_v7(now);
        p.encounter_id = e.id;
        p.patient_id = e.patient_id;
        p.position = static_cast<int>(i);
        p.drug = trim(input[i].drug);
        p.dose = trim(input[i].dose);
        p.route = input[i].route;
        p.frequency = trim(input[i].frequency);
        p.duration = trim(input[i].duration);
        p.instructions = trim(input[i].instructions);
        p.status = PrescriptionStatus::active;
        p.version = 1;
        p.prescriber_id = e.author_id;
        p.prescribed_at = e.signed_at;
        out.push_back(std::move(p));
    }
    return out;
}

Result<EncounterRecord> EncounterService::create(const Caller& caller, EncounterInput in) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.create", "encounter", "", in.patient_id, Outcome::denied, ""});
        return access::refusal(caller, access::patient_not_found());
    }
    if (!directory_.patient_exists(in.patient_id)) {
        audit_.record(caller, {"encounter.create", "encounter", "", in.patient_id, Outcome::failure, "unknown_patient"});
        return invalid_field("/patient_id", "unknown_patient", "does not name a patient");
    }
    auto now = clock_.now();
    Encounter e;
    e.id = new_uuid_v7(now);
    e.patient_id = in.patient_id;
    e.author_id = caller.user_id;
    e.appointment_id = in.appointment_id;
    e.occurred_at = in.occurred_at.value_or(now);
    e.reason = trim(in.reason);
    e.notes = std::move(in.notes);
    e.diagnoses = std::move(in.diagnoses);
    normalise(e.diagnoses, codes_);
    e.prescriptions = prescriptions_from(in.prescriptions, e);
    e.created_at = e.updated_at = now;
    e.version = 1;
    if (auto issues = validate(e, now); !issues.empty()) {
        audit_.record(caller, {"encounter.create", "encounter", "", e.patient_id, Outcome::failure, "validation_failed"});
        return access::validation_failed(std::move(issues));
    }
    auto stored = store_.write([&](RecordsUnit& u) -> Result<void> {
        u.insert_encounter(e);
        return {};
    });
    if (!stored) return stored.error();
    audit_.record(caller, {"encounter.create", "encounter", e.id, e.patient_id, Outcome::success,
                           "diagnoses=" + std::to_string(e.diagnoses.size()) +
                               " prescriptions=" + std::to_string(e.prescriptions.size())});
    return visible(caller, std::move(e));
}

Result<Encounter> EncounterService::reachable(const Caller& caller, const std::string& id, const char* action) {
    if (!access::reads_clinical(caller)) {
        audit_.record(caller, {action, "encounter", id, "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    auto e = store_.find_encounter(id);
    if (!e) {
        audit_.record(caller, {action, "encounter", id, "", Outcome::not_found, ""});
        return access::encounter_not_found();
    }
    if (!access::reaches(caller, e->patient_id) || (!e->is_signed() && !access::sees_drafts(caller))) {
        audit_.record(caller, {action, "encounter", id, e->patient_id, Outcome::denied, ""});
        return access::encounter_not_found();
    }
    return std::move(*e);
}

Result<EncounterRecord> EncounterService::get(const Caller& caller, const std::string& id) {
    auto e = reachable(caller, id, "encounter.read");
    if (!e) return e.error();
    auto rec = visible(caller, std::move(*e));
    audit_.record(caller, {"encounter.read", "encounter", id, rec.encounter.patient_id, Outcome::success,
                           rec.view == access::View::care ? "view=care" : ""});
    return rec;
}

Result<EncounterRecord> EncounterService::update(const Caller& caller, const std::string& id,
                                                 std::int64_t expected_version, const EncounterPatch& patch) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.update", "encounter", id, "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    std::optional<std::vector<Diagnosis>> diagnoses = patch.diagnoses;
    if (diagnoses) normalise(*diagnoses, codes_);
    auto now = clock_.now();
    std::string patient_id;
    Encounter updated;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_encounter(id);
        if (!found) return access::encounter_not_found();
        patient_id = found->patient_id;
        if (found->is_signed()) return encounter_signed();
        if (found->author_id != caller.user_id) return not_author();
        if (found->version != expected_version) return access::stale_version();
        Encounter e = std::move(*found);
        if (patch.appointment_id) e.appointment_id = *patch.appointment_id;
        if (patch.reason) e.reason = trim(*patch.reason);
        if (patch.occurred_at) e.occurred_at = *patch.occurred_at;
        if (patch.subjective) e.notes.subjective = *patch.subjective;
        if (patch.objective) e.notes.objective = *patch.objective;
        if (patch.assessment) e.notes.assessment = *patch.assessment;
        if (patch.plan) e.notes.plan = *patch.plan;
        if (diagnoses) e.diagnoses = *diagnoses;
        if (patch.prescriptions) e.prescriptions = prescriptions_from(*patch.prescriptions, e);
        if (auto issues = validate(e, now); !issues.empty()) return access::validation_failed(std::move(issues));
        e.updated_at = now;
        e.version += 1;
        if (!u.update_draft(e)) return access::stale_version();
        updated = std::move(e);
        return {};
    });
    if (!r) {
        audit_.record(caller, {"encounter.update", "encounter", id, patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {"encounter.update", "encounter", id, patient_id, Outcome::success, access::changed_fields(patch.fields)});
    return visible(caller, std::move(updated));
}

Result<EncounterRecord> EncounterService::sign(const Caller& caller, const std::string& id, std::int64_t expected_version) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.sign", "encounter", id, "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    auto names = directory_.user_names({caller.user_id});
    std::string author_name = names.count(caller.user_id) ? names[caller.user_id] : std::string();
    auto now = clock_.now();
    std::string patient_id;
    Encounter signed_encounter;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_encounter(id);
        if (!found) return access::encounter_not_found();
        patient_id = found->patient_id;
        if (found->is_signed()) return conflict("encounter.already_signed", "This encounter is already signed.");
        if (found->author_id != caller.user_id) return not_author();
        if (found->version != expected_version) return access::stale_version();
        Encounter e = std::move(*found);
        if (auto issues = validate(e, now); !issues.empty()) return access::validation_failed(std::move(issues));
        e.signed_at = now;
        e.updated_at = now;
        e.version += 1;
        e.signature = seal(signed_content(e));
        if (!u.sign(e)) return access::stale_version();
        for (auto& p : e.prescriptions) p.prescribed_at = e.signed_at;

        namespace json = boost::json;
        jobs::JobRequest job;
        job.type = jobs::kInAppNotification;
        job.payload_json = json::serialize(json::object{
            {"recipients", json::array{"patient:" + e.patient_id}},
            {"kind", "records.encounter_signed"},
            {"data", json::object{{"encounter_id", e.id},
                                  {"occurred_at", format_instant(e.occurred_at)},
                                  {"author_name", author_name}}},
            {"link", "/records/encounters/" + e.id}});
        job.dedupe_key = "records.encounter_signed:" + e.id;
        job.owner_user_id = caller.user_id;
        job.patient_id = e.patient_id;
        u.enqueue(job, now);
        signed_encounter = std::move(e);
        return {};
    });
    if (!r) {
        audit_.record(caller, {"encounter.sign", "encounter", id, patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {"encounter.sign", "encounter", id, patient_id, Outcome::success, ""});
    return visible(caller, std::move(signed_encounter));
}

Result<void> EncounterService::discard(const Caller& caller, const std::string& id, std::int64_t expected_version) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.discard", "encounter", id, "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    std::string patient_id;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_encounter(id);
        if (!found) return access::encounter_not_found();
        patient_id = found->patient_id;
        if (found->is_signed()) return encounter_signed();
        if (found->author_id != caller.user_id) return not_author();
        if (found->version != expected_version || !u.delete_draft(id, expected_version)) return access::stale_version();
        return {};
    });
    audit_.record(caller, {"encounter.discard", "encounter", id, patient_id, r ? Outcome::success : access::outcome_of(r.error()),
                           r ? "" : r.error().code});
    return r;
}

Result<Amendment> EncounterService::amend(const Caller& caller, const std::string& id, AmendmentInput in) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.amend", "encounter", id, "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    std::vector<FieldIssue> issues;
    if (trim(in.text).empty()) issues.push_back({"/text", "required", "says what is corrected and why"});
    normalise(in.diagnoses, codes_);
    auto d = validate_diagnoses(in.diagnoses, "/diagnoses");
    issues.insert(issues.end(), d.begin(), d.end());
    if (!issues.empty()) {
        audit_.record(caller, {"encounter.amend", "encounter", id, "", Outcome::failure, "validation_failed"});
        return access::validation_failed(std::move(issues));
    }
    auto now = clock_.now();
    Amendment a;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_encounter(id);
        if (!found) return access::encounter_not_found();
        a.patient_id = found->patient_id;
        if (!found->is_signed())
            return conflict("encounter.not_signed", "Edit the draft itself: amendments correct signed encounters.");
        a.id = new_uuid_v7(now);
        a.encounter_id = id;
        a.author_id = caller.user_id;
        a.text = in.text;
        a.diagnoses = in.diagnoses;
        a.signed_at = now;
        a.signature = seal(signed_content(a));
        u.insert_amendment(a);
        return {};
    });
    if (!r) {
        audit_.record(caller, {"encounter.amend", "encounter", id, a.patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {"encounter.amend", "encounter", id, a.patient_id, Outcome::success, "amendment=" + a.id});
    return a;
}

Result<EncounterPage> EncounterService::page(EncounterQuery q, int limit) {
    limit = std::clamp(limit, 1, kMaxPageSize);
    q.limit = limit + 1;
    EncounterPage out;
    out.items = store_.list_encounters(q);
    if (static_cast<int>(out.items.size()) > limit) {
        out.items.resize(static_cast<std::size_t>(limit));
        out.next = TimeCursor{out.items.back().occurred_at, out.items.back().id};
    }
    return out;
}

Result<EncounterPage> EncounterService::list(const Caller& caller, const std::string& patient_id,
                                             std::optional<TimeCursor> before, int limit) {
    if (auto ok = access::open_patient_record(caller, patient_id, "encounter.list", audit_, directory_); !ok) return ok.error();
    EncounterQuery q;
    q.patient_id = patient_id;
    q.which = access::sees_drafts(caller) ? EncounterQuery::Which::any : EncounterQuery::Which::signed_only;
    q.before = before;
    auto p = page(q, limit);
    if (p)
        for (auto& e : p->items) access::redact(e, access::encounter_view(caller));
    audit_.record(caller, {"encounter.list", "patient", patient_id, patient_id, Outcome::success,
                           "results=" + std::to_string(p ? p->items.size() : 0)});
    return p;
}

Result<EncounterPage> EncounterService::drafts(const Caller& caller, std::optional<TimeCursor> before, int limit) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"encounter.drafts", "encounter", "", "", Outcome::denied, ""});
        return access::refusal(caller, access::encounter_not_found());
    }
    EncounterQuery q;
    q.author_id = caller.user_id;
    q.which = EncounterQuery::Which::drafts_only;
    q.before = before;
    auto p = page(q, limit);
    audit_.record(caller, {"encounter.drafts", "encounter", "", "", Outcome::success,
                           "results=" + std::to_string(p ? p->items.size() : 0)});
    return p;
}

Result<std::vector<Prescription>> EncounterService::prescriptions(const Caller& caller, const std::string& patient_id,
                                                                  std::optional<PrescriptionStatus> status) {
    if (auto ok = access::open_patient_record(caller, patient_id, "prescription.list", audit_, directory_); !ok) return ok.error();
    auto list = store_.list_prescriptions(patient_id, status);
    audit_.record(caller, {"prescription.list", "patient", patient_id, patient_id, Outcome::success,
                           "results=" + std::to_string(list.size())});
    return list;
}

Result<Prescription> EncounterService::set_prescription_status(const Caller& caller, const std::string& id,
                                                               std::int64_t expected_version, PrescriptionStatus status,
                                                               std::string reason) {
    if (!access::writes_encounters(caller)) {
        audit_.record(caller, {"prescription.status", "prescription", id, "", Outcome::denied, ""});
        return access::refusal(caller, prescription_not_found());
    }
    if (status == PrescriptionStatus::active)
        return invalid_field("/status", "invalid_transition",
                             "a prescription is stopped or completed, never reactivated: prescribe it again");
    auto now = clock_.now();
    Prescription out;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto p = u.find_prescription(id);
        if (!p) return prescription_not_found();
        out.patient_id = p->patient_id;
        if (!p->prescribed_at)
            return conflict("prescription.not_signed", "Edit the draft encounter: its prescriptions are not signed yet.");
        if (p->version != expected_version) return access::stale_version();
        if (p->status != PrescriptionStatus::active)
            return conflict("prescription.closed", "This prescription is already stopped or completed.");
        p->status = status;
        p->status_changed_at = now;
        p->status_changed_by = caller.user_id;
        p->status_reason = trim(reason);
        p->version += 1;
        if (!u.update_prescription_status(*p)) return access::stale_version();
        out = std::move(*p);
        return {};
    });
    if (!r) {
        audit_.record(caller, {"prescription.status", "prescription", id, out.patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {"prescription.status", "prescription", id, out.patient_id, Outcome::success,
                           "status=" + std::string(to_string(status))});
    return out;
}

Result<PrescriptionPdf> EncounterService::prescription_pdf(const Caller& caller, const std::string& encounter_id) {
    const char* action = "prescription.pdf";
    auto e = reachable(caller, encounter_id, action);
    if (!e) return e.error();
    if (!e->is_signed()) {
        audit_.record(caller, {action, "encounter", encounter_id, e->patient_id, Outcome::failure, "not_signed"});
        return conflict("encounter.not_signed", "Sign the encounter first: only signed prescriptions are printed.");
    }
    auto pdf = render_pdf(*e);
    if (!pdf) {
        audit_.record(caller, {action, "encounter", encounter_id, e->patient_id, Outcome::not_found, "no_prescription"});
        return not_found("prescription_not_found", "This encounter has no prescription.");
    }
    audit_.record(caller, {action, "encounter", encounter_id, e->patient_id, Outcome::success, ""});
    return std::move(*pdf);
}

std::optional<PrescriptionPdf> EncounterService::render_pdf(const Encounter& e) {
    if (!e.is_signed() || e.prescriptions.empty()) return std::nullopt;
    PrescriptionSheet s;
    s.practice = practice_;
    auto names = directory_.user_names({e.author_id});
    s.prescriber_name = names.count(e.author_id) ? names[e.author_id] : std::string("Prescripteur");
    auto briefs = directory_.patient_briefs({e.patient_id});
    if (auto it = briefs.find(e.patient_id); it != briefs.end()) {
        s.patient_name = it->second.first_name + " " + it->second.last_name;
        s.birth_date = it->second.birth_date;
        s.sex = it->second.sex;
    }
    s.issued_on = zone_.local_date(*e.signed_at);
    s.signed_at_text = format_local_fr(zone_, *e.signed_at);
    s.reference = e.id;
    s.fingerprint = e.signature.substr(0, 16);
    s.lines = e.prescriptions;
    return PrescriptionPdf{"ordonnance-" + format_date(s.issued_on) + "-" + e.id.substr(e.id.size() - 8) + ".pdf",
                           render_prescription(s)};
}

Result<Encounter> EncounterService::import_signed(const Caller& caller, Encounter e) {
    if (!caller.is(Role::system)) return forbidden("role_not_allowed", "Only operators import historical records.");
    if (!e.signed_at) return invalid_field("/signed_at", "required", "an imported encounter is signed");
    if (!directory_.patient_exists(e.patient_id))
        return invalid_field("/patient_id", "unknown_patient", "does not name a patient");
    auto now = clock_.now();
    if (e.id.empty()) e.id = new_uuid_v7(e.occurred_at);
    e.reason = trim(e.reason);
    normalise(e.diagnoses, codes_);
    auto statuses = e.prescriptions;
    e.prescriptions = prescriptions_from(e.prescriptions, e);
    for (std::size_t i = 0; i < statuses.size(); ++i) e.prescriptions[i].status = statuses[i].status;
    e.amendments.clear();
    if (auto issues = validate(e, now); !issues.empty()) return access::validation_failed(std::move(issues));
    if (*e.signed_at > now) return invalid_field("/signed_at", "in_future", "cannot be in the future");
    e.created_at = e.occurred_at;
    e.updated_at = *e.signed_at;
    e.version = 2;  // created, then signed
    e.signature = seal(signed_content(e));
    auto stored = store_.write([&](RecordsUnit& u) -> Result<void> {
        u.insert_encounter(e);
        return {};
    });
    if (!stored) return stored.error();
    audit_.record(caller, {"encounter.import", "encounter", e.id, e.patient_id, Outcome::success, ""});
    return e;
}

}  // namespace medisecure::records
