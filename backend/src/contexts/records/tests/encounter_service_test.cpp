// SPDX-License-Identifier: Apache-2.0
// Encounter use cases against the SQL store on SQLite: drafts, authorship, optimistic
// concurrency, signature and immutability (in the use cases and in the schema), amendments,
// prescriptions' status, reading rights per role, and the audit trail.
#include <boost/json.hpp>

#include "contexts/records/app/records_export.hpp"
#include "records_fixture.hpp"

using namespace medisecure;
using namespace medisecure::records;
using namespace medisecure::records::testing;
using audit::Outcome;

namespace {

using Encounters = RecordsTest;

}  // namespace

TEST_F(Encounters, DraftTakesLabelsFromTheCodeTableAndIsAudited) {
    auto r = encounters.create(doctor, input());
    ASSERT_TRUE(r) << r.error().code;
    const auto& e = r->encounter;
    EXPECT_FALSE(e.is_signed());
    EXPECT_EQ(e.author_id, "doc-1");
    EXPECT_EQ(e.version, 1);
    EXPECT_EQ(e.occurred_at, clock.now());
    ASSERT_EQ(e.diagnoses.size(), 1u);
    EXPECT_EQ(e.diagnoses[0].code, "J03.9");
    EXPECT_EQ(e.diagnoses[0].label, "Amygdalite aiguë, sans précision (angine)");
    EXPECT_TRUE(e.diagnoses[0].primary);
    ASSERT_EQ(e.prescriptions.size(), 1u);
    EXPECT_EQ(e.prescriptions[0].status, PrescriptionStatus::active);
    EXPECT_FALSE(e.prescriptions[0].prescribed_at);
    EXPECT_EQ(audit.count("encounter.create", Outcome::success), 1u);
    // The audit trail says what happened, never what was written.
    for (const auto& [caller, entry] : audit.entries()) EXPECT_EQ(entry.detail.find("gorge"), std::string::npos);

    auto stored = store.find_encounter(e.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->notes.subjective, "Odynophagie depuis 2 jours");
    EXPECT_EQ(stored->prescriptions.at(0).drug, "Paracétamol 1 g, comprimé");
}

TEST_F(Encounters, OnlyDoctorsWriteEncounters) {
    for (const auto& c : {nurse, secretary, accountant, admin})
        EXPECT_EQ(encounters.create(c, input()).error().kind, ErrorKind::forbidden) << to_string(c.role);
    EXPECT_EQ(encounters.create(patient, input()).error().kind, ErrorKind::not_found);
    EXPECT_EQ(audit.count("encounter.create", Outcome::denied), 5u);
}

TEST_F(Encounters, ValidationNamesTheFields) {
    EXPECT_EQ(fields_of(encounters.create(doctor, input(kUnknown)).error()), std::set<std::string>{"/patient_id"});
    auto in = input();
    in.occurred_at = clock.now() + std::chrono::hours(3);
    in.diagnoses = {{"Z99.99", "", false}, {"angine", "", false}};
    auto r = encounters.create(doctor, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(fields_of(r.error()), (std::set<std::string>{"/occurred_at", "/diagnoses/0/label", "/diagnoses/1/code"}));
    // A code outside the table is fine with a label the doctor writes.
    in = input();
    in.diagnoses = {{"Z99.99", "Code local", false}};
    EXPECT_TRUE(encounters.create(doctor, in));
}

TEST_F(Encounters, OnlyTheAuthorEditsTheVersionTheyRead) {
    auto draft = encounters.create(doctor, input())->encounter;
    EncounterPatch p;
    p.plan = "Antalgiques, revoir dans 48 h si fièvre";
    p.diagnoses = std::vector<Diagnosis>{{"J02.9", "", false}, {"R50.9", "", false}};
    p.prescriptions = std::vector<Prescription>{line("Paracétamol 500 mg", "2 comprimés"), line("Ibuprofène 200 mg")};
    p.fields = {"notes", "diagnoses", "prescriptions"};

    EXPECT_EQ(encounters.update(colleague, draft.id, 1, p).error().code, "encounter.not_author");
    EXPECT_EQ(encounters.update(doctor, draft.id, 7, p).error().kind, ErrorKind::precondition_failed);
    EXPECT_EQ(encounters.update(doctor, kUnknown, 1, p).error().kind, ErrorKind::not_found);
    EXPECT_EQ(encounters.update(nurse, draft.id, 1, p).error().kind, ErrorKind::forbidden);

    auto updated = encounters.update(doctor, draft.id, 1, p);
    ASSERT_TRUE(updated) << updated.error().code;
    EXPECT_EQ(updated->encounter.version, 2);
    EXPECT_EQ(updated->encounter.notes.plan, "Antalgiques, revoir dans 48 h si fièvre");
    EXPECT_EQ(updated->encounter.notes.subjective, "Odynophagie depuis 2 jours");  // untouched
    auto stored = store.find_encounter(draft.id);
    ASSERT_EQ(stored->diagnoses.size(), 2u);
    EXPECT_EQ(stored->diagnoses[1].label, "Fièvre, sans précision");
    ASSERT_EQ(stored->prescriptions.size(), 2u);
    EXPECT_EQ(stored->prescriptions[1].drug, "Ibuprofène 200 mg");
    // The version read before this change is stale now.
    EXPECT_EQ(encounters.update(doctor, draft.id, 1, p).error().kind, ErrorKind::precondition_failed);
    bool audited = false;
    for (const auto& [c, e] : audit.entries())
        audited |= e.action == "encounter.update" && e.outcome == Outcome::success && e.detail == "fields=notes,diagnoses,prescriptions";
    EXPECT_TRUE(audited);
}

TEST_F(Encounters, SigningFreezesTheEncounterAndNotifiesThePatient) {
    auto draft = encounters.create(doctor, input())->encounter;
    EXPECT_EQ(encounters.sign(colleague, draft.id, 1).error().code, "encounter.not_author");
    EXPECT_EQ(encounters.sign(doctor, draft.id, 2).error().kind, ErrorKind::precondition_failed);
    clock.advance(std::chrono::minutes(20));
    auto s = encounters.sign(doctor, draft.id, 1);
    ASSERT_TRUE(s) << s.error().code;
    const auto& e = s->encounter;
    EXPECT_TRUE(e.is_signed());
    EXPECT_EQ(*e.signed_at, clock.now());
    EXPECT_EQ(e.version, 2);
    EXPECT_EQ(e.signature.size(), 64u);
    EXPECT_TRUE(s->intact);
    EXPECT_EQ(e.prescriptions.at(0).prescribed_at, e.signed_at);
    EXPECT_EQ(e.prescriptions.at(0).prescriber_id, "doc-1");

    EncounterPatch p;
    p.reason = "autre motif";
    EXPECT_EQ(encounters.update(doctor, draft.id, 2, p).error().code, "encounter.signed");
    EXPECT_EQ(encounters.update(doctor, draft.id, 2, p).error().kind, ErrorKind::conflict);
    EXPECT_EQ(encounters.discard(doctor, draft.id, 2).error().code, "encounter.signed");
    EXPECT_EQ(encounters.sign(doctor, draft.id, 2).error().code, "encounter.already_signed");

    auto read = encounters.get(doctor, draft.id);
    ASSERT_TRUE(read);
    EXPECT_TRUE(read->intact);
    EXPECT_EQ(read->encounter.reason, "Mal de gorge");
    EXPECT_EQ(read->encounter.prescriptions.at(0).prescribed_at, e.signed_at);

    // One in-app notification for the patient's portal, written with the signature.
    db->read([&](soci::session& sql) {
        std::string type, payload, patient_id;
        int n = 0;
        sql << "SELECT count(*) FROM outbox", soci::into(n);
        EXPECT_EQ(n, 1);
        sql << "SELECT type, payload, patient_id FROM outbox", soci::into(type), soci::into(payload), soci::into(patient_id);
        EXPECT_EQ(type, jobs::kInAppNotification);
        EXPECT_EQ(patient_id, kPatient);
        auto j = boost::json::parse(payload);
        EXPECT_EQ(j.at("recipients").at(0).as_string(), "patient:" + kPatient);
        EXPECT_EQ(j.at("kind").as_string(), "records.encounter_signed");
        EXPECT_EQ(payload.find("gorge"), std::string::npos);  // no clinical content in jobs
    });
}

TEST_F(Encounters, TheSchemaRefusesChangesToSignedContent) {
    auto e = signed_encounter();
    auto amendment = encounters.amend(doctor, e.id, {"Précision : TDR négatif.", {}});
    ASSERT_TRUE(amendment);
    std::string id = e.id, rx = e.prescriptions.at(0).id, am = amendment->id;
    auto refused = [&](const std::string& statement) {
        try {
            db->write([&](soci::session& sql) { sql << statement; });
        } catch (const std::exception&) {
            return true;
        }
        return false;
    };
    EXPECT_TRUE(refused("UPDATE encounters SET reason = 'x' WHERE id = '" + id + "'"));
    EXPECT_TRUE(refused("DELETE FROM encounters WHERE id = '" + id + "'"));
    EXPECT_TRUE(refused("UPDATE diagnoses SET label = 'x' WHERE owner_id = '" + id + "'"));
    EXPECT_TRUE(refused("DELETE FROM diagnoses WHERE owner_id = '" + id + "'"));
    EXPECT_TRUE(refused("INSERT INTO diagnoses (owner_id, position, code, label, is_primary) VALUES ('" + id + "', 9, 'R05', 'Toux', 0)"));
    EXPECT_TRUE(refused("UPDATE prescriptions SET dose = '10 comprimés' WHERE id = '" + rx + "'"));
    EXPECT_TRUE(refused("DELETE FROM prescriptions WHERE id = '" + rx + "'"));
    EXPECT_TRUE(refused("UPDATE amendments SET text = 'x' WHERE id = '" + am + "'"));
    EXPECT_TRUE(refused("DELETE FROM amendments WHERE id = '" + am + "'"));
    // A prescription's status is the one thing that moves after signing.
    EXPECT_FALSE(refused("UPDATE prescriptions SET status = 'completed' WHERE id = '" + rx + "'"));
    EXPECT_EQ(store.find_encounter(id)->reason, "Mal de gorge");
}

TEST_F(Encounters, TamperingBreaksTheSignature) {
    auto e = signed_encounter();
    db->write([&](soci::session& sql) {
        sql << "DROP TRIGGER encounters_signed_update";  // what an intruder with database access could do
        sql << "UPDATE encounters SET assessment = 'falsifié' WHERE id = :id", soci::use(e.id);
    });
    auto read = encounters.get(doctor, e.id);
    ASSERT_TRUE(read);
    EXPECT_FALSE(read->intact);
    EXPECT_FALSE(encounters.intact(*store.find_encounter(e.id)));
}

TEST_F(Encounters, AmendmentsCorrectWithoutChangingTheOriginal) {
    auto draft = encounters.create(doctor, input())->encounter;
    EXPECT_EQ(encounters.amend(doctor, draft.id, {"Correction", {}}).error().code, "encounter.not_signed");
    auto e = signed_encounter();
    EXPECT_EQ(fields_of(encounters.amend(doctor, e.id, {"   ", {}}).error()), std::set<std::string>{"/text"});
    EXPECT_EQ(encounters.amend(nurse, e.id, {"Correction", {}}).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(encounters.amend(doctor, kUnknown, {"Correction", {}}).error().kind, ErrorKind::not_found);

    clock.advance(std::chrono::hours(26));
    auto a = encounters.amend(colleague, e.id, {"TDR streptocoque revenu positif : angine bactérienne.", {{"J03.0", "", false}}});
    ASSERT_TRUE(a) << a.error().code;
    EXPECT_EQ(a->author_id, "doc-2");
    EXPECT_EQ(a->signed_at, clock.now());
    EXPECT_EQ(a->signature.size(), 64u);
    EXPECT_EQ(a->diagnoses.at(0).label, "Amygdalite à streptocoques (angine streptococcique)");
    EXPECT_TRUE(a->diagnoses.at(0).primary);

    auto read = encounters.get(patient, e.id);
    ASSERT_TRUE(read);
    const auto& got = read->encounter;
    EXPECT_TRUE(read->intact);
    EXPECT_EQ(got.version, e.version);  // the encounter itself did not change
    EXPECT_EQ(got.signature, e.signature);
    EXPECT_EQ(got.diagnoses.at(0).code, "J03.9");  // as signed
    EXPECT_EQ(got.current_diagnoses().at(0).code, "J03.0");
    ASSERT_EQ(got.amendments.size(), 1u);
    EXPECT_EQ(got.amendments[0].text, "TDR streptocoque revenu positif : angine bactérienne.");
    EXPECT_EQ(audit.count("encounter.amend", Outcome::success), 1u);
}

TEST_F(Encounters, WhoReadsWhat) {
    auto e = signed_encounter();
    auto draft = encounters.create(doctor, input())->encounter;
    encounters.amend(doctor, e.id, {"Précision", {}}).value();

    auto as_doctor = encounters.get(colleague, draft.id);  // colleagues read drafts
    ASSERT_TRUE(as_doctor);
    EXPECT_EQ(as_doctor->view, access::View::full);

    auto as_nurse = encounters.get(nurse, e.id);
    ASSERT_TRUE(as_nurse);
    EXPECT_EQ(as_nurse->view, access::View::care);
    EXPECT_TRUE(as_nurse->encounter.notes.subjective.empty());
    EXPECT_TRUE(as_nurse->encounter.notes.assessment.empty());
    EXPECT_EQ(as_nurse->encounter.notes.plan, "Antalgiques");
    EXPECT_TRUE(as_nurse->encounter.amendments.at(0).text.empty());
    EXPECT_TRUE(as_nurse->intact);  // verified before anything was hidden
    EXPECT_EQ(encounters.get(nurse, draft.id).error().kind, ErrorKind::not_found);

    auto own = encounters.get(patient, e.id);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->view, access::View::full);
    EXPECT_EQ(own->encounter.notes.assessment, "Angine virale probable");
    EXPECT_EQ(encounters.get(patient, draft.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(encounters.get(other_patient, e.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(encounters.get(secretary, e.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(encounters.get(accountant, e.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(encounters.get(admin, e.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(encounters.get(doctor, kUnknown).error().kind, ErrorKind::not_found);
    EXPECT_EQ(audit.count("encounter.read", Outcome::denied), 6u);
    EXPECT_EQ(audit.count("encounter.read", Outcome::not_found), 1u);
}

TEST_F(Encounters, ListsPageNewestFirstAndHideDraftsFromNursesAndPatients) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        auto in = input();
        in.occurred_at = clock.now() - std::chrono::hours(24 * (5 - i));
        auto d = encounters.create(doctor, in)->encounter;
        if (i != 2) encounters.sign(doctor, d.id, 1).value();
        ids.push_back(d.id);
    }
    signed_encounter(kOther);

    auto first = encounters.list(doctor, kPatient, std::nullopt, 3);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->items.size(), 3u);
    EXPECT_EQ(first->items[0].id, ids[4]);
    EXPECT_EQ(first->items[2].id, ids[2]);  // the draft, for doctors
    ASSERT_TRUE(first->next);
    auto second = encounters.list(doctor, kPatient, first->next, 3);
    ASSERT_EQ(second->items.size(), 2u);
    EXPECT_EQ(second->items[1].id, ids[0]);
    EXPECT_FALSE(second->next);

    EXPECT_EQ(encounters.list(nurse, kPatient, std::nullopt, 20)->items.size(), 4u);
    auto own = encounters.list(patient, kPatient, std::nullopt, 20);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->items.size(), 4u);
    for (const auto& e : own->items) EXPECT_TRUE(e.is_signed());
    EXPECT_EQ(encounters.list(patient, kOther, std::nullopt, 20).error().kind, ErrorKind::not_found);
    EXPECT_EQ(encounters.list(secretary, kPatient, std::nullopt, 20).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(encounters.list(doctor, kUnknown, std::nullopt, 20).error().kind, ErrorKind::not_found);
}

TEST_F(Encounters, DraftsOfTheCallingDoctorAndDiscarding) {
    auto mine = encounters.create(doctor, input())->encounter;
    encounters.create(colleague, input(kOther)).value();
    signed_encounter();
    auto drafts = encounters.drafts(doctor, std::nullopt, 20);
    ASSERT_TRUE(drafts);
    ASSERT_EQ(drafts->items.size(), 1u);
    EXPECT_EQ(drafts->items[0].id, mine.id);
    EXPECT_EQ(encounters.drafts(nurse, std::nullopt, 20).error().kind, ErrorKind::forbidden);

    EXPECT_EQ(encounters.discard(colleague, mine.id, 1).error().code, "encounter.not_author");
    EXPECT_EQ(encounters.discard(doctor, mine.id, 3).error().kind, ErrorKind::precondition_failed);
    ASSERT_TRUE(encounters.discard(doctor, mine.id, 1));
    EXPECT_EQ(encounters.get(doctor, mine.id).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(encounters.drafts(doctor, std::nullopt, 20)->items.empty());
    EXPECT_EQ(audit.count("encounter.discard", Outcome::success), 1u);
}

TEST_F(Encounters, PrescriptionsAreStoppedOrCompletedAfterSigning) {
    auto draft = encounters.create(doctor, input())->encounter;
    auto draft_rx = draft.prescriptions.at(0);
    EXPECT_EQ(encounters.set_prescription_status(doctor, draft_rx.id, 1, PrescriptionStatus::stopped, "").error().code,
              "prescription.not_signed");

    auto e = signed_encounter();
    auto rx = e.prescriptions.at(0);
    EXPECT_EQ(encounters.set_prescription_status(nurse, rx.id, 1, PrescriptionStatus::stopped, "").error().kind,
              ErrorKind::forbidden);
    EXPECT_EQ(encounters.set_prescription_status(doctor, rx.id, 1, PrescriptionStatus::active, "").error().kind,
              ErrorKind::invalid_input);
    EXPECT_EQ(encounters.set_prescription_status(doctor, rx.id, 4, PrescriptionStatus::stopped, "").error().kind,
              ErrorKind::precondition_failed);
    EXPECT_EQ(encounters.set_prescription_status(doctor, kUnknown, 1, PrescriptionStatus::stopped, "").error().kind,
              ErrorKind::not_found);
    auto stopped = encounters.set_prescription_status(colleague, rx.id, 1, PrescriptionStatus::stopped, " Épigastralgies ");
    ASSERT_TRUE(stopped) << stopped.error().code;
    EXPECT_EQ(stopped->status, PrescriptionStatus::stopped);
    EXPECT_EQ(stopped->status_changed_by, "doc-2");
    EXPECT_EQ(stopped->status_reason, "Épigastralgies");
    EXPECT_EQ(stopped->version, 2);
    EXPECT_EQ(encounters.set_prescription_status(doctor, rx.id, 2, PrescriptionStatus::completed, "").error().code,
              "prescription.closed");

    auto active = encounters.prescriptions(doctor, kPatient, PrescriptionStatus::active);
    ASSERT_TRUE(active);
    EXPECT_TRUE(active->empty());  // the draft's prescription is not listed: it is not signed
    auto all = encounters.prescriptions(patient, kPatient, std::nullopt);
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ(all->at(0).prescriber_id, "doc-1");
    EXPECT_EQ(all->at(0).prescribed_at, e.signed_at);
    EXPECT_EQ(encounters.prescriptions(other_patient, kPatient, std::nullopt).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(encounters.intact(*store.find_encounter(e.id)));  // a status change does not touch the signature
}

TEST_F(Encounters, PrescriptionPdfOnlyForSignedEncountersWithPrescriptions) {
    auto draft = encounters.create(doctor, input())->encounter;
    EXPECT_EQ(encounters.prescription_pdf(doctor, draft.id).error().code, "encounter.not_signed");
    EXPECT_EQ(encounters.prescription_pdf(patient, draft.id).error().kind, ErrorKind::not_found);

    auto in = input();
    in.prescriptions.clear();
    auto bare = encounters.create(doctor, in)->encounter;
    encounters.sign(doctor, bare.id, 1).value();
    EXPECT_EQ(encounters.prescription_pdf(doctor, bare.id).error().code, "prescription_not_found");

    auto e = signed_encounter();
    auto pdf = encounters.prescription_pdf(patient, e.id);
    ASSERT_TRUE(pdf);
    EXPECT_EQ(pdf->bytes.substr(0, 5), "%PDF-");
    EXPECT_EQ(pdf->filename, "ordonnance-2026-11-24-" + e.id.substr(e.id.size() - 8) + ".pdf");
    EXPECT_TRUE(encounters.prescription_pdf(nurse, e.id));
    EXPECT_EQ(encounters.prescription_pdf(other_patient, e.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(encounters.prescription_pdf(secretary, e.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(audit.count("prescription.pdf", Outcome::success), 2u);
}

TEST_F(Encounters, HistoricalRecordsAreImportedByOperatorsOnly) {
    Encounter e;
    e.patient_id = kPatient;
    e.author_id = "doc-9";
    e.occurred_at = *parse_instant("2026-06-02T08:30:00Z");
    e.signed_at = *parse_instant("2026-06-02T08:55:00Z");
    e.reason = "Suivi HTA";
    e.diagnoses = {{"I10", "", false}};
    e.prescriptions = {line("Amlodipine 5 mg")};
    EXPECT_EQ(encounters.import_signed(doctor, e).error().kind, ErrorKind::forbidden);
    auto imported = encounters.import_signed(Caller::system("migration"), e);
    ASSERT_TRUE(imported) << imported.error().code;
    auto read = encounters.get(doctor, imported->id);
    ASSERT_TRUE(read);
    EXPECT_TRUE(read->intact);
    EXPECT_EQ(read->encounter.author_id, "doc-9");
    EXPECT_EQ(read->encounter.signed_at, e.signed_at);
    EXPECT_EQ(read->encounter.diagnoses.at(0).label, "Hypertension essentielle (primitive)");
    EXPECT_EQ(read->encounter.prescriptions.at(0).prescribed_at, e.signed_at);
}

TEST_F(Encounters, ExportHoldsTheSignedRecordAndItsPrescriptionPdfs) {
    auto e = signed_encounter();
    encounters.amend(colleague, e.id, {"Précision", {}}).value();
    encounters.create(doctor, input()).value();  // a draft: not part of the record yet
    auto in = input();
    in.prescriptions.clear();
    auto bare = encounters.create(doctor, in)->encounter;
    encounters.sign(doctor, bare.id, 1).value();
    VitalSigns v;
    v.patient_id = kPatient;
    v.weight_kg = 70;
    v.height_cm = 175;
    chart.record_vitals(nurse, v, std::nullopt).value();
    signed_encounter(kOther);

    RecordsExport source(store, encounters, directory());
    EXPECT_EQ(source.section(), "records");
    auto j = source.export_json(kPatient);
    const auto& exported = j.at("encounters").as_array();
    ASSERT_EQ(exported.size(), 2u);
    for (const auto& x : exported) {
        EXPECT_EQ(x.at("status").as_string(), "signed");
        EXPECT_EQ(x.at("signature_valid").as_bool(), true);
        EXPECT_TRUE(x.at("notes").as_object().contains("assessment"));  // the patient's whole record
    }
    for (const auto& x : exported) {  // same consultation time: their order is the ids'
        if (x.at("id").as_string() == e.id) {
            EXPECT_EQ(x.at("amendments").at(0).at("text").as_string(), "Précision");
        }
    }
    EXPECT_EQ(j.at("prescriptions").as_array().size(), 1u);
    EXPECT_EQ(j.at("vitals").at(0).at("bmi").as_double(), 22.9);
    EXPECT_TRUE(j.at("allergies").as_array().empty());

    auto files = source.export_files(kPatient);
    ASSERT_EQ(files.size(), 1u);  // one signed encounter prescribes something
    EXPECT_EQ(files[0].path, "records/ordonnance-2026-11-24-" + e.id.substr(e.id.size() - 8) + ".pdf");
    EXPECT_EQ(files[0].content.substr(0, 5), "%PDF-");
}
