// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/record_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace medisecure::records::views {

namespace json = boost::json;

namespace {

json::value text_or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }
json::value time_or_null(const std::optional<Timestamp>& t) {
    return t ? json::value(format_instant(*t)) : json::value(nullptr);
}
json::value date_or_null(const std::optional<Date>& d) { return d ? json::value(format_date(*d)) : json::value(nullptr); }
template <class T>
json::value number_or_null(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value name_of(const Names& names, const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? json::value(nullptr) : json::value(it->second);
}
json::array diagnoses_json(const std::vector<Diagnosis>& list) {
    json::array out;
    for (const auto& d : list) out.push_back(diagnosis_json(d));
    return out;
}

}  // namespace

void people_of(const Encounter& e, std::set<std::string>& ids) {
    ids.insert(e.author_id);
    for (const auto& p : e.prescriptions) people_of(p, ids);
    for (const auto& a : e.amendments) ids.insert(a.author_id);
}
void people_of(const Prescription& p, std::set<std::string>& ids) {
    if (!p.prescriber_id.empty()) ids.insert(p.prescriber_id);
    if (!p.status_changed_by.empty()) ids.insert(p.status_changed_by);
}
void people_of(const VitalSigns& v, std::set<std::string>& ids) { ids.insert(v.recorded_by); }
void people_of(const Allergy& a, std::set<std::string>& ids) { ids.insert(a.recorded_by); }
void people_of(const Condition& c, std::set<std::string>& ids) { ids.insert(c.recorded_by); }

json::object diagnosis_json(const Diagnosis& d) {
    return {{"code", d.code}, {"label", d.label}, {"primary", d.primary}};
}

json::object prescription_json(const Prescription& p, const Names& names) {
    return {{"id", p.id},
            {"encounter_id", p.encounter_id},
            {"patient_id", p.patient_id},
            {"position", p.position},
            {"drug", p.drug},
            {"dose", p.dose},
            {"route", to_string(p.route)},
            {"frequency", p.frequency},
            {"duration", p.duration},
            {"instructions", p.instructions},
            {"status", to_string(p.status)},
            {"status_changed_at", time_or_null(p.status_changed_at)},
            {"status_changed_by", text_or_null(p.status_changed_by)},
            {"status_reason", text_or_null(p.status_reason)},
            {"prescriber_id", text_or_null(p.prescriber_id)},
            {"prescriber_name", name_of(names, p.prescriber_id)},
            {"prescribed_at", time_or_null(p.prescribed_at)},
            {"version", p.version}};
}

json::object amendment_json(const Amendment& a, const Names& names, access::View view) {
    json::object o{{"id", a.id},
                   {"author_id", a.author_id},
                   {"author_name", name_of(names, a.author_id)},
                   {"signed_at", format_instant(a.signed_at)},
                   {"diagnoses", diagnoses_json(a.diagnoses)},
                   {"signature", a.signature}};
    if (view == access::View::full) o["text"] = a.text;
    return o;
}

json::object encounter_json(const Encounter& e, const Names& names, access::View view, bool intact) {
    json::object notes{{"plan", e.notes.plan}};
    if (view == access::View::full) {
        notes["subjective"] = e.notes.subjective;
        notes["objective"] = e.notes.objective;
        notes["assessment"] = e.notes.assessment;
    }
    json::array prescriptions, amendments;
    for (const auto& p : e.prescriptions) prescriptions.push_back(prescription_json(p, names));
    for (const auto& a : e.amendments) amendments.push_back(amendment_json(a, names, view));
    return {{"id", e.id},
            {"patient_id", e.patient_id},
            {"author_id", e.author_id},
            {"author_name", name_of(names, e.author_id)},
            {"appointment_id", text_or_null(e.appointment_id)},
            {"occurred_at", format_instant(e.occurred_at)},
            {"reason", e.reason},
            {"status", e.is_signed() ? "signed" : "draft"},
            {"notes", std::move(notes)},
            {"diagnoses", diagnoses_json(e.diagnoses)},
            {"current_diagnoses", diagnoses_json(e.current_diagnoses())},
            {"prescriptions", std::move(prescriptions)},
            {"amendments", std::move(amendments)},
            {"signed_at", time_or_null(e.signed_at)},
            {"signature", text_or_null(e.signature)},
            {"signature_valid", e.is_signed() ? json::value(intact) : json::value(nullptr)},
            {"created_at", format_instant(e.created_at)},
            {"updated_at", format_instant(e.updated_at)},
            {"version", e.version}};
}

json::object encounter_item_json(const Encounter& e, const Names& names) {
    return {{"id", e.id},
            {"patient_id", e.patient_id},
            {"author_id", e.author_id},
            {"author_name", name_of(names, e.author_id)},
            {"appointment_id", text_or_null(e.appointment_id)},
            {"occurred_at", format_instant(e.occurred_at)},
            {"reason", e.reason},
            {"status", e.is_signed() ? "signed" : "draft"},
            {"diagnoses", diagnoses_json(e.current_diagnoses())},
            {"prescription_count", e.prescriptions.size()},
            {"amendment_count", e.amendments.size()},
            {"signed_at", time_or_null(e.signed_at)},
            {"version", e.version}};
}

json::object vitals_json(const VitalsEntry& entry, const Names& names) {
    const auto& v = entry.vitals;
    return {{"id", v.id},
            {"patient_id", v.patient_id},
            {"encounter_id", text_or_null(v.encounter_id)},
            {"recorded_by", v.recorded_by},
            {"recorded_by_name", name_of(names, v.recorded_by)},
            {"recorded_role", v.recorded_role},
            {"taken_at", format_instant(v.taken_at)},
            {"systolic_mmhg", number_or_null(v.systolic_mmhg)},
            {"diastolic_mmhg", number_or_null(v.diastolic_mmhg)},
            {"heart_rate_bpm", number_or_null(v.heart_rate_bpm)},
            {"temperature_c", number_or_null(v.temperature_c)},
            {"weight_kg", number_or_null(v.weight_kg)},
            {"height_cm", number_or_null(v.height_cm)},
            {"spo2_pct", number_or_null(v.spo2_pct)},
            {"bmi", number_or_null(entry.bmi)},
            {"note", text_or_null(v.note)},
            {"created_at", format_instant(v.created_at)}};
}

json::object allergy_json(const Allergy& a, const Names& names) {
    return {{"id", a.id},
            {"patient_id", a.patient_id},
            {"substance", a.substance},
            {"reaction", text_or_null(a.reaction)},
            {"severity", to_string(a.severity)},
            {"status", to_string(a.status)},
            {"noted_on", date_or_null(a.noted_on)},
            {"recorded_by", a.recorded_by},
            {"recorded_by_name", name_of(names, a.recorded_by)},
            {"created_at", format_instant(a.created_at)},
            {"updated_at", format_instant(a.updated_at)},
            {"version", a.version}};
}

json::object condition_json(const Condition& c, const Names& names) {
    return {{"id", c.id},
            {"patient_id", c.patient_id},
            {"code", c.code},
            {"label", c.label},
            {"onset_date", date_or_null(c.onset_date)},
            {"status", to_string(c.status)},
            {"note", text_or_null(c.note)},
            {"encounter_id", text_or_null(c.encounter_id)},
            {"recorded_by", c.recorded_by},
            {"recorded_by_name", name_of(names, c.recorded_by)},
            {"created_at", format_instant(c.created_at)},
            {"updated_at", format_instant(c.updated_at)},
            {"version", c.version}};
}

json::object latest_json(const LatestVitals& l) {
    auto reading = [](const std::optional<LatestVitals::Reading>& r) {
        return r ? json::value(json::object{{"value", r->value}, {"taken_at", format_instant(r->taken_at)}})
                 : json::value(nullptr);
    };
    return {{"systolic_mmhg", reading(l.systolic_mmhg)}, {"diastolic_mmhg", reading(l.diastolic_mmhg)},
            {"heart_rate_bpm", reading(l.heart_rate_bpm)}, {"temperature_c", reading(l.temperature_c)},
            {"weight_kg", reading(l.weight_kg)},         {"height_cm", reading(l.height_cm)},
            {"spo2_pct", reading(l.spo2_pct)},           {"bmi", reading(l.bmi)}};
}

}  // namespace medisecure::records::views
