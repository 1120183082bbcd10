// SPDX-License-Identifier: Apache-2.0
// /api/v1/audit, /api/v1/patients/{id}/access-log, and the operator commands that go with them
// (`medisecure audit verify`, `user create`, `serve --print-config`) run as real processes.
#include <gtest/gtest.h>

#include <future>

#include <boost/json.hpp>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;


class AuditApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { app_ = new TestApp(); }
    static void TearDownTestSuite() { delete app_; }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    static TestApp* app_;
};
TestApp* AuditApi::app_ = nullptr;

TEST_F(AuditApi, TheServersOwnWorkIsNamedAsSuch) {
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    // The first administrator is created by the server itself at its first start.
    auto page = admin.get("/api/v1/audit?actor_id=system:bootstrap&action=user.create");
    ASSERT_EQ(page.status, 200) << page.body;
    const auto& items = page.json().at("items").as_array();
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0].at("actor_role"), "system");
    EXPECT_EQ(items[0].at("actor_name"), "MediSecure (bootstrap)");
}

TEST_F(AuditApi, SearchWithFiltersAndPages) {
    auto doc = app_->user(Role::doctor);
    auto id = app_->patient("Maëlys", "Hoarau", "2003-03-03");
    auto d = as(doc);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(d.get("/api/v1/patients/" + id).status, 200);
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    auto page = admin.get("/api/v1/audit?actor_id=" + doc.id + "&action=patient.read&limit=2");
    ASSERT_EQ(page.status, 200) << page.body;
    auto items = page.json().at("items").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("actor_name"), "Test doctor " + doc.email.substr(6, doc.email.find('@') - 6));
    EXPECT_GT(items[0].at("seq").as_int64(), items[1].at("seq").as_int64());
    std::string cursor(page.json().at("next_cursor").as_string());
    auto rest = admin.get("/api/v1/audit?actor_id=" + doc.id + "&action=patient.read&limit=10&before=" + cursor);
    EXPECT_EQ(rest.json().at("items").as_array().size(), 3u);
    EXPECT_TRUE(rest.json().at("next_cursor").is_null());
    auto none = admin.get("/api/v1/audit?actor_id=" + doc.id + "&from=2099-01-01T00:00:00Z");
    EXPECT_TRUE(none.json().at("items").as_array().empty());
    auto logins = admin.get("/api/v1/audit?action=auth.login&limit=200");
    EXPECT_FALSE(logins.json().at("items").as_array().empty());
}

TEST_F(AuditApi, SearchValidationAndRoles) {
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    EXPECT_EQ(admin.get("/api/v1/audit?from=yesterday").status, 422);
    EXPECT_EQ(admin.get("/api/v1/audit?limit=0").status, 422);
    EXPECT_EQ(admin.get("/api/v1/audit?patient_id=abc").status, 422);
    for (auto role : {Role::doctor, Role::secretary, Role::accountant}) EXPECT_EQ(as(app_->user(role)).get("/api/v1/audit").status, 403);
    EXPECT_EQ(app_->client().get("/api/v1/audit").status, 401);
}

TEST_F(AuditApi, PatientsSeeWhoAccessedTheirRecord) {
    auto id = app_->patient("Joséphine", "Santini", "1944-04-04");
    auto other = app_->patient("Clémence", "Pietri", "1948-08-08");
    auto doc = app_->user(Role::doctor);
    ASSERT_EQ(as(doc).get("/api/v1/patients/" + id).status, 200);
    auto portal = app_->user(Role::patient, id);
    auto mine = as(portal).get("/api/v1/patients/" + id + "/access-log");
    ASSERT_EQ(mine.status, 200) << mine.body;
    bool doctor_seen = false;
    for (const auto& e : mine.json().at("items").as_array())
        doctor_seen |= e.at("actor_role") == "doctor" && e.at("action") == "patient.read" && !e.at("actor_name").is_null();
    EXPECT_TRUE(doctor_seen);
    EXPECT_FALSE(mine.json().at("items").at(0).as_object().contains("client_ip"));  // the staff's addresses stay private
    EXPECT_EQ(as(portal).get("/api/v1/patients/" + other + "/access-log").status, 404);
    EXPECT_EQ(as(portal).get("/api/v1/patients/01900000-0000-7000-8000-000000000000/access-log").status, 404);
    auto admin = app_->client();
    admin.bearer = app_->admin().token;
    EXPECT_EQ(admin.get("/api/v1/patients/" + other + "/access-log").status, 200);
    EXPECT_EQ(admin.get("/api/v1/patients/01900000-0000-7000-8000-000000000000/access-log").status, 404);
    EXPECT_EQ(as(doc).get("/api/v1/patients/" + id + "/access-log").status, 403);
    EXPECT_EQ(as(portal).get("/api/v1/patients/" + id + "/access-log?limit=500").status, 422);
}

TEST(AuditCli, VerifyDetectsEditedDeletedAndReorderedRecords) {
    std::string data;
    std::string patient;
    TempDir keep;  // outlives the app so the CLI can read its data
    {
        TestApp app;
        data = app.data_dir().path().string();
        patient = app.patient("Hervé", "Leclère", "1966-06-06");
        auto c = app.client();
        c.bearer = app.admin().token;
        for (int i = 0; i < 6; ++i) c.get("/api/v1/patients/" + patient);
        app.stop();
        std::filesystem::copy(data, keep.path(), std::filesystem::copy_options::recursive);
    }
    std::string dir = keep.path().string();
    auto intact = run_cli("audit verify", dir);
    EXPECT_EQ(intact.status, 0) << intact.out;
    EXPECT_NE(intact.out.find("intact"), std::string::npos);

    auto sql = [&](const std::string& statement) {
        db::Database d(*db::parse_url("sqlite:" + dir + "/audit.db"), 1);
        // An attacker with file access first removes the append-only triggers.
        d.write([&](soci::session& s) {
            s << "DROP TRIGGER IF EXISTS audit_log_no_update";
            s << "DROP TRIGGER IF EXISTS audit_log_no_delete";
            s << statement;
        });
    };
    sql("UPDATE audit_log SET actor_role = 'secretary' WHERE seq = 4");
    auto edited = run_cli("audit verify", dir);
    EXPECT_EQ(edited.status, 1);
    EXPECT_NE(edited.out.find("[edited] record 4"), std::string::npos) << edited.out;

    TempDir second;
    std::filesystem::copy(data.empty() ? dir : dir, second.path(), std::filesystem::copy_options::recursive);
    {
        db::Database d(*db::parse_url("sqlite:" + second.file("audit.db")), 1);
        d.write([](soci::session& s) {
            s << "DROP TRIGGER IF EXISTS audit_log_no_update";
            s << "DROP TRIGGER IF EXISTS audit_log_no_delete";
            s << "UPDATE audit_log SET actor_role = (SELECT actor_role FROM audit_log WHERE seq = 3) WHERE seq = 4";
            s << "DELETE FROM audit_log WHERE seq = 6";
        });
    }
    auto deleted = run_cli("audit verify", second.path().string());
    EXPECT_EQ(deleted.status, 1);
    EXPECT_NE(deleted.out.find("[deleted]"), std::string::npos) << deleted.out;
}

TEST(OperatorCli, UserCreateReadsThePasswordFromStdin) {
    TempDir dir;
    auto r = run_cli("user create --email dr.noel@cabinet.fr --role doctor --name 'Dr Noël' --password-stdin", dir.path().string(),
                        "un mot de passe assez long");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("created doctor dr.noel@cabinet.fr"), std::string::npos);
    EXPECT_EQ(r.out.find("un mot de passe"), std::string::npos);
    auto weak = run_cli("user create --email x@cabinet.fr --role nurse --password-stdin", dir.path().string(), "short");
    EXPECT_EQ(weak.status, 1);
    EXPECT_NE(weak.out.find("/password"), std::string::npos);
    auto no_role = run_cli("user create --email x@cabinet.fr", dir.path().string());
    EXPECT_EQ(no_role.status, 2);
}

TEST(OperatorCli, ConfigurationProblemsAreAllListedAndSecretsRedacted) {
    TempDir dir;
    auto bad = run_cli("serve --listen nowhere --set auth.lockout_threshold=0 --set no.such=1", dir.path().string());
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.out.find("3 problem(s)"), std::string::npos) << bad.out;
    auto printed = run_cli("serve --print-config --set database.patients=postgresql://ms:s3cr3tpass@db/ms", dir.path().string());
    EXPECT_EQ(printed.status, 0);
    EXPECT_EQ(printed.out.find("s3cr3tpass"), std::string::npos);
    EXPECT_NE(printed.out.find("(set, redacted)"), std::string::npos);
    auto cfg = json::parse(printed.out.substr(printed.out.find('{'))).as_object();
    EXPECT_EQ(cfg.at("data_dir"), dir.path().string());
}

TEST(OperatorCli, ACommandWritingWhileTheServerRunsExtendsTheSameChain) {
    TestApp app;
    auto id = app.patient("Inès", "Faure", "1980-05-06");
    auto admin = app.client();
    admin.bearer = app.admin().token;
    std::string dir = app.config().data_dir;
    auto creations = [&] {
        auto page = admin.get("/api/v1/audit?action=user.create&limit=200");
        EXPECT_EQ(page.status, 200);
        return page.json().at("items").as_array().size();
    };
    auto before = creations();
    // The server and a command (another process) append to the same journal at the same time.
    auto reads = std::async(std::launch::async, [&] {
        auto c = app.client();
        c.bearer = admin.bearer;
        int ok = 0;
        for (int i = 0; i < 40; ++i) ok += c.get("/api/v1/patients/" + id).status == 200;
        return ok;
    });
    auto created = run_cli("user create --email dr.roux@cabinet.fr --role doctor --name 'Dr Roux' --password-stdin", dir,
                           "un mot de passe assez long");
    EXPECT_EQ(reads.get(), 40);
    ASSERT_EQ(created.status, 0) << created.out;
    EXPECT_EQ(creations(), before + 1);  // the command's record, indexed by either process
    auto verify = run_cli("audit verify", dir);
    EXPECT_EQ(verify.status, 0) << verify.out;
    EXPECT_NE(verify.out.find("intact"), std::string::npos);
}
