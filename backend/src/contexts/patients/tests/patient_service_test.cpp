// SPDX-License-Identifier: Apache-2.0
// Registry rules against the real SQL store on SQLite.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "contexts/patients/adapters/sql/sql_patient_store.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "core/text.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::patients;
using audit::Outcome;
using medisecure::testkit::caller_of;

namespace {

struct Registry : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "patients");
    SqlPatientStore store{*db};
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    testkit::RecordingAuditTrail audit;
    PatientService service{store, audit, clock, [](const std::string& id) { return id == "01900000-0000-7000-8000-00000000d0c0"; }};
    Caller secretary = caller_of(Role::secretary, "sec");

    Patient person(std::string first, std::string last, std::string birth, std::string nir = "") {
        Patient p;
        p.first_name = std::move(first);
        p.last_name = std::move(last);
        p.sex = Sex::female;
        p.birth_date = *parse_date(birth);
        p.nir = std::move(nir);
        return p;
    }
    Patient add(std::string first, std::string last, std::string birth) {
        auto r = service.register_patient(secretary, person(std::move(first), std::move(last), std::move(birth)), true);
        EXPECT_TRUE(r);
        return *r;
    }
    std::vector<std::string> names(const std::string& q) {
        PatientQuery pq;
        pq.terms = query_terms(q);
        auto r = service.search(secretary, pq);
        std::vector<std::string> out;
        for (const auto& p : r->patients) out.push_back(p.first_name + " " + p.last_name);
        return out;
    }
};

}  // namespace

TEST_F(Registry, RegistersWithMrnAndAudits) {
    auto p = service.register_patient(secretary, person("Hélène", "Dupont", "1984-05-12", "2 84 05 2A 004 123 55"), false);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->mrn, "MS00000018");
    EXPECT_EQ(p->nir, "284052A00412355");  // stored without separators
    EXPECT_EQ(p->version, 1);
    EXPECT_EQ(audit.count("patient.create", Outcome::success), 1u);
    auto q = service.register_patient(secretary, person("Marc", "Durand", "1970-01-01"), false);
    EXPECT_EQ(q->mrn.substr(0, 9), "MS0000002");
}

TEST_F(Registry, DuplicatesNeedConfirmation) {
    ASSERT_TRUE(service.register_patient(secretary, person("Hélène", "Dupont", "1984-05-12", "284052A00412355"), false));
    auto same_name = service.register_patient(secretary, person("HELENE", "dupont", "1984-05-12"), false);
    ASSERT_FALSE(same_name);
    EXPECT_EQ(same_name.error().code, "patient.possible_duplicate");
    auto ext = boost::json::parse(same_name.error().extensions_json);
    EXPECT_EQ(ext.at("candidates").at(0).at("reason"), "same_name_and_birth_date");
    auto same_nir = service.register_patient(secretary, person("Autre", "Nom", "1984-05-01", "284052A00412355"), false);
    EXPECT_EQ(boost::json::parse(same_nir.error().extensions_json).at("candidates").at(0).at("reason"), "same_nir");
    // A married name matching the other's birth name is still the same person.
    auto married = person("Hélène", "Martin", "1984-05-12");
    married.birth_name = "Dupont";
    EXPECT_FALSE(service.register_patient(secretary, married, false));
    EXPECT_TRUE(service.register_patient(secretary, person("Helene", "Dupont", "1984-05-12"), true));  // twins exist
    EXPECT_TRUE(service.register_patient(secretary, person("Hélène", "Dupont", "1984-05-13"), false));
    EXPECT_EQ(audit.count("patient.create", Outcome::failure), 3u);
}

TEST_F(Registry, SearchIsAccentInsensitiveAndPrefixed) {
    add("Hélène", "Dupont", "1984-05-12");
    add("Marie", "Dupont", "1990-01-02");
    add("Marc", "Lefèvre", "1975-03-04");
    add("Jean-Pierre", "Noël", "1960-07-08");
    EXPECT_EQ(names("helene"), (std::vector<std::string>{"Hélène Dupont"}));
    EXPECT_EQ(names("dupont mar"), (std::vector<std::string>{"Marie Dupont"}));
    EXPECT_EQ(names("DUP"), (std::vector<std::string>{"Hélène Dupont", "Marie Dupont"}));
    EXPECT_EQ(names("lefev"), (std::vector<std::string>{"Marc Lefèvre"}));
    EXPECT_EQ(names("pierre noel"), (std::vector<std::string>{"Jean-Pierre Noël"}));
    EXPECT_EQ(names("jeanpi"), (std::vector<std::string>{"Jean-Pierre Noël"}));
    EXPECT_TRUE(names("zz").empty());
}

TEST_F(Registry, SearchPagesWithAStableOrder) {
    for (int i = 0; i < 25; ++i) add("Prénom" + std::to_string(100 + i), "Martin", "1980-01-01");
    PatientQuery q;
    q.terms = {"martin"};
    q.limit = 10;
    std::vector<std::string> seen;
    for (int page = 0; page < 5; ++page) {
        auto r = service.search(secretary, q);
        ASSERT_TRUE(r);
        for (const auto& p : r->patients) seen.push_back(p.first_name);
        if (!r->next) break;
        q.after = r->next;
    }
    ASSERT_EQ(seen.size(), 25u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    q.limit = 1000;  // capped by the server, not refused
    q.after.reset();
    auto all = service.search(secretary, q);
    EXPECT_EQ(all->patients.size(), 25u);
    EXPECT_FALSE(all->next);
}

TEST_F(Registry, OptimisticConcurrency) {
    auto p = add("Zoé", "Bérard", "2001-02-03");
    PatientPatch patch;
    patch.phone = "+33 6 11 22 33 44";
    patch.fields = {"phone"};
    auto v2 = service.update(secretary, p.id, 1, patch);
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->version, 2);
    auto stale = service.update(secretary, p.id, 1, patch);
    EXPECT_EQ(stale.error().kind, ErrorKind::precondition_failed);
    EXPECT_EQ(service.update(secretary, "nope", 1, patch).error().kind, ErrorKind::not_found);
}

TEST_F(Registry, PatientsReachOnlyTheirOwnRecord) {
    auto mine = add("Zoé", "Bérard", "2001-02-03");
    auto other = add("Léa", "Crépin", "1999-09-09");
    auto me = caller_of(Role::patient, "pu", mine.id);
    EXPECT_TRUE(service.get(me, mine.id));
    auto hidden = service.get(me, other.id);
    auto missing = service.get(me, "01900000-0000-7000-8000-000000000000");
    EXPECT_EQ(hidden.error().kind, ErrorKind::not_found);
    EXPECT_EQ(hidden.error().code, missing.error().code);
    EXPECT_EQ(hidden.error().detail, missing.error().detail);
    EXPECT_EQ(audit.count("patient.read", Outcome::denied), 2u);  // both attempts, existing or not

    PatientPatch contact;
    contact.email = "zoe@exemple.fr";
    contact.fields = {"email"};
    EXPECT_TRUE(service.update(me, mine.id, 1, contact));
    PatientPatch name;
    name.last_name = "Autre";
    name.fields = {"last_name"};
    auto refused = service.update(me, mine.id, 2, name);
    EXPECT_EQ(refused.error().code, "fields_not_editable");
    EXPECT_EQ(refused.error().fields.at(0).field, "/last_name");
    EXPECT_EQ(service.update(me, other.id, 1, contact).error().kind, ErrorKind::not_found);
    EXPECT_EQ(service.search(me, {}).error().kind, ErrorKind::forbidden);
}

TEST_F(Registry, OnlyAdminsArchiveAndArchivedRecordsLeaveSearch) {
    auto p = add("Anaïs", "Faure", "1970-01-01");
    EXPECT_EQ(service.archive(secretary, p.id).error().kind, ErrorKind::forbidden);
    auto admin = caller_of(Role::admin);
    ASSERT_TRUE(service.archive(admin, p.id));
    EXPECT_TRUE(names("anais").empty());
    PatientQuery q;
    q.terms = {"anais"};
    q.include_archived = true;
    EXPECT_EQ(service.search(secretary, q)->patients.size(), 1u);
    EXPECT_TRUE(service.get(secretary, p.id)->archived);
}

TEST_F(Registry, PrimaryPractitionerMustBeAnActiveDoctor) {
    auto p = person("Rémi", "Gauthier", "1990-01-01");
    p.primary_practitioner_id = "01900000-0000-7000-8000-000000000bad";
    auto r = service.register_patient(secretary, p, false);
    EXPECT_EQ(r.error().fields.at(0).code, "unknown_practitioner");
    p.primary_practitioner_id = "01900000-0000-7000-8000-00000000d0c0";
    EXPECT_TRUE(service.register_patient(secretary, p, false));
}

TEST_F(Registry, ImportsInOneTransactionAuditedAndOnlyForAdministrators) {
    std::vector<Patient> batch = {person("Maëlys", "Crépin", "2001-02-03"), person("Côme", "Lebœuf", "1999-09-09")};
    EXPECT_EQ(service.import_patients(secretary, batch).error().kind, ErrorKind::forbidden);
    auto bad = batch;
    bad[1].first_name.clear();
    auto refused = service.import_patients(caller_of(Role::admin), bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "/1/first_name");
    EXPECT_TRUE(names("maelys").empty());  // all or nothing
    auto stored = service.import_patients(caller_of(Role::admin), batch);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->size(), 2u);
    EXPECT_NE((*stored)[0].mrn, (*stored)[1].mrn);
    EXPECT_EQ(names("maelys"), std::vector<std::string>{"Maëlys Crépin"});
    EXPECT_EQ(audit.count("patient.create", Outcome::success), 2u);
}

TEST_F(Registry, ACommonPrefixPagesInListOrder) {
    // Over 900 patients share "mar": every one of them comes, once, in list order, page by page.
    std::vector<Patient> many;
    const char* last[] = {"Bonnet", "Zola", "André", "Lemaître", "Mercier", "Garnier"};
    for (int i = 0; i < 900; ++i)
        many.push_back(person(i % 2 ? "Marie" : "Marc", last[i % 6], "1980-01-" + std::to_string(10 + i % 18)));
    many.push_back(person("Martine", "Aubert", "1950-05-05"));
    many.back().birth_name = "Zeller";
    ASSERT_TRUE(service.import_patients(caller_of(Role::admin), many));
    add("Hélène", "Marchal", "1960-06-06");  // matches through the last name
    std::vector<std::string> seen;
    PatientQuery q;
    q.terms = {"mar"};
    q.limit = 50;
    for (;;) {
        auto page = service.search(secretary, q);
        ASSERT_TRUE(page);
        for (const auto& p : page->patients) seen.push_back(sort_key_of(p) + "|" + p.id);
        if (!page->next) break;
        q.after = page->next;
    }
    EXPECT_EQ(seen.size(), 902u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
    EXPECT_EQ(seen.front().rfind("andre marc|", 0), 0u) << seen.front();
    // Two terms, one common and one rare; and a rare one alone.
    EXPECT_EQ(names("mar zel"), std::vector<std::string>{"Martine Aubert"});
    EXPECT_EQ(names("marchal"), std::vector<std::string>{"Hélène Marchal"});
}
