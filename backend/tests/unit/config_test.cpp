// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <fstream>

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

TEST(Config, ProductionRequiresSecretsAndHttps) {
    auto r = load_with({{"MEDISECURE_ENV", "production"}, {"MEDISECURE_PUBLIC_URL", "http://x"}});
    EXPECT_FALSE(r.errors.empty());
    auto ok = load_with({{"MEDISECURE_ENV", "production"}, {"MEDISECURE_PUBLIC_URL", "https://x"}});
    ASSERT_TRUE(ok.errors.empty());
    EXPECT_TRUE(ok.config.admins_need_totp());
    EXPECT_EQ(config::resolve_secrets(ok.config).size(), 3u);  // jwt, audit, master all missing
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
