// SPDX-License-Identifier: Apache-2.0
#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/time.hpp"

#include "core/random.hpp"
#include "platform/db/migrator.hpp"

namespace medisecure::testkit {

namespace {
// MEDISECURE_TEST_CLOCK moves every test binary's clock, as it moves the server's: the suites can
// be run on a chosen day and hour (scripts/test-dates.sh).
[[maybe_unused]] const bool kClockMoved = [] {
    const char* v = std::getenv("MEDISECURE_TEST_CLOCK");
    if (!v || !*v) return false;
    auto offset = parse_test_clock(v, SystemClock::machine_now());
    if (!offset) {
        std::fprintf(stderr, "MEDISECURE_TEST_CLOCK: not an RFC 3339 instant (or INSTANT@MACHINE): %s\n", v);
        std::exit(2);
    }
    SystemClock::move_by_for_test(*offset);
    // Every process the tests start (servers, workers, commands, scripts) inherits this one clock,
    // to the microsecond, instead of starting its own at the instant when it starts.
    ::setenv("MEDISECURE_TEST_CLOCK", test_clock_spec().c_str(), 1);
    return true;
}();
}  // namespace

TempDir::TempDir() {
    std::uint64_t r = random_u64();
    path_ = std::filesystem::temp_directory_path() / ("medisecure-test-" + to_hex(&r, sizeof r));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::unique_ptr<db::Database> sqlite_database(const TempDir& dir, const std::string& context, std::size_t pool) {
    auto url = db::parse_url("sqlite:" + dir.file(context + ".db"));
    auto db = std::make_unique<db::Database>(*url, pool);
    db::Migrator(*db, context).migrate();
    return db;
}

std::string postgres_dsn() {
    const char* v = std::getenv("MEDISECURE_TEST_PG_DSN");
    return v ? std::string(v) : std::string();
}

std::string pgbouncer_url() {
    const char* v = std::getenv("MEDISECURE_TEST_PGBOUNCER_URL");
    return v ? std::string(v) : std::string();
}

std::string redis_url() {
    const char* v = std::getenv("MEDISECURE_TEST_REDIS_URL");
    return v ? std::string(v) : std::string();
}

std::string mariadb_url() {
    const char* v = std::getenv("MEDISECURE_TEST_MARIADB_URL");
    return v ? std::string(v) : std::string();
}

std::string mariadb_fresh_url() {
    // A database per call (the server's user may create any named medisecure%), so tests and
    // test binaries running in parallel never meet; the server starts empty at every run.
    std::uint64_t r = random_u64();
    std::string name = "medisecure_t_" + to_hex(&r, sizeof r);
    std::string url = mariadb_url();
    {
        db::Database admin(*db::parse_url(url), 1);
        admin.read([&](soci::session& sql) { admin.exec_script(sql, "CREATE DATABASE " + name); });
    }
    return url.substr(0, url.rfind('/') + 1) + name;
}

std::unique_ptr<db::Database> mariadb_database(const std::string& context, std::size_t pool) {
    auto db = std::make_unique<db::Database>(*db::parse_url(mariadb_fresh_url()), pool);
    db::Migrator(*db, context).migrate();
    return db;
}

std::string mongo_url() {
    for (const char* name : {"MEDISECURE_TEST_MONGO_URL", "MEDISECURE_TEST_MONGO_DOUBLE_URL"})
        if (const char* v = std::getenv(name); v && *v) return v;
    return {};
}

bool mongo_is_double() {
    const char* real = std::getenv("MEDISECURE_TEST_MONGO_URL");
    return !(real && *real) && !mongo_url().empty();
}

std::string mongo_test_database_url() {
    // mongodb://[user:pass@]hosts[/db][?options]: the path is the database.
    const std::string url = mongo_url();
    const auto hosts = url.find("://") + 3;
    const auto query = url.find('?', hosts);
    const auto slash = url.find('/', hosts);
    const auto end_of_hosts = std::min(slash, query);
    char name[40];
    std::snprintf(name, sizeof name, "medisecure_test_%016llx",
                  static_cast<unsigned long long>(random_u64()));
    return url.substr(0, end_of_hosts) + "/" + name +
           (query == std::string::npos ? std::string() : url.substr(query));
}

std::string rabbitmq_url() {
    const char* v = std::getenv("MEDISECURE_TEST_RABBITMQ_URL");
    return v ? std::string(v) : std::string();
}

std::string OwnRedis::script(const std::string& verb) const {
    return "MS_REDIS_NAME=own-" + std::to_string(port_) + " MS_REDIS_PORT=" + std::to_string(port_) + " " +
           std::string(MEDISECURE_SOURCE_DIR) + "/scripts/services/redis.sh " + verb;
}

std::string OwnRedis::start() {
    FILE* p = popen(script("start").c_str(), "r");
    if (!p) throw std::runtime_error("could not run scripts/services/redis.sh");
    char buf[512];
    std::string out;
    while (fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0 || out.empty()) throw std::runtime_error("could not start a Redis on port " + std::to_string(port_));
    url_ = out.substr(0, out.find('\n'));
    running_ = true;
    return url_;
}

void OwnRedis::stop() {
    if (!running_) return;
    running_ = false;
    (void)std::system(script("stop").c_str());
}

namespace {
bool bindable(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}
}  // namespace

int free_tcp_port(int count) {
    // Below the kernel's ephemeral range (ip_local_port_range, 32768 by default), so that no
    // outgoing connection takes one of these ports between now and the server binding it, nor
    // while a server the test stopped is down before it is started again on the same port; and
    // away from the stack's ports (24000-24999). Random, so test binaries running side by side
    // seldom try the same ones.
    constexpr int kLow = 12000, kHigh = 23900;
    for (int attempt = 0; attempt < 2000; ++attempt) {
        const int base = kLow + static_cast<int>(random_u64() % static_cast<std::uint64_t>(kHigh - kLow - count));
        bool all = true;
        for (int p = base; p < base + count && all; ++p) all = bindable(p);
        if (all) return base;
    }
    throw std::runtime_error("no free port");
}

bool ci() {
    const char* v = std::getenv("CI");
    return v && std::string(v) == "true";
}

std::string postgres_schema_url() {
    // A fresh schema per database, so tests (and test binaries running in parallel) never see
    // each other's tables; the test server's database is recreated at every run.
    std::uint64_t r = random_u64();
    std::string schema = "t_" + to_hex(&r, sizeof r);
    {
        auto admin = db::parse_url(postgres_dsn());
        db::Database a(*admin, 1);
        a.read([&](soci::session& sql) { a.exec_script(sql, "CREATE SCHEMA " + schema); });
    }
    std::string url = postgres_dsn();
    url += url.find('?') == std::string::npos ? "?" : "&";
    return url + "options=-c%20search_path%3D" + schema;
}

std::unique_ptr<db::Database> postgres_database(const std::string& context, std::size_t pool) {
    auto url = db::parse_url(postgres_schema_url());
    auto db = std::make_unique<db::Database>(*url, pool);
    db::Migrator(*db, context).migrate();
    return db;
}

void RecordingAuditTrail::record(const Caller& caller, audit::AuditEntry entry) {
    std::lock_guard lock(mu_);
    entries_.emplace_back(caller, std::move(entry));
}

std::vector<std::pair<Caller, audit::AuditEntry>> RecordingAuditTrail::entries() const {
    std::lock_guard lock(mu_);
    return entries_;
}

std::size_t RecordingAuditTrail::count(const std::string& action, audit::Outcome outcome) const {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [c, e] : entries_)
        if (e.action == action && e.outcome == outcome) ++n;
    return n;
}

void RecordingAuditTrail::clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
}

Caller caller_of(Role role, std::string user_id, std::string patient_id) {
    Caller c;
    c.user_id = std::move(user_id);
    c.role = role;
    c.patient_id = std::move(patient_id);
    c.request_id = "req-test";
    c.client_ip = "127.0.0.1";
    return c;
}

}  // namespace medisecure::testkit
