// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/http/schemas.hpp"

#include <cstdio>

#include "contexts/records/domain/encounter.hpp"
#include "contexts/records/domain/vitals.hpp"

namespace medisecure::records::schemas {

using schema::opt;
using schema::req;

namespace {

Schema text(std::size_t min, std::size_t max) { return Schema::string().min_length(min).max_length(max); }
Schema long_text(std::size_t max) { return Schema::string().max_length(max).multiline(); }
Schema instant() { return Schema::string().format("date-time"); }
Schema date() { return Schema::string().format("date"); }
Schema nullable_text() { return Schema::string().nullable(); }
Schema statuses() { return Schema::string().enumeration({"active", "resolved"}); }
Schema severities() { return Schema::string().enumeration({"mild", "moderate", "severe"}); }
Schema prescription_statuses() { return Schema::string().enumeration({"active", "stopped", "completed"}); }
Schema code_input() {
    return Schema::string().min_length(3).max_length(10).describe("ICD-10 code, with or without its dot").example("J45.9");
}

/// A measure: its unit and plausible range in the description, generous bounds in the schema
/// (the plausible range is checked by the domain, with the unit in the message).
Schema measure(const char* field, bool integer) {
    for (const auto& r : vital_ranges()) {
        if (std::string_view(r.field) != field) continue;
        char d[160];
        std::snprintf(d, sizeof d, "In %s; plausible values %g to %g", r.unit, r.min, r.max);
        auto base = integer ? Schema::integer() : Schema::number();
        return base.minimum(0).maximum(100000).describe(d);
    }
    return Schema::number();
}

Schema diagnosis_input() {
    return Schema::named("DiagnosisInput",
                         Schema::object({req("code", code_input()),
                                         opt("label", text(0, 300).describe("Left out: the code table's label")),
                                         opt("primary", Schema::boolean().describe("The main diagnosis; the first one by default"))}));
}

Schema prescription_input() {
    return Schema::named(
        "PrescriptionInput",
        Schema::object({req("drug", text(1, 200).describe("Name, strength and form").example("Paracétamol 1 g, comprimé")),
                        req("dose", text(1, 100).example("1 comprimé")),
                        opt("route", Schema::string().enumeration(drug_route_names()).describe("Default: oral")),
                        req("frequency", text(1, 200).example("3 fois par jour")),
                        req("duration", text(1, 100).example("5 jours")),
                        opt("instructions", long_text(1000).example("Espacer les prises d'au moins 6 heures"))}));
}

Schema notes_input() {
    return Schema::named("SoapNotesInput",
                         Schema::object({opt("subjective", long_text(20000)), opt("objective", long_text(20000)),
                                         opt("assessment", long_text(20000)), opt("plan", long_text(20000))}));
}

Schema diagnosis_s() {
    return Schema::named("Diagnosis", Schema::object({req("code", Schema::string()), req("label", Schema::string()),
                                                      req("primary", Schema::boolean())}));
}

Schema person_name() { return Schema::string().nullable().describe("Display name; null for an unknown account"); }

// Not a named schema: a named schema's nullable() is lost when it is resolved.
Schema reading() { return Schema::object({req("value", Schema::number()), req("taken_at", instant())}).nullable(); }

}  // namespace

const Schema& uuid() {
    static const Schema s = Schema::string().format("uuid");
    return s;
}

const Schema& encounter_input() {
    static const Schema s = Schema::named(
        "EncounterInput",
        Schema::object({req("patient_id", uuid()),
                        opt("appointment_id", uuid().nullable().describe("The appointment this consultation took place in")),
                        opt("occurred_at", instant().describe("Default: now")),
                        req("reason", text(1, 300).describe("Motif de consultation")),
                        opt("notes", notes_input()),
                        opt("diagnoses", Schema::array(diagnosis_input()).max_items(kMaxDiagnoses)),
                        opt("prescriptions", Schema::array(prescription_input()).max_items(kMaxPrescriptions))}));
    return s;
}

const Schema& encounter_patch() {
    static const Schema s = Schema::named(
        "EncounterPatch",
        Schema::object({opt("appointment_id", uuid().nullable()), opt("occurred_at", instant()),
                        opt("reason", text(1, 300)),
                        opt("notes", notes_input().describe("Only the notes sent change")),
                        opt("diagnoses", Schema::array(diagnosis_input()).max_items(kMaxDiagnoses).describe("Replaces the list")),
                        opt("prescriptions",
                            Schema::array(prescription_input()).max_items(kMaxPrescriptions).describe("Replaces the list"))})
            .min_items(1));
    return s;
}

const Schema& amendment_input() {
    static const Schema s = Schema::named(
        "AmendmentInput",
        Schema::object({req("text", long_text(10000).min_length(1).describe("What is corrected, and why")),
                        opt("diagnoses", Schema::array(diagnosis_input()).max_items(kMaxDiagnoses)
                                             .describe("The corrected diagnoses, replacing those in force"))}));
    return s;
}

const Schema& prescription_status_input() {
    static const Schema s = Schema::named(
        "PrescriptionStatusInput",
        Schema::object({req("status", Schema::string().enumeration({"stopped", "completed"})),
                        opt("reason", long_text(500).describe("Why it was stopped"))}));
    return s;
}

const Schema& vitals_input() {
    static const Schema s = Schema::named(
        "VitalsInput",
        Schema::object({opt("taken_at", instant().describe("Default: now")),
                        opt("encounter_id", uuid().describe("The consultation they were taken in")),
                        opt("systolic_mmhg", measure("systolic_mmhg", true)),
                        opt("diastolic_mmhg", measure("diastolic_mmhg", true)),
                        opt("heart_rate_bpm", measure("heart_rate_bpm", true)),
                        opt("temperature_c", measure("temperature_c", false)),
                        opt("weight_kg", measure("weight_kg", false)), opt("height_cm", measure("height_cm", false)),
                        opt("spo2_pct", measure("spo2_pct", true)),
                        opt("note", long_text(2000).describe("A nursing observation"))})
            .describe("At least one measure or a note; BMI is derived from weight and height, never sent."));
    return s;
}

const Schema& allergy_input() {
    static const Schema s = Schema::named(
        "AllergyInput",
        Schema::object({req("substance", text(1, 200).example("Pénicilline")), opt("reaction", text(0, 500)),
                        opt("severity", severities().describe("Default: moderate")),
                        opt("status", statuses().describe("Default: active")), opt("noted_on", date())}));
    return s;
}

const Schema& allergy_patch() {
    static const Schema s = Schema::named(
        "AllergyPatch", Schema::object({opt("substance", text(1, 200)), opt("reaction", text(0, 500)),
                                        opt("severity", severities()), opt("status", statuses()),
                                        opt("noted_on", date().nullable())})
                            .min_items(1));
    return s;
}

const Schema& condition_input() {
    static const Schema s = Schema::named(
        "ConditionInput",
        Schema::object({req("code", code_input()), opt("label", text(0, 300).describe("Left out: the code table's label")),
                        opt("onset_date", date()), opt("status", statuses().describe("Default: active")),
                        opt("note", long_text(2000)), opt("encounter_id", uuid().describe("The consultation that diagnosed it"))}));
    return s;
}

const Schema& condition_patch() {
    static const Schema s = Schema::named(
        "ConditionPatch", Schema::object({opt("code", code_input()), opt("label", text(0, 300)),
                                          opt("onset_date", date().nullable()), opt("status", statuses()),
                                          opt("note", long_text(2000))})
                              .min_items(1));
    return s;
}

const Schema& prescription() {
    static const Schema s = Schema::named(
        "Prescription",
        Schema::object({req("id", uuid()), req("encounter_id", uuid()), req("patient_id", uuid()),
                        req("position", Schema::integer()), req("drug", Schema::string()), req("dose", Schema::string()),
                        req("route", Schema::string().enumeration(drug_route_names())), req("frequency", Schema::string()),
                        req("duration", Schema::string()), req("instructions", Schema::string()),
                        req("status", prescription_statuses()), req("status_changed_at", instant().nullable()),
                        req("status_changed_by", nullable_text()), req("status_reason", nullable_text()),
                        req("prescriber_id", nullable_text()), req("prescriber_name", person_name()),
                        req("prescribed_at", instant().nullable().describe("The signature of its encounter; null in a draft")),
                        req("version", Schema::integer())}));
    return s;
}

const Schema& prescription_list() {
    static const Schema s = Schema::named("PrescriptionList", Schema::object({req("items", Schema::array(prescription()))}));
    return s;
}

const Schema& amendment() {
    static const Schema s = Schema::named(
        "Amendment",
        Schema::object({req("id", uuid()), req("author_id", Schema::string()), req("author_name", person_name()),
                        req("signed_at", instant()), req("diagnoses", Schema::array(diagnosis_s())),
                        req("signature", Schema::string()),
                        opt("text", Schema::string().describe("Left out for nurses"))}));
    return s;
}

const Schema& encounter() {
    static const Schema s = Schema::named(
        "Encounter",
        Schema::object({
            req("id", uuid()), req("patient_id", uuid()), req("author_id", Schema::string()), req("author_name", person_name()),
            req("appointment_id", nullable_text()), req("occurred_at", instant()), req("reason", Schema::string()),
            req("status", Schema::string().enumeration({"draft", "signed"})),
            req("notes", Schema::named("SoapNotes", Schema::object({opt("subjective", Schema::string()),
                                                                    opt("objective", Schema::string()),
                                                                    opt("assessment", Schema::string()),
                                                                    req("plan", Schema::string())}))
                             .describe("Nurses receive the plan only")),
            req("diagnoses", Schema::array(diagnosis_s()).describe("As signed")),
            req("current_diagnoses", Schema::array(diagnosis_s()).describe("Those of the latest amendment that corrected them, else the original")),
            req("prescriptions", Schema::array(prescription())), req("amendments", Schema::array(amendment())),
            req("signed_at", instant().nullable()), req("signature", nullable_text()),
            req("signature_valid", Schema::boolean().nullable().describe("Whether the stored content still matches its signatures")),
            req("created_at", instant()), req("updated_at", instant()), req("version", Schema::integer())}));
    return s;
}

const Schema& encounter_item() {
    static const Schema s = Schema::named(
        "EncounterItem",
        Schema::object({req("id", uuid()), req("patient_id", uuid()), req("author_id", Schema::string()),
                        req("author_name", person_name()), req("appointment_id", nullable_text()),
                        req("occurred_at", instant()), req("reason", Schema::string()),
                        req("status", Schema::string().enumeration({"draft", "signed"})),
                        req("diagnoses", Schema::array(diagnosis_s()).describe("The diagnoses in force")),
                        req("prescription_count", Schema::integer()), req("amendment_count", Schema::integer()),
                        req("signed_at", instant().nullable()), req("version", Schema::integer())}));
    return s;
}

const Schema& encounter_page() {
    static const Schema s = Schema::named(
        "EncounterPage", Schema::object({req("items", Schema::array(encounter_item())), req("next_cursor", nullable_text())}));
    return s;
}

const Schema& vitals() {
    static const Schema s = Schema::named(
        "Vitals",
        Schema::object({req("id", uuid()), req("patient_id", uuid()), req("encounter_id", nullable_text()),
                        req("recorded_by", Schema::string()), req("recorded_by_name", person_name()),
                        req("recorded_role", Schema::string()), req("taken_at", instant()),
                        req("systolic_mmhg", Schema::integer().nullable()), req("diastolic_mmhg", Schema::integer().nullable()),
                        req("heart_rate_bpm", Schema::integer().nullable()), req("temperature_c", Schema::number().nullable()),
                        req("weight_kg", Schema::number().nullable()), req("height_cm", Schema::number().nullable()),
                        req("spo2_pct", Schema::integer().nullable()),
                        req("bmi", Schema::number().nullable().describe("kg/m², derived from the weight and the latest height")),
                        req("note", nullable_text()), req("created_at", instant())}));
    return s;
}

const Schema& vitals_list() {
    static const Schema s = Schema::named("VitalsList", Schema::object({req("items", Schema::array(vitals()).describe("Oldest first"))}));
    return s;
}

const Schema& allergy() {
    static const Schema s = Schema::named(
        "Allergy", Schema::object({req("id", uuid()), req("patient_id", uuid()), req("substance", Schema::string()),
                                   req("reaction", nullable_text()), req("severity", severities()), req("status", statuses()),
                                   req("noted_on", date().nullable()), req("recorded_by", Schema::string()),
                                   req("recorded_by_name", person_name()), req("created_at", instant()),
                                   req("updated_at", instant()), req("version", Schema::integer())}));
    return s;
}

const Schema& allergy_list() {
    static const Schema s = Schema::named("AllergyList", Schema::object({req("items", Schema::array(allergy()))}));
    return s;
}

const Schema& condition() {
    static const Schema s = Schema::named(
        "Condition",
        Schema::object({req("id", uuid()), req("patient_id", uuid()), req("code", Schema::string()), req("label", Schema::string()),
                        req("onset_date", date().nullable()), req("status", statuses()), req("note", nullable_text()),
                        req("encounter_id", nullable_text()), req("recorded_by", Schema::string()),
                        req("recorded_by_name", person_name()), req("created_at", instant()), req("updated_at", instant()),
                        req("version", Schema::integer())}));
    return s;
}

const Schema& condition_list() {
    static const Schema s = Schema::named("ConditionList", Schema::object({req("items", Schema::array(condition()))}));
    return s;
}

const Schema& code_list() {
    static const Schema s = Schema::named(
        "Icd10CodeList",
        Schema::object({req("items", Schema::array(Schema::named(
                                         "Icd10Code", Schema::object({req("code", Schema::string()), req("label", Schema::string())}))))}));
    return s;
}

const Schema& summary() {
    static const Schema s = Schema::named(
        "ClinicalSummary",
        Schema::object({req("patient_id", uuid()), req("allergies", Schema::array(allergy()).describe("Active ones")),
                        req("conditions", Schema::array(condition()).describe("Active ones")),
                        req("latest_vitals", Schema::named("LatestVitals", Schema::object({
                                                                              req("systolic_mmhg", reading()),
                                                                              req("diastolic_mmhg", reading()),
                                                                              req("heart_rate_bpm", reading()),
                                                                              req("temperature_c", reading()),
                                                                              req("weight_kg", reading()),
                                                                              req("height_cm", reading()),
                                                                              req("spo2_pct", reading()),
                                                                              req("bmi", reading()),
                                                                          }))
                                                 .describe("The newest value of each measure")),
                        req("recent_vitals", Schema::array(vitals()).describe("The last records, oldest first")),
                        req("prescriptions", Schema::array(prescription()).describe("Active ones")),
                        req("encounters", Schema::array(encounter_item())
                                              .describe("The last encounters the caller may see, newest first"))}));
    return s;
}

}  // namespace medisecure::records::schemas
