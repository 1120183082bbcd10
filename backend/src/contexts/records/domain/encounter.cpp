// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/domain/encounter.hpp"

#include <array>
#include <chrono>
#include <set>

namespace medisecure::records {

namespace {

struct RouteName {
    DrugRoute route;
    std::string_view name;
    std::string_view french;
};
constexpr std::array<RouteName, 14> kRoutes{{
    {DrugRoute::oral, "oral", "voie orale"},
    {DrugRoute::sublingual, "sublingual", "voie sublinguale"},
    {DrugRoute::cutaneous, "cutaneous", "voie cutanée"},
    {DrugRoute::transdermal, "transdermal", "voie transdermique"},
    {DrugRoute::ocular, "ocular", "voie oculaire"},
    {DrugRoute::auricular, "auricular", "voie auriculaire"},
    {DrugRoute::nasal, "nasal", "voie nasale"},
    {DrugRoute::inhaled, "inhaled", "voie inhalée"},
    {DrugRoute::rectal, "rectal", "voie rectale"},
    {DrugRoute::vaginal, "vaginal", "voie vaginale"},
    {DrugRoute::subcutaneous, "subcutaneous", "voie sous-cutanée"},
    {DrugRoute::intramuscular, "intramuscular", "voie intramusculaire"},
    {DrugRoute::intravenous, "intravenous", "voie intraveineuse"},
    {DrugRoute::other, "other", ""},
}};

void field(std::string& out, std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
    out += ';';
}
void field(std::string& out, std::int64_t v) { field(out, std::to_string(v)); }

void diagnoses_into(std::string& out, const std::vector<Diagnosis>& list) {
    field(out, static_cast<std::int64_t>(list.size()));
    for (const auto& d : list) {
        field(out, d.code);
        field(out, d.label);
        field(out, d.primary ? "1" : "0");
    }
}

}  // namespace

std::string_view to_string(DrugRoute r) {
    for (const auto& e : kRoutes)
        if (e.route == r) return e.name;
    return "other";
}

std::optional<DrugRoute> parse_drug_route(std::string_view s) {
    for (const auto& e : kRoutes)
        if (e.name == s) return e.route;
    return std::nullopt;
}

const std::vector<std::string>& drug_route_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& e : kRoutes) v.emplace_back(e.name);
        return v;
    }();
    return names;
}

std::string_view french_label(DrugRoute r) {
    for (const auto& e : kRoutes)
        if (e.route == r) return e.french;
    return "";
}

std::string_view to_string(PrescriptionStatus s) {
    switch (s) {
    case PrescriptionStatus::active: return "active";
    case PrescriptionStatus::stopped: return "stopped";
    case PrescriptionStatus::completed: return "completed";
    }
    return "active";
}

std::optional<PrescriptionStatus> parse_prescription_status(std::string_view s) {
    for (auto v : {PrescriptionStatus::active, PrescriptionStatus::stopped, PrescriptionStatus::completed})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

const std::vector<Diagnosis>& Encounter::current_diagnoses() const {
    for (auto it = amendments.rbegin(); it != amendments.rend(); ++it)
        if (!it->diagnoses.empty()) return it->diagnoses;
    return diagnoses;
}

bool is_icd10_code(std::string_view c) {
    auto upper = [](char ch) { return ch >= 'A' && ch <= 'Z'; };
    auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    if (c.size() < 3 || !upper(c[0]) || !digit(c[1]) || !digit(c[2])) return false;
    if (c.size() == 3) return true;
    if (c[3] != '.' || c.size() < 5 || c.size() > 8) return false;
    for (auto ch : c.substr(4))
        if (!upper(ch) && !digit(ch)) return false;
    return true;
}

void settle_primary(std::vector<Diagnosis>& d) {
    if (d.empty()) return;
    for (const auto& x : d)
        if (x.primary) return;
    d.front().primary = true;
}

std::vector<FieldIssue> validate_diagnoses(const std::vector<Diagnosis>& list, const std::string& pointer) {
    std::vector<FieldIssue> issues;
    if (list.size() > kMaxDiagnoses)
        issues.push_back({pointer, "too_many", "at most " + std::to_string(kMaxDiagnoses) + " diagnoses"});
    std::set<std::string> seen;
    int primaries = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& d = list[i];
        std::string at = pointer + "/" + std::to_string(i);
        if (!is_icd10_code(d.code)) {
            issues.push_back({at + "/code", "invalid_code", "is not an ICD-10 code (e.g. J45.9)"});
            continue;
        }
        if (!seen.insert(d.code).second) issues.push_back({at + "/code", "duplicate", "appears twice"});
        if (d.label.empty())
            issues.push_back({at + "/label", "required", "is required for a code that is not in the code table"});
        if (d.primary) ++primaries;
    }
    if (primaries > 1) issues.push_back({pointer, "several_primary", "only one diagnosis may be primary"});
    return issues;
}

std::vector<FieldIssue> validate(const Encounter& e, Timestamp now) {
    std::vector<FieldIssue> issues;
    if (e.reason.empty()) issues.push_back({"/reason", "required", "is required"});
    if (e.occurred_at > now + std::chrono::minutes(5))
        issues.push_back({"/occurred_at", "in_future", "cannot be in the future"});
    if (e.occurred_at < Timestamp{std::chrono::sys_days{std::chrono::year{1900} / 1 / 1}})
        issues.push_back({"/occurred_at", "too_old", "is before 1900"});
    auto d = validate_diagnoses(e.diagnoses, "/diagnoses");
    issues.insert(issues.end(), d.begin(), d.end());
    if (e.prescriptions.size() > kMaxPrescriptions)
        issues.push_back({"/prescriptions", "too_many", "at most " + std::to_string(kMaxPrescriptions) + " lines"});
    return issues;
}

std::string signed_content(const Encounter& e) {
    std::string out = "medisecure.encounter.v1;";
    field(out, e.id);
    field(out, e.patient_id);
    field(out, e.author_id);
    field(out, e.appointment_id);
    field(out, to_micros(e.occurred_at));
    field(out, e.reason);
    field(out, e.notes.subjective);
    field(out, e.notes.objective);
    field(out, e.notes.assessment);
    field(out, e.notes.plan);
    diagnoses_into(out, e.diagnoses);
    field(out, static_cast<std::int64_t>(e.prescriptions.size()));
    for (const auto& p : e.prescriptions) {
        field(out, p.id);
        field(out, p.drug);
        field(out, p.dose);
        field(out, to_string(p.route));
        field(out, p.frequency);
        field(out, p.duration);
        field(out, p.instructions);
    }
    field(out, e.signed_at ? to_micros(*e.signed_at) : 0);
    return out;
}

std::string signed_content(const Amendment& a) {
    std::string out = "medisecure.amendment.v1;";
    field(out, a.id);
    field(out, a.encounter_id);
    field(out, a.patient_id);
    field(out, a.author_id);
    field(out, a.text);
    diagnoses_into(out, a.diagnoses);
    field(out, to_micros(a.signed_at));
    return out;
}

}  // namespace medisecure::records
