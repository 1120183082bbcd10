// SPDX-License-Identifier: Apache-2.0
// What the crash tests share: a server process of a practice of its own, writers that log every
// write the server acknowledged, a SIGKILL at a random moment, and the check, after a restart on
// the same data, that each acknowledged write is there with its audit record.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "serve_process.hpp"
#include "test_app.hpp"

namespace medisecure::testkit {

/// MEDISECURE_CRASH_ROUNDS, 5 when unset.
int crash_rounds();
/// The environment of the practice: secrets, no rate limits, cheap password hashes; every
/// context's database on a new PostgreSQL schema when `postgres`, else the embedded default.
std::map<std::string, std::string> crash_env(bool postgres);

/// One write the server acknowledged.
struct Ack {
    std::string kind;        // patient, appointment, vitals, invoice, invoice_issue, document
    std::string id;          // the resource's id
    std::string request_id;  // sent as X-Request-Id: its audit record carries it
    std::string actor_id;
    std::string patient_id;
    std::string expect;      // what reading it back must give (a document's bytes, a start)
    int round = 0;
};

struct Writer {
    std::string role, email, password, id, token;
};

class CrashRun {
public:
    CrashRun(std::string engine, std::map<std::string, std::string> env, std::string data_dir);
    ~CrashRun();

    /// Starts the server, creates the accounts (`medisecure user create`) and an appointment type.
    void start();
    /// Writes from several threads, SIGKILLs the server at a random moment, restarts it on the
    /// same data, checks every write acknowledged in this round and runs `audit verify`.
    void round(int number);
    /// Checks every write acknowledged in every round again (a later crash must not lose it).
    void verify_all();
    /// Prints the figures (one line, `crash[<engine>]: …`).
    void report() const;

    std::size_t acknowledged() const { return acks_.size(); }
    std::size_t lost() const { return lost_.size(); }
    ServeProcess& server() { return *server_; }
    const std::string& data_dir() const { return data_dir_; }
    /// A round whose `before_restart` runs between the kill and the restart, and cuts files as a
    /// power loss would: the writes it drops are counted (dropped()), not failures.
    void lossy_round(int number, const std::function<void()>& before_restart);
    std::size_t dropped() const { return dropped_.size(); }
    /// Writes (a new round patient first, unless `new_patient` is false) for `duration`, without a kill.
    void write_for(int number, std::chrono::milliseconds duration, bool new_patient = true);
    /// The statuses of the writes not acknowledged (status -> count), and one body of each.
    std::map<int, std::size_t> refusals() const {
        std::lock_guard lock(mu_);
        return refusals_;
    }
    std::string refusal_body(int status) const {
        std::lock_guard lock(mu_);
        auto it = refusal_bodies_.find(status);
        return it == refusal_bodies_.end() ? "" : it->second;
    }
    /// Requests that got no answer at all.
    std::uint64_t unanswered() const { return cut_.load(); }
    /// The acknowledged writes (outside lossy rounds) not found, each with the reason; with
    /// `with_audit`, also those without their successful audit record.
    std::vector<std::string> check_all(bool with_audit);
    /// A client signed in as one of the writers (registrar, booker, filer, nurse, doctor,
    /// accountant, admin).
    HttpClient client_of(const std::string& writer) const { return as(writers_.at(writer)); }
    const std::string& round_patient() const { return round_patient_; }
    std::size_t acknowledged_of(const std::string& kind) const {
        std::size_t n = 0;
        for (const auto& a : acks_) n += a.kind == kind;
        return n;
    }
    const std::vector<std::string>& dropped_writes() const { return dropped_; }

private:
    void run_round(int number, const std::function<void()>& before_restart, bool lossy);
    HttpClient as(const Writer& w) const;
    void login(Writer& w);
    void acknowledge(Ack a);
    void refused(const HttpResult& r);
    void write_loop(const std::string& kind, std::atomic<bool>& stop, int round);
    /// The acknowledged writes of `acks` that are not found, each with the reason.
    std::vector<std::string> check(const std::vector<Ack>& acks, bool with_audit = true);
    void new_round_patient(int number);
    /// Runs the writers until `end` returns.
    void write_until(int number, const std::function<void()>& end);
    std::map<std::string, std::string> audit_of(const Writer& w, const std::vector<Ack>& wanted);

    std::string engine_;
    std::map<std::string, std::string> env_;
    std::string data_dir_;
    std::unique_ptr<ServeProcess> server_;
    std::map<std::string, Writer> writers_;  // by role name
    std::string type_id_;
    std::string round_patient_;
    std::mt19937 rng_;
    std::uint32_t seed_ = 0;

    mutable std::mutex mu_;
    std::map<int, std::size_t> refusals_;
    std::map<int, std::string> refusal_bodies_;
    std::vector<Ack> acks_;
    std::ofstream log_;
    std::atomic<std::uint64_t> counter_{0};
    std::atomic<std::uint64_t> cut_{0};  // requests that got no answer (the kill cut them)
    std::vector<std::string> lost_, dropped_;
    std::set<int> lossy_rounds_;
    std::size_t verified_ = 0;
    int rounds_ = 0;
    double kill_ms_total_ = 0;
};

}  // namespace medisecure::testkit
