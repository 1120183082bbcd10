// SPDX-License-Identifier: Apache-2.0
// The SMTP mailer against a real SMTP server on loopback (aiosmtpd, started by scripts/test.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/mail/mailers.hpp"
#include "test_support.hpp"

using namespace medisecure;

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
std::vector<std::string> maildir_messages(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/new")) {
        std::ifstream in(e.path(), std::ios::binary);
        out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
}
}  // namespace

TEST(Smtp, DeliversUtf8MessagesToARealServer) {
    auto url = env("MEDISECURE_TEST_SMTP_URL"), maildir = env("MEDISECURE_TEST_SMTP_MAILDIR");
    if (url.empty()) {
        if (testkit::ci()) FAIL() << "MEDISECURE_TEST_SMTP_URL is not set under CI";
        GTEST_SKIP() << "no SMTP sink: scripts/test.sh starts one (python3-aiosmtpd)";
    }
    auto before = maildir_messages(maildir).size();
    SystemClock clock;
    mail::SmtpMailer mailer({url, "", "", "Cabinet Médical du Parc <no-reply@cabinet-demo.fr>", false}, clock);
    mail::EmailMessage m;
    m.to = "helene.dupont@exemple.fr";
    m.to_name = "Hélène Dupont";
    m.subject = "Rappel : rendez-vous demain à 9 h 30";
    m.text = "Bonjour Hélène,\nVotre rendez-vous avec le Dr Lefèvre est confirmé.\n";
    m.message_id_hint = "job-123";
    auto r = mailer.send(m);
    ASSERT_TRUE(r) << r.error().detail;
    auto messages = maildir_messages(maildir);
    ASSERT_EQ(messages.size(), before + 1);
    std::string msg;
    for (const auto& candidate : messages)
        if (candidate.find("job-123@medisecure") != std::string::npos) msg = candidate;
    ASSERT_FALSE(msg.empty());
    EXPECT_NE(msg.find("To: =?UTF-8?B?"), std::string::npos);
    EXPECT_NE(msg.find("Subject: =?UTF-8?B?" + crypto::base64_encode(m.subject) + "?="), std::string::npos);
    EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    auto body_start = msg.find("\n\n") == std::string::npos ? msg.find("\r\n\r\n") + 4 : msg.find("\n\n") + 2;
    std::string b64;
    for (char c : msg.substr(body_start))
        if (c != '\r' && c != '\n') b64 += c;
    EXPECT_EQ(*crypto::base64_decode(b64), m.text);
}

TEST(Smtp, AnUnreachableServerIsATransientFailure) {
    SystemClock clock;
    mail::SmtpMailer mailer({"smtp://127.0.0.1:1", "", "", "x <x@y.fr>", false}, clock);
    mail::EmailMessage m;
    m.to = "a@b.fr";
    m.subject = "x";
    m.text = "x";
    auto r = mailer.send(m);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::unavailable);  // the job will be retried
}

TEST(FileMailer, WritesPrivateEmlFilesWhenNoServerIsConfigured) {
    testkit::TempDir dir;
    SystemClock clock;
    mail::FileMailer mailer(dir.file("mail"), "Cabinet <no-reply@x.fr>", clock);
    mail::EmailMessage m;
    m.to = "a@b.fr";
    m.subject = "Confirmation";
    m.text = "Bonjour";
    ASSERT_TRUE(mailer.send(m));
    auto it = std::filesystem::directory_iterator(dir.file("mail"));
    auto perms = std::filesystem::status(it->path()).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
    EXPECT_EQ(it->path().extension(), ".eml");
}
