// SPDX-License-Identifier: Apache-2.0
// The records context's ports (RecordsStore, CodeStore) against every SQL engine: SQLite (the
// embedded default) and PostgreSQL (production), including the schema's immutability triggers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contexts/records/adapters/sql/sql_code_store.hpp"
#include "contexts/records/adapters/sql/sql_records_store.hpp"
#include "core/random.hpp"
#include "platform/db/outbox.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::records;

namespace {

class RecordsEngine : public ::testing::TestWithParam<std::string> {
protected:
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db;
    void SetUp() override {
        if (GetParam() == "postgresql") MS_REQUIRE_POSTGRES();
        db = GetParam() == "sqlite" ? testkit::sqlite_database(dir, "records", 6) : testkit::postgres_database("records", 6);
    }
};

std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

Timestamp t0() { return *parse_instant("2026-11-24T08:00:00Z"); }
Timestamp at(int minutes) { return t0() + std::chrono::minutes(minutes); }

const std::string kPatient = "01900000-0000-7000-8000-0000000000a1";

Encounter draft(const std::string& id, Timestamp occurred, const std::string& patient = kPatient,
                const std::string& author = "doc-1") {
    Encounter e;
    e.id = id;
    e.patient_id = patient;
    e.author_id = author;
    e.occurred_at = occurred;
    e.reason = "Fièvre";
    e.notes = {"Fièvre à 39 °C depuis hier", "Gorge rouge", "Angine", "Paracétamol\nRevoir si persistance"};
    e.diagnoses = {{"J03.9", "Amygdalite aiguë", true}, {"R50.9", "Fièvre", false}};
    for (int i = 0; i < 2; ++i) {
        Prescription p;
        p.id = id + "-rx" + std::to_string(i);
        p.encounter_id = id;
        p.patient_id = patient;
        p.position = i;
        p.drug = i ? "Ibuprofène 400 mg" : "Paracétamol 1 g";
        p.dose = "1 comprimé";
        p.route = i ? DrugRoute::oral : DrugRoute::rectal;
        p.frequency = "3 fois par jour";
        p.duration = "5 jours";
        p.instructions = i ? "" : "Au cours des repas";
        e.prescriptions.push_back(p);
    }
    e.created_at = e.updated_at = occurred;
    return e;
}

Result<void> run(SqlRecordsStore& s, const std::function<void(RecordsUnit&)>& fn) {
    return s.write([&](RecordsUnit& u) -> Result<void> {
        fn(u);
        return {};
    });
}

bool refused(db::Database& db, const std::string& statement) {
    try {
        db.write([&](soci::session& sql) { sql << statement; });
    } catch (const std::exception&) {
        return true;
    }
    return false;
}

}  // namespace

using RecordsContract = RecordsEngine;

TEST_P(RecordsContract, EncountersRoundTripWithTheirChildren) {
    SqlRecordsStore s(*db);
    auto e = draft("enc-1", at(0));
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(e); }));
    auto got = s.find_encounter("enc-1");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->notes.plan, "Paracétamol\nRevoir si persistance");
    EXPECT_EQ(got->occurred_at, at(0));
    EXPECT_FALSE(got->is_signed());
    ASSERT_EQ(got->diagnoses.size(), 2u);
    EXPECT_TRUE(got->diagnoses[0].primary);
    EXPECT_EQ(got->diagnoses[1].label, "Fièvre");
    ASSERT_EQ(got->prescriptions.size(), 2u);
    EXPECT_EQ(got->prescriptions[0].route, DrugRoute::rectal);
    EXPECT_EQ(got->prescriptions[0].instructions, "Au cours des repas");
    EXPECT_EQ(got->prescriptions[1].drug, "Ibuprofène 400 mg");
    EXPECT_FALSE(got->prescriptions[0].prescribed_at);
    EXPECT_EQ(signed_content(*got), signed_content(e));  // nothing lost or reordered
    EXPECT_FALSE(s.find_encounter("missing"));
}

TEST_P(RecordsContract, DraftsChangeAtTheirVersionAndSigningFreezesThem) {
    SqlRecordsStore s(*db);
    auto e = draft("enc-1", at(0));
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(e); }));
    auto changed = e;
    changed.version = 2;
    changed.reason = "Toux";
    changed.diagnoses = {{"R05", "Toux", true}};
    changed.prescriptions.pop_back();
    bool ok = false;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_draft(changed); }));
    EXPECT_TRUE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_draft(changed); }));  // stale: stored version is 2
    EXPECT_FALSE(ok);
    auto got = s.find_encounter("enc-1");
    EXPECT_EQ(got->reason, "Toux");
    EXPECT_EQ(got->diagnoses.size(), 1u);
    EXPECT_EQ(got->prescriptions.size(), 1u);

    auto to_sign = *got;
    to_sign.version = 3;
    to_sign.signed_at = at(20);
    to_sign.updated_at = at(20);
    to_sign.signature = std::string(64, 'a');
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.sign(to_sign); }));
    EXPECT_TRUE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.sign(to_sign); }));
    EXPECT_FALSE(ok);
    auto again = to_sign;
    again.version = 4;
    again.reason = "changé";
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_draft(again); }));
    EXPECT_FALSE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.delete_draft("enc-1", 3); }));
    EXPECT_FALSE(ok);
    got = s.find_encounter("enc-1");
    EXPECT_EQ(got->signed_at, at(20));
    EXPECT_EQ(got->reason, "Toux");
    EXPECT_EQ(got->prescriptions.at(0).prescribed_at, at(20));
    EXPECT_EQ(got->prescriptions.at(0).prescriber_id, "doc-1");

    auto other = draft("enc-2", at(5));
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(other); }));
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.delete_draft("enc-2", 2); }));
    EXPECT_FALSE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.delete_draft("enc-2", 1); }));
    EXPECT_TRUE(ok);
    EXPECT_FALSE(s.find_encounter("enc-2"));
}

TEST_P(RecordsContract, ConcurrentSignaturesLetOnlyOneWin) {
    SqlRecordsStore s(*db);
    auto e = draft("enc-1", at(0));
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(e); }));
    std::atomic<int> won{0}, lost{0};
    std::vector<std::thread> doctors;
    for (int i = 0; i < 4; ++i)
        doctors.emplace_back([&, i] {
            auto mine = e;
            mine.version = 2;
            mine.signed_at = at(10 + i);
            mine.signature = std::string(64, static_cast<char>('a' + i));
            bool ok = false;
            if (!run(s, [&](RecordsUnit& u) { ok = u.sign(mine); })) return;
            (ok ? won : lost)++;
        });
    for (auto& t : doctors) t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(lost.load(), 3);
    EXPECT_TRUE(s.find_encounter("enc-1")->is_signed());
}

TEST_P(RecordsContract, TheSchemaKeepsSignedContentImmutable) {
    SqlRecordsStore s(*db);
    auto e = draft("enc-1", at(0));
    e.signed_at = at(10);
    e.version = 2;
    e.signature = std::string(64, 'b');
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(e); }));  // imported already signed
    Amendment a;
    a.id = "am-1";
    a.encounter_id = "enc-1";
    a.patient_id = kPatient;
    a.author_id = "doc-2";
    a.text = "Correction";
    a.diagnoses = {{"J02.9", "Pharyngite", true}};
    a.signed_at = at(30);
    a.signature = std::string(64, 'c');
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_amendment(a); }));

    EXPECT_TRUE(refused(*db, "UPDATE encounters SET reason = 'x' WHERE id = 'enc-1'"));
    EXPECT_TRUE(refused(*db, "DELETE FROM encounters WHERE id = 'enc-1'"));
    EXPECT_TRUE(refused(*db, "UPDATE diagnoses SET label = 'x' WHERE owner_id = 'enc-1'"));
    EXPECT_TRUE(refused(*db, "DELETE FROM diagnoses WHERE owner_id = 'am-1'"));
    EXPECT_TRUE(refused(*db, "INSERT INTO diagnoses (owner_id, position, code, label, is_primary) VALUES ('am-1', 5, 'R05', 'Toux', 0)"));
    EXPECT_TRUE(refused(*db, "UPDATE prescriptions SET drug = 'x' WHERE id = 'enc-1-rx0'"));
    EXPECT_TRUE(refused(*db, "DELETE FROM prescriptions WHERE id = 'enc-1-rx0'"));
    EXPECT_TRUE(refused(*db,
                        "INSERT INTO prescriptions (id, encounter_id, patient_id, position, drug, dose, route, frequency, "
                        "duration, instructions, status, status_changed_at, status_changed_by, status_reason, version) "
                        "VALUES ('rx-9', 'enc-1', 'p', 9, 'd', 'd', 'oral', 'f', 'd', '', 'active', 0, '', '', 1)"));
    EXPECT_TRUE(refused(*db, "UPDATE amendments SET text = 'x' WHERE id = 'am-1'"));
    EXPECT_TRUE(refused(*db, "DELETE FROM amendments WHERE id = 'am-1'"));

    auto got = s.find_encounter("enc-1");
    ASSERT_EQ(got->amendments.size(), 1u);
    EXPECT_EQ(got->amendments[0].diagnoses.at(0).code, "J02.9");
    EXPECT_EQ(got->amendments[0].signed_at, at(30));
    EXPECT_EQ(got->version, 2);

    auto rx = s.find_encounter("enc-1")->prescriptions.at(0);
    rx.status = PrescriptionStatus::stopped;
    rx.status_changed_at = at(40);
    rx.status_changed_by = "doc-2";
    rx.status_reason = "Intolérance";
    rx.version = 2;
    bool ok = false;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_prescription_status(rx); }));
    EXPECT_TRUE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_prescription_status(rx); }));  // stale
    EXPECT_FALSE(ok);
    std::optional<Prescription> found;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { found = u.find_prescription(rx.id); }));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, PrescriptionStatus::stopped);
    EXPECT_EQ(found->status_reason, "Intolérance");
    EXPECT_EQ(found->status_changed_at, at(40));
    EXPECT_EQ(found->prescribed_at, at(10));
}

TEST_P(RecordsContract, ListsFilterAndPageNewestFirst) {
    SqlRecordsStore s(*db);
    for (int i = 0; i < 5; ++i) {
        auto e = draft("enc-" + std::to_string(i), at(i * 60), kPatient, i % 2 ? "doc-2" : "doc-1");
        if (i != 3) {
            e.signed_at = at(i * 60 + 10);
            e.version = 2;
            e.signature = "s";
        }
        ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(e); }));
    }
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.insert_encounter(draft("other", at(500), "someone-else")); }));

    EncounterQuery q;
    q.patient_id = kPatient;
    q.limit = 10;
    auto all = s.list_encounters(q);
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[0].id, "enc-4");
    EXPECT_EQ(all[4].id, "enc-0");
    EXPECT_EQ(all[0].prescriptions.size(), 2u);
    EXPECT_EQ(all[0].diagnoses.size(), 2u);
    q.which = EncounterQuery::Which::signed_only;
    EXPECT_EQ(s.list_encounters(q).size(), 4u);
    q.which = EncounterQuery::Which::drafts_only;
    q.patient_id.clear();
    q.author_id = "doc-2";
    auto drafts = s.list_encounters(q);
    ASSERT_EQ(drafts.size(), 1u);
    EXPECT_EQ(drafts[0].id, "enc-3");

    EncounterQuery page;
    page.patient_id = kPatient;
    page.limit = 2;
    page.before = TimeCursor{all[1].occurred_at, all[1].id};
    auto next = s.list_encounters(page);
    ASSERT_EQ(next.size(), 2u);
    EXPECT_EQ(next[0].id, "enc-2");
    EXPECT_EQ(next[1].id, "enc-1");

    auto prescriptions = s.list_prescriptions(kPatient, std::nullopt);
    EXPECT_EQ(prescriptions.size(), 8u);  // 4 signed encounters, 2 lines each; the draft's are not listed
    EXPECT_EQ(prescriptions[0].encounter_id, "enc-4");
    EXPECT_EQ(prescriptions[0].position, 0);
    EXPECT_TRUE(s.list_prescriptions(kPatient, PrescriptionStatus::completed).empty());
}

TEST_P(RecordsContract, VitalsKeepTheirUnitsAndGaps) {
    SqlRecordsStore s(*db);
    auto vitals = [&](const std::string& id, int minutes) {
        VitalSigns v;
        v.id = id;
        v.patient_id = kPatient;
        v.recorded_by = "nurse-1";
        v.recorded_role = "nurse";
        v.taken_at = at(minutes);
        v.created_at = at(minutes);
        return v;
    };
    auto a = vitals("v1", 0);
    a.systolic_mmhg = 131;
    a.diastolic_mmhg = 84;
    a.temperature_c = 37.2;
    a.weight_kg = 72.35;
    a.height_cm = 175.5;
    a.spo2_pct = 97;
    auto b = vitals("v2", 60);
    b.weight_kg = 3.45;
    b.note = "Nourrisson, pesée au cabinet";
    auto c = vitals("v3", 120);
    c.heart_rate_bpm = 64;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) {
        u.insert_vitals(a);
        u.insert_vitals(c);
        u.insert_vitals(b);
    }));

    VitalsQuery q;
    q.patient_id = kPatient;
    auto all = s.list_vitals(q);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, "v1");
    EXPECT_EQ(all[2].id, "v3");
    EXPECT_EQ(*all[0].systolic_mmhg, 131);
    EXPECT_DOUBLE_EQ(*all[0].temperature_c, 37.2);
    EXPECT_DOUBLE_EQ(*all[0].weight_kg, 72.35);
    EXPECT_DOUBLE_EQ(*all[0].height_cm, 175.5);
    EXPECT_DOUBLE_EQ(*all[1].weight_kg, 3.45);
    EXPECT_FALSE(all[1].systolic_mmhg);
    EXPECT_FALSE(all[1].temperature_c);
    EXPECT_EQ(all[1].note, "Nourrisson, pesée au cabinet");
    EXPECT_FALSE(all[2].weight_kg);

    q.limit = 1;
    EXPECT_EQ(s.list_vitals(q).at(0).id, "v3");
    q.limit = 10;
    q.from = at(30);
    q.to = at(60);
    EXPECT_EQ(s.list_vitals(q).size(), 1u);

    auto latest = s.latest_vitals(kPatient);
    std::set<std::string> ids;
    for (const auto& v : latest) ids.insert(v.id);
    EXPECT_EQ(ids, (std::set<std::string>{"v1", "v2", "v3"}));  // pressure/height/temperature, weight, pulse
    auto heights = s.heights(kPatient);
    ASSERT_EQ(heights.size(), 1u);
    EXPECT_DOUBLE_EQ(heights[0].second, 175.5);
    EXPECT_TRUE(s.list_vitals({"nobody", std::nullopt, std::nullopt, 10}).empty());
}

TEST_P(RecordsContract, AllergiesAndConditionsAreVersioned) {
    SqlRecordsStore s(*db);
    Allergy a;
    a.id = "al-1";
    a.patient_id = kPatient;
    a.substance = "Pénicilline";
    a.reaction = "Urticaire";
    a.severity = Severity::severe;
    a.status = ChartStatus::resolved;
    a.noted_on = parse_date("2009-04-12");
    a.recorded_by = "nurse-1";
    a.created_at = a.updated_at = at(0);
    auto b = a;
    b.id = "al-2";
    b.substance = "Arachide";
    b.status = ChartStatus::active;
    b.noted_on.reset();
    b.created_at = at(5);
    Condition c;
    c.id = "co-1";
    c.patient_id = kPatient;
    c.code = "I10";
    c.label = "Hypertension essentielle (primitive)";
    c.onset_date = parse_date("2019-01-15");
    c.note = "Découverte fortuite";
    c.recorded_by = "doc-1";
    c.created_at = c.updated_at = at(0);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) {
        u.insert_allergy(a);
        u.insert_allergy(b);
        u.insert_condition(c);
    }));
    auto allergies = s.list_allergies(kPatient);
    ASSERT_EQ(allergies.size(), 2u);
    EXPECT_EQ(allergies[0].id, "al-2");  // active first
    EXPECT_FALSE(allergies[0].noted_on);
    EXPECT_EQ(allergies[1].noted_on, parse_date("2009-04-12"));
    EXPECT_EQ(allergies[1].severity, Severity::severe);

    bool ok = false;
    b.version = 2;
    b.reaction = "Œdème de Quincke";
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_allergy(b); }));
    EXPECT_TRUE(ok);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_allergy(b); }));
    EXPECT_FALSE(ok);
    std::optional<Allergy> found;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { found = u.find_allergy("al-2"); }));
    EXPECT_EQ(found->reaction, "Œdème de Quincke");

    c.version = 2;
    c.status = ChartStatus::resolved;
    c.onset_date.reset();
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { ok = u.update_condition(c); }));
    EXPECT_TRUE(ok);
    auto conditions = s.list_conditions(kPatient);
    ASSERT_EQ(conditions.size(), 1u);
    EXPECT_EQ(conditions[0].status, ChartStatus::resolved);
    EXPECT_FALSE(conditions[0].onset_date);
    EXPECT_EQ(conditions[0].note, "Découverte fortuite");
    std::optional<Condition> missing;
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { missing = u.find_condition("nope"); }));
    EXPECT_FALSE(missing);
}

TEST_P(RecordsContract, JobsAreWrittenInTheTransactionOfTheChange) {
    SqlRecordsStore s(*db);
    jobs::JobRequest job;
    job.type = jobs::kInAppNotification;
    job.payload_json = R"({"recipients":["patient:p"]})";
    job.dedupe_key = "records.encounter_signed:enc-1";
    job.patient_id = kPatient;
    auto failed = s.write([&](RecordsUnit& u) -> Result<void> {
        u.enqueue(job, at(0));
        return conflict("rolled_back", "");
    });
    EXPECT_FALSE(failed);
    ASSERT_TRUE(run(s, [&](RecordsUnit& u) { u.enqueue(job, at(1)); }));
    auto rows = db->read([](soci::session& sql) { return db::peek_outbox(sql, 10); });
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].request.type, jobs::kInAppNotification);
    EXPECT_EQ(rows[0].request.dedupe_key, "records.encounter_signed:enc-1");
}

using CodeContract = RecordsEngine;

TEST_P(CodeContract, SearchesByCodePrefixAndFoldedWords) {
    SqlCodeStore s(*db);
    EXPECT_FALSE(s.code_set("icd10"));
    std::vector<Icd10Code> codes = {{"E11.9", "Diabète sucré de type 2, sans complication"},
                                    {"E11.2", "Diabète sucré de type 2, avec complications rénales"},
                                    {"E10.9", "Diabète sucré de type 1, sans complication"},
                                    {"E14.9", "Diabète sucré, sans précision"},
                                    {"R60.0", "Œdème localisé"},
                                    {"I10", "Hypertension essentielle (primitive)"}};
    auto counts = s.upsert(codes, {"icd10", "starter", 0, at(0)});
    EXPECT_EQ(counts.added, 6);
    auto set = s.code_set("icd10");
    ASSERT_TRUE(set);
    EXPECT_EQ(set->count, 6);
    EXPECT_EQ(set->source, "starter");
    EXPECT_EQ(set->loaded_at, at(0));

    auto codes_of = [](const std::vector<Icd10Code>& v) {
        std::vector<std::string> out;
        for (const auto& c : v) out.push_back(c.code);
        return out;
    };
    EXPECT_EQ(codes_of(s.search({std::string("E11"), {}, 20})), (std::vector<std::string>{"E11.2", "E11.9"}));
    EXPECT_EQ(codes_of(s.search({std::string("E1"), {}, 2})), (std::vector<std::string>{"E10.9", "E11.2"}));
    EXPECT_EQ(codes_of(s.search({std::nullopt, {"diab", "type", "2"}, 20})), (std::vector<std::string>{"E11.2", "E11.9"}));
    EXPECT_EQ(codes_of(s.search({std::nullopt, {"oedem"}, 20})), (std::vector<std::string>{"R60.0"}));
    EXPECT_EQ(codes_of(s.search({std::string("I"), {"hyper"}, 20})), (std::vector<std::string>{"I10"}));
    EXPECT_TRUE(s.search({std::nullopt, {"zz"}, 20}).empty());
    auto labels = s.labels({"I10", "Z99.9"});
    EXPECT_EQ(labels.size(), 1u);
    EXPECT_EQ(labels["I10"], "Hypertension essentielle (primitive)");

    // Relabelling replaces the label's search words.
    counts = s.upsert({{"I10", "HTA essentielle"}, {"E11.9", "Diabète sucré de type 2, sans complication"}, {"J45.9", "Asthme"}},
                      {"icd10", "import:cim10.csv", 0, at(5)});
    EXPECT_EQ(counts.added, 1);
    EXPECT_EQ(counts.updated, 1);
    EXPECT_EQ(counts.unchanged, 1);
    EXPECT_TRUE(s.search({std::nullopt, {"hypertension"}, 20}).empty());
    EXPECT_EQ(codes_of(s.search({std::nullopt, {"hta"}, 20})), (std::vector<std::string>{"I10"}));
    EXPECT_EQ(s.code_set("icd10")->count, 7);
    EXPECT_EQ(s.code_set("icd10")->source, "import:cim10.csv");
}

TEST_P(CodeContract, LargeListsAndConcurrentLoadsAreSafe) {
    SqlCodeStore s(*db);
    std::vector<Icd10Code> many;
    for (char letter = 'A'; letter <= 'D'; ++letter)
        for (int n = 0; n < 100; ++n)
            for (int d = 0; d < 3; ++d) {
                char code[8];
                std::snprintf(code, sizeof code, "%c%02d.%d", letter, n, d);
                many.push_back({code, "Maladie numéro " + std::to_string(n) + " variante " + std::to_string(d)});
            }
    // Two instances starting at once both load the list; neither fails.
    std::vector<std::thread> loaders;
    std::atomic<int> failures{0};
    for (int i = 0; i < 2; ++i)
        loaders.emplace_back([&] {
            try {
                s.upsert(many, {"icd10", "starter", 0, at(0)});
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (auto& t : loaders) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(s.code_set("icd10")->count, 1200);
    EXPECT_EQ(s.search({std::nullopt, {"numero", "42", "variante", "1"}, 50}).size(), 4u);  // A42.1 ... D42.1
}

INSTANTIATE_TEST_SUITE_P(Sql, RecordsContract, ::testing::Values("sqlite", "postgresql"), engine_name);
INSTANTIATE_TEST_SUITE_P(Sql, CodeContract, ::testing::Values("sqlite", "postgresql"), engine_name);
