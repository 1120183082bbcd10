// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "contexts/notifications/app/patient_export.hpp"
#include "core/time.hpp"
#include "platform/crypto/file_cipher.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::notifications;
using medisecure::testkit::caller_of;

namespace {

class Section final : public jobs::PatientDataSource {
public:
    std::string section() const override { return "appointments"; }
    boost::json::value export_json(const std::string& id) override {
        return boost::json::object{{"patient_id", id}, {"items", boost::json::array{1, 2}}};
    }
    std::vector<jobs::ExportFile> export_files(const std::string&) override { return {{"scan.txt", "scanned text"}}; }
};

struct Export : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "notifications");
    SqlJobStore store{*db};
    ManualClock clock{*parse_instant("2026-11-24T08:00:00Z")};
    testkit::RecordingAuditTrail audit;
    JobsService jobs{store, audit, clock, std::string(40, 'm')};
    std::vector<std::shared_ptr<jobs::PatientDataSource>> sources{std::make_shared<Section>()};
    ExportService exports{store, audit, clock, [](const std::string& id) { return id == "p1" || id == "p2"; }, {}};
    ExportHandler handler{sources, jobs, dir.file("exports"), clock};

    std::string run(const std::string& job_id) {
        auto claimed = store.claim(clock.now(), clock.now() + std::chrono::minutes(5));
        EXPECT_EQ(claimed->id, job_id);
        jobs::Job j{claimed->id, claimed->type, claimed->payload_json, claimed->owner_user_id, claimed->patient_id, 1, 3, clock.now()};
        auto out = handler.run(j);
        EXPECT_EQ(out.kind, jobs::Outcome::Kind::done) << out.detail;
        store.succeed(job_id, out.result_json, clock.now());
        return out.result_json;
    }
};

}  // namespace

TEST_F(Export, OnlyThePatientThemselfOrAnAdministratorMayAsk) {
    EXPECT_TRUE(exports.request(caller_of(Role::patient, "pu1", "p1"), "p1"));
    EXPECT_EQ(exports.request(caller_of(Role::patient, "pu1", "p1"), "p2").error().kind, ErrorKind::not_found);
    EXPECT_EQ(exports.request(caller_of(Role::doctor), "p1").error().kind, ErrorKind::forbidden);
    EXPECT_TRUE(exports.request(caller_of(Role::admin), "p2"));
    EXPECT_EQ(exports.request(caller_of(Role::admin), "p9").error().kind, ErrorKind::not_found);
    EXPECT_EQ(audit.count("patient.export.request", audit::Outcome::success), 2u);
}

TEST_F(Export, BuildsAnEncryptedArchiveDownloadableOnceByItsRequester) {
    auto patient = caller_of(Role::patient, "pu1", "p1");
    auto id = *exports.request(patient, "p1");
    auto result = run(id);
    EXPECT_EQ(result.find("scanned"), std::string::npos);
    auto job = *jobs.get(patient, id);
    auto file = jobs.result_file(job);
    ASSERT_TRUE(file);
    // At rest: not a ZIP, not readable.
    std::ifstream raw(file->path, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(raw)), {});
    EXPECT_EQ(stored.find("PK\x03\x04"), std::string::npos);  // no ZIP signature visible
    EXPECT_EQ(stored.find("scanned text"), std::string::npos);

    EXPECT_EQ(jobs.get(caller_of(Role::patient, "pu2", "p2"), id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(jobs.take_download(caller_of(Role::doctor, "d1"), id).error().kind, ErrorKind::not_found);
    // An administrator follows the job, but the file is the patient's alone.
    EXPECT_TRUE(jobs.get(caller_of(Role::admin, "a1"), id));
    EXPECT_EQ(jobs.take_download(caller_of(Role::admin, "a1"), id).error().kind, ErrorKind::not_found);
    auto dl = jobs.take_download(patient, id);
    ASSERT_TRUE(dl);
    EXPECT_EQ(jobs.take_download(patient, id).error().kind, ErrorKind::gone);

    // Decrypted, it is a ZIP any tool opens, with every section.
    auto zip_path = dir.file("out.zip");
    {
        crypto::FileDecryptor d(dl->path, dl->key);
        std::ofstream out(zip_path, std::ios::binary);
        char buf[8192];
        while (auto n = d.read(buf, sizeof buf)) out.write(buf, static_cast<std::streamsize>(n));
    }
    std::string cmd = "/usr/bin/python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                      "print(sorted(z.namelist())); print(z.read('appointments/scan.txt').decode())\" " + zip_path;
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    EXPECT_EQ(pclose(p), 0) << out;
    EXPECT_NE(out.find("'LISEZ-MOI-README.txt', 'appointments.json', 'appointments/scan.txt', 'manifest.json'"),
              std::string::npos) << out;
    EXPECT_NE(out.find("scanned text"), std::string::npos);
}

TEST_F(Export, UndownloadedArchivesExpire) {
    auto id = *exports.request(caller_of(Role::admin, "a1"), "p1");
    run(id);
    auto path = jobs.result_file(*store.find(id))->path;
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(jobs.purge_untaken(std::chrono::hours(168)), 0);
    clock.advance(std::chrono::hours(169));
    EXPECT_EQ(jobs.purge_untaken(std::chrono::hours(168)), 1);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(jobs.take_download(caller_of(Role::admin, "a1"), id).error().kind, ErrorKind::gone);
}
