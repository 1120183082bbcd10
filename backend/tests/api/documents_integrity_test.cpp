// SPDX-License-Identifier: Apache-2.0
// Stored documents whose bytes were altered or lost on disk: reading one answers the specific
// data-corrupted problem (not a generic 500), audited, logged and counted in
// medisecure_document_integrity_failures_total; `medisecure documents verify` lists every altered
// or missing object and exits 1, and 0 with "documents intact" on a sound store.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace fs = std::filesystem;

namespace {

std::set<std::string> blob_files(const std::string& root) {
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file()) out.insert(it->path().string());
    return out;
}

/// Metric value of `series` (name with labels), -1 when absent.
double metric(const std::string& text, const std::string& series) {
    auto at = text.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

class DocumentsIntegrity : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::getenv("MEDISECURE_TEST_API_ON_S3"))
            GTEST_SKIP() << "alters the local blob files; with the content in S3 the same reads and checks run on "
                            "the objects the blob store gives (the suite's first run covers them)";
        app_ = std::make_unique<TestApp>();
        nurse_ = app_->user(Role::nurse);
        patient_ = app_->patient("Zoé", "Intègre", "1979-09-09");
    }
    /// Uploads a PDF as the nurse; returns its id and the blob file it was stored in.
    std::pair<std::string, std::string> upload(const std::string& text) {
        const std::string root = app_->data_dir().file("blobs");
        auto before = blob_files(root);
        HttpClient c = app_->client();
        c.bearer = nurse_.token;
        auto r = c.request("POST", "/api/v1/patients/" + patient_ + "/documents?category=lab_result&title=Bilan&filename=b.pdf",
                           "%PDF-1.4\n" + text + "\n%%EOF\n", {}, "application/octet-stream");
        EXPECT_EQ(r.status, 201) << r.body;
        std::string file;
        for (const auto& f : blob_files(root))
            if (!before.count(f)) file = f;
        return {std::string(r.json().at("id").as_string()), file};
    }
    HttpResult content(const std::string& id) {
        HttpClient c = app_->client();
        c.bearer = nurse_.token;
        return c.get("/api/v1/documents/" + id + "/content");
    }

    std::unique_ptr<TestApp> app_;
    Account nurse_;
    std::string patient_;
};

TEST_F(DocumentsIntegrity, AnAlteredOrMissingDocumentAnswersDataCorruptedIsAuditedAndCounted) {
    auto [altered, altered_file] = upload("Compte rendu altéré plus tard");
    auto [missing, missing_file] = upload("Compte rendu perdu plus tard");
    auto [sound, sound_file] = upload("Compte rendu intact");
    ASSERT_FALSE(altered_file.empty());
    ASSERT_FALSE(missing_file.empty());
    ASSERT_EQ(content(altered).status, 200);
    {
        // One byte flipped in the middle of the stored (encrypted) bytes.
        std::fstream f(altered_file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(fs::file_size(altered_file) / 2));
        char b = 0;
        f.read(&b, 1);
        f.seekp(static_cast<std::streamoff>(fs::file_size(altered_file) / 2));
        b = static_cast<char>(b ^ 0x20);
        f.write(&b, 1);
    }
    fs::remove(missing_file);

    for (const auto& id : {altered, missing}) {
        auto r = content(id);
        EXPECT_EQ(r.status, 500) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        EXPECT_EQ(r.json().at("type"), "urn:medisecure:problem:data-corrupted") << r.body;
        EXPECT_EQ(r.code(), "document_integrity");
        EXPECT_EQ(r.body.find("Compte rendu"), std::string::npos) << "no byte of the content may leave";
    }
    EXPECT_EQ(content(sound).status, 200);

    auto metrics = app_->client().get("/metrics").body;
    EXPECT_EQ(metric(metrics, "medisecure_document_integrity_failures_total"), 2) << metrics.substr(0, 2000);

    HttpClient admin = app_->client();
    admin.bearer = app_->admin().token;
    auto audit = admin.get("/api/v1/audit?action=document.read&limit=50");
    ASSERT_EQ(audit.status, 200) << audit.body;
    std::set<std::string> details;
    for (const auto& rec : audit.json().at("items").as_array())
        if (rec.at("outcome") == "error") details.insert(std::string(rec.at("resource_id").as_string()) + " " +
                                                         std::string(rec.at("detail").as_string()));
    EXPECT_TRUE(details.count(altered + " integrity:altered")) << audit.body;
    EXPECT_TRUE(details.count(missing + " integrity:missing")) << audit.body;
}

TEST_F(DocumentsIntegrity, DocumentsVerifyFindsEveryAlteredOrMissingObjectAndExitsNonZero) {
    auto [a, a_file] = upload("premier");
    auto [b, b_file] = upload("deuxième");
    auto [c, c_file] = upload("troisième");
    const std::string data = app_->data_dir().path().string();

    auto clean = run_cli("documents verify", data);
    EXPECT_EQ(clean.status, 0) << clean.out;
    EXPECT_NE(clean.out.find("documents intact: 3 contents"), std::string::npos) << clean.out;

    {
        std::ofstream truncated(a_file, std::ios::binary | std::ios::trunc);  // emptied
    }
    {
        std::fstream f(b_file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(-1, std::ios::end);
        f.put('\x7f');  // the last byte changed (the authentication tag)
    }
    fs::remove(c_file);
    auto damaged = run_cli("documents verify", data);
    EXPECT_EQ(damaged.status, 1) << damaged.out;
    EXPECT_NE(damaged.out.find("documents DAMAGED: 3 problem(s) in 3 documents"), std::string::npos) << damaged.out;
    EXPECT_NE(damaged.out.find("[altered] document " + a + " (content)"), std::string::npos) << damaged.out;
    EXPECT_NE(damaged.out.find("[altered] document " + b + " (content)"), std::string::npos) << damaged.out;
    EXPECT_NE(damaged.out.find("[missing] document " + c + " (content)"), std::string::npos) << damaged.out;

    // Both runs are in the audit trail, the second with what it found.
    HttpClient admin = app_->client();
    admin.bearer = app_->admin().token;
    auto audit = admin.get("/api/v1/audit?action=documents.verify");
    ASSERT_EQ(audit.status, 200) << audit.body;
    const auto& runs = audit.json().at("items").as_array();
    ASSERT_EQ(runs.size(), 2u) << audit.body;
    EXPECT_EQ(runs[0].at("outcome"), "error");  // newest first
    EXPECT_NE(std::string(runs[0].at("detail").as_string()).find(c + ":content:missing"), std::string::npos) << audit.body;
    EXPECT_EQ(runs[1].at("outcome"), "success");
}
