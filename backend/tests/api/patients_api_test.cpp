// SPDX-License-Identifier: Apache-2.0
// /api/v1/patients: every endpoint's happy path, validation, wrong role, another patient's
// object and not found.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {
const std::string kMissing = "/api/v1/patients/01900000-0000-7000-8000-000000000000";
const char* kHelene = R"({"first_name":"Hélène","last_name":"Dupont","sex":"female","birth_date":"1984-05-12",
  "nir":"2 84 05 2A 004 123 55","ins_oid":"1.2.250.1.213.1.4.8","identity_status":"validated",
  "email":"helene.dupont@exemple.fr","phone":"+33 6 12 34 56 78",
  "address":{"line1":"3 rue de l'Église","postal_code":"20000","city":"Ajaccio"},
  "emergency_contact":{"name":"Marc Dupont","relationship":"époux","phone":"+33 6 00 00 00 01"},
  "insurance":{"amo_number":"2840520040123","amo_fund":"CPAM 2A","amc_name":"MGEN","amc_number":"12345"},
  "preferred_language":"fr"})";
}  // namespace

class PatientsApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app_ = new TestApp();
        secretary_ = new Account(app_->user(Role::secretary));
        doctor_ = new Account(app_->user(Role::doctor));
        accountant_ = new Account(app_->user(Role::accountant));
    }
    static void TearDownTestSuite() {
        delete secretary_;
        delete doctor_;
        delete accountant_;
        delete app_;
    }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    static TestApp* app_;
    static Account *secretary_, *doctor_, *accountant_;
};
TestApp* PatientsApi::app_ = nullptr;
Account* PatientsApi::secretary_ = nullptr;
Account* PatientsApi::doctor_ = nullptr;
Account* PatientsApi::accountant_ = nullptr;

TEST_F(PatientsApi, RegisterReadAndAudit) {
    auto c = as(*secretary_);
    auto r = c.post("/api/v1/patients", kHelene, {"X-Request-Id: reg-helene-1"});
    ASSERT_EQ(r.status, 201) << r.body;
    auto p = r.json();
    std::string id(p.at("id").as_string());
    EXPECT_EQ(r.header("location"), "/api/v1/patients/" + id);
    EXPECT_EQ(r.header("etag"), "\"v1\"");
    EXPECT_EQ(p.at("nir"), "284052A00412355");
    EXPECT_EQ(p.at("mrn").as_string().size(), 10u);
    EXPECT_EQ(p.at("address").at("country"), "FR");

    auto d = as(*doctor_);
    auto got = d.get("/api/v1/patients/" + id, {"X-Request-Id: read-helene-1"});
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json().at("first_name"), "Hélène");
    EXPECT_EQ(got.json().at("emergency_contact").at("relationship"), "époux");

    // The read is in the trail: who, from where, which request.
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    auto trail = admin.get("/api/v1/audit?patient_id=" + id + "&action=patient.read");
    ASSERT_EQ(trail.status, 200);
    const auto& rec = trail.json().at("items").at(0);
    EXPECT_EQ(rec.at("actor_id"), doctor_->id);
    EXPECT_EQ(rec.at("actor_role"), "doctor");
    EXPECT_EQ(rec.at("request_id"), "read-helene-1");
    EXPECT_EQ(rec.at("client_ip"), "127.0.0.1");
    EXPECT_EQ(rec.at("outcome"), "success");
}

TEST_F(PatientsApi, RegistrationValidation) {
    auto c = as(*secretary_);
    auto r = c.post("/api/v1/patients", R"({"first_name":"","sex":"x","birth_date":"2024-02-30","email":"nope","unknown":1})");
    ASSERT_EQ(r.status, 422);
    std::set<std::string> fields;
    for (const auto& e : r.json().at("errors").as_array()) fields.insert(std::string(e.at("field").as_string()));
    for (const char* f : {"/first_name", "/last_name", "/sex", "/birth_date", "/email", "/unknown"})
        EXPECT_TRUE(fields.count(f)) << f;
    auto key = c.post("/api/v1/patients", R"({"first_name":"A","last_name":"B","sex":"female","birth_date":"1984-05-12","nir":"284052A00412356"})");
    ASSERT_EQ(key.status, 422);
    EXPECT_EQ(key.json().at("errors").at(0).at("code"), "invalid_nir_key");
    auto future = c.post("/api/v1/patients", R"({"first_name":"A","last_name":"B","sex":"female","birth_date":"2999-01-01"})");
    EXPECT_EQ(future.json().at("errors").at(0).at("code"), "in_future");
    EXPECT_EQ(c.post("/api/v1/patients", "[]").status, 422);
    EXPECT_EQ(c.post("/api/v1/patients", "{").status, 400);
}

TEST_F(PatientsApi, DuplicatesAreRefusedWithCandidatesUnlessIntended) {
    auto c = as(*secretary_);
    const char* body = R"({"first_name":"Noémie","last_name":"Crépin","sex":"female","birth_date":"1977-07-07"})";
    ASSERT_EQ(c.post("/api/v1/patients", body).status, 201);
    auto dup = c.post("/api/v1/patients", R"({"first_name":"noemie","last_name":"CREPIN","sex":"female","birth_date":"1977-07-07"})");
    ASSERT_EQ(dup.status, 409);
    EXPECT_EQ(dup.code(), "patient.possible_duplicate");
    const auto& cand = dup.json().at("candidates").at(0);
    EXPECT_EQ(cand.at("last_name"), "Crépin");
    EXPECT_EQ(cand.at("reason"), "same_name_and_birth_date");
    EXPECT_EQ(cand.at("birth_date"), "1977-07-07");
    EXPECT_FALSE(cand.at("mrn").as_string().empty());
    EXPECT_EQ(c.post("/api/v1/patients?allow_duplicate=true", body).status, 201);
}

TEST_F(PatientsApi, WrongRolesCannotRegister) {
    EXPECT_EQ(as(*accountant_).post("/api/v1/patients", kHelene).status, 403);
    auto pid = app_->patient("Léa", "Garnier", "1995-05-05");
    auto portal = app_->user(Role::patient, pid);
    EXPECT_EQ(as(portal).post("/api/v1/patients", kHelene).status, 403);
    EXPECT_EQ(app_->client().post("/api/v1/patients", kHelene).status, 401);
}

TEST_F(PatientsApi, NotFoundAndMalformedIds) {
    auto c = as(*doctor_);
    EXPECT_EQ(c.get(kMissing).status, 404);
    EXPECT_EQ(c.get("/api/v1/patients/not-a-uuid").status, 404);
    EXPECT_EQ(c.patch(kMissing, R"({"phone":"+33 6 00 00 00 00"})", {"If-Match: \"v1\""}).status, 404);
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    EXPECT_EQ(admin.del(kMissing).status, 404);
}

TEST_F(PatientsApi, APatientReachesOnlyTheirOwnRecord) {
    auto mine = app_->patient("Anaïs", "Moreau", "1990-03-03");
    auto other = app_->patient("Inès", "Benali", "1991-04-04");
    auto portal = app_->user(Role::patient, mine);
    auto c = as(portal);
    EXPECT_EQ(c.get("/api/v1/patients/" + mine).status, 200);
    auto hidden = c.get("/api/v1/patients/" + other);
    auto missing = c.get(kMissing);
    EXPECT_EQ(hidden.status, 404);
    auto strip = [](json::value v) {
        v.as_object().erase("instance");
        return v;
    };
    EXPECT_EQ(strip(hidden.json()), strip(missing.json()));  // indistinguishable
    EXPECT_EQ(c.patch("/api/v1/patients/" + other, R"({"phone":"+33 6 00 00 00 00"})", {"If-Match: \"v1\""}).status, 404);
    EXPECT_EQ(c.get("/api/v1/patients?q=benali").status, 403);
    // Contact details yes, identity no.
    auto ok = c.patch("/api/v1/patients/" + mine, R"({"phone":"+33 6 98 76 54 32"})", {"If-Match: \"v1\""});
    EXPECT_EQ(ok.status, 200);
    auto refused = c.patch("/api/v1/patients/" + mine, R"({"last_name":"Autre"})", {"If-Match: \"v2\""});
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.json().at("errors").at(0).at("field"), "/last_name");
}

TEST_F(PatientsApi, AccountantsSeeTheIdentityAnInvoiceNeeds) {
    auto id = app_->patient("Agnès", "Faure", "1960-06-06", R"({"email":"agnes@x.fr","phone":"+33 6 11 11 11 11"})");
    auto r = as(*accountant_).get("/api/v1/patients/" + id);
    ASSERT_EQ(r.status, 200);
    auto o = r.json().as_object();
    EXPECT_EQ(o.at("last_name"), "Faure");
    EXPECT_TRUE(o.contains("insurance"));
    EXPECT_FALSE(o.contains("email"));
    EXPECT_FALSE(o.contains("phone"));
    EXPECT_FALSE(o.contains("emergency_contact"));
}

TEST_F(PatientsApi, UpdatesNeedTheCurrentETag) {
    auto id = app_->patient("Théo", "Mercier", "2010-10-10");
    auto c = as(*secretary_);
    auto path = "/api/v1/patients/" + id;
    auto missing = c.patch(path, R"({"phone":"+33 6 01 02 03 04"})");
    EXPECT_EQ(missing.status, 428);
    auto wildcard = c.patch(path, R"({"phone":"+33 6 01 02 03 04"})", {"If-Match: *"});
    EXPECT_EQ(wildcard.status, 428);
    auto etag = c.get(path).header("etag");
    auto ok = c.patch(path, R"({"phone":"+33 6 01 02 03 04","address":{"line1":"1 quai","postal_code":"69003","city":"Lyon"},"birth_name":null})",
                      {"If-Match: " + etag});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.header("etag"), "\"v2\"");
    EXPECT_EQ(ok.json().at("address").at("city"), "Lyon");
    auto stale = c.patch(path, R"({"phone":"+33 6 99 99 99 99"})", {"If-Match: " + etag});
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.code(), "stale_version");
    auto cleared = c.patch(path, R"({"emergency_contact":null,"insurance":null})", {"If-Match: \"v2\""});
    ASSERT_EQ(cleared.status, 200) << cleared.body;  // null clears a whole nested object
    EXPECT_EQ(cleared.json().at("emergency_contact").at("name"), "");
    auto invalid = c.patch(path, R"({"postal":"x","birth_date":"tomorrow"})", {"If-Match: \"v3\""});
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(c.patch(path, "{}", {"If-Match: \"v3\""}).status, 422);  // nothing to change
    EXPECT_EQ(as(*accountant_).patch(path, R"({"phone":"+33 6 99 99 99 99"})", {"If-Match: \"v3\""}).status, 403);
}

TEST_F(PatientsApi, ReadsAfterAChangeShowTheChangeInEachView) {
    // Read bodies are kept per view between changes: a change must show in every view at once.
    auto id = app_->patient("Inès", "Garnier", "1975-05-05", R"({"phone":"+33 6 22 22 22 22"})");
    auto path = "/api/v1/patients/" + id;
    auto c = as(*secretary_);
    ASSERT_EQ(c.get(path).json().at("phone"), "+33 6 22 22 22 22");
    ASSERT_EQ(c.get(path).json().at("phone"), "+33 6 22 22 22 22");
    ASSERT_EQ(as(*accountant_).get(path).json().at("last_name"), "Garnier");
    auto changed = c.patch(path, R"({"phone":"+33 6 33 33 33 33","last_name":"Garnier-Roux"})",
                           {"If-Match: \"v1\""});
    ASSERT_EQ(changed.status, 200) << changed.body;
    auto full = c.get(path);
    EXPECT_EQ(full.header("etag"), "\"v2\"");
    EXPECT_EQ(full.json().at("phone"), "+33 6 33 33 33 33");
    EXPECT_EQ(full.json().at("last_name"), "Garnier-Roux");
    auto billing = as(*accountant_).get(path).json().as_object();
    EXPECT_EQ(billing.at("last_name"), "Garnier-Roux");
    EXPECT_FALSE(billing.contains("phone"));  // each view keeps its own body
    EXPECT_TRUE(c.get(path).json().as_object().contains("phone"));
}

TEST_F(PatientsApi, ArchiveIsAdminOnly) {
    auto id = app_->patient("Côme", "Rousseau", "1950-01-01");
    EXPECT_EQ(as(*secretary_).get("/api/v1/patients/" + id).json().at("archived"), false);
    EXPECT_EQ(as(*secretary_).del("/api/v1/patients/" + id).status, 403);
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    EXPECT_EQ(admin.del("/api/v1/patients/" + id).status, 204);
    EXPECT_EQ(as(*secretary_).get("/api/v1/patients?q=rousseau%20come").json().at("items").as_array().size(), 0u);
    EXPECT_EQ(as(*secretary_).get("/api/v1/patients?q=rousseau%20come&include_archived=true").json().at("items").as_array().size(), 1u);
    EXPECT_EQ(as(*secretary_).get("/api/v1/patients/" + id).json().at("archived"), true);
}

TEST_F(PatientsApi, SearchByNamePrefixesIgnoringAccents) {
    app_->patient("Hélène", "Lemaître", "1980-08-08");
    app_->patient("Marie", "Lemaître", "1982-02-02");
    app_->patient("Jean-Pierre", "Lemaître", "1955-05-05");
    auto c = as(*secretary_);
    auto q = [&](const std::string& text) {
        std::vector<std::string> out;
        auto r = c.get("/api/v1/patients?q=" + url_encode(text));
        EXPECT_EQ(r.status, 200);
        for (const auto& p : r.json().at("items").as_array()) out.push_back(std::string(p.at("first_name").as_string()));
        return out;
    };
    EXPECT_EQ(q("lemaitre helene"), (std::vector<std::string>{"Hélène"}));
    EXPECT_EQ(q("LEMAÎTRE mar"), (std::vector<std::string>{"Marie"}));
    EXPECT_EQ(q("lemai pierre"), (std::vector<std::string>{"Jean-Pierre"}));
    EXPECT_EQ(q("lemaitre").size(), 3u);
    auto by_date = c.get("/api/v1/patients?birth_date=1982-02-02");
    EXPECT_EQ(by_date.json().at("items").at(0).at("first_name"), "Marie");
}

TEST_F(PatientsApi, ARepeatedSearchShowsWhatChangedMeanwhile) {
    // Pages are kept between identical searches: a registration, an edit or an archive must show
    // in the very next one.
    auto helene = app_->patient("Hélène", "Vasseur", "1980-08-08");
    auto c = as(*secretary_);
    auto names = [&] {
        std::vector<std::string> out;
        auto r = c.get("/api/v1/patients?q=vasseur");
        EXPECT_EQ(r.status, 200);
        for (const auto& p : r.json().at("items").as_array())
            out.push_back(std::string(p.at("first_name").as_string()) + " " +
                          std::string(p.at("last_name").as_string()));
        return out;
    };
    EXPECT_EQ(names(), (std::vector<std::string>{"Hélène Vasseur"}));
    EXPECT_EQ(names(), (std::vector<std::string>{"Hélène Vasseur"}));
    app_->patient("Marc", "Vasseur", "1979-01-01");
    EXPECT_EQ(names(), (std::vector<std::string>{"Hélène Vasseur", "Marc Vasseur"}));
    auto edited = c.patch("/api/v1/patients/" + helene, R"({"last_name":"Vasseur-Blanc"})",
                          {"If-Match: \"v1\""});
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(names(), (std::vector<std::string>{"Marc Vasseur", "Hélène Vasseur-Blanc"}));
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    ASSERT_EQ(admin.del("/api/v1/patients/" + helene).status, 204);
    EXPECT_EQ(names(), (std::vector<std::string>{"Marc Vasseur"}));
}

TEST_F(PatientsApi, SearchPagination) {
    for (int i = 0; i < 7; ++i) app_->patient("Gaël" + std::to_string(i), "Pagination", "1970-01-0" + std::to_string(i + 1));
    auto c = as(*doctor_);
    std::vector<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
        auto r = c.get("/api/v1/patients?q=pagination&limit=3" + (cursor.empty() ? "" : "&cursor=" + url_encode(cursor)));
        ASSERT_EQ(r.status, 200);
        for (const auto& p : r.json().at("items").as_array()) seen.push_back(std::string(p.at("first_name").as_string()));
        auto next = r.json().at("next_cursor");
        if (next.is_null()) break;
        cursor = std::string(next.as_string());
    }
    EXPECT_EQ(seen.size(), 7u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(c.get("/api/v1/patients?q=pagination&limit=5000").json().at("items").as_array().size(), 7u);  // capped, not refused
}

TEST_F(PatientsApi, SearchValidation) {
    auto c = as(*doctor_);
    EXPECT_EQ(c.get("/api/v1/patients").status, 422);                 // no criteria
    EXPECT_EQ(c.get("/api/v1/patients?q=a&cursor=%21%21").status, 422);
    EXPECT_EQ(c.get("/api/v1/patients?birth_date=12-12-2000").status, 422);
    EXPECT_EQ(c.get("/api/v1/patients?q=a&limit=0").status, 422);
    EXPECT_EQ(c.get("/api/v1/patients?q=" + std::string(200, 'a')).status, 422);
}
