// SPDX-License-Identifier: Apache-2.0
// Vitals (units, plausibility, derived BMI, series), allergies, conditions, the summary, and the
// ICD-10 catalogue (search, import) against the SQL store on SQLite.
#include "records_fixture.hpp"

using namespace medisecure;
using namespace medisecure::records;
using namespace medisecure::records::testing;
using audit::Outcome;

namespace {

using Chart = RecordsTest;

VitalSigns measures(std::optional<double> weight, std::optional<double> height, int systolic = 128) {
    VitalSigns v;
    v.patient_id = kPatient;
    v.systolic_mmhg = systolic;
    v.diastolic_mmhg = 80;
    v.heart_rate_bpm = 72;
    v.weight_kg = weight;
    v.height_cm = height;
    return v;
}

std::vector<std::string> codes_of(const std::vector<Icd10Code>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(c.code);
    return out;
}

}  // namespace

TEST_F(Chart, NursesAndDoctorsRecordVitalsWithADerivedBmi) {
    auto r = chart.record_vitals(nurse, measures(70.0, 175.0), std::nullopt);
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(r->vitals.recorded_by, "nurse-1");
    EXPECT_EQ(r->vitals.recorded_role, "nurse");
    EXPECT_EQ(r->vitals.taken_at, clock.now());
    EXPECT_DOUBLE_EQ(*r->bmi, 22.9);
    EXPECT_EQ(audit.count("vitals.record", Outcome::success), 1u);

    // A later weight alone takes the latest height recorded before it.
    clock.advance(std::chrono::hours(24 * 30));
    auto later = chart.record_vitals(doctor, measures(73.5, std::nullopt), std::nullopt);
    ASSERT_TRUE(later);
    EXPECT_DOUBLE_EQ(*later->bmi, 24.0);
    auto earlier = chart.record_vitals(doctor, measures(69.0, std::nullopt), clock.now() - std::chrono::hours(24 * 60));
    ASSERT_TRUE(earlier);
    EXPECT_FALSE(earlier->bmi);  // no height was known then
}

TEST_F(Chart, ImplausibleVitalsAreRefusedWithTheirFields) {
    auto v = measures(700.0, 175.0, 320);
    v.temperature_c = 47.5;
    v.encounter_id = signed_encounter(kOther).id;
    auto r = chart.record_vitals(nurse, v, clock.now() + std::chrono::hours(1));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(fields_of(r.error()),
              (std::set<std::string>{"/systolic_mmhg", "/weight_kg", "/temperature_c", "/taken_at", "/encounter_id"}));
    VitalSigns empty;
    empty.patient_id = kPatient;
    EXPECT_EQ(chart.record_vitals(nurse, empty, std::nullopt).error().fields.at(0).code, "empty");
}

TEST_F(Chart, VitalsRightsPerRole) {
    EXPECT_EQ(chart.record_vitals(secretary, measures(70.0, 175.0), std::nullopt).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(chart.record_vitals(patient, measures(70.0, 175.0), std::nullopt).error().kind, ErrorKind::not_found);
    auto unknown = measures(70.0, 175.0);
    unknown.patient_id = kUnknown;
    EXPECT_EQ(chart.record_vitals(doctor, unknown, std::nullopt).error().kind, ErrorKind::not_found);
    auto e = signed_encounter();
    auto linked = measures(70.0, 175.0);
    linked.encounter_id = e.id;
    EXPECT_TRUE(chart.record_vitals(doctor, linked, std::nullopt));

    VitalsQuery q;
    q.patient_id = kPatient;
    EXPECT_EQ(chart.vitals(patient, q)->size(), 1u);
    EXPECT_EQ(chart.vitals(accountant, q).error().kind, ErrorKind::forbidden);
    q.patient_id = kOther;
    EXPECT_EQ(chart.vitals(patient, q).error().kind, ErrorKind::not_found);
    q.patient_id = kUnknown;
    EXPECT_EQ(chart.vitals(doctor, q).error().kind, ErrorKind::not_found);
}

TEST_F(Chart, VitalsSeriesIsOldestFirstWithinItsWindow) {
    auto start = clock.now() - std::chrono::hours(24 * 180);
    for (int month = 0; month < 6; ++month)
        chart.record_vitals(nurse, measures(80.0 - month, month == 0 ? std::optional<double>(170.0) : std::nullopt, 150 - 3 * month),
                            start + std::chrono::hours(24 * 30 * month))
            .value();
    VitalsQuery q;
    q.patient_id = kPatient;
    auto all = chart.vitals(doctor, q);
    ASSERT_EQ(all->size(), 6u);
    EXPECT_EQ(*all->front().vitals.systolic_mmhg, 150);
    EXPECT_EQ(*all->back().vitals.systolic_mmhg, 135);
    EXPECT_DOUBLE_EQ(*all->back().bmi, 26.0);  // 75 kg with the first visit's 170 cm
    q.limit = 2;
    auto last_two = chart.vitals(doctor, q);
    ASSERT_EQ(last_two->size(), 2u);
    EXPECT_EQ(*last_two->front().vitals.systolic_mmhg, 138);
    q.limit = 500;
    q.from = start + std::chrono::hours(24 * 45);
    q.to = start + std::chrono::hours(24 * 100);
    auto window = chart.vitals(doctor, q);
    ASSERT_EQ(window->size(), 2u);
    EXPECT_EQ(*window->front().vitals.systolic_mmhg, 144);
}

TEST_F(Chart, AllergiesAreKeptByNursesAndDoctorsWithVersions) {
    Allergy a;
    a.patient_id = kPatient;
    a.substance = " Pénicilline ";
    a.reaction = "Urticaire";
    a.severity = Severity::severe;
    EXPECT_EQ(chart.add_allergy(secretary, a).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(chart.add_allergy(patient, a).error().kind, ErrorKind::not_found);
    auto added = chart.add_allergy(nurse, a);
    ASSERT_TRUE(added);
    EXPECT_EQ(added->substance, "Pénicilline");
    EXPECT_EQ(added->version, 1);

    AllergyPatch p;
    p.status = ChartStatus::resolved;
    p.fields = {"status"};
    EXPECT_EQ(chart.update_allergy(doctor, added->id, 5, p).error().kind, ErrorKind::precondition_failed);
    EXPECT_EQ(chart.update_allergy(doctor, kUnknown, 1, p).error().kind, ErrorKind::not_found);
    EXPECT_EQ(chart.update_allergy(accountant, added->id, 1, p).error().kind, ErrorKind::forbidden);
    auto resolved = chart.update_allergy(doctor, added->id, 1, p);
    ASSERT_TRUE(resolved);
    EXPECT_EQ(resolved->status, ChartStatus::resolved);
    EXPECT_EQ(resolved->version, 2);
    AllergyPatch future;
    future.noted_on = parse_date("2030-01-01");
    EXPECT_EQ(fields_of(chart.update_allergy(doctor, added->id, 2, future).error()), std::set<std::string>{"/noted_on"});

    EXPECT_EQ(chart.allergies(patient, kPatient)->size(), 1u);
    EXPECT_EQ(chart.allergies(other_patient, kPatient).error().kind, ErrorKind::not_found);
}

TEST_F(Chart, ConditionsAreDiagnosedByDoctors) {
    Condition c;
    c.patient_id = kPatient;
    c.code = "e119";
    c.onset_date = parse_date("2018-03-01");
    EXPECT_EQ(chart.add_condition(nurse, c).error().kind, ErrorKind::forbidden);
    auto added = chart.add_condition(doctor, c);
    ASSERT_TRUE(added) << added.error().code;
    EXPECT_EQ(added->code, "E11.9");
    EXPECT_EQ(added->label, "Diabète sucré de type 2, sans complication");

    ConditionPatch p;
    p.code = "E11.2";
    p.fields = {"code"};
    auto recoded = chart.update_condition(doctor, added->id, 1, p);
    ASSERT_TRUE(recoded) << recoded.error().code;
    EXPECT_EQ(recoded->label, "Diabète sucré de type 2, avec complications rénales");
    ConditionPatch unknown;
    unknown.code = "E11.99";
    EXPECT_EQ(fields_of(chart.update_condition(doctor, added->id, 2, unknown).error()), std::set<std::string>{"/label"});

    Condition bad;
    bad.patient_id = kPatient;
    bad.code = "diabete";
    EXPECT_EQ(fields_of(chart.add_condition(doctor, bad).error()), std::set<std::string>{"/code"});
    EXPECT_EQ(chart.conditions(nurse, kPatient)->size(), 1u);
    EXPECT_EQ(chart.conditions(secretary, kPatient).error().kind, ErrorKind::forbidden);
}

TEST_F(Chart, SummaryGathersWhatACliniciansNeedInOneCall) {
    Allergy a;
    a.patient_id = kPatient;
    a.substance = "Arachide";
    auto peanut = chart.add_allergy(nurse, a).value();
    a.substance = "Latex";
    auto latex = chart.add_allergy(nurse, a).value();
    AllergyPatch resolve;
    resolve.status = ChartStatus::resolved;
    chart.update_allergy(nurse, latex.id, 1, resolve).value();
    Condition c;
    c.patient_id = kPatient;
    c.code = "I10";
    chart.add_condition(doctor, c).value();
    chart.record_vitals(nurse, measures(80.0, 180.0), clock.now() - std::chrono::hours(24 * 90)).value();
    auto t = measures(std::nullopt, std::nullopt, 142);
    t.temperature_c = 38.4;
    chart.record_vitals(nurse, t, clock.now() - std::chrono::hours(2)).value();
    auto e = signed_encounter();
    encounters.create(doctor, input()).value();  // a draft

    auto s = chart.summary(doctor, kPatient);
    ASSERT_TRUE(s);
    ASSERT_EQ(s->allergies.size(), 1u);
    EXPECT_EQ(s->allergies[0].id, peanut.id);
    ASSERT_EQ(s->conditions.size(), 1u);
    EXPECT_EQ(s->latest.systolic_mmhg->value, 142);
    EXPECT_DOUBLE_EQ(s->latest.temperature_c->value, 38.4);
    EXPECT_DOUBLE_EQ(s->latest.weight_kg->value, 80.0);  // from the older record
    EXPECT_DOUBLE_EQ(s->latest.bmi->value, 24.7);
    EXPECT_EQ(s->recent_vitals.size(), 2u);
    ASSERT_EQ(s->prescriptions.size(), 1u);
    EXPECT_EQ(s->prescriptions[0].encounter_id, e.id);
    EXPECT_EQ(s->encounters.size(), 2u);  // the draft too, for a doctor

    auto for_nurse = chart.summary(nurse, kPatient);
    ASSERT_EQ(for_nurse->encounters.size(), 1u);
    EXPECT_TRUE(for_nurse->encounters[0].notes.subjective.empty());
    EXPECT_EQ(chart.summary(patient, kPatient)->encounters.size(), 1u);
    EXPECT_EQ(chart.summary(other_patient, kPatient).error().kind, ErrorKind::not_found);
    EXPECT_EQ(chart.summary(secretary, kPatient).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(chart.summary(doctor, kUnknown).error().kind, ErrorKind::not_found);
    EXPECT_EQ(audit.count("records.summary", Outcome::success), 3u);
}

TEST_F(Chart, CodeSearchByPrefixOrAccentInsensitiveWords) {
    EXPECT_EQ(codes_of(*codes.search(doctor, "j45", 20)), (std::vector<std::string>{"J45.0", "J45.9"}));
    EXPECT_EQ(codes_of(*codes.search(nurse, "J45.9", 20)), (std::vector<std::string>{"J45.9"}));
    auto diabetes = codes_of(*codes.search(doctor, "DIABETE type 2 sans", 20));
    EXPECT_EQ(diabetes, (std::vector<std::string>{"E11.9"}));
    auto oedeme = codes_of(*codes.search(doctor, "œdème", 20));
    EXPECT_NE(std::find(oedeme.begin(), oedeme.end(), "R60.0"), oedeme.end());
    EXPECT_NE(std::find(oedeme.begin(), oedeme.end(), "T78.3"), oedeme.end());
    EXPECT_EQ(codes.search(doctor, "doul", 3)->size(), 3u);  // a prefix of "douleur", limited
    EXPECT_TRUE(codes.search(doctor, "zzzz", 20)->empty());
    EXPECT_EQ(codes.search(doctor, " - ", 20).error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(codes.search(secretary, "j45", 20).error().kind, ErrorKind::forbidden);
}

TEST_F(Chart, ImportAddsAndRelabelsCodesAndIsAudited) {
    auto before = code_store.code_set("icd10");
    ASSERT_TRUE(before);
    EXPECT_EQ(before->source, "starter");
    EXPECT_EQ(codes.ensure_starter(), 0);  // loaded once

    std::string file = "code;libelle\nI10;Hypertension essentielle (primitive)\nJ45.9;Asthme, sans pr\xE9" "cision (CIM-10 FR)\n"
                       "A01.0;Fi\xE8vre typho\xEF" "de\nnot-a-code;x\n";
    EXPECT_EQ(codes.import(doctor, file, "cim10.csv").error().kind, ErrorKind::forbidden);
    auto report = codes.import(Caller::system("cli"), file, "cim10.csv");
    ASSERT_TRUE(report) << report.error().code;
    EXPECT_EQ(report->encoding, "Windows-1252");
    EXPECT_EQ(report->read, 3u);
    EXPECT_EQ(report->skipped, 1u);
    EXPECT_EQ(report->counts.added, 1);
    EXPECT_EQ(report->counts.updated, 1);
    EXPECT_EQ(report->counts.unchanged, 1);
    EXPECT_EQ(report->table_size, before->count + 1);
    EXPECT_EQ(code_store.code_set("icd10")->source, "import:cim10.csv");
    EXPECT_EQ(codes.search(doctor, "typhoide", 20)->at(0).code, "A01.0");
    EXPECT_EQ(codes.search(doctor, "J45.9", 20)->at(0).label, "Asthme, sans précision (CIM-10 FR)");
    // The old label's words no longer find it; the new ones do.
    EXPECT_TRUE(codes.search(doctor, "asthme cim", 20)->size() == 1);
    EXPECT_EQ(audit.count("codes.import", Outcome::success), 1u);
    EXPECT_EQ(audit.count("codes.import", Outcome::denied), 1u);
    EXPECT_EQ(codes.import(Caller::system("cli"), "rubbish", "x.csv").error().code, "no_delimiter");
}
