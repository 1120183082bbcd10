// SPDX-License-Identifier: Apache-2.0
// Documents against the real stores (SQLite metadata, files on disk).
#include <gtest/gtest.h>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <zlib.h>

#include <fstream>
#include <map>

#include "contexts/documents/adapters/image/stb_thumbnailer.hpp"
#include "contexts/documents/adapters/local/local_blob_store.hpp"
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"
#include "contexts/documents/adapters/sql/sql_document_store.hpp"
#include "contexts/documents/app/document_service.hpp"
#include "core/time.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/db/outbox.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::documents;
using audit::Outcome;
using medisecure::testkit::caller_of;

namespace {

crypto::ByteSource from(const std::string& bytes) {
    auto pos = std::make_shared<std::size_t>(0);
    auto data = std::make_shared<std::string>(bytes);
    return [pos, data](char* out, std::size_t cap) {
        std::size_t n = std::min(cap, data->size() - *pos);
        std::memcpy(out, data->data() + *pos, n);
        *pos += n;
        return n;
    };
}

std::string read_all(ContentReader& r) {
    std::string out;
    char buf[5000];
    while (auto n = r.read(buf, sizeof buf)) out.append(buf, n);
    return out;
}

std::string png(int w, int h) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>(i * 7);
    std::string out;
    stbi_write_png_to_func([](void* c, void* p, int n) { static_cast<std::string*>(c)->append(static_cast<char*>(p), static_cast<std::size_t>(n)); },
                           &out, w, h, 3, px.data(), w * 3);
    return out;
}

struct Docs : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "documents");
    SqlDocumentStore store{*db};
    LocalBlobStore blobs{dir.file("blobs")};
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    testkit::RecordingAuditTrail audit;
    DocumentService service{store, blobs, audit, clock, std::string(40, 'm'), [](const std::string& id) -> std::optional<PatientRef> {
                                if (id == "p1") return PatientRef{"p1", "doc-1"};
                                if (id == "p2") return PatientRef{"p2", ""};
                                return std::nullopt;
                            }};
    const std::string report = "%PDF-1.4\nCompte rendu de biologie : HbA1c 6,8 %\n%%EOF\n";

    Document upload(const Caller& c, Category cat, const std::string& bytes, const std::string& patient = "p1", bool visible = true) {
        UploadInput in;
        in.patient_id = patient;
        in.category = cat;
        in.title = "Bilan";
        in.filename = "bilan.pdf";
        in.visible_to_patient = visible;
        auto d = service.upload(c, in, from(bytes));
        EXPECT_TRUE(d) << (d ? "" : d.error().code);
        return *d;
    }
};

}  // namespace

TEST_F(Docs, StoredEncryptedUnderANameThatRevealsNothing) {
    auto d = upload(caller_of(Role::doctor, "doc-1"), Category::lab_result, report);
    EXPECT_EQ(d.kind, Kind::pdf);
    EXPECT_EQ(d.size, report.size());
    EXPECT_EQ(d.sha256, crypto::sha256_hex(report));
    auto path = blobs.path_of(d.blob_key);
    std::ifstream in(path, std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(stored.find("HbA1c"), std::string::npos);
    EXPECT_EQ(stored.find("%PDF"), std::string::npos);
    EXPECT_EQ(path.find("p1"), std::string::npos);
    EXPECT_EQ(path.find("bilan"), std::string::npos);
    auto r = service.open(caller_of(Role::doctor, "doc-1"), d.id);
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(**r), report);
}

TEST_F(Docs, AFlippedByteIsDetectedAndNothingIsServed) {
    auto d = upload(caller_of(Role::nurse, "n1"), Category::lab_result, report);
    auto path = blobs.path_of(d.blob_key);
    std::string stored;
    {
        std::ifstream in(path, std::ios::binary);
        stored.assign((std::istreambuf_iterator<char>(in)), {});
    }
    stored[stored.size() / 2] ^= 0x20;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << stored;
    auto r = service.open(caller_of(Role::doctor, "doc-1"), d.id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "document_integrity");
    EXPECT_EQ(r.error().kind, ErrorKind::data_corrupted);  // its own problem type, not a generic 500
    EXPECT_EQ(audit.count("document.read", Outcome::error), 1u);
}

TEST_F(Docs, ContentTypesComeFromTheBytes) {
    UploadInput in;
    in.patient_id = "p1";
    in.category = Category::other;
    in.title = "Programme";
    in.filename = "photo.jpg";  // claims to be an image
    auto r = service.upload(caller_of(Role::secretary, "s1"), in, from("MZ\x90\x00 a Windows program"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::unsupported_media_type);
    in.filename = "scan.pdf";
    auto image = service.upload(caller_of(Role::secretary, "s1"), in, from(png(4, 4)));
    ASSERT_TRUE(image);
    EXPECT_EQ(image->kind, Kind::png);
    EXPECT_EQ(image->filename, "scan.png");
}

TEST_F(Docs, WhoSeesWhat) {
    auto lab = upload(caller_of(Role::doctor, "doc-1"), Category::lab_result, report);
    auto consent = upload(caller_of(Role::secretary, "s1"), Category::consent, "Consentement signé le 24/11/2026\n");
    auto internal = upload(caller_of(Role::doctor, "doc-1"), Category::letter, "Courrier interne\n", "p1", false);
    // Secretaries list everything but open only the non-clinical.
    EXPECT_EQ(service.open(caller_of(Role::secretary, "s1"), lab.id).error().code, "clinical_content_restricted");
    EXPECT_TRUE(service.open(caller_of(Role::secretary, "s1"), consent.id));
    EXPECT_EQ(service.list(caller_of(Role::secretary, "s1"), {"p1"})->items.size(), 3u);
    // Accountants: nothing.
    EXPECT_EQ(service.list(caller_of(Role::accountant, "a1"), {"p1"}).error().kind, ErrorKind::forbidden);
    // The patient: their own, visible ones.
    auto me = caller_of(Role::patient, "pu1", "p1");
    auto mine = service.list(me, {"p1"});
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->items.size(), 2u);
    EXPECT_TRUE(service.open(me, lab.id));
    EXPECT_EQ(service.open(me, internal.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(service.list(me, {"p2"}).error().kind, ErrorKind::not_found);
    auto other = upload(caller_of(Role::doctor, "doc-1"), Category::lab_result, report, "p2");
    EXPECT_EQ(service.get(me, other.id).error().kind, ErrorKind::not_found);
    // Patients upload to their own file only, and never prescriptions.
    UploadInput in;
    in.patient_id = "p2";
    in.title = "x";
    EXPECT_EQ(service.upload(me, in, from(report)).error().kind, ErrorKind::not_found);
    in.patient_id = "p1";
    in.category = Category::prescription;
    EXPECT_EQ(service.upload(me, in, from(report)).error().kind, ErrorKind::forbidden);
}

TEST_F(Docs, SoftDeleteByAdministratorsOnly) {
    auto d = upload(caller_of(Role::nurse, "n1"), Category::consent, "Consentement\n");
    EXPECT_EQ(service.remove(caller_of(Role::doctor, "doc-1"), d.id).error().kind, ErrorKind::forbidden);
    ASSERT_TRUE(service.remove(caller_of(Role::admin, "a1"), d.id));
    EXPECT_TRUE(service.list(caller_of(Role::nurse, "n1"), {"p1"})->items.empty());
    EXPECT_EQ(service.get(caller_of(Role::nurse, "n1"), d.id).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(std::filesystem::exists(blobs.path_of(d.blob_key)));  // retained, encrypted
    DocumentQuery q{"p1"};
    q.include_deleted = true;
    EXPECT_EQ(service.list(caller_of(Role::admin, "a1"), q)->items.size(), 1u);
    EXPECT_EQ(service.remove(caller_of(Role::admin, "a1"), "nope").error().kind, ErrorKind::not_found);
}

TEST_F(Docs, UploadsQueueThumbnailsAndNotificationsWithTheRow) {
    auto d = upload(caller_of(Role::nurse, "n1"), Category::imaging, png(1200, 800));
    auto jobs = db->read([](soci::session& sql) { return db::peek_outbox(sql, 10); });
    std::map<std::string, std::string> by_type;
    for (const auto& j : jobs) by_type[j.request.type] = j.request.payload_json;
    ASSERT_EQ(by_type.size(), 2u);
    EXPECT_TRUE(by_type.count("documents.thumbnail"));
    EXPECT_NE(by_type["notifications.in_app"].find("\"patient:p1\""), std::string::npos);
    EXPECT_NE(by_type["notifications.in_app"].find("\"user:doc-1\""), std::string::npos);

    StbThumbnailer thumbs;
    auto out = service.make_thumbnail(d.id, thumbs);
    EXPECT_EQ(out.kind, jobs::Outcome::Kind::done) << out.detail;
    EXPECT_EQ(service.make_thumbnail(d.id, thumbs).kind, jobs::Outcome::Kind::done);  // idempotent
    auto t = service.open_thumbnail(caller_of(Role::doctor, "doc-1"), d.id);
    ASSERT_TRUE(t);
    auto thumb = read_all(**t);
    EXPECT_EQ(thumb.substr(0, 8), "\x89PNG\r\n\x1a\n");
    int w = 0, h = 0, ch = 0;
    ASSERT_TRUE(stbi_info_from_memory(reinterpret_cast<const unsigned char*>(thumb.data()), static_cast<int>(thumb.size()), &w, &h, &ch));
    EXPECT_EQ(w, 256);
    EXPECT_EQ(h, 170);
    auto pdf = upload(caller_of(Role::nurse, "n1"), Category::lab_result, report);
    EXPECT_EQ(service.open_thumbnail(caller_of(Role::doctor, "doc-1"), pdf.id).error().kind, ErrorKind::not_found);
}

TEST_F(Docs, ThumbnailsRefuseDecompressionBombs) {
    StbThumbnailer thumbs;
    // A PNG header announcing 10 000 x 10 000 pixels (100 megapixels, 300 MB decoded: within
    // stb's own limits, beyond ours), with a correct checksum and a few bytes of data.
    std::string bomb = png(8, 8);
    bomb[16] = 0; bomb[17] = 0; bomb[18] = 0x27; bomb[19] = 0x10;
    bomb[20] = 0; bomb[21] = 0; bomb[22] = 0x27; bomb[23] = 0x10;
    auto crc = crc32(0L, reinterpret_cast<const Bytef*>(bomb.data() + 12), 17);  // "IHDR" + 13 bytes of data
    for (int i = 0; i < 4; ++i) bomb[29 + i] = static_cast<char>((crc >> (24 - 8 * i)) & 0xff);
    auto r = thumbs.png_thumbnail(bomb, 256);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "image_too_large");
}

TEST(DocumentsOnAStoreThatCannotBeReached, AnUploadIsA503AndLeavesNoDocument) {
    testkit::TempDir dir;
    auto db = testkit::sqlite_database(dir, "documents");
    SqlDocumentStore store{*db};
    // A real S3 client with nothing listening where it points: the failure is a real one.
    S3Target target;
    target.bucket = "docs";
    target.endpoint = "http://127.0.0.1:" + std::to_string(testkit::free_tcp_port());
    target.access_key_id = "k";
    target.secret_access_key = "s";
    S3Options opt;
    opt.attempts = 2;
    opt.backoff = std::chrono::milliseconds(10);
    S3BlobStore blobs(target, opt);
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    testkit::RecordingAuditTrail audit;
    DocumentService service{store, blobs, audit, clock, std::string(40, 'm'), [](const std::string& id) -> std::optional<PatientRef> {
                                if (id == "p1") return PatientRef{"p1", "doc-1"};
                                return std::nullopt;
                            }};
    UploadInput in;
    in.patient_id = "p1";
    in.category = Category::lab_result;
    in.title = "Bilan";
    in.filename = "bilan.pdf";
    const std::string report = "%PDF-1.4\nCompte rendu\n%%EOF\n";
    auto d = service.upload(caller_of(Role::doctor, "doc-1"), in, from(report));
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(d.error().code, "document_store_unavailable");
    EXPECT_EQ(audit.count("document.upload", audit::Outcome::error), 1u);
    EXPECT_EQ(audit.count("document.upload", audit::Outcome::success), 0u);
    int rows = 0;
    db->read([&](soci::session& sql) { sql << "SELECT count(*) FROM documents", soci::into(rows); });
    EXPECT_EQ(rows, 0);
    EXPECT_FALSE(blobs.ping());
}

namespace {

std::string jpeg(int w, int h) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3);
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>(i * 5);
    std::string out;
    stbi_write_jpg_to_func([](void* c, void* p, int n) { static_cast<std::string*>(c)->append(static_cast<char*>(p), static_cast<std::size_t>(n)); },
                           &out, w, h, 3, px.data(), 80);
    return out;
}

}  // namespace

// Found by fuzz_thumbnail: stb_image 2.27 does not check that a DHT segment declares at most
// 256 codes per table, and writes the extra ones past its tables (undefined behaviour in the
// server's thumbnail job). Such a JPEG is refused before stb sees it.
TEST(StbThumbnailerTest, issue_19_jpeg_with_an_overfull_huffman_table_is_refused) {
    StbThumbnailer thumbs;
    std::string good = jpeg(40, 30);
    ASSERT_TRUE(jpeg_tables_safe_for_stb(good));
    ASSERT_TRUE(thumbs.png_thumbnail(good, 16));
    EXPECT_TRUE(jpeg_tables_safe_for_stb(png(8, 8)));

    // An extra DC table right after SOI, 257 codes of 15 and 16 bits (valid code lengths, one
    // code too many); the image's own tables replace it, so stb 2.27 alone decodes the image.
    std::string dht = "\xFF\xC4";
    dht += static_cast<char>((2 + 17 + 257) >> 8);
    dht += static_cast<char>((2 + 17 + 257) & 0xFF);
    dht += '\x00';                 // class 0 (DC), table 0
    dht += std::string(14, '\0');  // no code of 1 to 14 bits
    dht += '\x02';                 // two of 15 bits
    dht += '\xFF';                 // 255 of 16 bits
    dht += std::string(257, '\x01');
    std::string bad = good.substr(0, 2) + dht + good.substr(2);
    EXPECT_FALSE(jpeg_tables_safe_for_stb(bad));
    auto refused = thumbs.png_thumbnail(bad, 16);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "image_unreadable");

    // The same count split over a table read past the segment's end is found too.
    std::string short_dht = std::string("\xFF\xC4\x00\x05", 4) + dht.substr(4);
    EXPECT_FALSE(jpeg_tables_safe_for_stb(good.substr(0, 2) + short_dht + good.substr(2)));
}
