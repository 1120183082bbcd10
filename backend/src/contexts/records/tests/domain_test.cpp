// SPDX-License-Identifier: Apache-2.0
// Domain rules of the clinical record: encounter validation and signed content, vital-sign
// plausibility and BMI, allergies and conditions.
#include <gtest/gtest.h>

#include "contexts/records/domain/chart.hpp"
#include "contexts/records/domain/encounter.hpp"
#include "contexts/records/domain/vitals.hpp"
#include "core/time.hpp"

using namespace medisecure;
using namespace medisecure::records;

namespace {

Timestamp now() { return *parse_instant("2026-11-24T09:00:00Z"); }

std::set<std::string> fields_of(const std::vector<FieldIssue>& issues) {
    std::set<std::string> out;
    for (const auto& i : issues) out.insert(i.field);
    return out;
}

Encounter encounter() {
    Encounter e;
    e.id = "enc-1";
    e.patient_id = "pat-1";
    e.author_id = "doc-1";
    e.occurred_at = now();
    e.reason = "Toux";
    e.notes = {"Toux depuis 3 jours", "Auscultation normale", "Rhinopharyngite", "Paracétamol"};
    e.diagnoses = {{"J00", "Rhinopharyngite", true}};
    Prescription p;
    p.id = "rx-1";
    p.drug = "Paracétamol 1 g";
    p.dose = "1 comprimé";
    p.frequency = "3 fois par jour";
    p.duration = "5 jours";
    e.prescriptions = {p};
    return e;
}

}  // namespace

TEST(EncounterRules, CodesHaveTheIcd10Shape) {
    for (const char* ok : {"I10", "J45.9", "E11.65", "Z51.00", "U07.1", "S06.0A"}) EXPECT_TRUE(is_icd10_code(ok)) << ok;
    for (const char* bad : {"", "I1", "i10", "J459", "J45.", "J45.12345", "145.9", "JJ5.9", "J45-9"})
        EXPECT_FALSE(is_icd10_code(bad)) << bad;
}

TEST(EncounterRules, ValidEncounterHasNoIssues) { EXPECT_TRUE(validate(encounter(), now()).empty()); }

TEST(EncounterRules, ReportsEveryInvalidField) {
    auto e = encounter();
    e.reason.clear();
    e.occurred_at = now() + std::chrono::hours(2);
    e.diagnoses = {{"J00", "a", true}, {"J00", "b", true}, {"XX", "c", false}, {"R05", "", false}};
    auto f = fields_of(validate(e, now()));
    for (const char* field : {"/reason", "/occurred_at", "/diagnoses/1/code", "/diagnoses/2/code", "/diagnoses/3/label", "/diagnoses"})
        EXPECT_TRUE(f.count(field)) << field;
    e = encounter();
    e.occurred_at = now() + std::chrono::minutes(3);  // clock skew between machines is tolerated
    EXPECT_TRUE(validate(e, now()).empty());
}

TEST(EncounterRules, FirstDiagnosisBecomesPrimary) {
    std::vector<Diagnosis> d{{"I10", "HTA", false}, {"E78.0", "Hypercholestérolémie", false}};
    settle_primary(d);
    EXPECT_TRUE(d[0].primary);
    EXPECT_FALSE(d[1].primary);
    d[0].primary = false;
    d[1].primary = true;
    settle_primary(d);
    EXPECT_FALSE(d[0].primary);
}

TEST(EncounterRules, SignedContentCoversEveryClinicalFieldButNotPrescriptionStatus) {
    auto base = encounter();
    base.signed_at = now();
    auto content = signed_content(base);
    auto differs = [&](auto change) {
        auto e = base;
        change(e);
        return signed_content(e) != content;
    };
    EXPECT_TRUE(differs([](Encounter& e) { e.notes.assessment += "."; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.notes.plan = "autre"; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.reason = "Fièvre"; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.author_id = "doc-2"; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.diagnoses[0].primary = false; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.prescriptions[0].dose = "2 comprimés"; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.prescriptions[0].route = DrugRoute::rectal; }));
    EXPECT_TRUE(differs([](Encounter& e) { e.signed_at = now() + std::chrono::seconds(1); }));
    // Moving text between fields changes the content too (fields are length-prefixed).
    EXPECT_TRUE(differs([](Encounter& e) {
        e.notes.subjective = "Toux depuis 3 jours" + e.notes.objective;
        e.notes.objective.clear();
    }));
    EXPECT_FALSE(differs([](Encounter& e) { e.prescriptions[0].status = PrescriptionStatus::stopped; }));
    EXPECT_FALSE(differs([](Encounter& e) { e.version = 7; }));
}

TEST(EncounterRules, LatestCorrectedDiagnosesAreInForce) {
    auto e = encounter();
    EXPECT_EQ(e.current_diagnoses()[0].code, "J00");
    Amendment text_only;
    e.amendments.push_back(text_only);
    EXPECT_EQ(e.current_diagnoses()[0].code, "J00");
    Amendment corrected;
    corrected.diagnoses = {{"J02.9", "Pharyngite", true}};
    e.amendments.push_back(corrected);
    e.amendments.push_back(text_only);
    EXPECT_EQ(e.current_diagnoses()[0].code, "J02.9");
}

TEST(EncounterRules, RoutesParseAndPrintInFrench) {
    for (const auto& name : drug_route_names()) EXPECT_EQ(to_string(*parse_drug_route(name)), name);
    EXPECT_FALSE(parse_drug_route("by mouth"));
    EXPECT_EQ(french_label(DrugRoute::oral), "voie orale");
    EXPECT_EQ(parse_prescription_status("stopped"), PrescriptionStatus::stopped);
}

TEST(VitalsRules, PlausibleRangesWithUnits) {
    VitalSigns v;
    v.taken_at = now();
    v.systolic_mmhg = 128;
    v.diastolic_mmhg = 82;
    v.heart_rate_bpm = 72;
    v.temperature_c = 37.2;
    v.weight_kg = 3.45;  // a newborn
    v.height_cm = 50;
    v.spo2_pct = 98;
    EXPECT_TRUE(validate(v, now()).empty());

    v.systolic_mmhg = 400;
    v.heart_rate_bpm = 5;
    v.temperature_c = 52;
    v.weight_kg = 800;
    v.height_cm = 5;
    v.spo2_pct = 30;
    auto issues = validate(v, now());
    auto f = fields_of(issues);
    for (const char* field : {"/systolic_mmhg", "/heart_rate_bpm", "/temperature_c", "/weight_kg", "/height_cm", "/spo2_pct"})
        EXPECT_TRUE(f.count(field)) << field;
    for (const auto& i : issues) {
        if (i.field == "/temperature_c") {
            EXPECT_NE(i.message.find("°C"), std::string::npos);
        }
    }
}

TEST(VitalsRules, BloodPressureNeedsBothValuesInOrder) {
    VitalSigns v;
    v.taken_at = now();
    v.systolic_mmhg = 120;
    EXPECT_EQ(fields_of(validate(v, now())), std::set<std::string>{"/diastolic_mmhg"});
    v.diastolic_mmhg = 130;
    EXPECT_EQ(fields_of(validate(v, now())), std::set<std::string>{"/diastolic_mmhg"});
    v.diastolic_mmhg = 80;
    EXPECT_TRUE(validate(v, now()).empty());
}

TEST(VitalsRules, EmptyOrFutureRecordsAreRefused) {
    VitalSigns v;
    v.taken_at = now();
    EXPECT_EQ(validate(v, now()).at(0).code, "empty");
    v.note = "Pansement refait, cicatrisation correcte.";
    EXPECT_TRUE(validate(v, now()).empty());  // an observation without measures
    v.taken_at = now() + std::chrono::hours(1);
    EXPECT_EQ(validate(v, now()).at(0).field, "/taken_at");
}

TEST(VitalsRules, DecimalsAreRoundedToTheirResolutionAndBmiIsDerived) {
    VitalSigns v;
    v.temperature_c = 37.26;
    v.weight_kg = 72.3456;
    v.height_cm = 175.04;
    normalise(v);
    EXPECT_DOUBLE_EQ(*v.temperature_c, 37.3);
    EXPECT_DOUBLE_EQ(*v.weight_kg, 72.35);
    EXPECT_DOUBLE_EQ(*v.height_cm, 175.0);
    EXPECT_DOUBLE_EQ(*bmi(72.35, 175.0), 23.6);
    EXPECT_DOUBLE_EQ(*bmi(101.2, 172), 34.2);
    EXPECT_FALSE(bmi(72.0, std::nullopt));
    EXPECT_FALSE(bmi(std::nullopt, 170.0));
}

TEST(ChartRules, AllergiesAndConditions) {
    Date today = *parse_date("2026-11-24");
    Allergy a;
    a.substance = "Pénicilline";
    EXPECT_TRUE(validate(a, today).empty());
    a.noted_on = parse_date("2027-01-01");
    a.substance.clear();
    EXPECT_EQ(fields_of(validate(a, today)), (std::set<std::string>{"/substance", "/noted_on"}));

    Condition c;
    c.code = "I10";
    c.label = "Hypertension essentielle (primitive)";
    EXPECT_TRUE(validate(c, today).empty());
    c.label.clear();
    EXPECT_EQ(fields_of(validate(c, today)), std::set<std::string>{"/label"});
    c.code = "hypertension";
    c.onset_date = parse_date("2030-01-01");
    EXPECT_EQ(fields_of(validate(c, today)), (std::set<std::string>{"/code", "/onset_date"}));
    EXPECT_EQ(parse_severity("severe"), Severity::severe);
    EXPECT_FALSE(parse_chart_status("cured"));
}
