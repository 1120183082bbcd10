// SPDX-License-Identifier: Apache-2.0
// The real server, in-process, on an ephemeral loopback port with a fresh data directory:
// the API tests speak HTTP to exactly what `medisecure serve` runs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "main/application.hpp"
#include "test_support.hpp"

namespace medisecure::testkit {

struct Account {
    std::string id;
    std::string email;
    std::string password;
    std::string token;
    Role role = Role::patient;
    std::string patient_id;
};

struct CliRun {
    int status = -1;  // the exit status, -1 when the process did not exit normally
    std::string out;  // stdout and stderr together
};
/// Runs the medisecure binary with `args` (and `input` on stdin) against `data_dir`, as an
/// operator would.
CliRun run_cli(const std::string& args, const std::string& data_dir, const std::string& input = "",
               const std::map<std::string, std::string>& env = {});

class TestApp {
public:
    /// `tweak` adjusts the configuration before the application starts.
    explicit TestApp(std::function<void(config::Config&)> tweak = {});
    ~TestApp();

    const std::string& base_url() const { return base_; }
    Application& app() { return *app_; }
    const config::Config& config() const { return app_->config(); }
    const TempDir& data_dir() const { return dir_; }
    HttpClient client(bool cookies = false) const { return HttpClient(base_, cookies); }

    const Account& admin() const { return admin_; }
    /// Signs in; fails the test on error.
    std::string login(const std::string& email, const std::string& password);
    /// Creates a user through the API (as the admin) and signs them in.
    Account user(Role role, const std::string& patient_id = "");
    /// Registers a patient through the API (as the admin); returns its id.
    std::string patient(const std::string& first, const std::string& last, const std::string& birth_date,
                        const std::string& extra_json = "");
    /// Stops the server (graceful) and waits for it.
    void stop();

    static config::Config test_config(const TempDir& dir);

private:
    TempDir dir_;
    std::unique_ptr<Application> app_;
    std::thread thread_;
    std::string base_;
    Account admin_;
    int counter_ = 0;
    bool stopped_ = false;
};

}  // namespace medisecure::testkit
