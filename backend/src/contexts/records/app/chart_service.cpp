// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/chart_service.hpp"

#include <algorithm>

#include "contexts/records/domain/icd10.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace medisecure::records {

using audit::Outcome;

namespace {

Error allergy_not_found() { return not_found("allergy_not_found", "No such allergy."); }
Error condition_not_found() { return not_found("condition_not_found", "No such condition."); }

}  // namespace

ChartService::ChartService(RecordsStore& store, CodeCatalog& codes, audit::AuditTrail& audit, const Clock& clock,
                           Directory directory, const TimeZone& zone)
    : store_(store), codes_(codes), audit_(audit), clock_(clock), directory_(std::move(directory)), zone_(zone) {}

std::vector<VitalsEntry> with_bmi(std::vector<VitalSigns> list, const std::vector<std::pair<Timestamp, double>>& heights) {
    std::vector<VitalsEntry> out;
    out.reserve(list.size());
    for (auto& v : list) {
        std::optional<double> height = v.height_cm;
        if (!height)
            for (const auto& [at, h] : heights)  // oldest first: the last one not after this record wins
                if (at <= v.taken_at) height = h;
        auto b = bmi(v.weight_kg, height);
        out.push_back({std::move(v), b});
    }
    return out;
}

std::vector<VitalsEntry> ChartService::with_bmi(std::vector<VitalSigns> list, const std::string& patient_id) {
    bool needs_heights = std::any_of(list.begin(), list.end(), [](const VitalSigns& v) { return v.weight_kg && !v.height_cm; });
    return records::with_bmi(std::move(list), needs_heights ? store_.heights(patient_id)
                                                           : std::vector<std::pair<Timestamp, double>>{});
}

Result<VitalsEntry> ChartService::record_vitals(const Caller& caller, VitalSigns v, std::optional<Timestamp> taken_at) {
    const char* action = "vitals.record";
    if (!access::records_vitals(caller)) {
        audit_.record(caller, {action, "vitals", "", v.patient_id, Outcome::denied, ""});
        return access::refusal(caller, access::patient_not_found());
    }
    if (!directory_.patient_exists(v.patient_id)) {
        audit_.record(caller, {action, "vitals", "", v.patient_id, Outcome::not_found, ""});
        return access::patient_not_found();
    }
    auto now = clock_.now();
    v.taken_at = taken_at.value_or(now);
    v.note = trim(v.note);
    normalise(v);
    auto issues = validate(v, now);
    if (!v.encounter_id.empty()) {
        auto e = store_.find_encounter(v.encounter_id);
        if (!e || e->patient_id != v.patient_id)
            issues.push_back({"/encounter_id", "unknown_encounter", "does not name an encounter of this patient"});
    }
    if (!issues.empty()) {
        audit_.record(caller, {action, "vitals", "", v.patient_id, Outcome::failure, "validation_failed"});
        return access::validation_failed(std::move(issues));
    }
    v.id = new_uuid_v7(now);
    v.recorded_by = caller.user_id;
    v.recorded_role = std::string(to_string(caller.role));
    v.created_at = now;
    auto stored = store_.write([&](RecordsUnit& u) -> Result<void> {
        u.insert_vitals(v);
        return {};
    });
    if (!stored) return stored.error();
    audit_.record(caller, {action, "vitals", v.id, v.patient_id, Outcome::success, ""});
    std::string patient_id = v.patient_id;
    return std::move(with_bmi({std::move(v)}, patient_id).front());
}

Result<std::vector<VitalsEntry>> ChartService::vitals(const Caller& caller, VitalsQuery q) {
    if (auto ok = access::open_patient_record(caller, q.patient_id, "vitals.list", audit_, directory_); !ok) return ok.error();
    q.limit = std::clamp(q.limit, 1, kMaxVitals);
    auto list = with_bmi(store_.list_vitals(q), q.patient_id);
    audit_.record(caller, {"vitals.list", "patient", q.patient_id, q.patient_id, Outcome::success,
                           "results=" + std::to_string(list.size())});
    return list;
}

Result<Allergy> ChartService::add_allergy(const Caller& caller, Allergy a) {
    const char* action = "allergy.create";
    if (!access::writes_allergies(caller)) {
        audit_.record(caller, {action, "allergy", "", a.patient_id, Outcome::denied, ""});
        return access::refusal(caller, access::patient_not_found());
    }
    if (!directory_.patient_exists(a.patient_id)) {
        audit_.record(caller, {action, "allergy", "", a.patient_id, Outcome::not_found, ""});
        return access::patient_not_found();
    }
    a.substance = trim(a.substance);
    a.reaction = trim(a.reaction);
    if (auto issues = validate(a, today()); !issues.empty()) {
        audit_.record(caller, {action, "allergy", "", a.patient_id, Outcome::failure, "validation_failed"});
        return access::validation_failed(std::move(issues));
    }
    auto now = clock_.now();
    a.id = new_uuid_v7(now);
    a.recorded_by = caller.user_id;
    a.created_at = a.updated_at = now;
    a.version = 1;
    auto stored = store_.write([&](RecordsUnit& u) -> Result<void> {
        u.insert_allergy(a);
        return {};
    });
    if (!stored) return stored.error();
    audit_.record(caller, {action, "allergy", a.id, a.patient_id, Outcome::success, ""});
    return a;
}

Result<Allergy> ChartService::update_allergy(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                             const AllergyPatch& patch) {
    const char* action = "allergy.update";
    if (!access::writes_allergies(caller)) {
        audit_.record(caller, {action, "allergy", id, "", Outcome::denied, ""});
        return access::refusal(caller, allergy_not_found());
    }
    auto now = clock_.now();
    auto day = today();
    Allergy out;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_allergy(id);
        if (!found) return allergy_not_found();
        out.patient_id = found->patient_id;
        if (found->version != expected_version) return access::stale_version();
        Allergy a = std::move(*found);
        if (patch.substance) a.substance = trim(*patch.substance);
        if (patch.reaction) a.reaction = trim(*patch.reaction);
        if (patch.severity) a.severity = *patch.severity;
        if (patch.status) a.status = *patch.status;
        if (patch.noted_on) a.noted_on = *patch.noted_on;
        if (auto issues = validate(a, day); !issues.empty()) return access::validation_failed(std::move(issues));
        a.updated_at = now;
        a.version += 1;
        if (!u.update_allergy(a)) return access::stale_version();
        out = std::move(a);
        return {};
    });
    if (!r) {
        audit_.record(caller, {action, "allergy", id, out.patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {action, "allergy", id, out.patient_id, Outcome::success, access::changed_fields(patch.fields)});
    return out;
}

Result<std::vector<Allergy>> ChartService::allergies(const Caller& caller, const std::string& patient_id) {
    if (auto ok = access::open_patient_record(caller, patient_id, "allergy.list", audit_, directory_); !ok) return ok.error();
    auto list = store_.list_allergies(patient_id);
    audit_.record(caller, {"allergy.list", "patient", patient_id, patient_id, Outcome::success,
                           "results=" + std::to_string(list.size())});
    return list;
}

Result<Condition> ChartService::add_condition(const Caller& caller, Condition c) {
    const char* action = "condition.create";
    if (!access::writes_conditions(caller)) {
        audit_.record(caller, {action, "condition", "", c.patient_id, Outcome::denied, ""});
        return access::refusal(caller, access::patient_not_found());
    }
    if (!directory_.patient_exists(c.patient_id)) {
        audit_.record(caller, {action, "condition", "", c.patient_id, Outcome::not_found, ""});
        return access::patient_not_found();
    }
    if (auto code = normalise_code(c.code)) c.code = *code;
    c.label = trim(c.label);
    if (c.label.empty()) c.label = codes_.label_of(c.code);
    c.note = trim(c.note);
    auto issues = validate(c, today());
    if (!c.encounter_id.empty()) {
        auto e = store_.find_encounter(c.encounter_id);
        if (!e || e->patient_id != c.patient_id)
            issues.push_back({"/encounter_id", "unknown_encounter", "does not name an encounter of this patient"});
    }
    if (!issues.empty()) {
        audit_.record(caller, {action, "condition", "", c.patient_id, Outcome::failure, "validation_failed"});
        return access::validation_failed(std::move(issues));
    }
    auto now = clock_.now();
    c.id = new_uuid_v7(now);
    c.recorded_by = caller.user_id;
    c.created_at = c.updated_at = now;
    c.version = 1;
    auto stored = store_.write([&](RecordsUnit& u) -> Result<void> {
        u.insert_condition(c);
        return {};
    });
    if (!stored) return stored.error();
    audit_.record(caller, {action, "condition", c.id, c.patient_id, Outcome::success, ""});
    return c;
}

Result<Condition> ChartService::update_condition(const Caller& caller, const std::string& id,
                                                 std::int64_t expected_version, const ConditionPatch& patch) {
    const char* action = "condition.update";
    if (!access::writes_conditions(caller)) {
        audit_.record(caller, {action, "condition", id, "", Outcome::denied, ""});
        return access::refusal(caller, condition_not_found());
    }
    std::optional<std::string> code, label;
    if (patch.code) code = normalise_code(*patch.code).value_or(*patch.code);
    if (patch.label) label = trim(*patch.label);
    // A new code without a label takes the table's label (the old one described another code).
    if (code && (!label || label->empty())) label = codes_.label_of(*code);
    auto now = clock_.now();
    auto day = today();
    Condition out;
    auto r = store_.write([&](RecordsUnit& u) -> Result<void> {
        auto found = u.find_condition(id);
        if (!found) return condition_not_found();
        out.patient_id = found->patient_id;
        if (found->version != expected_version) return access::stale_version();
        Condition c = std::move(*found);
        if (code) c.code = *code;
        if (label) c.label = label->empty() ? codes_.label_of(c.code) : *label;  // empty: the table's label
        if (patch.note) c.note = trim(*patch.note);
        if (patch.onset_date) c.onset_date = *patch.onset_date;
        if (patch.status) c.status = *patch.status;
        if (auto issues = validate(c, day); !issues.empty()) return access::validation_failed(std::move(issues));
        c.updated_at = now;
        c.version += 1;
        if (!u.update_condition(c)) return access::stale_version();
        out = std::move(c);
        return {};
    });
    if (!r) {
        audit_.record(caller, {action, "condition", id, out.patient_id, access::outcome_of(r.error()), r.error().code});
        return r.error();
    }
    audit_.record(caller, {action, "condition", id, out.patient_id, Outcome::success, access::changed_fields(patch.fields)});
    return out;
}

Result<std::vector<Condition>> ChartService::conditions(const Caller& caller, const std::string& patient_id) {
    if (auto ok = access::open_patient_record(caller, patient_id, "condition.list", audit_, directory_); !ok)
        return ok.error();
    auto list = store_.list_conditions(patient_id);
    audit_.record(caller, {"condition.list", "patient", patient_id, patient_id, Outcome::success,
                           "results=" + std::to_string(list.size())});
    return list;
}

Result<PatientSummary> ChartService::summary(const Caller& caller, const std::string& patient_id) {
    if (auto ok = access::open_patient_record(caller, patient_id, "records.summary", audit_, directory_); !ok)
        return ok.error();
    PatientSummary s;
    s.patient_id = patient_id;
    for (auto& a : store_.list_allergies(patient_id))
        if (a.status == ChartStatus::active) s.allergies.push_back(std::move(a));
    for (auto& c : store_.list_conditions(patient_id))
        if (c.status == ChartStatus::active) s.conditions.push_back(std::move(c));

    using Reading = LatestVitals::Reading;
    auto take = [](std::optional<Reading>& slot, std::optional<double> value, Timestamp at) {
        if (value && (!slot || at > slot->taken_at)) slot = Reading{*value, at};
    };
    auto as_double = [](std::optional<int> v) { return v ? std::optional<double>(*v) : std::nullopt; };
    for (const auto& v : store_.latest_vitals(patient_id)) {
        take(s.latest.systolic_mmhg, as_double(v.systolic_mmhg), v.taken_at);
        take(s.latest.diastolic_mmhg, as_double(v.diastolic_mmhg), v.taken_at);
        take(s.latest.heart_rate_bpm, as_double(v.heart_rate_bpm), v.taken_at);
        take(s.latest.temperature_c, v.temperature_c, v.taken_at);
        take(s.latest.weight_kg, v.weight_kg, v.taken_at);
        take(s.latest.height_cm, v.height_cm, v.taken_at);
        take(s.latest.spo2_pct, as_double(v.spo2_pct), v.taken_at);
    }
    if (s.latest.weight_kg && s.latest.height_cm)
        if (auto b = bmi(s.latest.weight_kg->value, s.latest.height_cm->value))
            s.latest.bmi = Reading{*b, s.latest.weight_kg->taken_at};

    VitalsQuery vq;
    vq.patient_id = patient_id;
    vq.limit = kRecentVitals;
    s.recent_vitals = with_bmi(store_.list_vitals(vq), patient_id);
    s.prescriptions = store_.list_prescriptions(patient_id, PrescriptionStatus::active);

    EncounterQuery eq;
    eq.patient_id = patient_id;
    eq.which = access::sees_drafts(caller) ? EncounterQuery::Which::any : EncounterQuery::Which::signed_only;
    eq.limit = kRecentEncounters;
    s.encounters = store_.list_encounters(eq);
    for (auto& e : s.encounters) access::redact(e, access::encounter_view(caller));

    audit_.record(caller, {"records.summary", "patient", patient_id, patient_id, Outcome::success, ""});
    return s;
}

}  // namespace medisecure::records
