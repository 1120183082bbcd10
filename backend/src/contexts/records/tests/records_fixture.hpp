// SPDX-License-Identifier: Apache-2.0
// The records use cases over the real SQL store on SQLite, with a manual clock, a recording
// audit trail and a directory of two known patients.
#pragma once

#include <gtest/gtest.h>

#include "contexts/records/adapters/sql/sql_code_store.hpp"
#include "contexts/records/adapters/sql/sql_records_store.hpp"
#include "contexts/records/app/chart_service.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/app/encounter_service.hpp"
#include "test_support.hpp"

namespace medisecure::records::testing {

/// The fields a validation error names.
inline std::set<std::string> fields_of(const Error& e) {
    std::set<std::string> out;
    for (const auto& f : e.fields) out.insert(f.field);
    return out;
}

inline const std::string kPatient = "01900000-0000-7000-8000-0000000000a1";
inline const std::string kOther = "01900000-0000-7000-8000-0000000000b2";
inline const std::string kUnknown = "01900000-0000-7000-8000-0000000000ff";

struct RecordsTest : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "records");
    SqlRecordsStore store{*db};
    SqlCodeStore code_store{*db};
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    testkit::RecordingAuditTrail audit;
    CodeCatalog codes{code_store, audit, clock};
    TimeZone zone = *TimeZone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3", "Europe/Paris");

    static Directory directory() {
        Directory d;
        d.patient_exists = [](const std::string& id) { return id == kPatient || id == kOther; };
        d.patient_briefs = [](const std::set<std::string>& ids) {
            std::map<std::string, patients::PatientBrief> out;
            for (const auto& id : ids) {
                if (id != kPatient && id != kOther) continue;
                patients::PatientBrief b;
                b.id = id;
                b.first_name = id == kPatient ? "Hélène" : "Noël";
                b.last_name = id == kPatient ? "Lefèvre" : "Crépin";
                b.birth_date = *parse_date(id == kPatient ? "1984-05-12" : "1950-01-31");
                b.sex = id == kPatient ? patients::Sex::female : patients::Sex::male;
                out[id] = b;
            }
            return out;
        };
        d.user_names = [](const std::set<std::string>& ids) {
            std::map<std::string, std::string> out;
            for (const auto& id : ids) out[id] = "Dr " + id;
            return out;
        };
        return d;
    }

    EncounterService encounters{store, codes, audit, clock, directory(), "signing-key-for-tests",
                                Practice{"Cabinet des Tilleuls", "3 rue de l'Église, 20000 Ajaccio", "04 95 00 00 00", "", ""},
                                zone};
    ChartService chart{store, codes, audit, clock, directory(), zone};

    Caller doctor = testkit::caller_of(Role::doctor, "doc-1");
    Caller colleague = testkit::caller_of(Role::doctor, "doc-2");
    Caller nurse = testkit::caller_of(Role::nurse, "nurse-1");
    Caller secretary = testkit::caller_of(Role::secretary, "sec-1");
    Caller accountant = testkit::caller_of(Role::accountant, "acc-1");
    Caller admin = testkit::caller_of(Role::admin, "adm-1");
    Caller patient = testkit::caller_of(Role::patient, "portal-1", kPatient);
    Caller other_patient = testkit::caller_of(Role::patient, "portal-2", kOther);

    void SetUp() override { codes.ensure_starter(); }

    static Prescription line(const char* drug, const char* dose = "1 comprimé") {
        Prescription p;
        p.drug = drug;
        p.dose = dose;
        p.frequency = "3 fois par jour";
        p.duration = "5 jours";
        return p;
    }

    EncounterInput input(const std::string& patient_id = kPatient) {
        EncounterInput in;
        in.patient_id = patient_id;
        in.reason = "Mal de gorge";
        in.notes = {"Odynophagie depuis 2 jours", "Amygdales érythémateuses", "Angine virale probable", "Antalgiques"};
        in.diagnoses = {{"j039", "", false}};
        in.prescriptions = {line("Paracétamol 1 g, comprimé")};
        return in;
    }

    /// A signed encounter of `patient_id` by `doctor`.
    Encounter signed_encounter(const std::string& patient_id = kPatient) {
        auto draft = encounters.create(doctor, input(patient_id));
        EXPECT_TRUE(draft);
        auto s = encounters.sign(doctor, draft->encounter.id, draft->encounter.version);
        EXPECT_TRUE(s);
        return s->encounter;
    }
};

}  // namespace medisecure::records::testing
