// SPDX-License-Identifier: Apache-2.0
#include "crash.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <set>
#include <thread>

#include "core/time.hpp"
#include "platform/config/config.hpp"

namespace medisecure::testkit {
namespace json = boost::json;
using namespace std::chrono;

namespace {

std::string str(const json::value& v, const char* key) {
    const auto* f = v.as_object().if_contains(key);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

/// A small PDF whose bytes are its own (the content sniffing wants a PDF header).
std::string pdf_of(const std::string& tag) {
    return "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nCompte rendu " + tag + "\n%%EOF\n";
}

// Appointments are booked from here on, 20 minutes apart, each attempt at a slot of its own:
// an attempt the kill cut may have been committed, and must not make a later one a conflict.
const sys_days kFirstSlotDay = sys_days{year{2091} / January / 1};

}  // namespace

int crash_rounds() {
    const char* v = std::getenv("MEDISECURE_CRASH_ROUNDS");
    return v && std::atoi(v) > 0 ? std::atoi(v) : 5;
}

std::map<std::string, std::string> crash_env(bool postgres) {
    auto env = serve_env("crash");
    if (postgres)
        for (const auto& ctx : config::database_contexts()) env["MEDISECURE_" + upper(ctx) + "_DB_URL"] = postgres_schema_url();
    env["MEDISECURE_ARGON2_MEMORY_KIB"] = "1024";
    env["MEDISECURE_ARGON2_ITERATIONS"] = "1";
    env["MEDISECURE_LOG_LEVEL"] = "info";  // the recovery's own lines (warnings) and the access log
    return env;
}

CrashRun::CrashRun(std::string engine, std::map<std::string, std::string> env, std::string data_dir)
    : engine_(std::move(engine)), env_(std::move(env)), data_dir_(std::move(data_dir)) {
    const char* s = std::getenv("MEDISECURE_CRASH_SEED");
    seed_ = s ? static_cast<std::uint32_t>(std::strtoul(s, nullptr, 10)) : std::random_device{}();
    rng_.seed(seed_);
    std::filesystem::create_directories(data_dir_);
    log_.open(data_dir_ + "/acknowledged.log", std::ios::app);
}

CrashRun::~CrashRun() {
    if (server_) server_->stop();
}

HttpClient CrashRun::as(const Writer& w) const {
    HttpClient c = server_->client();
    c.bearer = w.token;
    return c;
}

void CrashRun::login(Writer& w) {
    auto r = server_->client().post("/api/v1/auth/login",
                                    json::serialize(json::object{{"email", w.email}, {"password", w.password}}));
    if (r.status != 200) throw std::runtime_error("login of " + w.role + " failed (" + std::to_string(r.status) + "): " + r.body);
    w.token = std::string(r.json().at("access_token").as_string());
    if (w.id.empty()) w.id = str(as(w).get("/api/v1/auth/me").json(), "id");
}

void CrashRun::start() {
    server_ = std::make_unique<ServeProcess>(env_, data_dir_);
    // One account per writer, so that each one's audit records are found by actor.
    for (const std::string role : {"admin", "secretary", "nurse", "doctor", "accountant"}) {
        for (const std::string& name : role == "secretary" ? std::vector<std::string>{"registrar", "booker", "filer"}
                                                           : std::vector<std::string>{role}) {
            Writer w{role, name + "@crash.example.org", "correct horse battery staple " + std::to_string(writers_.size() + 1), "", ""};
            auto made = run_cli("user create --email " + w.email + " --role " + role + " --password-stdin", data_dir_,
                                w.password, env_);
            if (made.status != 0) throw std::runtime_error("user create failed: " + made.out);
            login(w);
            writers_[name] = w;
        }
    }
    auto type = as(writers_.at("booker"))
                    .post("/api/v1/practitioners/" + writers_.at("doctor").id + "/appointment-types",
                          R"({"label":"Consultation","duration_minutes":20})");
    if (type.status != 201) throw std::runtime_error("appointment type: " + type.body);
    type_id_ = str(type.json(), "id");
}

void CrashRun::acknowledge(Ack a) {
    std::lock_guard lock(mu_);
    log_ << a.round << ' ' << a.kind << ' ' << a.id << ' ' << a.request_id << '\n';
    log_.flush();
    acks_.push_back(std::move(a));
}

void CrashRun::refused(const HttpResult& r) {
    std::lock_guard lock(mu_);
    ++refusals_[static_cast<int>(r.status)];
    refusal_bodies_.emplace(static_cast<int>(r.status), r.body.substr(0, 400));
}

void CrashRun::write_loop(const std::string& kind, std::atomic<bool>& stop, int round) {
    const Writer& w = writers_.at(kind == "patient" ? "registrar" : kind == "appointment" ? "booker"
                                  : kind == "document" ? "filer" : kind == "vitals" ? "nurse" : "doctor");
    HttpClient c = as(w);
    HttpClient accountant = as(writers_.at("accountant"));
    while (!stop) {
        const auto n = ++counter_;
        const std::string rid = "crash-" + engine_ + "-" + std::to_string(round) + "-" + kind + "-" + std::to_string(n);
        Ack a{kind, "", rid, w.id, round_patient_, "", round};
        try {
            HttpResult r;
            if (kind == "patient") {
                r = c.post("/api/v1/patients?allow_duplicate=true",
                           json::serialize(json::object{{"first_name", "Crash"}, {"last_name", "Durable " + std::to_string(n)},
                                                        {"sex", n % 2 ? "female" : "male"}, {"birth_date", "1970-01-02"}}),
                           {"X-Request-Id: " + rid});
                a.patient_id = "";
            } else if (kind == "appointment") {
                a.expect = format_instant(Timestamp{kFirstSlotDay} + minutes(20 * static_cast<long>(n)));
                r = c.post("/api/v1/appointments",
                           json::serialize(json::object{{"practitioner_id", writers_.at("doctor").id}, {"type_id", type_id_},
                                                        {"start", a.expect}, {"patient_id", round_patient_}}),
                           {"X-Request-Id: " + rid});
            } else if (kind == "vitals") {
                r = c.post("/api/v1/patients/" + round_patient_ + "/vitals",
                           json::serialize(json::object{{"heart_rate_bpm", 50 + static_cast<int>(n % 60)}}),
                           {"X-Request-Id: " + rid});
            } else if (kind == "document") {
                a.expect = pdf_of(rid);
                r = c.request("POST",
                              "/api/v1/patients/" + round_patient_ + "/documents?category=lab_result&title=Bilan&filename=bilan.pdf",
                              a.expect, {"X-Request-Id: " + rid}, "application/octet-stream");
            } else {  // invoice: a draft by the doctor, then issued by the accountant
                r = c.post("/api/v1/invoices",
                           json::serialize(json::object{{"patient_id", round_patient_},
                                                        {"lines", json::array{json::object{{"code", "G"}}}}}),
                           {"X-Request-Id: " + rid});
                if (r.status / 100 == 2) {
                    a.id = str(r.json(), "id");
                    acknowledge(a);
                    Ack issue{"invoice_issue", a.id, rid + "-issue", writers_.at("accountant").id, round_patient_, "", round};
                    auto i = accountant.post("/api/v1/invoices/" + a.id + "/issue", "", {"X-Request-Id: " + issue.request_id});
                    if (i.status / 100 == 2) acknowledge(issue);
                    else refused(i);
                    continue;
                }
            }
            if (r.status / 100 == 2) {
                a.id = str(r.json(), "id");
                acknowledge(a);
            } else {
                refused(r);
            }
        } catch (const std::exception&) {
            ++cut_;  // in flight when the server died: no answer, never acknowledged
            return;
        }
    }
}

void CrashRun::round(int number) { run_round(number, {}, false); }

void CrashRun::lossy_round(int number, const std::function<void()>& before_restart) {
    run_round(number, before_restart, true);
}

void CrashRun::new_round_patient(int number) {
    // The round's patient, registered (and acknowledged) before the writers start.
        const Writer& reg = writers_.at("registrar");
        const std::string rid = "crash-" + engine_ + "-" + std::to_string(number) + "-round-patient";
        auto r = as(reg).post("/api/v1/patients?allow_duplicate=true",
                              R"({"first_name":"Ronde","last_name":"Crash","sex":"female","birth_date":"1980-03-04"})",
                              {"X-Request-Id: " + rid});
        if (r.status != 201) throw std::runtime_error("round patient: " + r.body);
        round_patient_ = str(r.json(), "id");
        acknowledge({"patient", round_patient_, rid, reg.id, "", "", number});
}

void CrashRun::write_until(int number, const std::function<void()>& end) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (const std::string kind : {"patient", "appointment", "vitals", "invoice", "document"})
        threads.emplace_back([this, kind, &stop, number] { write_loop(kind, stop, number); });
    end();
    stop = true;
    for (auto& t : threads) t.join();
}

void CrashRun::write_for(int number, std::chrono::milliseconds duration, bool new_patient) {
    if (new_patient) new_round_patient(number);
    write_until(number, [&] { std::this_thread::sleep_for(duration); });
}

std::vector<std::string> CrashRun::check_all(bool with_audit) {
    std::vector<Ack> all;
    {
        std::lock_guard lock(mu_);
        for (const auto& a : acks_)
            if (!lossy_rounds_.count(a.round)) all.push_back(a);
    }
    return check(all, with_audit);
}

void CrashRun::run_round(int number, const std::function<void()>& before_restart, bool lossy) {
    ++rounds_;
    new_round_patient(number);
    const std::size_t first = acks_.size();
    // The kill lands anywhere from the first writes to well into the sustained load.
    const int kill_after_ms = std::uniform_int_distribution<int>(150, 1500)(rng_);
    kill_ms_total_ += kill_after_ms;
    write_until(number, [&] {
        std::this_thread::sleep_for(milliseconds(kill_after_ms));
        server_->kill_now();
    });
    if (before_restart) before_restart();

    server_ = std::make_unique<ServeProcess>(env_, data_dir_);
    for (auto& [name, w] : writers_) login(w);
    std::vector<Ack> these;
    {
        std::lock_guard lock(mu_);
        these.assign(acks_.begin() + static_cast<std::ptrdiff_t>(first - 1), acks_.end());
    }
    auto missing = check(these);
    verified_ += these.size() - missing.size();
    if (lossy) lossy_rounds_.insert(number);
    for (auto& m : missing) {
        if (lossy) {
            dropped_.push_back("round " + std::to_string(number) + ": " + m);
            continue;
        }
        ADD_FAILURE() << "round " << number << ": " << m;
        lost_.push_back(std::move(m));
    }
    auto verify = run_cli("audit verify", data_dir_, "", env_);
    EXPECT_EQ(verify.status, 0) << "round " << number << ": audit verify\n" << verify.out;
}

std::map<std::string, std::string> CrashRun::audit_of(const Writer& w, const std::vector<Ack>& wanted) {
    // request id -> "<outcome> <action> <resource_id>", newest first, until every wanted one is seen.
    std::set<std::string> want;
    for (const auto& a : wanted) want.insert(a.request_id);
    std::map<std::string, std::string> found;
    HttpClient admin = as(writers_.at("admin"));
    std::string cursor;
    while (!want.empty()) {
        auto page = admin.get("/api/v1/audit?limit=200&actor_id=" + w.id + (cursor.empty() ? "" : "&before=" + cursor));
        if (page.status != 200) throw std::runtime_error("audit search: " + page.body);
        for (const auto& r : page.json().at("items").as_array()) {
            const std::string rid = str(r, "request_id");
            found.emplace(rid, str(r, "outcome") + " " + str(r, "action") + " " + str(r, "resource_id"));
            want.erase(rid);
        }
        const auto& next = page.json().at("next_cursor");
        if (!next.is_string()) break;
        cursor = std::string(next.as_string());
    }
    return found;
}

std::vector<std::string> CrashRun::check(const std::vector<Ack>& acks, bool with_audit) {
    std::vector<std::string> missing;
    std::map<std::string, std::vector<Ack>> by_actor;
    for (const auto& a : acks) by_actor[a.actor_id].push_back(a);
    std::map<std::string, std::set<std::string>> vitals_of;  // patient -> vitals ids
    // A read that got no answer is a finding too (status 0, the error as its body), not a throw.
    std::map<std::string, HttpClient> clients;
    auto read = [&](const std::string& who, const std::string& path) {
        auto it = clients.find(who);
        if (it == clients.end()) it = clients.emplace(who, as(writers_.at(who))).first;
        try {
            return it->second.get(path);
        } catch (const std::exception& e) {
            HttpResult failed;
            failed.body = e.what();
            return failed;
        }
    };
    for (const auto& [actor, list] : by_actor) {
        const Writer* w = nullptr;
        for (const auto& [name, x] : writers_)
            if (x.id == actor) w = &x;
        if (!w) throw std::logic_error("no writer " + actor);
        auto audit = with_audit ? audit_of(*w, list) : std::map<std::string, std::string>{};
        for (const auto& a : list) {
            const std::string what = a.kind + " " + a.id + " (request " + a.request_id + ")";
            auto rec = audit.find(a.request_id);
            if (with_audit && (rec == audit.end() || rec->second.rfind("success ", 0) != 0)) {
                missing.push_back(what + ": no successful audit record" + (rec == audit.end() ? "" : ": " + rec->second));
                continue;
            }
            std::string problem;
            if (a.kind == "patient") {
                auto r = read("registrar", "/api/v1/patients/" + a.id);
                if (r.status != 200) problem = "GET answered " + std::to_string(r.status) + " " + r.body.substr(0, 200);
            } else if (a.kind == "appointment") {
                auto r = read("booker", "/api/v1/appointments/" + a.id);
                if (r.status != 200) problem = "GET answered " + std::to_string(r.status) + " " + r.body.substr(0, 200);
                else if (str(r.json(), "start") != a.expect) problem = "its start is " + str(r.json(), "start");
            } else if (a.kind == "vitals") {
                if (!vitals_of.count(a.patient_id)) {
                    auto r = read("nurse", "/api/v1/patients/" + a.patient_id + "/vitals?limit=1000");
                    auto& ids = vitals_of[a.patient_id];
                    if (r.status == 200)
                        for (const auto& v : r.json().at("items").as_array()) ids.insert(str(v, "id"));
                }
                if (!vitals_of[a.patient_id].count(a.id)) problem = "not in the patient's vitals";
            } else if (a.kind == "invoice" || a.kind == "invoice_issue") {
                auto r = read("accountant", "/api/v1/invoices/" + a.id);
                if (r.status != 200) problem = "GET answered " + std::to_string(r.status) + " " + r.body.substr(0, 200);
                else if (a.kind == "invoice_issue" && (str(r.json(), "status") == "draft" || str(r.json(), "number").empty()))
                    problem = "issued, but read back as " + str(r.json(), "status");
            } else if (a.kind == "document") {
                auto r = read("nurse", "/api/v1/documents/" + a.id + "/content");
                if (r.status != 200) problem = "content answered " + std::to_string(r.status) + " " + r.body.substr(0, 200);
                else if (r.body != a.expect) problem = "content differs";
            }
            if (!problem.empty()) missing.push_back(what + ": " + problem);
        }
    }
    return missing;
}

void CrashRun::verify_all() {
    for (auto& m : check_all(true)) {
        ADD_FAILURE() << "at the end: " << m;
        lost_.push_back(std::move(m));
    }
}

void CrashRun::report() const {
    std::map<std::string, int> by_kind;
    for (const auto& a : acks_) ++by_kind[a.kind];
    std::ostringstream kinds;
    for (const auto& [k, n] : by_kind) kinds << (kinds.tellp() > 0 ? ", " : "") << k << " " << n;
    std::cout << "crash[" << engine_ << "]: rounds " << rounds_ << ", writes acknowledged " << acks_.size() << " ("
              << kinds.str() << "), verified " << verified_ << ", lost " << lost_.size()
              << (lossy_rounds_.empty() ? "" : ", dropped by the cut files " + std::to_string(dropped_.size()))
              << ", requests cut by the kill " << cut_.load() << ", mean kill at "
              << (rounds_ ? static_cast<int>(kill_ms_total_ / rounds_) : 0) << " ms, seed " << seed_ << std::endl;
}

}  // namespace medisecure::testkit
