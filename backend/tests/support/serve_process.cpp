// SPDX-License-Identifier: Apache-2.0
#include "serve_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace medisecure::testkit {

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::map<std::string, std::string> serve_env(const std::string& name) {
    return {{"MEDISECURE_JWT_SECRET", name + "-test-jwt-secret-0123456789abcdef"},
            {"MEDISECURE_AUDIT_KEY", name + "-test-audit-key-0123456789abcdef"},
            {"MEDISECURE_MASTER_KEY", name + "-test-master-key-0123456789abcdef"},
            {"MEDISECURE_RATE_LIMIT_IP", "0"},
            {"MEDISECURE_RATE_LIMIT_USER", "0"},
            {"MEDISECURE_RATE_LIMIT_AUTH", "0"},
            {"MEDISECURE_LOG_LEVEL", "warn"},
            {"MEDISECURE_WORKER_THREADS", "4"},
            {"MEDISECURE_IO_THREADS", "1"},
            {"MEDISECURE_DB_POOL_SIZE", "4"},
            {"MEDISECURE_STATIC_DIR", "/nonexistent"},
            {"MEDISECURE_SWAGGER_UI_DIR", "/nonexistent"}};
}

ServeProcess::ServeProcess(std::map<std::string, std::string> env, std::string data_dir, bool migrate)
    : data_dir_(std::move(data_dir)) {
    std::filesystem::create_directories(data_dir_);
    const int port = free_tcp_port();
    base_ = "http://127.0.0.1:" + std::to_string(port);
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    std::vector<std::string> args{"serve"};
    if (migrate) args.emplace_back("--migrate");
    args.insert(args.end(), {"--data-dir", data_dir_, "--listen", listen});
    spawn(env, args);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("medisecure serve exited at start:\n" + log_tail());
        }
        try {
            if (HttpClient(base_).get("/health/live").status == 200) return;
        } catch (const std::exception&) {  // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    throw std::runtime_error("medisecure serve did not answer within 30 s:\n" + log_tail());
}

void ServeProcess::spawn(const std::map<std::string, std::string>& env, const std::vector<std::string>& args) {
    const std::string log = data_dir_ + "/serve.log";
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        std::vector<char*> argv{const_cast<char*>("medisecure")};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(MEDISECURE_BIN, argv.data());
        ::_exit(127);
    }
}

std::unique_ptr<ServeProcess> ServeProcess::worker(std::map<std::string, std::string> env, std::string data_dir) {
    std::unique_ptr<ServeProcess> w(new ServeProcess());
    w->data_dir_ = std::move(data_dir);
    std::filesystem::create_directories(w->data_dir_);
    env["MEDISECURE_LOG_LEVEL"] = "info";  // to see it start
    w->spawn(env, {"worker", "--data-dir", w->data_dir_});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(w->pid_, &status, WNOHANG) == w->pid_) {
            w->pid_ = -1;
            throw std::runtime_error("medisecure worker exited at start:\n" + w->log_tail());
        }
        if (w->log().find("\"worker.started\"") != std::string::npos) return w;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    w->stop();
    throw std::runtime_error("medisecure worker did not start within 30 s:\n" + w->log_tail());
}

ServeProcess::~ServeProcess() { stop(); }

std::string ServeProcess::log() const {
    std::ifstream in(data_dir_ + "/serve.log", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void ServeProcess::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
}

void ServeProcess::kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string ServeProcess::ended() {
    if (pid_ <= 0) return "not running";
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return "";
    pid_ = -1;
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "exit status " + std::to_string(WEXITSTATUS(status));
}

std::string ServeProcess::log_tail() const {
    std::ifstream in(data_dir_ + "/serve.log");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::ostringstream out;
    for (std::size_t i = lines.size() > 30 ? lines.size() - 30 : 0; i < lines.size(); ++i) out << lines[i] << "\n";
    return out.str();
}

}  // namespace medisecure::testkit
