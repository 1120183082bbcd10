// SPDX-License-Identifier: Apache-2.0
// A `medisecure serve` process of its own (the built binary), configured by environment
// variables, as an operator runs several instances: for the tests of instances behind one load
// balancer. Its output goes to <data_dir>/serve.log.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "test_support.hpp"

namespace medisecure::testkit {

/// `s` in capitals (ASCII): a context's name in an environment variable's.
std::string upper(std::string s);

/// The environment of a practice's `medisecure serve` in a test: secrets derived from `name`,
/// no rate limits, warnings only in the log, small pools, no web application.
std::map<std::string, std::string> serve_env(const std::string& name);

class ServeProcess {
public:
    /// Starts `medisecure serve` (with --migrate unless `migrate` is false) on a free loopback
    /// port with `env` added to this process's environment, and waits (up to 30 s) until it
    /// answers /health/live. Throws, with the end of its log, when it does not.
    ServeProcess(std::map<std::string, std::string> env, std::string data_dir, bool migrate = true);
    /// `medisecure worker` (background jobs only, no HTTP), started once it says it runs.
    static std::unique_ptr<ServeProcess> worker(std::map<std::string, std::string> env, std::string data_dir);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    const std::string& base_url() const { return base_; }
    HttpClient client() const { return HttpClient(base_); }
    /// SIGTERM, then waits for it (SIGKILL after 15 s).
    void stop();
    /// SIGKILL at once (a crash: nothing flushed, no handler runs), then reaps it.
    void kill_now();
    const std::string& data_dir() const { return data_dir_; }
    /// "" while it runs; else how it ended ("exit status N", "signal N"), once reaped.
    std::string ended();
    std::string log_tail() const;
    /// Everything it has written to its log so far.
    std::string log() const;

private:
    ServeProcess() = default;
    void spawn(const std::map<std::string, std::string>& env, const std::vector<std::string>& args);
    pid_t pid_ = -1;
    std::string data_dir_, base_;
};

}  // namespace medisecure::testkit
