// SPDX-License-Identifier: Apache-2.0
// /api/v1/patients/{id}/documents and /api/v1/documents/{id}: streamed upload and download,
// types by content, size limits, roles, other patients, thumbnails by the background job.
#include <gtest/gtest.h>

#include <stb/stb_image_write.h>

#include <boost/json.hpp>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {
const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nCompte rendu : HbA1c 6,8 %\n%%EOF\n";

std::string make_png(int w, int h) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3, 0x80);
    std::string out;
    stbi_write_png_to_func([](void* c, void* p, int n) { static_cast<std::string*>(c)->append(static_cast<char*>(p), static_cast<std::size_t>(n)); },
                           &out, w, h, 3, px.data(), w * 3);
    return out;
}
const std::string kPng = make_png(640, 480);
}  // namespace

class DocumentsApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app_ = new TestApp([](config::Config& c) { c.document_max_bytes = 3 * 1024 * 1024; });
        doctor_ = new Account(app_->user(Role::doctor));
        nurse_ = new Account(app_->user(Role::nurse));
        secretary_ = new Account(app_->user(Role::secretary));
        accountant_ = new Account(app_->user(Role::accountant));
    }
    static void TearDownTestSuite() {
        for (auto* a : {doctor_, nurse_, secretary_, accountant_}) delete a;
        delete app_;
    }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    static HttpResult upload(HttpClient& c, const std::string& patient, const std::string& bytes, const std::string& query) {
        return c.request("POST", "/api/v1/patients/" + patient + "/documents?" + query, bytes, {}, "application/octet-stream");
    }
    static TestApp* app_;
    static Account *doctor_, *nurse_, *secretary_, *accountant_;
};
TestApp* DocumentsApi::app_ = nullptr;
Account* DocumentsApi::doctor_ = nullptr;
Account* DocumentsApi::nurse_ = nullptr;
Account* DocumentsApi::secretary_ = nullptr;
Account* DocumentsApi::accountant_ = nullptr;

TEST_F(DocumentsApi, UploadListDownload) {
    auto pid = app_->patient("Gaëlle", "Hoarau", "1988-08-08");
    auto c = as(*nurse_);
    auto up = upload(c, pid, kPdf, "category=lab_result&title=" + url_encode("Bilan sanguin") + "&filename=" + url_encode("bilan été.pdf"));
    ASSERT_EQ(up.status, 201) << up.body;
    std::string id(up.json().at("id").as_string());
    EXPECT_EQ(up.header("location"), "/api/v1/documents/" + id);
    EXPECT_EQ(up.json().at("content_type"), "application/pdf");
    EXPECT_EQ(up.json().at("filename"), "bilan été.pdf");
    EXPECT_EQ(up.json().at("size"), static_cast<std::int64_t>(kPdf.size()));

    auto list = as(*doctor_).get("/api/v1/patients/" + pid + "/documents");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json().at("items").as_array().size(), 1u);

    auto dl = as(*doctor_).get("/api/v1/documents/" + id + "/content");
    ASSERT_EQ(dl.status, 200);
    EXPECT_EQ(dl.body, kPdf);
    EXPECT_EQ(dl.header("content-type"), "application/pdf");
    EXPECT_EQ(dl.header("content-length"), std::to_string(kPdf.size()));
    EXPECT_NE(dl.header("content-disposition").find("attachment; filename=\"bilan _t_.pdf\"; filename*=UTF-8''bilan%20%C3%A9t%C3%A9.pdf"),
              std::string::npos) << dl.header("content-disposition");
    EXPECT_NE(dl.header("content-security-policy").find("sandbox"), std::string::npos);
    auto inline_view = as(*doctor_).get("/api/v1/documents/" + id + "/content?inline=true");
    EXPECT_EQ(inline_view.header("content-disposition").rfind("inline;", 0), 0u);
}

TEST_F(DocumentsApi, LargeUploadsStreamAndTheLimitHolds) {
    auto pid = app_->patient("Rémi", "Santini", "1970-07-07");
    auto c = as(*doctor_);
    std::string big = "%PDF-1.7\n" + std::string(2 * 1024 * 1024, 'x') + "\n%%EOF\n";
    auto up = upload(c, pid, big, "category=imaging&title=Scanner");
    ASSERT_EQ(up.status, 201) << up.body;
    std::string id(up.json().at("id").as_string());
    auto dl = c.get("/api/v1/documents/" + id + "/content");
    EXPECT_EQ(dl.body.size(), big.size());
    EXPECT_TRUE(dl.body == big);
    std::string too_big = "%PDF-1.7\n" + std::string(4 * 1024 * 1024, 'y');
    auto refused = upload(c, pid, too_big, "category=imaging&title=Trop");
    EXPECT_EQ(refused.status, 413) << refused.body;
}

TEST_F(DocumentsApi, ValidationAndTypes) {
    auto pid = app_->patient("Loïc", "Crépin", "1999-09-09");
    auto c = as(*secretary_);
    EXPECT_EQ(upload(c, pid, kPdf, "title=X").status, 422);                               // category missing
    EXPECT_EQ(upload(c, pid, kPdf, "category=x-ray&title=X").status, 422);
    EXPECT_EQ(upload(c, pid, kPdf, "category=consent").status, 422);                      // title missing
    EXPECT_EQ(upload(c, pid, "", "category=consent&title=X").status, 422);                // no bytes
    auto exe = upload(c, pid, "MZ\x90\x00\x03 program", "category=consent&title=X&filename=photo.jpg");
    EXPECT_EQ(exe.status, 415);
    EXPECT_EQ(exe.code(), "document_type_not_allowed");
    auto png = upload(c, pid, kPng, "category=administrative&title=" + url_encode("Carte Vitale") + "&filename=carte.pdf");
    ASSERT_EQ(png.status, 201) << png.body;
    EXPECT_EQ(png.json().at("content_type"), "image/png");
    EXPECT_EQ(png.json().at("filename"), "carte.png");
}

TEST_F(DocumentsApi, RolesAndOtherPatients) {
    auto mine = app_->patient("Clémence", "Garnier", "1985-05-05");
    auto other = app_->patient("Joël", "Bonnet", "1955-05-05");
    auto d = as(*doctor_);
    std::string lab(upload(d, mine, kPdf, "category=lab_result&title=Bilan").json().at("id").as_string());
    std::string consent(upload(d, mine, "Consentement éclairé signé\n", "category=consent&title=Consentement").json().at("id").as_string());
    std::string theirs(upload(d, other, kPdf, "category=lab_result&title=Bilan").json().at("id").as_string());

    // Secretaries: list, open the non-clinical, not the clinical.
    EXPECT_EQ(as(*secretary_).get("/api/v1/documents/" + lab + "/content").status, 403);
    EXPECT_EQ(as(*secretary_).get("/api/v1/documents/" + consent + "/content").status, 200);
    // Accountants: no documents at all.
    EXPECT_EQ(as(*accountant_).get("/api/v1/patients/" + mine + "/documents").status, 403);
    auto accounts = as(*accountant_);
    EXPECT_EQ(upload(accounts, mine, kPdf, "category=other&title=X").status, 403);
    // A patient: their own documents, not another's (404 like a missing one).
    auto portal = app_->user(Role::patient, mine);
    auto p = as(portal);
    EXPECT_EQ(p.get("/api/v1/patients/" + mine + "/documents").json().at("items").as_array().size(), 2u);
    EXPECT_EQ(p.get("/api/v1/documents/" + lab + "/content").status, 200);
    EXPECT_EQ(p.get("/api/v1/documents/" + theirs).status, 404);
    EXPECT_EQ(p.get("/api/v1/documents/" + theirs + "/content").status, 404);
    EXPECT_EQ(p.get("/api/v1/patients/" + other + "/documents").status, 404);
    EXPECT_EQ(upload(p, other, kPdf, "category=other&title=X").status, 404);
    EXPECT_EQ(upload(p, mine, kPdf, "category=other&title=" + url_encode("Résultats de ville")).status, 201);
    // Deleting: administrators only.
    EXPECT_EQ(d.del("/api/v1/documents/" + consent).status, 403);
    HttpClient admin(app_->base_url());
    admin.bearer = app_->admin().token;
    EXPECT_EQ(admin.del("/api/v1/documents/" + consent).status, 204);
    EXPECT_EQ(d.get("/api/v1/documents/" + consent).status, 404);
}

TEST_F(DocumentsApi, NotFound) {
    auto c = as(*doctor_);
    EXPECT_EQ(c.get("/api/v1/documents/01900000-0000-7000-8000-000000000000").status, 404);
    EXPECT_EQ(c.get("/api/v1/documents/01900000-0000-7000-8000-000000000000/content").status, 404);
    EXPECT_EQ(c.get("/api/v1/documents/nope/thumbnail").status, 404);
    EXPECT_EQ(c.get("/api/v1/patients/01900000-0000-7000-8000-000000000000/documents").status, 404);
    EXPECT_EQ(upload(c, "01900000-0000-7000-8000-000000000000", kPdf, "category=other&title=X").status, 404);
}

TEST_F(DocumentsApi, ImagesGetAThumbnailInTheBackground) {
    auto pid = app_->patient("Maëlys", "Leclère", "2001-01-01");
    auto c = as(*nurse_);
    auto up = upload(c, pid, kPng, "category=imaging&title=Photo");
    ASSERT_EQ(up.status, 201);
    std::string id(up.json().at("id").as_string());
    ASSERT_TRUE(eventually([&] { return c.get("/api/v1/documents/" + id).json().at("has_thumbnail").as_bool(); }));
    auto t = c.get("/api/v1/documents/" + id + "/thumbnail");
    ASSERT_EQ(t.status, 200);
    EXPECT_EQ(t.header("content-type"), "image/png");
    EXPECT_EQ(t.body.substr(0, 8), "\x89PNG\r\n\x1a\n");
}
