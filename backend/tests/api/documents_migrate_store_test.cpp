// SPDX-License-Identifier: Apache-2.0
// `medisecure documents migrate-store --to s3://…`: a practice that grows out of the embedded
// default moves its documents' content to S3 (Swift's s3api, scripts/services/swift.sh); the
// documents read the same afterwards with MEDISECURE_BLOB_URL set, and a second run copies
// nothing again.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contexts/documents/adapters/local/local_blob_store.hpp"
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"
#include "platform/crypto/digest.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;

namespace {

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string read_all(documents::BlobReader& r) {
    std::string out, buf(64 << 10, '\0');
    while (std::size_t n = r.read(buf.data(), buf.size())) out.append(buf.data(), n);
    return out;
}

}  // namespace

TEST(DocumentsMigrateStore, MovesEveryObjectToS3VerifiedAndResumes) {
    const std::string url = env_or_empty("MEDISECURE_TEST_S3_URL");
    if (url.empty()) {
        if (ci()) FAIL() << "MEDISECURE_TEST_S3_URL is not set under CI";
        GTEST_SKIP() << "no S3 server: set MEDISECURE_TEST_S3_URL (scripts/test.sh starts Swift)";
    }
    TempDir dir;
    // Content in the embedded default's blob directory, as documents leave it: three objects.
    documents::LocalBlobStore local(dir.file("data") + "/blobs");
    std::map<std::string, std::string> objects;
    for (std::size_t size : {std::size_t{0}, std::size_t{1000}, std::size_t{(9 << 20) + 7}}) {
        std::string content(size, '\0');
        for (std::size_t i = 0; i < size; ++i) content[i] = static_cast<char>((i * 131 + size) & 0xff);
        auto key = local.new_key();
        auto w = local.create(key);
        w->write(content.data(), content.size());
        w->commit();
        objects[key] = content;
    }
    const std::map<std::string, std::string> env{
        {"MEDISECURE_S3_ACCESS_KEY_ID", env_or_empty("MEDISECURE_TEST_S3_ACCESS_KEY_ID")},
        {"MEDISECURE_S3_SECRET_ACCESS_KEY", env_or_empty("MEDISECURE_TEST_S3_SECRET_ACCESS_KEY")}};
    auto first = run_cli("documents migrate-store --to '" + url + "'", dir.file("data"), "", env);
    ASSERT_EQ(first.status, 0) << first.out;
    EXPECT_NE(first.out.find("3 objects: 3 copied, 0 already there, 0 failed"), std::string::npos) << first.out;

    auto target = *documents::parse_s3_url(url);
    target.access_key_id = env.at("MEDISECURE_S3_ACCESS_KEY_ID");
    target.secret_access_key = env.at("MEDISECURE_S3_SECRET_ACCESS_KEY");
    documents::S3BlobStore s3(target);
    for (const auto& [key, content] : objects) {
        auto r = s3.open(key);
        ASSERT_TRUE(r) << key;
        EXPECT_EQ(crypto::sha256_hex(read_all(*r)), crypto::sha256_hex(content)) << key;
    }
    // Run again (an interrupted migration resumed): nothing is copied twice.
    auto again = run_cli("documents migrate-store --to '" + url + "'", dir.file("data"), "", env);
    ASSERT_EQ(again.status, 0) << again.out;
    EXPECT_NE(again.out.find("3 objects: 0 copied, 3 already there, 0 failed"), std::string::npos) << again.out;
    // A wrong secret: refused before anything is done.
    auto wrong = env;
    wrong["MEDISECURE_S3_SECRET_ACCESS_KEY"] += "x";
    auto refused = run_cli("documents migrate-store --to '" + url + "'", dir.file("data"), "", wrong);
    EXPECT_EQ(refused.status, 1) << refused.out;
    EXPECT_NE(refused.out.find("cannot reach bucket"), std::string::npos) << refused.out;
    for (const auto& [key, content] : objects) s3.remove(key);
}
