// SPDX-License-Identifier: Apache-2.0
// /api/v1/billing and /api/v1/invoices over real HTTP: every endpoint's happy path,
// validation, wrong role, another patient's or doctor's object and not found; numbers under
// parallel issuing; the demo practice's invoices; the act import command.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "main/demo.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {

const std::string kMissing = "/api/v1/invoices/01900000-0000-7000-8000-000000000000";

std::string body(const json::object& o) { return json::serialize(o); }

json::object consultation(const std::string& patient, const std::string& practitioner = "") {
    json::object o{{"patient_id", patient},
                   {"lines", json::array{json::object{{"code", "G"}}, json::object{{"code", "IK"}, {"quantity", 7}}}}};
    if (!practitioner.empty()) o["practitioner_id"] = practitioner;
    return o;
}

}  // namespace

class BillingApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app_ = new TestApp();
        accountant_ = new Account(app_->user(Role::accountant));
        doctor_ = new Account(app_->user(Role::doctor));
        other_doctor_ = new Account(app_->user(Role::doctor));
        nurse_ = new Account(app_->user(Role::nurse));
        secretary_ = new Account(app_->user(Role::secretary));
        admin_ = new Account(app_->admin());
        patient_id_ = new std::string(app_->patient("Hélène", "Dupont", "1984-05-12",
                                                    R"({"nir":"2 84 05 2A 004 123 55","address":{"line1":"3 rue de l'Église","postal_code":"20000","city":"Ajaccio"}})"));
        other_patient_id_ = new std::string(app_->patient("Inès", "Benali", "1991-04-04"));
        portal_ = new Account(app_->user(Role::patient, *patient_id_));
        other_portal_ = new Account(app_->user(Role::patient, *other_patient_id_));
    }
    static void TearDownTestSuite() {
        for (auto* a : {accountant_, doctor_, other_doctor_, nurse_, secretary_, admin_, portal_, other_portal_}) delete a;
        delete patient_id_;
        delete other_patient_id_;
        delete app_;
    }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    /// A draft for the test patient by the doctor; returns its id.
    static std::string draft(const std::string& patient = "") {
        auto r = as(*doctor_).post("/api/v1/invoices", body(consultation(patient.empty() ? *patient_id_ : patient)));
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    static json::value issued(const std::string& patient = "") {
        auto id = draft(patient);
        auto r = as(*accountant_).post("/api/v1/invoices/" + id + "/issue", "");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json();
    }
    static TestApp* app_;
    static Account *accountant_, *doctor_, *other_doctor_, *nurse_, *secretary_, *admin_, *portal_, *other_portal_;
    static std::string *patient_id_, *other_patient_id_;
};
TestApp* BillingApi::app_ = nullptr;
Account *BillingApi::accountant_, *BillingApi::doctor_, *BillingApi::other_doctor_, *BillingApi::nurse_, *BillingApi::secretary_,
    *BillingApi::admin_, *BillingApi::portal_, *BillingApi::other_portal_;
std::string *BillingApi::patient_id_, *BillingApi::other_patient_id_;

// ----- act catalogue -----

TEST_F(BillingApi, ActSearchIsAccentInsensitiveAndForBillingStaff) {
    auto r = as(*doctor_).get("/api/v1/billing/acts?q=" + url_encode("électrocardio"));
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    const auto& ecg = r.json().at("items").at(0);
    EXPECT_EQ(ecg.at("code"), "DEQP003");
    EXPECT_EQ(ecg.at("system"), "CCAM");
    EXPECT_EQ(ecg.at("price_cents").as_int64(), 1426);
    EXPECT_EQ(as(*accountant_).get("/api/v1/billing/acts?q=VISITE%20DOMICILE").json().at("items").as_array().size(), 4u);
    auto page = as(*accountant_).get("/api/v1/billing/acts?limit=5");
    ASSERT_EQ(page.json().at("items").as_array().size(), 5u);
    auto next = std::string(page.json().at("next_cursor").as_string());
    auto page2 = as(*accountant_).get("/api/v1/billing/acts?limit=5&cursor=" + next);
    EXPECT_GT(std::string(page2.json().at("items").at(0).at("code").as_string()), next);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts/deqp003").json().at("code"), "DEQP003");

    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts?limit=0").status, 422);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts?system=LOINC").status, 422);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts?q=" + std::string(101, 'a')).status, 422);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts/NOPE99").status, 404);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/acts/no%20such").status, 404);
    EXPECT_EQ(as(*nurse_).get("/api/v1/billing/acts?q=g").status, 403);
    EXPECT_EQ(as(*secretary_).get("/api/v1/billing/acts?q=g").status, 403);
    EXPECT_EQ(as(*portal_).get("/api/v1/billing/acts?q=g").status, 403);
    EXPECT_EQ(app_->client().get("/api/v1/billing/acts?q=g").status, 401);
}

TEST_F(BillingApi, AdministratorsMaintainTheCatalogue) {
    auto admin = as(*admin_);
    const char* cert = R"({"code":"hn-cert","system":"OTHER","label":"Certificat pour une assurance","price_cents":2500,"vat_rate_bp":2000})";
    auto created = admin.post("/api/v1/billing/acts", cert);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("location"), "/api/v1/billing/acts/HN-CERT");
    EXPECT_EQ(created.header("etag"), "\"v1\"");
    EXPECT_EQ(admin.post("/api/v1/billing/acts", cert).status, 409);
    EXPECT_EQ(as(*accountant_).post("/api/v1/billing/acts", cert).status, 403);
    EXPECT_EQ(as(*doctor_).post("/api/v1/billing/acts", cert).status, 403);
    auto bad = admin.post("/api/v1/billing/acts", R"({"code":"AB1","system":"CCAM","label":"","price_cents":-1})");
    ASSERT_EQ(bad.status, 422);
    EXPECT_EQ(admin.post("/api/v1/billing/acts", R"({"code":"AB1","system":"CCAM","label":"x","price_cents":1})").json()
                  .at("errors").at(0).at("code"),
              "invalid_code");

    auto changed = admin.patch("/api/v1/billing/acts/HN-CERT", R"({"price_cents":3000,"active":false})", {"If-Match: \"v1\""});
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(changed.json().at("active"), false);
    EXPECT_EQ(admin.patch("/api/v1/billing/acts/HN-CERT", R"({"price_cents":1})", {"If-Match: \"v1\""}).status, 412);
    EXPECT_EQ(admin.patch("/api/v1/billing/acts/HN-CERT", "{}").status, 422);
    EXPECT_EQ(admin.patch("/api/v1/billing/acts/NOPE", R"({"price_cents":1})").status, 404);
    EXPECT_EQ(as(*accountant_).patch("/api/v1/billing/acts/G", R"({"price_cents":1})").status, 403);
    // Inactive codes leave the search and cannot be billed.
    EXPECT_TRUE(as(*doctor_).get("/api/v1/billing/acts?q=hn-cert").json().at("items").as_array().empty());
    EXPECT_EQ(admin.get("/api/v1/billing/acts?q=hn-cert&include_inactive=true").json().at("items").as_array().size(), 1u);
    auto inv = consultation(*patient_id_);
    inv["lines"] = json::array{json::object{{"code", "HN-CERT"}}};
    EXPECT_EQ(as(*doctor_).post("/api/v1/invoices", body(inv)).json().at("errors").at(0).at("code"), "inactive_code");

    draft();  // G is now on an invoice
    EXPECT_EQ(admin.del("/api/v1/billing/acts/G").status, 409);
    EXPECT_EQ(admin.del("/api/v1/billing/acts/HN-CERT").status, 204);
    EXPECT_EQ(admin.del("/api/v1/billing/acts/HN-CERT").status, 404);
    EXPECT_EQ(as(*accountant_).del("/api/v1/billing/acts/MEG").status, 403);
}

// ----- invoices -----

TEST_F(BillingApi, DoctorsCreateTheirOwnDrafts) {
    auto c = as(*doctor_);
    auto r = c.post("/api/v1/invoices", body(consultation(*patient_id_)));
    ASSERT_EQ(r.status, 201) << r.body;
    const auto& v = r.json();
    std::string id(v.at("id").as_string());
    EXPECT_EQ(r.header("location"), "/api/v1/invoices/" + id);
    EXPECT_EQ(r.header("etag"), "\"v1\"");
    EXPECT_EQ(v.at("status"), "draft");
    EXPECT_TRUE(v.at("number").is_null());
    EXPECT_EQ(v.at("practitioner_id"), doctor_->id);
    EXPECT_EQ(v.at("patient_name"), "Hélène Dupont");
    EXPECT_EQ(v.at("total_cents").as_int64(), 3427);
    EXPECT_EQ(v.at("lines").at(1).at("amount_cents").as_int64(), 427);
    EXPECT_EQ(v.at("vat_breakdown").at(0).at("rate_bp").as_int64(), 0);

    // Totals from the client are not even accepted.
    auto forged = consultation(*patient_id_);
    forged["total_cents"] = 1;
    EXPECT_EQ(c.post("/api/v1/invoices", body(forged)).status, 422);
    EXPECT_EQ(c.post("/api/v1/invoices", body(consultation(*patient_id_, other_doctor_->id))).status, 403);
    auto invalid = c.post("/api/v1/invoices",
                          R"({"patient_id":"not-a-uuid","lines":[{"code":"G","quantity":0},{"code":"NOPE"}],"service_date":"2026-02-30"})");
    ASSERT_EQ(invalid.status, 422);
    auto unknown = c.post("/api/v1/invoices", body(consultation("01900000-0000-7000-8000-0000000000ff")));
    ASSERT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.json().at("errors").at(0).at("code"), "unknown_patient");
    auto bad_code = consultation(*patient_id_);
    bad_code["lines"].as_array().push_back(json::object{{"code", "NOPE"}});
    EXPECT_EQ(c.post("/api/v1/invoices", body(bad_code)).json().at("errors").at(0).at("field"), "/lines/2/code");
    EXPECT_EQ(c.post("/api/v1/invoices", "{").status, 400);

    // Accountants name the practitioner.
    auto acc = as(*accountant_);
    EXPECT_EQ(acc.post("/api/v1/invoices", body(consultation(*patient_id_))).json().at("errors").at(0).at("field"),
              "/practitioner_id");
    EXPECT_EQ(acc.post("/api/v1/invoices", body(consultation(*patient_id_, other_doctor_->id))).status, 201);
    EXPECT_EQ(acc.post("/api/v1/invoices", body(consultation(*patient_id_, nurse_->id))).status, 422);

    for (const auto* a : {nurse_, secretary_, portal_})
        EXPECT_EQ(as(*a).post("/api/v1/invoices", body(consultation(*patient_id_))).status, 403) << to_string(a->role);
    EXPECT_EQ(app_->client().post("/api/v1/invoices", body(consultation(*patient_id_))).status, 401);
}

TEST_F(BillingApi, ReadingRespectsRolesAndOwnership) {
    auto v = issued();
    std::string path = "/api/v1/invoices/" + std::string(v.at("id").as_string());
    EXPECT_EQ(as(*doctor_).get(path).status, 200);
    EXPECT_EQ(as(*accountant_).get(path).status, 200);
    EXPECT_EQ(as(*admin_).get(path).status, 200);
    EXPECT_EQ(as(*portal_).get(path).status, 200);
    auto hidden = as(*other_portal_).get(path);
    auto missing = as(*other_portal_).get(kMissing);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(hidden.code(), missing.code());  // indistinguishable
    EXPECT_EQ(as(*other_doctor_).get(path).status, 404);
    EXPECT_EQ(as(*nurse_).get(path).status, 403);
    EXPECT_EQ(as(*secretary_).get(path).status, 403);
    EXPECT_EQ(as(*accountant_).get(kMissing).status, 404);
    EXPECT_EQ(as(*accountant_).get("/api/v1/invoices/not-a-uuid").status, 404);
    // A patient never sees drafts.
    EXPECT_EQ(as(*portal_).get("/api/v1/invoices/" + draft()).status, 404);

    // The reads are in the trail with the patient's id, the refused ones too.
    auto trail = as(*admin_).get("/api/v1/audit?patient_id=" + *patient_id_ + "&action=invoice.read&limit=100");
    ASSERT_EQ(trail.status, 200);
    std::map<std::string, int> outcomes;
    for (const auto& rec : trail.json().at("items").as_array())
        if (rec.at("resource_id") == v.at("id")) outcomes[std::string(rec.at("outcome").as_string())]++;
    EXPECT_EQ(outcomes["success"], 4);
    EXPECT_EQ(outcomes["denied"], 2);  // the other patient and the other doctor
}

TEST_F(BillingApi, ListsShowEachCallerTheirOwnShare) {
    auto mine = issued();
    auto theirs = issued(*other_patient_id_);
    draft();
    auto ids = [](const HttpResult& r) {
        std::set<std::string> out;
        for (const auto& i : r.json().at("items").as_array()) out.insert(std::string(i.at("id").as_string()));
        return out;
    };
    auto portal = as(*portal_).get("/api/v1/invoices?limit=100");
    ASSERT_EQ(portal.status, 200) << portal.body;
    auto seen = ids(portal);
    EXPECT_TRUE(seen.count(std::string(mine.at("id").as_string())));
    EXPECT_FALSE(seen.count(std::string(theirs.at("id").as_string())));
    for (const auto& i : portal.json().at("items").as_array()) {
        EXPECT_EQ(i.at("patient_id"), *patient_id_);
        EXPECT_NE(i.at("status"), "draft");
    }
    EXPECT_TRUE(ids(as(*portal_).get("/api/v1/invoices?patient_id=" + *other_patient_id_)).empty());
    auto theirs_only = as(*other_doctor_).get("/api/v1/invoices?limit=100");
    for (const auto& i : theirs_only.json().at("items").as_array()) EXPECT_EQ(i.at("practitioner_id"), other_doctor_->id);
    auto drafts = as(*accountant_).get("/api/v1/invoices?status=draft&patient_id=" + *patient_id_);
    ASSERT_EQ(drafts.status, 200);
    for (const auto& i : drafts.json().at("items").as_array()) EXPECT_EQ(i.at("status"), "draft");
    EXPECT_FALSE(drafts.json().at("items").at(0).as_object().contains("lines"));  // summaries
    auto page = as(*accountant_).get("/api/v1/invoices?limit=1");
    ASSERT_FALSE(page.json().at("next_cursor").is_null());
    auto page2 = as(*accountant_).get("/api/v1/invoices?limit=1&cursor=" + std::string(page.json().at("next_cursor").as_string()));
    EXPECT_EQ(page2.status, 200);
    EXPECT_NE(page2.json().at("items").at(0).at("id"), page.json().at("items").at(0).at("id"));
    EXPECT_EQ(as(*accountant_).get("/api/v1/invoices?status=lost").status, 422);
    EXPECT_EQ(as(*accountant_).get("/api/v1/invoices?from=yesterday").status, 422);
    EXPECT_EQ(as(*nurse_).get("/api/v1/invoices").status, 403);
}

TEST_F(BillingApi, DraftsChangeWithTheirETagAndIssuedInvoicesNever) {
    auto id = draft();
    std::string path = "/api/v1/invoices/" + id;
    auto c = as(*doctor_);
    const char* apc = R"({"lines":[{"code":"APC"}]})";
    EXPECT_EQ(c.patch(path, apc).status, 428);
    auto ok = c.patch(path, apc, {"If-Match: \"v1\""});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.header("etag"), "\"v2\"");
    EXPECT_EQ(ok.json().at("total_cents").as_int64(), 6000);
    EXPECT_EQ(c.patch(path, apc, {"If-Match: \"v1\""}).status, 412);
    EXPECT_EQ(c.patch(path, R"({"lines":[{"code":"G","unit_price_cents":-5}]})", {"If-Match: \"v2\""}).status, 422);
    EXPECT_EQ(c.patch(path, "{}", {"If-Match: \"v2\""}).status, 422);
    EXPECT_EQ(as(*other_doctor_).patch(path, apc, {"If-Match: \"v2\""}).status, 404);
    EXPECT_EQ(as(*portal_).patch(path, apc, {"If-Match: \"v2\""}).status, 403);
    EXPECT_EQ(c.patch(kMissing, apc, {"If-Match: \"v1\""}).status, 404);

    auto issue = c.post(path + "/issue", "");
    ASSERT_EQ(issue.status, 200) << issue.body;
    std::string number(issue.json().at("number").as_string());
    std::string issued_on(issue.json().at("issue_date").as_string());
    EXPECT_TRUE(std::regex_match(number, std::regex("F-[0-9]{4}-[0-9]{6}"))) << number;
    EXPECT_EQ(number.substr(2, 4), issued_on.substr(0, 4));  // the year of the issue date
    EXPECT_EQ(issue.json().at("status"), "issued");
    EXPECT_EQ(c.post(path + "/issue", "").status, 409);
    EXPECT_EQ(c.patch(path, apc, {"If-Match: \"v3\""}).status, 409);
    EXPECT_EQ(c.del(path).status, 409);
    EXPECT_EQ(as(*other_doctor_).post("/api/v1/invoices/" + draft() + "/issue", "").status, 404);
    EXPECT_EQ(as(*nurse_).post(path + "/issue", "").status, 403);
    EXPECT_EQ(c.post(kMissing + "/issue", "").status, 404);

    auto gone = draft();
    EXPECT_EQ(as(*other_doctor_).del("/api/v1/invoices/" + gone).status, 404);
    EXPECT_EQ(c.del("/api/v1/invoices/" + gone).status, 204);
    EXPECT_EQ(c.get("/api/v1/invoices/" + gone).status, 404);
    EXPECT_EQ(as(*secretary_).del("/api/v1/invoices/" + gone).status, 403);
}

TEST_F(BillingApi, PaymentsArePartialOrFullNeverMore) {
    auto v = issued();
    std::string path = "/api/v1/invoices/" + std::string(v.at("id").as_string()) + "/payments";
    auto acc = as(*accountant_);
    auto part = acc.post(path, R"({"method":"amo","amount_cents":2100,"reference":"Virement CPAM"})");
    ASSERT_EQ(part.status, 201) << part.body;
    EXPECT_EQ(part.json().at("invoice").at("status"), "partially_paid");
    EXPECT_EQ(part.json().at("invoice").at("balance_due_cents").as_int64(), 1327);
    EXPECT_EQ(part.json().at("payment").at("method"), "amo");

    auto over = acc.post(path, R"({"method":"card","amount_cents":1328})");
    ASSERT_EQ(over.status, 409);
    EXPECT_EQ(over.code(), "payment.exceeds_balance");
    EXPECT_EQ(over.json().at("balance_due_cents").as_int64(), 1327);

    EXPECT_EQ(acc.post(path, R"({"method":"card","amount_cents":0})").status, 422);
    EXPECT_EQ(acc.post(path, R"({"method":"bitcoin","amount_cents":100})").status, 422);
    EXPECT_EQ(acc.post(path, R"({"method":"card","amount_cents":100,"paid_on":"2999-01-01"})").status, 422);
    EXPECT_EQ(acc.post(path, R"({"method":"card"})").status, 422);
    EXPECT_EQ(as(*doctor_).post(path, R"({"method":"card","amount_cents":100})").status, 403);
    EXPECT_EQ(as(*portal_).post(path, R"({"method":"card","amount_cents":100})").status, 403);
    EXPECT_EQ(acc.post(kMissing + "/payments", R"({"method":"card","amount_cents":100})").status, 404);
    EXPECT_EQ(acc.post("/api/v1/invoices/" + draft() + "/payments", R"({"method":"card","amount_cents":100})").code(),
              "invoice.not_issued");

    auto full = acc.post(path, R"({"method":"amc","amount_cents":1327})");
    ASSERT_EQ(full.status, 201);
    EXPECT_EQ(full.json().at("invoice").at("status"), "paid");
    EXPECT_EQ(full.json().at("invoice").at("payments").as_array().size(), 2u);
    EXPECT_EQ(acc.post(path, R"({"method":"card","amount_cents":1})").code(), "invoice.already_paid");

    // A payment recorded by mistake is voided by an administrator, never deleted.
    std::string pid(full.json().at("payment").at("id").as_string());
    std::string void_path = path + "/" + pid + "/void";
    EXPECT_EQ(acc.post(void_path, R"({"reason":"erreur"})").status, 403);
    EXPECT_EQ(as(*admin_).post(void_path, R"({})").status, 422);
    auto voided = as(*admin_).post(void_path, R"({"reason":"Saisi deux fois"})");
    ASSERT_EQ(voided.status, 200) << voided.body;
    EXPECT_EQ(voided.json().at("status"), "partially_paid");
    EXPECT_EQ(voided.json().at("payments").at(1).at("voided"), true);
    EXPECT_EQ(as(*admin_).post(void_path, R"({"reason":"encore"})").status, 409);
    EXPECT_EQ(as(*admin_).post(path + "/01900000-0000-7000-8000-000000000000/void", R"({"reason":"x"})").status, 404);
}

TEST_F(BillingApi, CancellationIssuesANumberedCreditNote) {
    auto v = issued();
    std::string id(v.at("id").as_string());
    auto acc = as(*accountant_);
    EXPECT_EQ(as(*doctor_).post("/api/v1/invoices/" + id + "/cancel", R"({"reason":"x"})").status, 403);
    EXPECT_EQ(acc.post("/api/v1/invoices/" + id + "/cancel", R"({"reason":""})").status, 422);
    EXPECT_EQ(acc.post("/api/v1/invoices/" + id + "/cancel", R"({})").status, 422);
    auto r = acc.post("/api/v1/invoices/" + id + "/cancel", R"({"reason":"Erreur de cotation"})");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto& cn = r.json().at("credit_note");
    EXPECT_EQ(r.header("location"), "/api/v1/invoices/" + std::string(cn.at("id").as_string()));
    EXPECT_EQ(cn.at("kind"), "credit_note");
    EXPECT_EQ(cn.at("total_cents").as_int64(), -v.at("total_cents").as_int64());
    EXPECT_EQ(cn.at("credited_invoice_id"), v.at("id"));
    auto seq = [](const json::value& x) { return std::stoi(std::string(x.at("number").as_string()).substr(7)); };
    EXPECT_GT(seq(cn), seq(v));
    EXPECT_EQ(r.json().at("invoice").at("status"), "cancelled");
    EXPECT_EQ(r.json().at("invoice").at("credit_note_number"), cn.at("number"));
    EXPECT_EQ(acc.post("/api/v1/invoices/" + id + "/cancel", R"({"reason":"x"})").code(), "invoice.already_cancelled");
    EXPECT_EQ(acc.post(kMissing + "/cancel", R"({"reason":"x"})").status, 404);
    // The patient sees the credit note; a paid invoice is not cancelled until its payments are voided.
    EXPECT_EQ(as(*portal_).get("/api/v1/invoices/" + std::string(cn.at("id").as_string())).status, 200);
    auto paid = issued();
    std::string pid(paid.at("id").as_string());
    ASSERT_EQ(acc.post("/api/v1/invoices/" + pid + "/payments", R"({"method":"cash","amount_cents":500})").status, 201);
    EXPECT_EQ(acc.post("/api/v1/invoices/" + pid + "/cancel", R"({"reason":"x"})").code(), "invoice.has_payments");
}

TEST_F(BillingApi, PdfIsAValidDocumentForThoseWhoMaySeeIt) {
    auto v = issued();
    std::string path = "/api/v1/invoices/" + std::string(v.at("id").as_string()) + "/pdf";
    auto r = as(*portal_).get(path);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/pdf");
    EXPECT_EQ(r.header("content-disposition"), "inline; filename=\"" + std::string(v.at("number").as_string()) + ".pdf\"");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
    EXPECT_NE(r.body.find("%%EOF"), std::string::npos);
    EXPECT_NE(r.body.find("/Type /Page"), std::string::npos);
    EXPECT_NE(r.body.find("FACTURE " + std::string(v.at("number").as_string())), std::string::npos);
    EXPECT_EQ(as(*other_portal_).get(path).status, 404);
    EXPECT_EQ(as(*other_doctor_).get(path).status, 404);
    EXPECT_EQ(as(*nurse_).get(path).status, 403);
    EXPECT_EQ(as(*accountant_).get(kMissing + "/pdf").status, 404);
    auto trail = as(*admin_).get("/api/v1/audit?patient_id=" + *patient_id_ + "&action=invoice.pdf");
    EXPECT_FALSE(trail.json().at("items").as_array().empty());
}

TEST_F(BillingApi, MonthlyStatisticsForTheAccountant) {
    auto v = issued();
    ASSERT_EQ(as(*accountant_).post("/api/v1/invoices/" + std::string(v.at("id").as_string()) + "/payments",
                                    R"({"method":"cheque","amount_cents":1000})")
                  .status,
              201);
    // The practice's month, as the invoice's issue date says (local time, not UTC).
    std::string issued_on(v.at("issue_date").as_string());
    int year = std::stoi(issued_on.substr(0, 4));
    int month = std::stoi(issued_on.substr(5, 2));
    auto r = as(*accountant_).get("/api/v1/billing/stats?year=" + std::to_string(year) + "&month=" + std::to_string(month));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& s = r.json();
    EXPECT_EQ(s.at("currency"), "EUR");
    EXPECT_GE(s.at("totals").at("issued_cents").as_int64(), 3427);
    EXPECT_GE(s.at("totals").at("collected_cents").as_int64(), 1000);
    bool found = false;
    for (const auto& p : s.at("by_practitioner").as_array())
        if (p.at("practitioner_id") == doctor_->id) found = p.at("issued_cents").as_int64() >= 3427;
    EXPECT_TRUE(found);
    EXPECT_EQ(s.at("by_method").as_array().size(), 6u);
    EXPECT_FALSE(s.as_object().contains("by_month"));
    auto whole = as(*admin_).get("/api/v1/billing/stats?year=" + std::to_string(year));
    ASSERT_EQ(whole.status, 200);
    EXPECT_EQ(whole.json().at("by_month").as_array().size(), 12u);
    EXPECT_TRUE(whole.json().at("month").is_null());

    EXPECT_EQ(as(*accountant_).get("/api/v1/billing/stats").status, 422);
    EXPECT_EQ(as(*accountant_).get("/api/v1/billing/stats?year=2026&month=13").status, 422);
    EXPECT_EQ(as(*accountant_).get("/api/v1/billing/stats?year=1999").status, 422);
    EXPECT_EQ(as(*doctor_).get("/api/v1/billing/stats?year=2026").status, 403);
    EXPECT_EQ(as(*portal_).get("/api/v1/billing/stats?year=2026").status, 403);
}

TEST_F(BillingApi, RevenueReportIsRenderedByAJobAndDownloadedOnce) {
    auto v = issued();
    std::string issued_on(v.at("issue_date").as_string());
    std::string year = issued_on.substr(0, 4), month = std::to_string(std::stoi(issued_on.substr(5, 2)));
    auto request = [&](const Account& who, const std::string& parameters, const std::string& kind = "billing.revenue") {
        return as(who).post("/api/v1/reports", R"({"kind":")" + kind + R"(","parameters":)" + parameters + "}");
    };
    auto r = request(*accountant_, R"({"year":)" + year + R"(,"month":)" + month + "}");
    ASSERT_EQ(r.status, 202) << r.body;
    std::string job(r.json().at("job_id").as_string());
    EXPECT_EQ(r.header("location"), "/api/v1/jobs/" + job);

    std::string status;
    for (int i = 0; i < 200 && status != "succeeded" && status != "dead"; ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        auto j = as(*accountant_).get("/api/v1/jobs/" + job);
        ASSERT_EQ(j.status, 200) << j.body;
        status = std::string(j.json().at("status").as_string());
    }
    ASSERT_EQ(status, "succeeded");
    EXPECT_EQ(as(*secretary_).get("/api/v1/jobs/" + job).status, 404);  // someone else's job
    auto dl = as(*accountant_).get("/api/v1/jobs/" + job + "/download");
    ASSERT_EQ(dl.status, 200) << dl.body;
    EXPECT_EQ(dl.header("content-type"), "application/pdf");
    EXPECT_EQ(dl.body.substr(0, 5), "%PDF-");
    std::string expected_name = "chiffre-affaires-" + year + "-" + (month.size() == 1 ? "0" : "") + month + ".pdf";
    EXPECT_NE(dl.header("content-disposition").find(expected_name), std::string::npos) << dl.header("content-disposition");
    EXPECT_EQ(as(*accountant_).get("/api/v1/jobs/" + job + "/download").status, 410);  // once

    // A whole year, for an administrator.
    EXPECT_EQ(request(*admin_, R"({"year":)" + year + "}").status, 202);

    // Wrong role; invalid parameters with the field named; an unknown kind.
    EXPECT_EQ(request(*doctor_, R"({"year":2026})").status, 403);
    EXPECT_EQ(request(*portal_, R"({"year":2026})").status, 403);
    auto bad = request(*accountant_, R"({"year":2026,"month":13})");
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_EQ(bad.json().at("errors").at(0).at("field"), "/parameters/month");
    EXPECT_EQ(request(*accountant_, R"({"month":1})").status, 422);
    EXPECT_EQ(request(*accountant_, R"({"year":2026})", "billing.everything").status, 422);

    auto trail = as(*admin_).get("/api/v1/audit?action=report.request&limit=10");
    ASSERT_EQ(trail.status, 200);
    EXPECT_GE(trail.json().at("items").as_array().size(), 2u);
}

// ----- numbering under concurrency -----

TEST(BillingNumbering, ParallelIssuingOverHttpLeavesNoGapAndNoDuplicate) {
    TestApp app;
    auto accountant = app.user(Role::accountant);
    auto doctor = app.user(Role::doctor);
    auto patient = app.patient("Noël", "Leclère", "1970-12-25");
    constexpr int kThreads = 8, kEach = 6;
    std::vector<std::string> drafts;
    {
        HttpClient c(app.base_url());
        c.bearer = doctor.token;
        for (int i = 0; i < kThreads * kEach; ++i) {
            auto r = c.post("/api/v1/invoices", body(consultation(patient)));
            ASSERT_EQ(r.status, 201) << r.body;
            drafts.push_back(std::string(r.json().at("id").as_string()));
        }
    }
    std::mutex mu;
    std::vector<std::string> numbers;
    std::vector<long> statuses;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            HttpClient c(app.base_url());  // one connection per thread, all at once
            c.bearer = accountant.token;
            for (int i = 0; i < kEach; ++i) {
                auto r = c.post("/api/v1/invoices/" + drafts[static_cast<std::size_t>(i * kThreads + t)] + "/issue", "");
                std::lock_guard lock(mu);
                statuses.push_back(r.status);
                if (r.status == 200) numbers.push_back(std::string(r.json().at("number").as_string()));
            }
        });
    for (auto& th : threads) th.join();
    for (auto s : statuses) EXPECT_EQ(s, 200);
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kEach));
    std::set<std::string> unique(numbers.begin(), numbers.end());
    EXPECT_EQ(unique.size(), numbers.size()) << "duplicate numbers";
    std::set<int> seqs;
    std::set<std::string> years;
    for (const auto& n : numbers) {
        years.insert(n.substr(2, 4));
        seqs.insert(std::stoi(n.substr(7)));
    }
    ASSERT_EQ(years.size(), 1u);
    EXPECT_EQ(*seqs.begin(), 1);
    EXPECT_EQ(*seqs.rbegin(), kThreads * kEach);  // 1..N all used: no gap
    EXPECT_EQ(seqs.size(), static_cast<std::size_t>(kThreads * kEach));
}

// ----- demo data -----

TEST(BillingDemo, DemoPracticeHasPaidPartialAndCancelledInvoices) {
    TestApp app;
    auto creds = seed_demo(app.app());
    EXPECT_NE(creds.find("invoices issued"), std::string::npos) << creds;
    auto accountant = app.user(Role::accountant);
    HttpClient c(app.base_url());
    c.bearer = accountant.token;
    std::map<std::string, int> by_status;
    std::set<std::string> methods;
    std::string cursor;
    int credit_notes = 0, total = 0;
    for (;;) {
        auto r = c.get("/api/v1/invoices?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor));
        ASSERT_EQ(r.status, 200) << r.body;
        for (const auto& i : r.json().at("items").as_array()) {
            ++total;
            by_status[std::string(i.at("status").as_string())]++;
            if (i.at("kind") == "credit_note") ++credit_notes;
        }
        if (r.json().at("next_cursor").is_null()) break;
        cursor = std::string(r.json().at("next_cursor").as_string());
    }
    EXPECT_GT(total, 50);
    EXPECT_GT(by_status["paid"], 10);
    EXPECT_GT(by_status["partially_paid"], 0);
    EXPECT_GT(by_status["issued"], 0);
    EXPECT_EQ(by_status["cancelled"], 1);
    EXPECT_EQ(credit_notes, 1);
    // The last four months may straddle a new year.
    int year = static_cast<int>(date_of(SystemClock{}.now()).year());
    for (int y : {year - 1, year}) {
        auto stats = c.get("/api/v1/billing/stats?year=" + std::to_string(y));
        ASSERT_EQ(stats.status, 200);
        for (const auto& m : stats.json().at("by_method").as_array())
            if (m.at("collected_cents").as_int64() > 0) methods.insert(std::string(m.at("method").as_string()));
    }
    for (const char* m : {"card", "cheque", "amo"}) EXPECT_TRUE(methods.count(m)) << m;
}

// ----- the import command -----


TEST(BillingCli, CodesImportLoadsACcamList) {
    TempDir dir;
    std::string csv = dir.file("ccam.csv");
    {
        std::ofstream f(csv);
        f << "Code;Texte;Activité;Tarif secteur 1 / OPTAM\n"
             "DEQP003;Électrocardiographie sur au moins 12 dérivations;1;14,26\n"
             "YYYY490;Supplément pour électrocardiographie réalisée au domicile du patient;1;9,60\n"
             "QZJA002;Évacuation de collection superficielle de la peau;1;Non pris en charge\n";
    }
    std::string data = dir.file("data");
    auto dry = run_cli("codes import ccam " + csv + " --dry-run", data);
    ASSERT_EQ(dry.status, 0) << dry.out;
    EXPECT_NE(dry.out.find("dry run (nothing written)"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("1 added, 0 updated, 1 unchanged, 1 skipped"), std::string::npos) << dry.out;
    auto r = run_cli("codes import ccam " + csv, data);
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("1 added"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("line 4 QZJA002: no price"), std::string::npos) << r.out;
    auto again = run_cli("codes import ccam " + csv, data);
    EXPECT_NE(again.out.find("0 added, 0 updated, 2 unchanged"), std::string::npos) << again.out;

    EXPECT_EQ(run_cli("codes import loinc " + csv, data).status, 2);
    EXPECT_EQ(run_cli("codes import ccam", data).status, 2);
    EXPECT_EQ(run_cli("codes import ccam " + dir.file("missing.csv"), data).status, 1);
    {
        std::ofstream f(dir.file("bad.csv"));
        f << "nom;valeur\nx;1\n";
    }
    auto bad = run_cli("codes import ccam " + dir.file("bad.csv"), data);
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.out.find("no code, label, price column"), std::string::npos) << bad.out;
}
