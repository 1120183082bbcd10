// SPDX-License-Identifier: Apache-2.0
// The records API over real HTTP: every endpoint's happy path, validation, wrong role, another
// patient's object and not-found; immutability after signing, amendments, the prescription PDF,
// the ICD-10 search, the audit trail, and `medisecure codes import` as a real process.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {

const std::string kMissing = "01900000-0000-7000-8000-000000000000";

std::set<std::string> fields_of(const HttpResult& r) {
    std::set<std::string> out;
    for (const auto& e : r.json().at("errors").as_array()) out.insert(std::string(e.at("field").as_string()));
    return out;
}

std::string str(const json::value& v) { return std::string(v.as_string()); }

}  // namespace

class RecordsApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app_ = new TestApp();
        doctor_ = new Account(app_->user(Role::doctor));
        colleague_ = new Account(app_->user(Role::doctor));
        nurse_ = new Account(app_->user(Role::nurse));
        secretary_ = new Account(app_->user(Role::secretary));
        accountant_ = new Account(app_->user(Role::accountant));
        patient_id_ = new std::string(app_->patient("Hélène", "Lefèvre", "1984-05-12"));
        other_id_ = new std::string(app_->patient("Noël", "Crépin", "1950-01-31", R"({"sex":"male"})"));
        patient_ = new Account(app_->user(Role::patient, *patient_id_));
        other_ = new Account(app_->user(Role::patient, *other_id_));
    }
    static void TearDownTestSuite() {
        for (auto* a : {doctor_, colleague_, nurse_, secretary_, accountant_, patient_, other_}) delete a;
        delete patient_id_;
        delete other_id_;
        delete app_;
    }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    static HttpClient admin() {
        HttpClient c(app_->base_url());
        c.bearer = app_->admin().token;
        return c;
    }
    static std::string encounter_body(const std::string& patient, bool with_prescription = true) {
        json::object b{{"patient_id", patient},
                       {"reason", "Mal de gorge"},
                       {"notes", json::object{{"subjective", "Odynophagie depuis 2 jours"},
                                              {"objective", "Amygdales érythémateuses"},
                                              {"assessment", "Angine virale probable"},
                                              {"plan", "Antalgiques, revoir si fièvre"}}},
                       {"diagnoses", json::array{json::object{{"code", "j039"}}}}};
        if (with_prescription)
            b["prescriptions"] = json::array{json::object{{"drug", "Paracétamol 1 g, comprimé"},
                                                          {"dose", "1 comprimé"},
                                                          {"frequency", "3 fois par jour"},
                                                          {"duration", "5 jours"},
                                                          {"instructions", "Espacer les prises de 6 heures"}}};
        return json::serialize(b);
    }
    /// A draft by the doctor; returns its id.
    static std::string draft(const std::string& patient, bool with_prescription = true) {
        auto r = as(*doctor_).post("/api/v1/encounters", encounter_body(patient, with_prescription));
        EXPECT_EQ(r.status, 201) << r.body;
        return str(r.json().at("id"));
    }
    /// A signed encounter by the doctor; returns its body.
    static json::value signed_encounter(const std::string& patient, bool with_prescription = true) {
        auto id = draft(patient, with_prescription);
        auto r = as(*doctor_).post("/api/v1/encounters/" + id + "/sign", "", {"If-Match: \"v1\""});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }

    static TestApp* app_;
    static Account *doctor_, *colleague_, *nurse_, *secretary_, *accountant_, *patient_, *other_;
    static std::string *patient_id_, *other_id_;
};
TestApp* RecordsApi::app_ = nullptr;
Account* RecordsApi::doctor_ = nullptr;
Account* RecordsApi::colleague_ = nullptr;
Account* RecordsApi::nurse_ = nullptr;
Account* RecordsApi::secretary_ = nullptr;
Account* RecordsApi::accountant_ = nullptr;
Account* RecordsApi::patient_ = nullptr;
Account* RecordsApi::other_ = nullptr;
std::string* RecordsApi::patient_id_ = nullptr;
std::string* RecordsApi::other_id_ = nullptr;

TEST_F(RecordsApi, Icd10SearchByWordsOrCode) {
    auto d = as(*doctor_);
    auto words = d.get("/api/v1/codes/icd10?q=" + url_encode("diabète TYPE 2 sans"));
    ASSERT_EQ(words.status, 200) << words.body;
    ASSERT_EQ(words.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(words.json().at("items").at(0).at("code"), "E11.9");
    EXPECT_EQ(words.json().at("items").at(0).at("label"), "Diabète sucré de type 2, sans complication");
    auto accents = as(*nurse_).get("/api/v1/codes/icd10?q=" + url_encode("oedeme quincke"));
    ASSERT_EQ(accents.status, 200);
    EXPECT_EQ(accents.json().at("items").at(0).at("code"), "T78.3");
    auto code = d.get("/api/v1/codes/icd10?q=j45");
    EXPECT_EQ(code.json().at("items").as_array().size(), 2u);
    EXPECT_EQ(d.get("/api/v1/codes/icd10?q=J45.9").json().at("items").at(0).at("code"), "J45.9");
    EXPECT_EQ(d.get("/api/v1/codes/icd10?q=angine&limit=1").json().at("items").as_array().size(), 1u);

    EXPECT_EQ(d.get("/api/v1/codes/icd10").status, 422);
    EXPECT_EQ(d.get("/api/v1/codes/icd10?q=j45&limit=0").status, 422);
    EXPECT_EQ(as(*secretary_).get("/api/v1/codes/icd10?q=j45").status, 403);
    EXPECT_EQ(as(*patient_).get("/api/v1/codes/icd10?q=j45").status, 403);
    EXPECT_EQ(app_->client().get("/api/v1/codes/icd10?q=j45").status, 401);
}

TEST_F(RecordsApi, DraftEditSignAmendLifecycle) {
    auto d = as(*doctor_);
    auto created = d.post("/api/v1/encounters", encounter_body(*patient_id_));
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = str(created.json().at("id"));
    EXPECT_EQ(created.header("location"), "/api/v1/encounters/" + id);
    EXPECT_EQ(created.header("etag"), "\"v1\"");
    const auto& e = created.json();
    EXPECT_EQ(e.at("status"), "draft");
    EXPECT_EQ(e.at("author_id"), doctor_->id);
    EXPECT_EQ(str(e.at("author_name")).substr(0, 11), "Test doctor");
    EXPECT_EQ(e.at("diagnoses").at(0).at("code"), "J03.9");
    EXPECT_EQ(e.at("diagnoses").at(0).at("label"), "Amygdalite aiguë, sans précision (angine)");
    EXPECT_TRUE(e.at("signature_valid").is_null());
    EXPECT_TRUE(e.at("prescriptions").at(0).at("prescribed_at").is_null());

    auto path = "/api/v1/encounters/" + id;
    std::string patch = R"({"notes":{"plan":"Antalgiques, revoir à 48 h"},"diagnoses":[{"code":"J02.9"}]})";
    EXPECT_EQ(d.patch(path, patch).status, 428);
    EXPECT_EQ(d.patch(path, patch, {"If-Match: *"}).status, 428);
    EXPECT_EQ(d.patch(path, patch, {"If-Match: \"v9\""}).status, 412);
    EXPECT_EQ(as(*colleague_).patch(path, patch, {"If-Match: \"v1\""}).status, 403);
    auto edited = d.patch(path, patch, {"If-Match: \"v1\""});
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited.header("etag"), "\"v2\"");
    EXPECT_EQ(edited.json().at("notes").at("plan"), "Antalgiques, revoir à 48 h");
    EXPECT_EQ(edited.json().at("notes").at("subjective"), "Odynophagie depuis 2 jours");
    EXPECT_EQ(edited.json().at("diagnoses").at(0).at("code"), "J02.9");
    EXPECT_EQ(d.patch(path, "{}", {"If-Match: \"v2\""}).status, 422);

    EXPECT_EQ(d.post(path + "/sign", "").status, 428);
    EXPECT_EQ(d.post(path + "/sign", "", {"If-Match: \"v1\""}).status, 412);
    EXPECT_EQ(as(*colleague_).post(path + "/sign", "", {"If-Match: \"v2\""}).status, 403);
    auto signed_ = d.post(path + "/sign", "", {"If-Match: \"v2\""});
    ASSERT_EQ(signed_.status, 200) << signed_.body;
    EXPECT_EQ(signed_.json().at("status"), "signed");
    EXPECT_EQ(signed_.json().at("signature_valid"), true);
    EXPECT_EQ(signed_.json().at("signature").as_string().size(), 64u);
    EXPECT_FALSE(signed_.json().at("prescriptions").at(0).at("prescribed_at").is_null());
    EXPECT_EQ(signed_.header("etag"), "\"v3\"");

    // Signed: immutable.
    auto refused = d.patch(path, patch, {"If-Match: \"v3\""});
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.code(), "encounter.signed");
    EXPECT_EQ(d.request("DELETE", path, "", {"If-Match: \"v3\""}).status, 409);
    EXPECT_EQ(d.post(path + "/sign", "", {"If-Match: \"v3\""}).code(), "encounter.already_signed");

    // Corrections are amendments, shown with the unchanged original.
    auto amended = as(*colleague_).post(path + "/amendments",
                                        R"({"text":"TDR positif : angine streptococcique.","diagnoses":[{"code":"J03.0"}]})");
    ASSERT_EQ(amended.status, 201) << amended.body;
    EXPECT_EQ(amended.json().at("author_id"), colleague_->id);
    EXPECT_EQ(amended.json().at("signature").as_string().size(), 64u);
    EXPECT_EQ(d.post(path + "/amendments", R"({"text":""})").status, 422);
    EXPECT_EQ(d.post(path + "/amendments", R"({"text":"x","diagnoses":[{"code":"nope"}]})").status, 422);
    EXPECT_EQ(as(*nurse_).post(path + "/amendments", R"({"text":"x"})").status, 403);
    EXPECT_EQ(d.post("/api/v1/encounters/" + kMissing + "/amendments", R"({"text":"x"})").status, 404);
    auto read = d.get(path);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.json().at("version"), 3);
    EXPECT_EQ(read.json().at("notes").at("plan"), "Antalgiques, revoir à 48 h");
    EXPECT_EQ(read.json().at("diagnoses").at(0).at("code"), "J02.9");
    EXPECT_EQ(read.json().at("current_diagnoses").at(0).at("code"), "J03.0");
    EXPECT_EQ(read.json().at("amendments").at(0).at("text"), "TDR positif : angine streptococcique.");
    EXPECT_EQ(read.json().at("signature_valid"), true);

    auto draft_on_draft = draft(*patient_id_);
    EXPECT_EQ(d.post("/api/v1/encounters/" + draft_on_draft + "/amendments", R"({"text":"x"})").code(), "encounter.not_signed");
}

TEST_F(RecordsApi, EncounterValidation) {
    auto d = as(*doctor_);
    auto bad = d.post("/api/v1/encounters",
                      R"({"patient_id":"nope","reason":"","diagnoses":[{"code":"J45.9","primary":"yes"}],"extra":1,
                          "prescriptions":[{"drug":"X"}]})");
    ASSERT_EQ(bad.status, 422);
    auto f = fields_of(bad);
    for (const char* field : {"/patient_id", "/reason", "/diagnoses/0/primary", "/extra", "/prescriptions/0/dose",
                              "/prescriptions/0/frequency", "/prescriptions/0/duration"})
        EXPECT_TRUE(f.count(field)) << field;
    auto unknown = d.post("/api/v1/encounters", encounter_body(kMissing));
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(fields_of(unknown), std::set<std::string>{"/patient_id"});
    auto codes = d.post("/api/v1/encounters",
                        R"({"patient_id":")" + *patient_id_ + R"(","reason":"x","occurred_at":"2999-01-01T00:00:00Z",
                           "diagnoses":[{"code":"angine"},{"code":"Z99.99"}]})");
    EXPECT_EQ(codes.status, 422);
    EXPECT_EQ(fields_of(codes), (std::set<std::string>{"/occurred_at", "/diagnoses/0/code", "/diagnoses/1/label"}));
    EXPECT_EQ(d.post("/api/v1/encounters", "{").status, 400);
    EXPECT_EQ(d.post("/api/v1/encounters", encounter_body(*patient_id_), {}).status, 201);
}

TEST_F(RecordsApi, WhoReadsAnEncounter) {
    auto e = signed_encounter(*patient_id_);
    auto path = "/api/v1/encounters/" + str(e.at("id"));
    auto draft_path = "/api/v1/encounters/" + draft(*patient_id_);

    EXPECT_EQ(as(*colleague_).get(draft_path).status, 200);  // doctors read colleagues' drafts
    auto nurse = as(*nurse_).get(path);
    ASSERT_EQ(nurse.status, 200) << nurse.body;
    EXPECT_FALSE(nurse.json().at("notes").as_object().contains("subjective"));
    EXPECT_FALSE(nurse.json().at("notes").as_object().contains("assessment"));
    EXPECT_EQ(nurse.json().at("notes").at("plan"), "Antalgiques, revoir si fièvre");
    EXPECT_EQ(as(*nurse_).get(draft_path).status, 404);

    auto own = as(*patient_).get(path);
    ASSERT_EQ(own.status, 200);
    EXPECT_EQ(own.json().at("notes").at("assessment"), "Angine virale probable");
    EXPECT_EQ(as(*patient_).get(draft_path).status, 404);
    EXPECT_EQ(as(*other_).get(path).status, 404);
    for (const auto* staff : {secretary_, accountant_}) EXPECT_EQ(as(*staff).get(path).status, 403);
    EXPECT_EQ(admin().get(path).status, 403);
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/" + kMissing).status, 404);
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/not-a-uuid").status, 404);
    EXPECT_EQ(app_->client().get(path).status, 401);
    EXPECT_EQ(as(*nurse_).post("/api/v1/encounters", encounter_body(*patient_id_)).status, 403);
    EXPECT_EQ(as(*patient_).post("/api/v1/encounters", encounter_body(*patient_id_)).status, 403);
}

TEST_F(RecordsApi, PatientEncounterListsAndDrafts) {
    auto pid = app_->patient("Anaïs", "Bérard", "1991-09-09");
    signed_encounter(pid);
    signed_encounter(pid);
    auto draft_id = draft(pid);
    auto list = "/api/v1/patients/" + pid + "/encounters";

    auto page = as(*doctor_).get(list + "?limit=2");
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_EQ(page.json().at("items").as_array().size(), 2u);
    EXPECT_EQ(page.json().at("items").at(0).at("id"), draft_id);  // newest first
    EXPECT_EQ(page.json().at("items").at(0).at("prescription_count"), 1);
    auto cursor = str(page.json().at("next_cursor"));
    auto rest = as(*doctor_).get(list + "?limit=2&cursor=" + cursor);
    ASSERT_EQ(rest.status, 200);
    EXPECT_EQ(rest.json().at("items").as_array().size(), 1u);
    EXPECT_TRUE(rest.json().at("next_cursor").is_null());
    EXPECT_EQ(as(*doctor_).get(list + "?cursor=garbage").status, 422);

    EXPECT_EQ(as(*nurse_).get(list).json().at("items").as_array().size(), 2u);
    EXPECT_EQ(as(*secretary_).get(list).status, 403);
    EXPECT_EQ(as(*patient_).get(list).status, 404);  // another patient's list
    EXPECT_EQ(as(*doctor_).get("/api/v1/patients/" + kMissing + "/encounters").status, 404);

    auto drafts = as(*doctor_).get("/api/v1/encounters/drafts");
    ASSERT_EQ(drafts.status, 200);
    bool found = false;
    for (const auto& item : drafts.json().at("items").as_array()) {
        EXPECT_EQ(item.at("status"), "draft");
        EXPECT_EQ(item.at("author_id"), doctor_->id);
        found |= item.at("id") == draft_id;
    }
    EXPECT_TRUE(found);
    EXPECT_EQ(as(*nurse_).get("/api/v1/encounters/drafts").status, 403);

    auto path = "/api/v1/encounters/" + draft_id;
    EXPECT_EQ(as(*doctor_).request("DELETE", path).status, 428);
    EXPECT_EQ(as(*colleague_).request("DELETE", path, "", {"If-Match: \"v1\""}).status, 403);
    EXPECT_EQ(as(*doctor_).request("DELETE", path, "", {"If-Match: \"v1\""}).status, 204);
    EXPECT_EQ(as(*doctor_).get(path).status, 404);
    EXPECT_EQ(as(*doctor_).request("DELETE", path, "", {"If-Match: \"v1\""}).status, 404);
}

TEST_F(RecordsApi, PrescriptionsAndTheirStatus) {
    auto pid = app_->patient("Zoé", "Garnier", "1979-03-03");
    auto e = signed_encounter(pid);
    auto rx = e.at("prescriptions").at(0);
    auto rx_path = "/api/v1/prescriptions/" + str(rx.at("id"));
    auto list = "/api/v1/patients/" + pid + "/prescriptions";

    auto active = as(*nurse_).get(list + "?status=active");
    ASSERT_EQ(active.status, 200) << active.body;
    ASSERT_EQ(active.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(active.json().at("items").at(0).at("prescriber_id"), doctor_->id);
    EXPECT_EQ(as(*doctor_).get(list + "?status=paused").status, 422);

    std::string stop = R"({"status":"stopped","reason":"Épigastralgies"})";
    EXPECT_EQ(as(*doctor_).patch(rx_path, stop).status, 428);
    EXPECT_EQ(as(*doctor_).patch(rx_path, stop, {"If-Match: \"v7\""}).status, 412);
    EXPECT_EQ(as(*nurse_).patch(rx_path, stop, {"If-Match: \"v1\""}).status, 403);
    EXPECT_EQ(as(*doctor_).patch(rx_path, R"({"status":"active"})", {"If-Match: \"v1\""}).status, 422);
    EXPECT_EQ(as(*doctor_).patch("/api/v1/prescriptions/" + kMissing, stop, {"If-Match: \"v1\""}).status, 404);
    auto stopped = as(*colleague_).patch(rx_path, stop, {"If-Match: \"v1\""});
    ASSERT_EQ(stopped.status, 200) << stopped.body;
    EXPECT_EQ(stopped.json().at("status"), "stopped");
    EXPECT_EQ(stopped.json().at("status_reason"), "Épigastralgies");
    EXPECT_EQ(stopped.json().at("status_changed_by"), colleague_->id);
    EXPECT_EQ(stopped.header("etag"), "\"v2\"");
    EXPECT_EQ(as(*doctor_).patch(rx_path, R"({"status":"completed"})", {"If-Match: \"v2\""}).code(), "prescription.closed");
    EXPECT_TRUE(as(*doctor_).get(list + "?status=active").json().at("items").as_array().empty());

    auto draft_id = draft(pid);
    auto draft_rx = as(*doctor_).get("/api/v1/encounters/" + draft_id).json().at("prescriptions").at(0).at("id");
    EXPECT_EQ(as(*doctor_).patch("/api/v1/prescriptions/" + str(draft_rx), stop, {"If-Match: \"v1\""}).code(),
              "prescription.not_signed");

    auto portal = as(*patient_).get("/api/v1/patients/" + *patient_id_ + "/prescriptions");
    EXPECT_EQ(portal.status, 200);
    EXPECT_EQ(as(*other_).get("/api/v1/patients/" + *patient_id_ + "/prescriptions").status, 404);
    EXPECT_EQ(as(*accountant_).get(list).status, 403);
    EXPECT_EQ(as(*doctor_).get("/api/v1/patients/" + kMissing + "/prescriptions").status, 404);
}

TEST_F(RecordsApi, PrescriptionPdf) {
    auto e = signed_encounter(*patient_id_);
    auto path = "/api/v1/encounters/" + str(e.at("id")) + "/prescription.pdf";
    auto pdf = as(*patient_).get(path);
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_NE(pdf.header("content-disposition").find("filename=\"ordonnance-"), std::string::npos);
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
    EXPECT_GT(pdf.body.size(), 1500u);
    // The document's metadata names the prescriber and the patient (its pages are compressed).
    EXPECT_NE(pdf.body.find(str(e.at("author_name"))), std::string::npos);
    EXPECT_NE(pdf.body.find("Ordonnance - H"), std::string::npos);

    EXPECT_EQ(as(*doctor_).get(path).status, 200);
    EXPECT_EQ(as(*nurse_).get(path).status, 200);
    EXPECT_EQ(as(*other_).get(path).status, 404);
    EXPECT_EQ(as(*secretary_).get(path).status, 403);
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/" + kMissing + "/prescription.pdf").status, 404);
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/" + draft(*patient_id_) + "/prescription.pdf").status, 409);
    auto bare = signed_encounter(*patient_id_, false);
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/" + str(bare.at("id")) + "/prescription.pdf").code(), "prescription_not_found");
}

TEST_F(RecordsApi, VitalsWithUnitsRangesAndSeries) {
    auto pid = app_->patient("Léa", "Moreau", "2001-07-14");
    auto path = "/api/v1/patients/" + pid + "/vitals";
    // Last year's June and September, whatever the date the suite runs on.
    const std::string year =
        std::to_string(static_cast<int>(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(SystemClock{}.now())}.year()) - 1);
    auto first = as(*nurse_).post(path, R"({"taken_at":")" + year + R"(-06-01T08:00:00Z","systolic_mmhg":142,"diastolic_mmhg":91,
                                           "heart_rate_bpm":80,"temperature_c":37.26,"weight_kg":70,"height_cm":175,"spo2_pct":98})");
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.json().at("temperature_c").as_double(), 37.3);
    EXPECT_EQ(first.json().at("bmi").as_double(), 22.9);
    EXPECT_EQ(first.json().at("recorded_role"), "nurse");
    auto second = as(*doctor_).post(path, R"({"taken_at":")" + year + R"(-09-01T08:00:00Z","systolic_mmhg":131,"diastolic_mmhg":84,
                                             "weight_kg":73.5,"note":"Après reprise du sport"})");
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_EQ(second.json().at("bmi").as_double(), 24.0);  // with the height measured in June
    EXPECT_TRUE(second.json().at("height_cm").is_null());

    auto bad = as(*nurse_).post(path, R"({"systolic_mmhg":400,"diastolic_mmhg":90,"temperature_c":29,"spo2_pct":101,"weight_kg":0.1})");
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(fields_of(bad), (std::set<std::string>{"/systolic_mmhg", "/temperature_c", "/spo2_pct", "/weight_kg"}));
    EXPECT_EQ(fields_of(as(*nurse_).post(path, R"({"systolic_mmhg":120})")), std::set<std::string>{"/diastolic_mmhg"});
    EXPECT_EQ(as(*nurse_).post(path, R"({"bmi":22})").status, 422);  // derived, never entered
    EXPECT_EQ(as(*nurse_).post(path, R"({"heart_rate_bpm":"fast"})").status, 422);
    EXPECT_EQ(as(*nurse_).post(path, "{}").status, 422);
    EXPECT_EQ(as(*nurse_).post(path, R"({"heart_rate_bpm":70,"encounter_id":")" + kMissing + R"("})").status, 422);
    EXPECT_EQ(as(*secretary_).post(path, R"({"heart_rate_bpm":70})").status, 403);
    EXPECT_EQ(as(*patient_).post(path, R"({"heart_rate_bpm":70})").status, 403);
    EXPECT_EQ(as(*nurse_).post("/api/v1/patients/" + kMissing + "/vitals", R"({"heart_rate_bpm":70})").status, 404);

    auto series = as(*doctor_).get(path);
    ASSERT_EQ(series.status, 200);
    ASSERT_EQ(series.json().at("items").as_array().size(), 2u);
    EXPECT_EQ(series.json().at("items").at(0).at("systolic_mmhg"), 142);
    auto window = as(*doctor_).get(path + "?from=" + year + "-08-01T00:00:00Z&to=" + year + "-12-31T00:00:00Z");
    EXPECT_EQ(window.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(as(*doctor_).get(path + "?from=yesterday").status, 422);
    EXPECT_EQ(as(*accountant_).get(path).status, 403);
    EXPECT_EQ(as(*patient_).get(path).status, 404);
    EXPECT_EQ(as(*patient_).get("/api/v1/patients/" + *patient_id_ + "/vitals").status, 200);
    EXPECT_EQ(as(*doctor_).get("/api/v1/patients/" + kMissing + "/vitals").status, 404);
}

TEST_F(RecordsApi, AllergiesAndConditions) {
    auto pid = app_->patient("Joël", "Faure", "1966-12-01");
    auto allergies = "/api/v1/patients/" + pid + "/allergies";
    auto added = as(*nurse_).post(allergies, R"({"substance":"Pénicilline","reaction":"Urticaire","severity":"severe","noted_on":"2009-04-12"})");
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(added.header("etag"), "\"v1\"");
    auto apath = "/api/v1/allergies/" + str(added.json().at("id"));
    EXPECT_EQ(as(*nurse_).post(allergies, R"({"reaction":"x","severity":"deadly"})").status, 422);
    EXPECT_EQ(as(*nurse_).post(allergies, R"({"substance":"Latex","noted_on":"2999-01-01"})").status, 422);
    EXPECT_EQ(as(*secretary_).post(allergies, R"({"substance":"Latex"})").status, 403);
    EXPECT_EQ(as(*nurse_).post("/api/v1/patients/" + kMissing + "/allergies", R"({"substance":"Latex"})").status, 404);
    EXPECT_EQ(as(*doctor_).patch(apath, R"({"status":"resolved"})").status, 428);
    EXPECT_EQ(as(*doctor_).patch(apath, R"({"status":"resolved"})", {"If-Match: \"v3\""}).status, 412);
    auto resolved = as(*doctor_).patch(apath, R"({"status":"resolved","noted_on":null})", {"If-Match: \"v1\""});
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(resolved.json().at("status"), "resolved");
    EXPECT_TRUE(resolved.json().at("noted_on").is_null());
    EXPECT_EQ(as(*accountant_).patch(apath, R"({"status":"active"})", {"If-Match: \"v2\""}).status, 403);
    EXPECT_EQ(as(*doctor_).patch("/api/v1/allergies/" + kMissing, R"({"status":"active"})", {"If-Match: \"v1\""}).status, 404);
    EXPECT_EQ(as(*doctor_).get(allergies).json().at("items").as_array().size(), 1u);
    EXPECT_EQ(as(*patient_).get(allergies).status, 404);

    auto conditions = "/api/v1/patients/" + pid + "/conditions";
    auto cond = as(*doctor_).post(conditions, R"({"code":"i10","onset_date":"2019-01-15","note":"Découverte fortuite"})");
    ASSERT_EQ(cond.status, 201) << cond.body;
    EXPECT_EQ(cond.json().at("code"), "I10");
    EXPECT_EQ(cond.json().at("label"), "Hypertension essentielle (primitive)");
    EXPECT_EQ(as(*nurse_).post(conditions, R"({"code":"I10"})").status, 403);
    EXPECT_EQ(as(*doctor_).post(conditions, R"({"code":"hypertension"})").status, 422);
    EXPECT_EQ(as(*doctor_).post(conditions, R"({"code":"Z99.99"})").status, 422);  // unknown code, no label
    auto cpath = "/api/v1/conditions/" + str(cond.json().at("id"));
    auto recoded = as(*doctor_).patch(cpath, R"({"code":"I15.9"})", {"If-Match: \"v1\""});
    ASSERT_EQ(recoded.status, 200) << recoded.body;
    EXPECT_EQ(recoded.json().at("label"), "Hypertension secondaire, sans précision");
    EXPECT_EQ(as(*nurse_).patch(cpath, R"({"status":"resolved"})", {"If-Match: \"v2\""}).status, 403);
    EXPECT_EQ(as(*doctor_).patch("/api/v1/conditions/" + kMissing, R"({"status":"resolved"})", {"If-Match: \"v1\""}).status, 404);
    EXPECT_EQ(as(*nurse_).get(conditions).json().at("items").as_array().size(), 1u);
    EXPECT_EQ(as(*other_).get(conditions).status, 404);
    EXPECT_EQ(as(*secretary_).get(conditions).status, 403);
}

TEST_F(RecordsApi, SummaryInOneCall) {
    auto pid = *other_id_;
    as(*nurse_).post("/api/v1/patients/" + pid + "/allergies", R"({"substance":"Arachide","severity":"severe"})");
    as(*doctor_).post("/api/v1/patients/" + pid + "/conditions", R"({"code":"E11.9"})");
    as(*nurse_).post("/api/v1/patients/" + pid + "/vitals", R"({"systolic_mmhg":138,"diastolic_mmhg":86,"weight_kg":81,"height_cm":170})");
    signed_encounter(pid);
    auto summary = "/api/v1/patients/" + pid + "/summary";
    auto s = as(*doctor_).get(summary);
    ASSERT_EQ(s.status, 200) << s.body;
    const auto& j = s.json();
    EXPECT_EQ(j.at("allergies").at(0).at("substance"), "Arachide");
    EXPECT_EQ(j.at("conditions").at(0).at("code"), "E11.9");
    EXPECT_EQ(j.at("latest_vitals").at("systolic_mmhg").at("value").as_double(), 138);
    EXPECT_EQ(j.at("latest_vitals").at("bmi").at("value").as_double(), 28.0);
    EXPECT_TRUE(j.at("latest_vitals").at("temperature_c").is_null());
    EXPECT_GE(j.at("prescriptions").as_array().size(), 1u);
    EXPECT_GE(j.at("encounters").as_array().size(), 1u);
    EXPECT_EQ(as(*nurse_).get(summary).status, 200);
    EXPECT_EQ(as(*other_).get(summary).status, 200);
    EXPECT_EQ(as(*patient_).get(summary).status, 404);
    EXPECT_EQ(as(*secretary_).get(summary).status, 403);
    EXPECT_EQ(as(*doctor_).get("/api/v1/patients/" + kMissing + "/summary").status, 404);
}

TEST_F(RecordsApi, NonClinicalRolesAreRefusedOnEveryClinicalRoute) {
    auto e = signed_encounter(*patient_id_);
    const std::string id = str(e.at("id")), rx = str(e.at("prescriptions").at(0).at("id")), pid = *patient_id_;
    struct Call {
        const char* method;
        std::string path;
        std::string body;
    };
    std::vector<Call> calls = {
        {"GET", "/api/v1/codes/icd10?q=j45", ""},
        {"POST", "/api/v1/encounters", encounter_body(pid)},
        {"GET", "/api/v1/encounters/drafts", ""},
        {"GET", "/api/v1/encounters/" + id, ""},
        {"PATCH", "/api/v1/encounters/" + id, R"({"reason":"x"})"},
        {"DELETE", "/api/v1/encounters/" + id, ""},
        {"POST", "/api/v1/encounters/" + id + "/sign", ""},
        {"POST", "/api/v1/encounters/" + id + "/amendments", R"({"text":"x"})"},
        {"GET", "/api/v1/encounters/" + id + "/prescription.pdf", ""},
        {"GET", "/api/v1/patients/" + pid + "/encounters", ""},
        {"GET", "/api/v1/patients/" + pid + "/prescriptions", ""},
        {"PATCH", "/api/v1/prescriptions/" + rx, R"({"status":"stopped"})"},
        {"POST", "/api/v1/patients/" + pid + "/vitals", R"({"heart_rate_bpm":70})"},
        {"GET", "/api/v1/patients/" + pid + "/vitals", ""},
        {"POST", "/api/v1/patients/" + pid + "/allergies", R"({"substance":"x"})"},
        {"GET", "/api/v1/patients/" + pid + "/allergies", ""},
        {"PATCH", "/api/v1/allergies/" + kMissing, R"({"status":"resolved"})"},
        {"POST", "/api/v1/patients/" + pid + "/conditions", R"({"code":"I10"})"},
        {"GET", "/api/v1/patients/" + pid + "/conditions", ""},
        {"PATCH", "/api/v1/conditions/" + kMissing, R"({"status":"resolved"})"},
        {"GET", "/api/v1/patients/" + pid + "/summary", ""},
    };
    for (const std::string& token : {secretary_->token, accountant_->token, app_->admin().token}) {
        HttpClient client(app_->base_url());
        client.bearer = token;
        for (const auto& c : calls) {
            auto r = client.request(c.method, c.path, c.body, {"If-Match: \"v1\""});
            EXPECT_EQ(r.status, 403) << c.method << " " << c.path;
            EXPECT_EQ(r.body.find("Odynophagie"), std::string::npos);
        }
    }
    EXPECT_EQ(as(*doctor_).get("/api/v1/encounters/" + id).json().at("version"), 2);  // nothing changed
}

TEST_F(RecordsApi, EveryReadAndChangeIsAuditedWithoutClinicalContent) {
    auto pid = app_->patient("Clémence", "Perrin", "1988-02-02");
    auto e = signed_encounter(pid);
    auto id = str(e.at("id"));
    as(*patient_).get("/api/v1/encounters/" + id);  // another patient: denied
    as(*nurse_).get("/api/v1/encounters/" + id, {"X-Request-Id: nurse-read-1"});
    as(*nurse_).post("/api/v1/patients/" + pid + "/vitals", R"({"temperature_c":38.2,"note":"Frissons"})");
    as(*doctor_).get("/api/v1/patients/" + pid + "/summary");

    auto trail = admin().get("/api/v1/audit?patient_id=" + pid + "&limit=100");
    ASSERT_EQ(trail.status, 200) << trail.body;
    std::map<std::string, int> actions;
    for (const auto& rec : trail.json().at("items").as_array()) {
        actions[str(rec.at("action")) + ":" + str(rec.at("outcome"))]++;
        if (rec.at("request_id") == "nurse-read-1") {
            EXPECT_EQ(rec.at("actor_role"), "nurse");
            EXPECT_EQ(rec.at("resource_id"), id);
        }
    }
    for (const char* a : {"encounter.create:success", "encounter.sign:success", "encounter.read:success",
                          "vitals.record:success", "records.summary:success"})
        EXPECT_GE(actions[a], 1) << a;
    // (Not the temperature's digits: "38.2" also occurs in a time stamp at 38.2 seconds.)
    for (const char* clinical : {"Odynophagie", "Angine", "Paracétamol", "Frissons", "temperature"})
        EXPECT_EQ(trail.body.find(clinical), std::string::npos) << clinical;
    auto denied = admin().get("/api/v1/audit?action=encounter.read&limit=100");
    bool seen = false;
    for (const auto& rec : denied.json().at("items").as_array())
        seen |= rec.at("actor_id") == patient_->id && rec.at("outcome") == "denied" && rec.at("resource_id") == id;
    EXPECT_TRUE(seen);
}

TEST(CodesCli, ImportsTheOfficialListInLatin1) {
    TempDir dir;
    const auto data = dir.file("data");
    const auto file = dir.file("CIM10-FR.csv");
    {
        std::ofstream out(file, std::ios::binary);
        // ATIH-style Windows-1252 with a header; one changed label, one new code, one block title.
        out << "CODE;LIBELLE\r\nI10;Hypertension essentielle (primitive)\r\nJ45.9;Asthme, sans pr\xE9" "cision (CIM-10 FR)\r\n"
               "A010;Fi\xE8vre typho\xEF" "de\r\nA00-A09;Maladies intestinales infectieuses\r\n";
    }
    auto r = run_cli("codes import icd10 " + file, data);
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("read 3 codes (Windows-1252): 1 added, 1 relabelled, 1 unchanged"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("line 5: not an ICD-10 code"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("now holds"), std::string::npos);
    // The codes stay in the database: a second import finds nothing new.
    auto again = run_cli("codes import icd10 " + file, data);
    EXPECT_NE(again.out.find("0 added, 0 relabelled, 3 unchanged"), std::string::npos) << again.out;

    EXPECT_EQ(run_cli("codes import icd10 " + dir.file("missing.csv"), data).status, 1);
    {
        std::ofstream out(dir.file("junk.txt"));
        out << "nothing useful here\n";
    }
    auto junk = run_cli("codes import icd10 " + dir.file("junk.txt"), data);
    EXPECT_EQ(junk.status, 1);
    EXPECT_NE(junk.out.find("no ';', tab"), std::string::npos) << junk.out;
    EXPECT_EQ(run_cli("codes import snomed " + file, data).status, 2);
}
