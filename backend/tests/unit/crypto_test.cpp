// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <ctime>
#include <thread>
#include <vector>

#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/crypto/jwt.hpp"
#include "platform/crypto/password_hasher.hpp"
#include "platform/crypto/sealed_box.hpp"
#include "platform/crypto/totp.hpp"

using namespace medisecure;
using namespace medisecure::crypto;

TEST(Digest, KnownVectors) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2
    auto mac = hmac_sha256("Jefe", "what do ya want for nothing?");
    EXPECT_EQ(to_hex(mac.data(), mac.size()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // The keyed state, reused: every message gives what a fresh HMAC gives.
    HmacKey jefe("Jefe");
    for (int i = 0; i < 3; ++i) {
        auto again = jefe.mac("what do ya want for nothing?");
        EXPECT_EQ(to_hex(again.data(), again.size()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    // RFC 4231 test case 6: a key longer than the block size is hashed first.
    HmacKey long_key(std::string(131, '\xaa'));
    auto six = long_key.mac("Test Using Larger Than Block-Size Key - Hash Key First");
    EXPECT_EQ(to_hex(six.data(), six.size()), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    // RFC 4231 test case 7: the long key with a message longer than a block.
    auto seven = long_key.mac("This is a test using a larger than block-size key and a larger than "
                              "block-size data. The key "
                              "needs to be hashed before being used by the HMAC algorithm.");
    EXPECT_EQ(to_hex(seven.data(), seven.size()),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    // RFC 4231 test case 1, and a key exactly one block long (Python's hmac module gives the
    // value).
    auto one = hmac_sha256(std::string(20, '\x0b'), "Hi There");
    EXPECT_EQ(to_hex(one.data(), one.size()),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    std::string block_key;
    for (int i = 0; i < 64; ++i)
        block_key += static_cast<char>(i);
    auto block = hmac_sha256(block_key, "exactly one block of key");
    EXPECT_EQ(to_hex(block.data(), block.size()),
              "aed89a53f83495834369f6c764db660e0e41d224347eb2b6f2054241399e36e2");
}

TEST(Digest, OneKeySharedByThreads) {
    // Each thread computes with its own working context from the key's shared states.
    HmacKey key("shared between threads");
    std::vector<std::string> expected(200);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        auto m = hmac_sha256("shared between threads", "message " + std::to_string(i));
        expected[i] = to_hex(m.data(), m.size());
    }
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int round = 0; round < 50; ++round)
                for (std::size_t i = 0; i < expected.size(); ++i) {
                    auto m = key.mac("message " + std::to_string(i));
                    if (to_hex(m.data(), m.size()) != expected[i]) ++mismatches;
                }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(Encoding, Base64AndBase32RoundTrip) {
    for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
        EXPECT_EQ(*base64url_decode(base64url_encode(s)), s);
        EXPECT_EQ(*base64_decode(base64_encode(s)), s);
        EXPECT_EQ(*base32_decode(base32_encode(s)), s);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");  // RFC 4648 vector, unpadded
    EXPECT_FALSE(base64url_decode("a*b"));
}

TEST(Totp, Rfc6238Vectors) {
    const std::string secret = "12345678901234567890";
    // RFC 6238 appendix B (SHA-1), last 6 of the 8 digits.
    EXPECT_EQ(hotp(secret, 59 / 30), "287082");
    EXPECT_EQ(hotp(secret, 1111111109 / 30), "081804");
    EXPECT_EQ(hotp(secret, 1111111111 / 30), "050471");
    EXPECT_EQ(hotp(secret, 1234567890 / 30), "005924");
    EXPECT_EQ(hotp(secret, 2000000000 / 30), "279037");
    EXPECT_EQ(hotp(secret, 59 / 30, 8), "94287082");
}

TEST(Totp, WindowAndReplay) {
    const std::string secret = "12345678901234567890";
    std::int64_t now = 1111111111;
    auto code = hotp(secret, static_cast<std::uint64_t>(now / 30 - 1));
    auto step = totp_match(secret, code, now, 0);
    ASSERT_TRUE(step);
    EXPECT_FALSE(totp_match(secret, code, now, *step));  // never twice
    EXPECT_FALSE(totp_match(secret, hotp(secret, static_cast<std::uint64_t>(now / 30 - 3)), now, 0));
    EXPECT_FALSE(totp_match(secret, "12345", now, 0));
}

TEST(Jwt, SignsAndVerifies) {
    JwtSigner s("k", "medisecure");
    auto t = s.sign({{"sub", "u1"}, {"exp", 2000}});
    auto v = s.verify(t, 1000);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->at("sub"), "u1");
    EXPECT_FALSE(s.verify(t, 2000));                              // expired
    EXPECT_FALSE(JwtSigner("other", "medisecure").verify(t, 1000));  // wrong key
    EXPECT_FALSE(JwtSigner("k", "elsewhere").verify(t, 1000));      // wrong issuer
}

TEST(Jwt, RefusesTamperingAndAlgorithmNone) {
    JwtSigner s("k", "medisecure");
    auto t = s.sign({{"sub", "u1"}, {"role", "patient"}, {"exp", 2000}});
    auto dot = t.find('.');
    auto dot2 = t.find('.', dot + 1);
    // Same signature, payload claiming another role.
    std::string forged_payload = base64url_encode(R"({"sub":"u1","role":"admin","exp":2000,"iss":"medisecure"})");
    EXPECT_FALSE(s.verify(t.substr(0, dot + 1) + forged_payload + t.substr(dot2), 1000));
    std::string none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + t.substr(dot + 1, dot2 - dot - 1) + ".";
    EXPECT_FALSE(s.verify(none, 1000));
    EXPECT_FALSE(s.verify("a.b", 1000));
    EXPECT_FALSE(s.verify(std::string(5000, 'a'), 1000));
}

TEST(SealedBox, RoundTripBindsAssociatedData) {
    SealedBox box(std::string(32, 'k'));
    auto c = box.seal("seed", "user-1");
    EXPECT_EQ(*box.open(c, "user-1"), "seed");
    EXPECT_FALSE(box.open(c, "user-2"));
    EXPECT_FALSE(SealedBox(std::string(32, 'x')).open(c, "user-1"));
    auto raw = *base64_decode(c);
    raw[raw.size() - 1] ^= 1;
    EXPECT_FALSE(box.open(base64_encode(raw), "user-1"));
    EXPECT_NE(box.seal("seed", "user-1"), c);  // fresh nonce each time
}

TEST(PasswordHasher, Argon2idProductionParameters) {
    PasswordHasher h(Argon2Params{});  // the defaults that ship: 19 MiB, t=2
    auto encoded = h.hash("correct horse battery staple");
    EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u);
    EXPECT_TRUE(h.verify(encoded, "correct horse battery staple"));
    EXPECT_FALSE(h.verify(encoded, "correct horse battery stapl"));
    EXPECT_FALSE(h.needs_rehash(encoded));
    EXPECT_TRUE(PasswordHasher(Argon2Params{1024, 1, 1}).needs_rehash(encoded));
    EXPECT_NE(h.hash("x"), h.hash("x"));  // salted
}

TEST(PasswordHasher, DummyVerificationTakesAsLongAsARealOne) {
    PasswordHasher h(Argon2Params{});
    auto encoded = h.hash("correct horse battery staple");
    // CPU time of this thread, not wall time: other processes on the machine must not
    // decide the outcome. Best of five for each.
    auto cpu_seconds = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    };
    auto time = [&](auto fn) {
        double best = 1e9;
        for (int i = 0; i < 5; ++i) {
            double t0 = cpu_seconds();
            fn();
            best = std::min(best, cpu_seconds() - t0);
        }
        return best;
    };
    double real = time([&] { (void)h.verify(encoded, "wrong password"); });
    double dummy = time([&] { h.verify_dummy("wrong password"); });
    // Both cost one Argon2id evaluation with the same parameters.
    EXPECT_GT(dummy, real * 0.5);
    EXPECT_LT(dummy, real * 2.0);
}

// ----- files at rest -----
#include <fstream>

#include "platform/crypto/file_cipher.hpp"
#include "test_support.hpp"

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
std::string decrypt_all(const std::string& path, const std::string& key) {
    FileDecryptor d(path, key);
    std::string out;
    char buf[7000];
    while (auto n = d.read(buf, sizeof buf)) out.append(buf, n);
    return out;
}
}  // namespace

TEST(FileCipher, RoundTripsAnySizeAndHidesThePlaintext) {
    medisecure::testkit::TempDir dir;
    auto key = new_file_key();
    for (std::size_t size : {0u, 1u, 65535u, 65536u, 65537u, 300000u}) {
        std::string plain(size, '\0');
        for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<char>('A' + i % 23);
        auto path = dir.file("f" + std::to_string(size));
        FileEncryptor e(path, key);
        for (std::size_t off = 0; off < size; off += 5000) e.write(plain.data() + off, std::min<std::size_t>(5000, size - off));
        e.finish();
        EXPECT_EQ(e.plaintext_size(), size);
        auto stored = slurp(path);
        if (size >= 64) {
            EXPECT_EQ(stored.find(plain.substr(0, 64)), std::string::npos);
        }
        EXPECT_EQ(decrypt_all(path, key), plain) << size;
    }
}

TEST(FileCipher, DetectsFlippedBytesTruncationAndWrongKeys) {
    medisecure::testkit::TempDir dir;
    auto key = new_file_key();
    auto path = dir.file("doc");
    FileEncryptor e(path, key);
    std::string plain(200000, 'x');
    e.write(plain.data(), plain.size());
    e.finish();
    auto original = slurp(path);
    auto rewrite = [&](std::string bytes) { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; };
    std::string flipped = original;
    flipped[100000] ^= 0x01;
    rewrite(flipped);
    EXPECT_THROW(decrypt_all(path, key), std::runtime_error);
    rewrite(original.substr(0, original.size() - 10));
    EXPECT_THROW(decrypt_all(path, key), std::runtime_error);
    rewrite(original.substr(0, 8 + 24 + 65536 + 17));  // whole first chunk, final chunk missing
    EXPECT_THROW(decrypt_all(path, key), std::runtime_error);
    rewrite(original);
    EXPECT_THROW(decrypt_all(path, new_file_key()), std::runtime_error);
    EXPECT_EQ(decrypt_all(path, key), plain);
}
