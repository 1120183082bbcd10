// SPDX-License-Identifier: Apache-2.0
#include "test_app.hpp"

#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdio>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "platform/log/log.hpp"

namespace medisecure::testkit {
namespace json = boost::json;

CliRun run_cli(const std::string& args, const std::string& data_dir, const std::string& input,
               const std::map<std::string, std::string>& env) {
    std::string cmd = std::string(MEDISECURE_BIN) + " " + args + " --data-dir " + data_dir + " --log-level error 2>&1";
    for (const auto& [k, v] : env) cmd = k + "='" + v + "' " + cmd;  // test values: no quotes in them
    // On a moved clock the command inherits the run's (MEDISECURE_TEST_CLOCK, INSTANT@MACHINE).
    if (!input.empty()) cmd = "printf '%s\\n' '" + input + "' | " + cmd;
    CliRun r;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    while (p && fgets(buf, sizeof buf, p)) r.out += buf;
    int st = p ? pclose(p) : -1;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

config::Config TestApp::test_config(const TempDir& dir) {
    auto r = config::load(std::nullopt, {}, [](const std::string&) { return std::nullopt; });
    config::Config c = r.config;
    c.data_dir = dir.path().string();
    c.listen_host = "127.0.0.1";
    c.listen_port = 0;
    c.io_threads = 1;
    c.worker_threads = 4;
    c.db_pool_size = 6;
    // Cheap hashes keep the suite fast; production parameters are tested in the crypto tests.
    c.argon2_memory_kib = 1024;
    c.argon2_iterations = 1;
    c.rate_ip_per_s = 0;
    c.rate_user_per_s = 0;
    c.rate_auth_per_s = 0;
    c.log_level = "warn";
    c.job_poll_ms = 20;
    c.static_dir = dir.file("no-static");
    c.swagger_ui_dir = dir.file("no-swagger");
    // MEDISECURE_TEST_API_ON_S3=1: the documents' content in the tests' S3 server
    // (scripts/test.sh runs the API suite a second time so, with billing on MariaDB too).
    if (std::getenv("MEDISECURE_TEST_API_ON_S3")) {
        const char* url = std::getenv("MEDISECURE_TEST_S3_URL");
        const char* key = std::getenv("MEDISECURE_TEST_S3_ACCESS_KEY_ID");
        const char* secret = std::getenv("MEDISECURE_TEST_S3_SECRET_ACCESS_KEY");
        if (!url || !key || !secret) throw std::runtime_error("MEDISECURE_TEST_API_ON_S3 needs MEDISECURE_TEST_S3_URL and its keys");
        c.blob_url = url;
        c.s3_access_key_id = key;
        c.s3_secret_access_key = secret;
    }
    // MEDISECURE_TEST_API_ON_MARIADB=1: billing in a new database of the tests' MariaDB.
    if (std::getenv("MEDISECURE_TEST_API_ON_MARIADB")) {
        if (mariadb_url().empty()) throw std::runtime_error("MEDISECURE_TEST_API_ON_MARIADB needs MEDISECURE_TEST_MARIADB_URL");
        c.database_urls["billing"] = mariadb_fresh_url();
    }
    config::resolve_secrets(c);
    return c;
}

TestApp::TestApp(std::function<void(config::Config&)> tweak) {
    log::setup(log::Level::warn, true);
    auto c = test_config(dir_);
    if (tweak) tweak(c);
    AppOptions opts;
    opts.handle_signals = false;
    opts.validate_responses = true;
    app_ = std::make_unique<Application>(c, opts);
    auto port = app_->listen();
    base_ = "http://127.0.0.1:" + std::to_string(port);
    thread_ = std::thread([this] { app_->run(); });
    const auto& boot = app_->bootstrap_admin();
    if (!boot) throw std::runtime_error("no bootstrap administrator");
    admin_.email = boot->email;
    admin_.password = boot->password;
    admin_.role = Role::admin;
    admin_.token = login(admin_.email, admin_.password);
}

TestApp::~TestApp() { stop(); }

void TestApp::stop() {
    if (stopped_) return;
    stopped_ = true;
    app_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string TestApp::login(const std::string& email, const std::string& password) {
    HttpClient c(base_);
    auto r = c.post("/api/v1/auth/login", json::serialize(json::object{{"email", email}, {"password", password}}));
    if (r.status != 200) throw std::runtime_error("login failed (" + std::to_string(r.status) + "): " + r.body);
    return std::string(r.json().at("access_token").as_string());
}

Account TestApp::user(Role role, const std::string& patient_id) {
    Account a;
    a.role = role;
    a.email = std::string(to_string(role)) + std::to_string(++counter_) + "@test.example.org";
    a.password = "correct horse battery " + std::to_string(counter_);
    a.patient_id = patient_id;
    HttpClient c(base_);
    c.bearer = admin_.token;
    json::object body{{"email", a.email}, {"display_name", "Test " + std::string(to_string(role)) + " " + std::to_string(counter_)},
                      {"role", to_string(role)}, {"password", a.password}};
    if (!patient_id.empty()) body["patient_id"] = patient_id;
    auto r = c.post("/api/v1/users", json::serialize(body));
    if (r.status != 201) throw std::runtime_error("user creation failed (" + std::to_string(r.status) + "): " + r.body);
    a.id = std::string(r.json().at("user").at("id").as_string());
    a.token = login(a.email, a.password);
    return a;
}

std::string TestApp::patient(const std::string& first, const std::string& last, const std::string& birth_date,
                             const std::string& extra_json) {
    HttpClient c(base_);
    c.bearer = admin_.token;
    json::object body{{"first_name", first}, {"last_name", last}, {"sex", "female"}, {"birth_date", birth_date}};
    if (!extra_json.empty()) {
        json::value extra = json::parse(extra_json);  // kept alive for the loop
        for (auto& kv : extra.as_object()) body[kv.key()] = kv.value();
    }
    auto r = c.post("/api/v1/patients?allow_duplicate=true", json::serialize(body));
    if (r.status != 201) throw std::runtime_error("patient creation failed (" + std::to_string(r.status) + "): " + r.body);
    return std::string(r.json().at("id").as_string());
}

}  // namespace medisecure::testkit
