// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "platform/config/config.hpp"
#include "test_support.hpp"

using namespace medisecure;

namespace {
config::LoadResult load_with(std::map<std::string, std::string> env, std::map<std::string, std::string> flags = {},
                             std::optional<std::string> file = std::nullopt) {
    return config::load(file, flags, [env](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}
}  // namespace

TEST(Config, DefaultsAreTheEmbeddedDefault) {
    auto r = load_with({});
    ASSERT_TRUE(r.errors.empty());
    EXPECT_EQ(r.config.listen_host, "127.0.0.1");
    EXPECT_EQ(r.config.listen_port, 8000);
    EXPECT_EQ(r.config.data_dir, "./data");
    EXPECT_EQ(r.config.database_url("patients"), "sqlite:./data/patients.db");
    EXPECT_FALSE(r.config.admins_need_totp());
}

TEST(Config, EnvironmentOverridesFileAndFlagsOverrideEnvironment) {
    testkit::TempDir dir;
    std::ofstream(dir.file("c.json")) << R"({"server":{"listen":"0.0.0.0:9000"},"data_dir":"/srv/x"})";
    auto r = load_with({{"MEDISECURE_LISTEN", "127.0.0.1:9100"}}, {{"--data-dir", "/srv/y"}}, dir.file("c.json"));
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_EQ(r.config.listen_port, 9100);
    EXPECT_EQ(r.config.data_dir, "/srv/y");
    EXPECT_EQ(r.config.database_url("audit"), "sqlite:/srv/y/audit.db");
}

TEST(Config, ListsEveryProblem) {
    auto r = load_with({{"MEDISECURE_LISTEN", "nope"}, {"MEDISECURE_LOCKOUT_THRESHOLD", "0"},
                        {"MEDISECURE_PATIENTS_DB_URL", "mysql://x"}, {"MEDISECURE_RATE_LIMIT_IP", "fast"}},
                       {{"--set:no.such", "1"}});
    EXPECT_EQ(r.errors.size(), 5u);
}

TEST(Config, SecretsFromFilesAndRedactedWhenPrinted) {
    testkit::TempDir dir;
    std::ofstream(dir.file("jwt")) << std::string(40, 's') << "\n";
    auto r = load_with({{"MEDISECURE_JWT_SECRET_FILE", dir.file("jwt")},
                        {"MEDISECURE_IDENTITY_DB_URL", "postgresql://ms:hunter2hunter2@db:5432/ms"}});
    ASSERT_TRUE(r.errors.empty());
    EXPECT_EQ(r.config.jwt_secret, std::string(40, 's'));
    auto printed = config::print(r.config);
    EXPECT_EQ(printed.find("hunter2"), std::string::npos);
    EXPECT_EQ(printed.find(std::string(40, 's')), std::string::npos);
    EXPECT_NE(printed.find("ms:***@db"), std::string::npos);
}

TEST(Config, AppointmentsAloneMayLiveOnMongoDbWithItsPasswordRedacted) {
    auto r = load_with({{"MEDISECURE_APPOINTMENTS_DB_URL",
                         "mongodb://rdv:hunter2hunter2@mongo1:27017,mongo2:27017/rdv?replicaSet=rs0"}});
    ASSERT_TRUE(r.errors.empty()) << r.errors.front();
    auto printed = config::print(r.config);
    EXPECT_EQ(printed.find("hunter2"), std::string::npos);
    EXPECT_NE(printed.find("mongodb://rdv:***@mongo1:27017,mongo2:27017/rdv?replicaSet=rs0"), std::string::npos);
    EXPECT_TRUE(load_with({{"MEDISECURE_APPOINTMENTS_DB_URL", "mongodb+srv://rdv:pw@cluster.example/rdv"}}).errors.empty());
    // The other contexts are relational (joins, sequences, the audit chain): SQL only.
    auto billing = load_with({{"MEDISECURE_BILLING_DB_URL", "mongodb://mongo1:27017/billing"}});
    ASSERT_EQ(billing.errors.size(), 1u);
    EXPECT_NE(billing.errors.front().find("sqlite: or postgresql://"), std::string::npos) << billing.errors.front();
}

TEST(Config, ProductionRequiresSecretsAndHttps) {
    auto r = load_with({{"MEDISECURE_ENV", "production"}, {"MEDISECURE_PUBLIC_URL", "http://x"}});
    EXPECT_FALSE(r.errors.empty());
    auto ok = load_with({{"MEDISECURE_ENV", "production"}, {"MEDISECURE_PUBLIC_URL", "https://x"}});
    ASSERT_TRUE(ok.errors.empty());
    EXPECT_TRUE(ok.config.admins_need_totp());
    EXPECT_EQ(config::resolve_secrets(ok.config).size(), 3u);  // jwt, audit, master all missing
}

// issue 14: the suites run on a chosen day and hour through this setting; production refuses it.
TEST(Config, TestClockIsAnInstantAndRefusedInProduction) {
    auto ok = load_with({{"MEDISECURE_TEST_CLOCK", "2026-05-31T23:30:00+02:00"}});
    ASSERT_TRUE(ok.errors.empty()) << ok.errors.front();
    EXPECT_EQ(ok.config.test_clock, "2026-05-31T23:30:00+02:00");
    auto shared = load_with({{"MEDISECURE_TEST_CLOCK", "2026-05-31T21:30:00.000000Z@2026-12-07T16:00:00.000000Z"}});
    EXPECT_TRUE(shared.errors.empty()) << shared.errors.front();
    for (const char* v : {"next sunday", "2026-05-31T21:30:00Z@soon"}) {
        auto bad = load_with({{"MEDISECURE_TEST_CLOCK", v}});
        ASSERT_EQ(bad.errors.size(), 1u) << v;
        EXPECT_NE(bad.errors.front().find("test.clock"), std::string::npos);
    }
    auto prod = load_with({{"MEDISECURE_ENV", "production"}, {"MEDISECURE_PUBLIC_URL", "https://x"},
                           {"MEDISECURE_TEST_CLOCK", "2026-05-31T23:30:00Z"}});
    ASSERT_EQ(prod.errors.size(), 1u);
    EXPECT_NE(prod.errors.front().find("refused in production"), std::string::npos);
}

TEST(Config, DevelopmentGeneratesSecretsOnceAndKeepsThem) {
    testkit::TempDir dir;
    auto r = load_with({{"MEDISECURE_DATA_DIR", dir.path().string()}});
    std::vector<std::string> generated;
    EXPECT_TRUE(config::resolve_secrets(r.config, &generated).empty());
    EXPECT_EQ(generated.size(), 3u);
    auto again = load_with({{"MEDISECURE_DATA_DIR", dir.path().string()}});
    generated.clear();
    config::resolve_secrets(again.config, &generated);
    EXPECT_TRUE(generated.empty());
    EXPECT_EQ(again.config.jwt_secret, r.config.jwt_secret);
}

TEST(Config, DocsListEverySetting) {
    auto md = config::markdown();
    for (const auto& s : config::settings()) EXPECT_NE(md.find("`" + s.env + "`"), std::string::npos) << s.env;
}

TEST(Config, CommittedReferenceIsCurrent) {
    // docs/configuration.md is generated by `medisecure config docs`; regenerate it after
    // changing a setting.
    std::ifstream in(std::string(MEDISECURE_SOURCE_DIR) + "/../docs/configuration.md");
    ASSERT_TRUE(in) << "docs/configuration.md is missing";
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_EQ(committed.str(), config::markdown()) << "run: medisecure config docs > docs/configuration.md";
}
