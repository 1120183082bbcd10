// SPDX-License-Identifier: Apache-2.0
// What the tests of several instances share: one practice's environment (PostgreSQL with a schema
// per context, Redis, secrets) and a fixture with instances A and B of it.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "platform/config/config.hpp"
#include "serve_process.hpp"
#include "test_app.hpp"

namespace medisecure::testkit {

/// Runs `scripts/services/<script> <verb>` with `env_prefix` ("NAME=value …") before it; returns
/// what it printed, without the last newline. A failed `stop` returns ""; any other failure throws.
inline std::string run_service(const std::string& env_prefix, const std::string& script, const std::string& verb) {
    const std::string cmd = env_prefix + " " + MEDISECURE_SOURCE_DIR + "/scripts/services/" + script + " " + verb + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p && fgets(buf, sizeof buf, p)) out += buf;
    if (!p || pclose(p) != 0) {
        if (verb == "stop") return "";
        throw std::runtime_error(script + " " + verb + " failed: " + out);
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

/// Removes the state directory scripts/services/ gave a server of a test's own (`<script>-own-<port>`).
inline void remove_service_dir(const std::string& name) {
    const char* base = std::getenv("MS_SERVICES_DIR");
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(base ? base : MEDISECURE_SOURCE_DIR "/build/services") / name, ec);
}

/// The environment every instance of one practice shares: its databases, its cache, its secrets.
inline std::map<std::string, std::string> practice_env(const std::string& cache_url) {
    auto env = serve_env("cluster");
    for (const auto& ctx : config::database_contexts()) env["MEDISECURE_" + upper(ctx) + "_DB_URL"] = postgres_schema_url();
    env["MEDISECURE_CACHE_URL"] = cache_url;
    return env;
}

/// A Redis database of the cluster tests' own, so that their keys meet no other test's.
inline std::string cluster_redis_url(std::string url) {
    return url.substr(0, url.rfind('/')) + "/7";
}

class Cluster : public ::testing::Test {
protected:
    void SetUp() override {
        MS_REQUIRE_POSTGRES();
        MS_REQUIRE_REDIS();
    }
    /// Starts instances A and B of one practice; `tweak` adjusts the shared environment,
    /// `b_only` adds to B's.
    void start(const std::string& cache_url, const std::function<void(std::map<std::string, std::string>&)>& tweak = {},
               const std::map<std::string, std::string>& b_only = {}) {
        env = practice_env(cache_url);
        if (tweak) tweak(env);
        a = std::make_unique<ServeProcess>(env, dir.file("a"));
        auto env_b = env;
        for (const auto& [k, v] : b_only) env_b[k] = v;
        b = std::make_unique<ServeProcess>(env_b, dir.file("b"));
    }
    /// An account made with `medisecure user create`, signed in through instance `via`.
    std::string account(const std::string& role, const ServeProcess& via) {
        const std::string email = role + std::to_string(++accounts) + "@cluster.example.org";
        const std::string password = "correct horse battery staple " + std::to_string(accounts);
        auto made = run_cli("user create --email " + email + " --role " + role + " --password-stdin", dir.file("cli"),
                            password, env);
        if (made.status != 0) throw std::runtime_error("user create failed: " + made.out);
        return login(via, email, password);
    }
    static std::string login(const ServeProcess& via, const std::string& email, const std::string& password) {
        auto r = via.client().post("/api/v1/auth/login",
                                   boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
        if (r.status != 200) throw std::runtime_error("login failed (" + std::to_string(r.status) + "): " + r.body);
        return std::string(r.json().at("access_token").as_string());
    }
    static HttpClient as(const ServeProcess& p, const std::string& token) {
        auto c = p.client();
        c.bearer = token;
        return c;
    }

    TempDir dir;
    std::map<std::string, std::string> env;
    std::unique_ptr<ServeProcess> a, b;
    int accounts = 0;
};


}  // namespace medisecure::testkit
