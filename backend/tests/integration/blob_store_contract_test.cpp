// SPDX-License-Identifier: Apache-2.0
// The BlobStore port against the local directory and a real S3 server that verifies Signature
// V4 (Swift's s3api, scripts/services/swift.sh): objects written in pieces and read back, large
// ones through a multipart upload, nothing visible before commit or after an abandoned write,
// removal, and on S3 a wrong secret refused and an unreachable store failing fast.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "contexts/documents/adapters/local/local_blob_store.hpp"
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"
#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::documents;
using namespace std::chrono_literals;

namespace {

/// The S3 server of the tests: MEDISECURE_TEST_S3_URL (s3://bucket?endpoint=…&region=…) and its keys.
std::optional<S3Target> test_s3() {
    const char* url = std::getenv("MEDISECURE_TEST_S3_URL");
    const char* key = std::getenv("MEDISECURE_TEST_S3_ACCESS_KEY_ID");
    const char* secret = std::getenv("MEDISECURE_TEST_S3_SECRET_ACCESS_KEY");
    if (!url || !key || !secret) return std::nullopt;
    auto t = parse_s3_url(url);
    if (!t) return std::nullopt;
    t->access_key_id = key;
    t->secret_access_key = secret;
    return t;
}

#define MS_REQUIRE_S3()                                                                                  \
    do {                                                                                                 \
        if (!test_s3()) {                                                                                \
            if (testkit::ci()) FAIL() << "MEDISECURE_TEST_S3_URL and its keys are not set under CI";     \
            GTEST_SKIP() << "no S3 server: set MEDISECURE_TEST_S3_URL (scripts/test.sh starts Swift)";   \
        }                                                                                                \
    } while (0)

std::string random_text(std::size_t n) {
    std::string s(n, '\0');
    random_bytes(s.data(), n);
    return s;
}

std::string read_all(BlobReader& r, std::size_t cap) {
    std::string out, buf(cap, '\0');
    while (std::size_t n = r.read(buf.data(), cap)) out.append(buf.data(), n);
    return out;
}

void write_in_pieces(BlobWriter& w, const std::string& data, std::size_t piece) {
    for (std::size_t at = 0; at < data.size(); at += piece) w.write(data.data() + at, std::min(piece, data.size() - at));
}

class BlobStoreContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "s3") {
            MS_REQUIRE_S3();
            S3Options o;
            o.part_bytes = 5 << 20;  // S3's smallest part, so that 12 MiB makes three
            o.range_bytes = 256 << 10;
            s3 = std::make_unique<S3BlobStore>(*test_s3(), o);
            store = s3.get();
        } else {
            local = std::make_unique<LocalBlobStore>(dir.file("blobs"));
            store = local.get();
        }
    }
    testkit::TempDir dir;
    std::unique_ptr<LocalBlobStore> local;
    std::unique_ptr<S3BlobStore> s3;
    BlobStore* store = nullptr;
};

TEST_P(BlobStoreContract, WritesInPiecesAndReadsBack) {
    EXPECT_TRUE(store->ping());
    const auto key = store->new_key();
    EXPECT_EQ(key.size(), 32u);
    EXPECT_NE(key, store->new_key());
    const auto data = random_text(100'000);
    auto w = store->create(key);
    write_in_pieces(*w, data, 7'000);
    w->commit();
    auto r = store->open(key);
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r, 4096), data);
    store->remove(key);
    EXPECT_FALSE(store->open(key));
    store->remove(key);  // removing what is gone is no error
}

TEST_P(BlobStoreContract, ALargeObjectGoesUpInPartsAndComesBackWhole) {
    const auto key = store->new_key();
    const auto data = random_text((12 << 20) + 12'345);
    auto w = store->create(key);
    write_in_pieces(*w, data, 1 << 20);
    w->commit();
    auto r = store->open(key);
    ASSERT_TRUE(r);
    const auto back = read_all(*r, 64 << 10);
    EXPECT_EQ(back.size(), data.size());
    EXPECT_EQ(crypto::sha256_hex(back), crypto::sha256_hex(data));
    store->remove(key);
}

TEST_P(BlobStoreContract, NothingIsVisibleBeforeCommitOrAfterAnAbandonedWrite) {
    const auto small = store->new_key(), large = store->new_key();
    {
        auto w = store->create(small);
        w->write("not yet", 7);
        EXPECT_FALSE(store->open(small));
    }
    {
        auto w = store->create(large);
        write_in_pieces(*w, random_text(11 << 20), 1 << 20);  // parts already sent on S3
        EXPECT_FALSE(store->open(large));
    }
    EXPECT_FALSE(store->open(small));
    EXPECT_FALSE(store->open(large));
    if (s3) {
        // The abandoned multipart upload was aborted: no upload in progress names it.
        auto uploads = s3->request("GET", "", "uploads=");
        EXPECT_EQ(uploads.status, 200);
        EXPECT_EQ(uploads.body.find(large), std::string::npos) << uploads.body;
    }
}

TEST_P(BlobStoreContract, AnEmptyObjectIsAnObject) {
    const auto key = store->new_key();
    store->create(key)->commit();
    auto r = store->open(key);
    ASSERT_TRUE(r);
    EXPECT_EQ(read_all(*r, 16), "");
    store->remove(key);
}

INSTANTIATE_TEST_SUITE_P(Blobs, BlobStoreContract, ::testing::Values("local", "s3"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(S3BlobStore, AWrongSecretIsRefused) {
    MS_REQUIRE_S3();
    auto t = *test_s3();
    t.secret_access_key += "x";
    S3BlobStore wrong(t);
    EXPECT_FALSE(wrong.ping());
    auto w = wrong.create(wrong.new_key());
    w->write("x", 1);
    try {
        w->commit();
        FAIL() << "stored with a wrong secret";
    } catch (const S3Error& e) {
        EXPECT_NE(std::string(e.what()).find("403"), std::string::npos) << e.what();
    }
}

TEST(S3BlobStore, AnUnreachableStoreFailsFast) {
    MS_REQUIRE_S3();
    auto t = *test_s3();
    t.endpoint = "http://127.0.0.1:" + std::to_string(testkit::free_tcp_port());
    S3Options o;
    o.attempts = 3;
    o.backoff = 50ms;
    S3BlobStore gone(t, o);
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(gone.ping());
    EXPECT_THROW(gone.open(gone.new_key()), S3Error);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

/// The request line and headers of the next request to a loopback port; answers 200.
class CaptureOne {
public:
    CaptureOne() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        ::listen(fd_, 1);
        thread_ = std::thread([this] {
            int c = ::accept(fd_, nullptr, nullptr);
            char buf[4096];
            while (head_.find("\r\n\r\n") == std::string::npos) {
                auto n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                head_.append(buf, static_cast<std::size_t>(n));
            }
            const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
            (void)!::send(c, ok, sizeof ok - 1, 0);
            ::close(c);
        });
    }
    ~CaptureOne() {
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }
    std::string head() {
        thread_.join();
        return head_;
    }

private:
    int fd_ = -1, port_ = 0;
    std::thread thread_;
    std::string head_;
};

/// The Authorization header libcurl's Signature V4 signer (the one S3BlobStore uses) makes for a
/// request of the official AWS test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
/// region us-east-1, service "service", host example.amazonaws.com).
std::string vector_authorization(const char* method) {
    CaptureOne server;
    CURL* h = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    curl_slist* headers = curl_slist_append(nullptr, "Host: example.amazonaws.com");
    headers = curl_slist_append(headers, "X-Amz-Date: 20150830T123600Z");
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, "aws:amz:us-east-1:service");
    curl_easy_setopt(h, CURLOPT_USERNAME, "AKIDEXAMPLE");
    curl_easy_setopt(h, CURLOPT_PASSWORD, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_perform(h);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    const std::string head = server.head();
    auto at = head.find("Authorization: ");
    if (at == std::string::npos) return "";
    return head.substr(at + 15, head.find("\r\n", at) - at - 15);
}

TEST(S3Signature, MatchesTheOfficialSigV4TestVectors) {
    // aws-sig-v4-test-suite: get-vanilla and post-vanilla.
    const std::string prefix =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
        "Signature=";
    EXPECT_EQ(vector_authorization("GET"), prefix + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_EQ(vector_authorization("POST"), prefix + "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(S3Url, Parses) {
    auto t = parse_s3_url("s3://docs?endpoint=https://minio.internal:9000/&region=eu-west-3&path_style=0&ca_file=%2Fetc%2Fca.pem");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->bucket, "docs");
    EXPECT_EQ(t->endpoint, "https://minio.internal:9000");
    EXPECT_EQ(t->region, "eu-west-3");
    EXPECT_FALSE(t->path_style);
    EXPECT_EQ(t->ca_file, "/etc/ca.pem");
    EXPECT_TRUE(parse_s3_url("s3://docs?endpoint=http://127.0.0.1:9000")->path_style);
    std::string error;
    EXPECT_FALSE(parse_s3_url("s3://docs", &error));
    EXPECT_EQ(error, "endpoint=http(s)://host[:port] is required");
    EXPECT_FALSE(parse_s3_url("s3://?endpoint=http://h", &error));
    EXPECT_FALSE(parse_s3_url("s3://docs?endpoint=http://h&colour=blue", &error));
    EXPECT_EQ(error, "unknown parameter colour");
    EXPECT_FALSE(parse_s3_url("file:///tmp", &error));
}

}  // namespace
