// SPDX-License-Identifier: Apache-2.0
#include "platform/config/config.hpp"

#include <boost/json.hpp>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/time.hpp"
#include "core/timezone.hpp"
#include "platform/http/url.hpp"
#include "platform/crypto/digest.hpp"

namespace medisecure::config {
namespace json = boost::json;
namespace fs = std::filesystem;

const std::vector<std::string>& database_contexts() {
    static const std::vector<std::string> all = {"identity",  "patients", "audit",   "appointments",
                                                 "records",   "documents", "billing", "notifications"};
    return all;
}

std::string Config::database_url(const std::string& context) const {
    auto it = database_urls.find(context);
    if (it != database_urls.end() && !it->second.empty()) return it->second;
    return "sqlite:" + (fs::path(data_dir) / (context + ".db")).string();
}

namespace {

using Apply = std::function<std::optional<std::string>(Config&, const std::string&)>;
using Show = std::function<std::string(const Config&)>;

std::optional<long long> to_int(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno || *end != '\0') return std::nullopt;
    return v;
}

/// host:port (an IPv6 host in brackets); port 0 picks a free one.
std::optional<std::string> parse_listen(const std::string& v, std::string& host_out, std::uint16_t& port_out) {
    auto colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) return "must be host:port";
    auto port = to_int(v.substr(colon + 1));
    if (!port || *port < 0 || *port > 65535) return "port must be 0-65535";
    std::string host = v.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    host_out = host;
    port_out = static_cast<std::uint16_t>(*port);
    return std::nullopt;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
        auto b = item.find_first_not_of(" \t");
        auto e = item.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    }
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

template <class T>
Apply int_setting(T Config::*field, long long min, long long max) {
    return [=](Config& c, const std::string& v) -> std::optional<std::string> {
        auto n = to_int(v);
        if (!n || *n < min || *n > max)
            return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
        c.*field = static_cast<T>(*n);
        return std::nullopt;
    };
}
template <class T>
Show int_show(T Config::*field) {
    return [=](const Config& c) { return std::to_string(c.*field); };
}

Apply rate_setting(double Config::*rate, double Config::*burst) {
    return [=](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v == "0" || v == "off") {
            c.*rate = 0;
            c.*burst = 0;
            return std::nullopt;
        }
        auto slash = v.find('/');
        char* end = nullptr;
        double r = std::strtod(v.c_str(), &end);
        if (slash == std::string::npos || end != v.c_str() + slash || r <= 0)
            return "must be RATE/BURST in requests per second (e.g. 50/200), or 0 to disable";
        double b = std::strtod(v.c_str() + slash + 1, &end);
        if (*end != '\0' || b < 1) return "must be RATE/BURST in requests per second (e.g. 50/200), or 0 to disable";
        c.*rate = r;
        c.*burst = b;
        return std::nullopt;
    };
}
Show rate_show(double Config::*rate, double Config::*burst) {
    return [=](const Config& c) {
        if (c.*rate == 0) return std::string("0");
        std::ostringstream o;
        o << c.*rate << "/" << c.*burst;
        return o.str();
    };
}

Apply string_setting(std::string Config::*field) {
    return [=](Config& c, const std::string& v) -> std::optional<std::string> {
        c.*field = v;
        return std::nullopt;
    };
}
Apply bool_setting(bool Config::*field) {
    return [=](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v != "true" && v != "false") return "must be true or false";
        c.*field = v == "true";
        return std::nullopt;
    };
}

Show bool_show(bool Config::*field) {
    return [=](const Config& c) { return std::string(c.*field ? "true" : "false"); };
}

Show string_show(std::string Config::*field) {
    return [=](const Config& c) { return c.*field; };
}

Apply secret_setting(std::string Config::*field, std::size_t min_len) {
    return [=](Config& c, const std::string& v) -> std::optional<std::string> {
        if (!v.empty() && v.size() < min_len) return "must be at least " + std::to_string(min_len) + " characters";
        c.*field = v;
        return std::nullopt;
    };
}

std::vector<Setting> build_settings() {
    std::vector<Setting> s;
    s.push_back({"environment", "MEDISECURE_ENV", "--env", "development", false,
                 "`development` (embedded defaults, secrets generated in the data directory) or `production` "
                 "(secrets must be configured, TOTP required for admins, cookies marked Secure).",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v != "development" && v != "production") return "must be development or production";
                     c.environment = v;
                     return std::nullopt;
                 },
                 string_show(&Config::environment)});
    s.push_back({"server.listen", "MEDISECURE_LISTEN", "--listen", "127.0.0.1:8000", false,
                 "Address and port to listen on (`host:port`; port 0 picks a free port).",
                 [](Config& c, const std::string& v) { return parse_listen(v, c.listen_host, c.listen_port); },
                 [](const Config& c) { return c.listen_host + ":" + std::to_string(c.listen_port); }});
    s.push_back({"data_dir", "MEDISECURE_DATA_DIR", "--data-dir", "./data", false,
                 "Where the embedded default keeps its databases, documents and generated secrets.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v.empty()) return "must not be empty";
                     c.data_dir = v;
                     return std::nullopt;
                 },
                 string_show(&Config::data_dir)});
    s.push_back({"server.public_url", "MEDISECURE_PUBLIC_URL", "", "", false,
                 "The URL users reach (e.g. https://medisecure.example.org); `https` marks cookies Secure.",
                 string_setting(&Config::public_url), string_show(&Config::public_url)});
    s.push_back({"server.io_threads", "MEDISECURE_IO_THREADS", "", "0 (auto: one per core)", false,
                 "Threads each running an event loop for its share of the connections, and the light routes (health, patient reads) without a hand-off.", int_setting(&Config::io_threads, 0, 256),
                 int_show(&Config::io_threads)});
    s.push_back({"server.worker_threads", "MEDISECURE_WORKER_THREADS", "", "0 (auto: 8 per core, at least 16)", false,
                 "Threads running handlers and blocking work (database, crypto); a write waits on one for its group commit.",
                 int_setting(&Config::worker_threads, 0, 1024), int_show(&Config::worker_threads)});
    s.push_back({"server.worker_queue_limit", "MEDISECURE_WORKER_QUEUE_LIMIT", "", "4096", false,
                 "Requests allowed to wait for a worker; beyond it the server answers 503 with Retry-After.",
                 int_setting(&Config::worker_queue_limit, 1, 1 << 20), int_show(&Config::worker_queue_limit)});
    s.push_back({"server.max_body_bytes", "MEDISECURE_MAX_BODY_BYTES", "", "1048576", false,
                 "Largest request body for JSON routes (413 beyond); upload routes declare their own.",
                 int_setting(&Config::max_body_bytes, 1024, 1LL << 30), int_show(&Config::max_body_bytes)});
    s.push_back({"server.max_header_bytes", "MEDISECURE_MAX_HEADER_BYTES", "", "16384", false,
                 "Largest request header block (431 beyond).",
                 int_setting(&Config::max_header_bytes, 1024, 1 << 20), int_show(&Config::max_header_bytes)});
    s.push_back({"server.read_timeout_s", "MEDISECURE_READ_TIMEOUT", "", "30", false, "Seconds allowed to receive a request's head from its first byte, then its body (an upload: "
                 "each 64 KiB of it); 408 after.",
                 int_setting(&Config::read_timeout_s, 1, 3600), int_show(&Config::read_timeout_s)});
    s.push_back({"server.write_timeout_s", "MEDISECURE_WRITE_TIMEOUT", "", "30", false, "Seconds allowed to send a response.",
                 int_setting(&Config::write_timeout_s, 1, 3600), int_show(&Config::write_timeout_s)});
    s.push_back({"server.idle_timeout_s", "MEDISECURE_IDLE_TIMEOUT", "", "75", false,
                 "Seconds a kept-alive connection may stay idle.", int_setting(&Config::idle_timeout_s, 1, 3600),
                 int_show(&Config::idle_timeout_s)});
    s.push_back({"server.max_connections", "MEDISECURE_MAX_CONNECTIONS", "", "10000", false,
                 "Open client connections at most; at the cap the oldest idle one is closed for a new one.",
                 int_setting(&Config::max_connections, 16, 1000000), int_show(&Config::max_connections)});
    s.push_back({"server.drain_timeout_s", "MEDISECURE_DRAIN_TIMEOUT", "", "25", false,
                 "Seconds to finish in-flight requests after SIGTERM before stopping.",
                 int_setting(&Config::drain_timeout_s, 0, 3600), int_show(&Config::drain_timeout_s)});
    s.push_back({"server.cors_origins", "MEDISECURE_CORS_ORIGINS", "", "(none)", false,
                 "Comma-separated origins allowed to call the API from a browser with credentials.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     c.cors_origins = split_list(v);
                     for (const auto& o : c.cors_origins)
                         if (o == "*" || (o.rfind("http://", 0) != 0 && o.rfind("https://", 0) != 0))
                             return "each origin must be an exact http(s)://host[:port] (no wildcard)";
                     return std::nullopt;
                 },
                 [](const Config& c) { return join(c.cors_origins); }});
    s.push_back({"server.trusted_proxies", "MEDISECURE_TRUSTED_PROXIES", "", "(none)", false,
                 "Comma-separated proxy addresses or networks (CIDR, e.g. the pods' 10.42.0.0/16 where HAProxy's "
                 "address changes) whose X-Forwarded-For/-Proto are believed.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     c.trusted_proxies = split_list(v);
                     for (const auto& p : c.trusted_proxies)
                         if (!http::parse_network(p)) return "'" + p + "' is neither an IP address nor a network (CIDR)";
                     return std::nullopt;
                 },
                 [](const Config& c) { return join(c.trusted_proxies); }});
    s.push_back({"rate_limit.per_ip", "MEDISECURE_RATE_LIMIT_IP", "", "50/200", false,
                 "Requests per second / burst per client address (429 with Retry-After beyond; 0 disables).",
                 rate_setting(&Config::rate_ip_per_s, &Config::rate_ip_burst), rate_show(&Config::rate_ip_per_s, &Config::rate_ip_burst)});
    s.push_back({"rate_limit.per_user", "MEDISECURE_RATE_LIMIT_USER", "", "30/120", false,
                 "Requests per second / burst per signed-in user.",
                 rate_setting(&Config::rate_user_per_s, &Config::rate_user_burst), rate_show(&Config::rate_user_per_s, &Config::rate_user_burst)});
    s.push_back({"rate_limit.auth", "MEDISECURE_RATE_LIMIT_AUTH", "", "1/20", false,
                 "Login and refresh attempts per second / burst per client address.",
                 rate_setting(&Config::rate_auth_per_s, &Config::rate_auth_burst), rate_show(&Config::rate_auth_per_s, &Config::rate_auth_burst)});
    s.push_back({"database.pool_size", "MEDISECURE_DB_POOL_SIZE", "", "0 (auto: workers + I/O threads + 2)", false,
                 "Connections per context database.", int_setting(&Config::db_pool_size, 0, 512), int_show(&Config::db_pool_size)});
    s.push_back({"cache.patient_entries", "MEDISECURE_PATIENT_CACHE_ENTRIES", "",
                 "-1 (auto: shared with cache.url; else 20000 when the patients database is SQLite, 0 on PostgreSQL)",
                 false,
                 "Patient records kept in memory for reads (0: off). Writes invalidate them at once. Without "
                 "`cache.url` the cache is per process, so keep it off when several instances share one database; "
                 "with a shared cache (`cache.url`) searches are kept there, sealed, shared by the instances and "
                 "invalidated by every one of them; a positive number keeps records there too (not a bound then: "
                 "entries expire), which pays on a database slower to reach than Redis; 0: neither.",
                 int_setting(&Config::patient_cache_entries, -1, 10'000'000), int_show(&Config::patient_cache_entries)});
    for (const auto& ctx : database_contexts()) {
        std::string upper;
        for (char ch : ctx) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        // Appointments may also live on MongoDB and billing on MariaDB, the specification's engines
        // for those contexts (MediSecure has their schemas for those contexts only).
        const bool mongo_ok = ctx == "appointments", maria_ok = ctx == "billing";
        s.push_back({"database." + ctx, "MEDISECURE_" + upper + "_DB_URL", "", "sqlite:<data_dir>/" + ctx + ".db", false,
                     "Database of the " + ctx + " context: `sqlite:PATH` or `postgresql://user:password@host/db` " +
                         "(the password is redacted when printed; a `_FILE` variant is read too; add `?pgbouncer=true` "
                         "behind PgBouncer in transaction pooling)" +
                         (mongo_ok ? std::string(", or MongoDB, the specification's engine for appointments: "
                                                 "`mongodb://user:password@host:27017/db?replicaSet=rs0` (or "
                                                 "`mongodb+srv://`; a replica set, which transactions need).")
                          : maria_ok ? std::string(", or MariaDB, the specification's engine for billing: "
                                                   "`mariadb://user:password@host:3306/db` (`mysql://` too).")
                                     : std::string(".")),
                     [ctx, mongo_ok, maria_ok](Config& c, const std::string& v) -> std::optional<std::string> {
                         auto has = [&](const char* scheme) { return v.rfind(scheme, 0) == 0; };
                         const bool sql = has("sqlite:") || has("postgresql://") || has("postgres://");
                         const bool mongo = has("mongodb://") || has("mongodb+srv://");
                         const bool maria = has("mariadb://") || has("mysql://");
                         if (mongo && !mongo_ok) return "MongoDB holds the appointments context only: use sqlite: or postgresql://";
                         if (maria && !maria_ok) return "MariaDB holds the billing context only: use sqlite: or postgresql://";
                         if (!v.empty() && !sql && !mongo && !maria)
                             return mongo_ok   ? "must start with sqlite:, postgresql:// or mongodb://"
                                    : maria_ok ? "must start with sqlite:, postgresql:// or mariadb://"
                                               : "must start with sqlite: or postgresql://";
                         c.database_urls[ctx] = v;
                         return std::nullopt;
                     },
                     [ctx](const Config& c) { return c.database_url(ctx); }});
    }
    s.push_back({"auth.access_token_ttl_s", "MEDISECURE_ACCESS_TOKEN_TTL", "", "900", false,
                 "Lifetime of an access token in seconds.", int_setting(&Config::access_token_ttl_s, 60, 3600),
                 int_show(&Config::access_token_ttl_s)});
    s.push_back({"auth.session_ttl_s", "MEDISECURE_SESSION_TTL", "", "43200", false,
                 "Longest a sign-in lasts through refreshes, in seconds (a working day by default).",
                 int_setting(&Config::session_ttl_s, 300, 30 * 86400), int_show(&Config::session_ttl_s)});
    s.push_back({"auth.lockout_threshold", "MEDISECURE_LOCKOUT_THRESHOLD", "", "5", false,
                 "Failed sign-ins from one client address before that address is locked out of the e-mail address "
                 "(15 minutes; other addresses are not held up).",
                 int_setting(&Config::lockout_threshold, 1, 100), int_show(&Config::lockout_threshold)});
    s.push_back({"auth.account_lockout_threshold", "MEDISECURE_ACCOUNT_LOCKOUT_THRESHOLD", "", "20", false,
                 "Failed sign-ins from any addresses within 15 minutes before the e-mail address is locked for "
                 "everyone (15 minutes): the right password with a valid second factor still passes, and an "
                 "administrator can lift it (PATCH /api/v1/users/{id} with unlock).",
                 int_setting(&Config::account_lockout_threshold, 1, 1000), int_show(&Config::account_lockout_threshold)});
    s.push_back({"auth.lockout_minutes", "MEDISECURE_LOCKOUT_MINUTES", "", "15", false,
                 "How long a lockout lasts.", int_setting(&Config::lockout_minutes, 1, 24 * 60), int_show(&Config::lockout_minutes)});
    s.push_back({"auth.totp_required_for_admins", "MEDISECURE_TOTP_REQUIRED_FOR_ADMINS", "", "true in production, else false", false,
                 "Administrators must enrol a TOTP second factor before doing anything else.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v == "true" || v == "1") c.totp_required_for_admins = true;
                     else if (v == "false" || v == "0") c.totp_required_for_admins = false;
                     else return "must be true or false";
                     return std::nullopt;
                 },
                 [](const Config& c) { return std::string(c.admins_need_totp() ? "true" : "false"); }});
    s.push_back({"auth.argon2_memory_kib", "MEDISECURE_ARGON2_MEMORY_KIB", "", "19456", false,
                 "Argon2id memory cost per password hash (KiB).", int_setting(&Config::argon2_memory_kib, 1024, 1 << 22),
                 int_show(&Config::argon2_memory_kib)});
    s.push_back({"auth.argon2_iterations", "MEDISECURE_ARGON2_ITERATIONS", "", "2", false,
                 "Argon2id time cost.", int_setting(&Config::argon2_iterations, 1, 20), int_show(&Config::argon2_iterations)});
    s.push_back({"secrets.jwt_secret", "MEDISECURE_JWT_SECRET", "", "generated in development", true,
                 "Signs access tokens (at least 32 characters).", secret_setting(&Config::jwt_secret, 32), {}});
    s.push_back({"secrets.audit_key", "MEDISECURE_AUDIT_KEY", "", "generated in development", true,
                 "Keys the audit hash chain; needed by `audit verify` (at least 32 characters).",
                 secret_setting(&Config::audit_key, 32), {}});
    s.push_back({"secrets.master_key", "MEDISECURE_MASTER_KEY", "", "generated in development", true,
                 "Wraps the keys that encrypt data at rest (TOTP seeds, documents). At least 32 characters; "
                 "losing it loses that data.",
                 secret_setting(&Config::master_key, 32), {}});
    s.push_back({"secrets.metrics_token", "MEDISECURE_METRICS_TOKEN", "", "(none: /metrics is open)", true,
                 "When set, /metrics requires `Authorization: Bearer <token>`.", secret_setting(&Config::metrics_token, 16), {}});
    s.push_back({"log.level", "MEDISECURE_LOG_LEVEL", "--log-level", "info", false, "debug, info, warn or error.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v != "debug" && v != "info" && v != "warn" && v != "error") return "must be debug, info, warn or error";
                     c.log_level = v;
                     return std::nullopt;
                 },
                 string_show(&Config::log_level)});
    s.push_back({"log.format", "MEDISECURE_LOG_FORMAT", "", "json", false, "`json` (one object per line) or `text`.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v != "json" && v != "text") return "must be json or text";
                     c.log_format = v;
                     return std::nullopt;
                 },
                 string_show(&Config::log_format)});
    s.push_back({"web.static_dir", "MEDISECURE_STATIC_DIR", "", "./frontend/dist", false,
                 "The built web application served at `/`.", string_setting(&Config::static_dir), string_show(&Config::static_dir)});
    s.push_back({"web.swagger_ui_dir", "MEDISECURE_SWAGGER_UI_DIR", "", "./frontend/node_modules/swagger-ui-dist", false,
                 "Swagger UI's files, served at `/docs`.", string_setting(&Config::swagger_ui_dir), string_show(&Config::swagger_ui_dir)});
    s.push_back({"practice.name", "MEDISECURE_PRACTICE_NAME", "", "Cabinet médical", false,
                 "The practice's name, printed on prescriptions, invoices and e-mails.",
                 string_setting(&Config::practice_name), string_show(&Config::practice_name)});
    s.push_back({"practice.address", "MEDISECURE_PRACTICE_ADDRESS", "", "", false,
                 "Postal address (lines separated by \\n), printed on documents.",
                 string_setting(&Config::practice_address), string_show(&Config::practice_address)});
    s.push_back({"practice.phone", "MEDISECURE_PRACTICE_PHONE", "", "", false, "Telephone, printed on documents.",
                 string_setting(&Config::practice_phone), string_show(&Config::practice_phone)});
    s.push_back({"practice.email", "MEDISECURE_PRACTICE_EMAIL", "", "", false, "Contact e-mail, printed on documents.",
                 string_setting(&Config::practice_email), string_show(&Config::practice_email)});
    s.push_back({"practice.finess", "MEDISECURE_PRACTICE_FINESS", "", "", false, "FINESS number, printed on invoices.",
                 string_setting(&Config::practice_finess), string_show(&Config::practice_finess)});
    s.push_back({"practice.siret", "MEDISECURE_PRACTICE_SIRET", "", "", false, "SIRET number, printed on invoices.",
                 string_setting(&Config::practice_siret), string_show(&Config::practice_siret)});
    s.push_back({"test.clock", "MEDISECURE_TEST_CLOCK", "", "(the machine's clock)", false,
                 "Tests only, refused in production: an RFC 3339 instant (`2026-05-31T23:30:00+02:00`) at which "
                 "the process's clock starts; it then runs on in real time. Lets a test run the whole server on "
                 "a chosen day and hour. `INSTANT@MACHINE` (two RFC 3339 instants) says the clock read INSTANT "
                 "when the machine's read MACHINE: processes given the same value share one clock.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (!v.empty() && !parse_test_clock(v, SystemClock::machine_now()))
                         return "must be an RFC 3339 instant, or INSTANT@MACHINE";
                     c.test_clock = v;
                     return std::nullopt;
                 },
                 string_show(&Config::test_clock)});
    s.push_back({"practice.timezone", "MEDISECURE_PRACTICE_TIMEZONE", "", "Europe/Paris", false,
                 "IANA time zone of the practice: appointments are shown and scheduled in it (daylight saving included).",
                 string_setting(&Config::practice_timezone), string_show(&Config::practice_timezone)});
    s.push_back({"cache.url", "MEDISECURE_CACHE_URL", "", "(none: in-process, one instance)", false,
                 "The state instances share (token deny-list, rate limits): `redis://[:password@]host:port/db` or "
                 "`redis-sentinel://host:port,host:port/mastername[/db]` (the master found through Sentinel and followed "
                 "through a failover). Needed when several instances serve one practice.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (!v.empty() && v.rfind("redis://", 0) != 0 && v.rfind("redis-sentinel://", 0) != 0)
                         return "must start with redis:// or redis-sentinel://";
                     c.cache_url = v;
                     return std::nullopt;
                 },
                 string_show(&Config::cache_url)});
    s.push_back({"cache.password", "MEDISECURE_CACHE_PASSWORD", "", "", true,
                 "Redis password (or in the URL), when Redis requires one.", secret_setting(&Config::cache_password, 1), {}});
    s.push_back({"queue.url", "MEDISECURE_QUEUE_URL", "", "(none: workers poll the job store)", false,
                 "RabbitMQ carrying the background jobs: `amqp://user[:password]@host:port/vhost` (`%2F` is the vhost "
                 "\"/\"). The job store stays the record of every job; the broker delivers them to the workers of every "
                 "instance.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (!v.empty() && v.rfind("amqp://", 0) != 0) return "must start with amqp://";
                     c.queue_url = v;
                     return std::nullopt;
                 },
                 string_show(&Config::queue_url)});
    s.push_back({"queue.password", "MEDISECURE_QUEUE_PASSWORD", "", "", true,
                 "RabbitMQ password (or in the URL).", secret_setting(&Config::queue_password, 1), {}});
    s.push_back({"blob.url", "MEDISECURE_BLOB_URL", "", "(none: <data_dir>/blobs)", false,
                 "Where documents' encrypted content is kept: an S3 bucket (MinIO, Ceph, AWS…), "
                 "`s3://bucket?endpoint=https://host:9000&region=us-east-1&path_style=1` (`ca_file=` for a private CA). "
                 "Content is encrypted before it leaves the process; object names are random.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (!v.empty() && v.rfind("s3://", 0) != 0) return "must start with s3://";
                     c.blob_url = v;
                     return std::nullopt;
                 },
                 string_show(&Config::blob_url)});
    s.push_back({"s3.access_key_id", "MEDISECURE_S3_ACCESS_KEY_ID", "", "", false, "S3 access key of `blob.url`.",
                 string_setting(&Config::s3_access_key_id), string_show(&Config::s3_access_key_id)});
    s.push_back({"s3.secret_access_key", "MEDISECURE_S3_SECRET_ACCESS_KEY", "", "", true, "S3 secret key of `blob.url`.",
                 secret_setting(&Config::s3_secret_access_key, 1), {}});
    s.push_back({"smtp.url", "MEDISECURE_SMTP_URL", "", "(none: e-mails are written to <data_dir>/mail)", false,
                 "`smtp://host:port` (STARTTLS when offered) or `smtps://host:port`.",
                 string_setting(&Config::smtp_url), string_show(&Config::smtp_url)});
    s.push_back({"smtp.username", "MEDISECURE_SMTP_USERNAME", "", "", false, "SMTP user name, when the server requires one.",
                 string_setting(&Config::smtp_username), string_show(&Config::smtp_username)});
    s.push_back({"smtp.password", "MEDISECURE_SMTP_PASSWORD", "", "", true, "SMTP password.",
                 secret_setting(&Config::smtp_password, 1), {}});
    s.push_back({"smtp.from", "MEDISECURE_SMTP_FROM", "", "MediSecure <no-reply@localhost>", false,
                 "Sender of the practice's e-mails.", string_setting(&Config::smtp_from), string_show(&Config::smtp_from)});
    s.push_back({"smtp.require_tls", "MEDISECURE_SMTP_REQUIRE_TLS", "", "false", false,
                 "Refuse to send without TLS (STARTTLS or smtps).", bool_setting(&Config::smtp_require_tls),
                 bool_show(&Config::smtp_require_tls)});
    s.push_back({"jobs.workers", "MEDISECURE_JOB_WORKERS", "", "2", false, "Threads running background jobs.",
                 int_setting(&Config::job_workers, 1, 64), int_show(&Config::job_workers)});
    s.push_back({"jobs.in_serve", "MEDISECURE_JOBS_IN_SERVE", "", "true", false,
                 "Whether `serve` runs background jobs too (`serve --no-jobs` for one instance); false leaves them to "
                 "`medisecure worker` processes.",
                 bool_setting(&Config::jobs_in_serve), bool_show(&Config::jobs_in_serve)});
    s.push_back({"jobs.worker_listen", "MEDISECURE_WORKER_LISTEN", "", "(none)", false,
                 "Where `medisecure worker` serves its own /metrics, /health/live and /health/ready "
                 "(`host:port`), for Prometheus and probes; it serves no API. Empty: no listener.",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v.empty()) {
                         c.worker_listen_host.clear();
                         return std::nullopt;
                     }
                     return parse_listen(v, c.worker_listen_host, c.worker_listen_port);
                 },
                 [](const Config& c) {
                     return c.worker_listen_host.empty() ? std::string()
                                                         : c.worker_listen_host + ":" + std::to_string(c.worker_listen_port);
                 }});
    s.push_back({"jobs.poll_ms", "MEDISECURE_JOB_POLL_MS", "", "200", false,
                 "How often the outboxes are relayed to the job queue, in milliseconds.",
                 int_setting(&Config::job_poll_ms, 10, 60000), int_show(&Config::job_poll_ms)});
    s.push_back({"appointments.reminder_hours_before", "MEDISECURE_REMINDER_HOURS", "", "24", false,
                 "Reminder e-mails go out this many hours before an appointment (0: none).",
                 int_setting(&Config::reminder_hours_before, 0, 24 * 14), int_show(&Config::reminder_hours_before)});
    s.push_back({"appointments.portal_min_notice_hours", "MEDISECURE_PORTAL_MIN_NOTICE_HOURS", "", "24", false,
                 "Patients book online at least this many hours ahead.",
                 int_setting(&Config::portal_min_notice_hours, 0, 24 * 30), int_show(&Config::portal_min_notice_hours)});
    s.push_back({"appointments.portal_cancel_notice_hours", "MEDISECURE_PORTAL_CANCEL_NOTICE_HOURS", "", "24", false,
                 "Patients cancel online at least this many hours ahead.",
                 int_setting(&Config::portal_cancel_notice_hours, 0, 24 * 30), int_show(&Config::portal_cancel_notice_hours)});
    s.push_back({"appointments.portal_max_days_ahead", "MEDISECURE_PORTAL_MAX_DAYS_AHEAD", "", "90", false,
                 "How far ahead patients may book online, in days.",
                 int_setting(&Config::portal_max_days_ahead, 1, 730), int_show(&Config::portal_max_days_ahead)});
    s.push_back({"documents.max_bytes", "MEDISECURE_DOCUMENT_MAX_BYTES", "", "26214400", false,
                 "Largest document upload (413 beyond).",
                 int_setting(&Config::document_max_bytes, 1024, 1LL << 32), int_show(&Config::document_max_bytes)});
    s.push_back({"billing.invoice_prefix", "MEDISECURE_INVOICE_PREFIX", "", "F", false,
                 "Prefix of invoice numbers (F-2026-000001).",
                 [](Config& c, const std::string& v) -> std::optional<std::string> {
                     if (v.empty() || v.size() > 8) return "must be 1 to 8 characters";
                     for (char ch : v)
                         if (!std::isalnum(static_cast<unsigned char>(ch))) return "must be letters and digits";
                     c.invoice_prefix = v;
                     return std::nullopt;
                 },
                 string_show(&Config::invoice_prefix)});
    return s;
}

void flatten(const json::value& v, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (v.is_object()) {
        for (const auto& kv : v.get_object())
            flatten(kv.value(), prefix.empty() ? std::string(kv.key()) : prefix + "." + std::string(kv.key()), out);
    } else if (v.is_string()) {
        out[prefix] = std::string(v.get_string());
    } else if (v.is_array()) {
        std::string joined;
        for (const auto& item : v.get_array())
            joined += (joined.empty() ? "" : ",") + (item.is_string() ? std::string(item.get_string()) : json::serialize(item));
        out[prefix] = joined;
    } else if (!v.is_null()) {
        out[prefix] = json::serialize(v);
    }
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

}  // namespace

const std::vector<Setting>& settings() {
    static const std::vector<Setting> all = build_settings();
    return all;
}

LoadResult load(const std::optional<std::string>& file, const std::map<std::string, std::string>& flags,
                const std::function<std::optional<std::string>(const std::string&)>& env_in) {
    LoadResult r;
    auto env = env_in ? env_in : [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    };
    std::map<std::string, std::string> from_file;
    if (file) {
        auto text = read_file(*file);
        if (!text) {
            r.errors.push_back("config file " + *file + ": cannot be read");
        } else {
            boost::system::error_code ec;
            auto v = json::parse(*text, ec);
            if (ec || !v.is_object()) r.errors.push_back("config file " + *file + ": not a JSON object");
            else flatten(v, "", from_file);
        }
    }
    for (const auto& s : settings()) {
        std::optional<std::string> value;
        std::string source;
        if (auto it = from_file.find(s.key); it != from_file.end()) {
            value = it->second;
            source = "file";
            from_file.erase(it);
        }
        if (auto it = from_file.find(s.key + "_file"); it != from_file.end()) {
            value = read_file(it->second);
            if (!value) r.errors.push_back(s.key + "_file: cannot read " + it->second);
            source = "file";
            from_file.erase(it);
        }
        if (auto v = env(s.env)) {
            value = *v;
            source = s.env;
        }
        if (auto f = env(s.env + "_FILE")) {
            value = read_file(*f);
            if (!value) r.errors.push_back(s.env + "_FILE: cannot read " + *f);
            source = s.env + "_FILE";
        }
        if (!s.flag.empty()) {
            if (auto it = flags.find(s.flag); it != flags.end()) {
                value = it->second;
                source = s.flag;
            }
        }
        if (auto it = flags.find("--set:" + s.key); it != flags.end()) {
            value = it->second;
            source = "--set";
        }
        if (!value) continue;
        if (auto err = s.apply(r.config, *value)) r.errors.push_back(s.key + " (from " + source + "): " + *err);
        else r.origins.push_back(s.key + " from " + source);
    }
    for (const auto& [key, _] : from_file) r.errors.push_back("config file: unknown setting " + key);
    for (const auto& [flag, _] : flags)
        if (flag.rfind("--set:", 0) == 0) {
            auto key = flag.substr(6);
            bool known = false;
            for (const auto& s : settings()) known |= s.key == key;
            if (!known) r.errors.push_back("--set: unknown setting " + key);
        }

    Config& c = r.config;
    if (c.production()) {
        if (c.cors_origins.empty() && c.public_url.empty())
            r.errors.push_back("server.public_url: required in production (it decides cookie security)");
        if (!c.public_url.empty() && c.public_url.rfind("https://", 0) != 0)
            r.errors.push_back("server.public_url: must be https:// in production");
        if (!c.test_clock.empty()) r.errors.push_back("test.clock: tests only, refused in production");
    }
    if (!TimeZone::named(c.practice_timezone))
        r.errors.push_back("practice.timezone: unknown time zone " + c.practice_timezone);
    if (c.io_threads == 0) c.io_threads = std::max(1u, std::thread::hardware_concurrency());
    if (c.worker_threads == 0) c.worker_threads = std::max(16u, std::thread::hardware_concurrency() * 8);
    if (c.db_pool_size == 0) c.db_pool_size = c.worker_threads + c.io_threads + 2;
    if (c.static_dir.empty()) c.static_dir = "./frontend/dist";
    if (c.swagger_ui_dir.empty()) c.swagger_ui_dir = "./frontend/node_modules/swagger-ui-dist";
    return r;
}

std::vector<std::string> resolve_secrets(Config& c, std::vector<std::string>* generated) {
    std::vector<std::string> errors;
    struct Need {
        const char* name;
        std::string* value;
        bool required;
    };
    Need needs[] = {{"jwt_secret", &c.jwt_secret, true}, {"audit_key", &c.audit_key, true}, {"master_key", &c.master_key, true}};
    for (auto& n : needs) {
        if (!n.value->empty()) continue;
        if (c.production()) {
            errors.push_back(std::string("secrets.") + n.name + ": required in production (MEDISECURE_" +
                             [&] {
                                 std::string u = n.name;
                                 for (auto& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                                 return u;
                             }() +
                             " or its _FILE variant)");
            continue;
        }
        fs::path dir = fs::path(c.data_dir) / "secrets";
        fs::path file = dir / (std::string(n.name) + ".key");
        if (auto existing = read_file(file.string()); existing && existing->size() >= 32) {
            *n.value = *existing;
            continue;
        }
        std::error_code ec;
        fs::create_directories(dir, ec);
        ::chmod(dir.c_str(), 0700);
        std::string secret = crypto::random_token(32);
        {
            std::ofstream out(file, std::ios::trunc);
            out << secret << "\n";
            if (!out) {
                errors.push_back("cannot write " + file.string());
                continue;
            }
        }
        ::chmod(file.c_str(), 0600);
        *n.value = secret;
        if (generated) generated->push_back(file.string());
    }
    return errors;
}

std::string print(const Config& c) {
    json::object o;
    for (const auto& s : settings()) {
        if (s.secret) {
            std::string v;
            if (s.key == "secrets.jwt_secret") v = c.jwt_secret;
            else if (s.key == "secrets.audit_key") v = c.audit_key;
            else if (s.key == "secrets.master_key") v = c.master_key;
            else if (s.key == "secrets.metrics_token") v = c.metrics_token;
            else if (s.key == "smtp.password") v = c.smtp_password;
            else if (s.key == "cache.password") v = c.cache_password;
            else if (s.key == "queue.password") v = c.queue_password;
            else if (s.key == "s3.secret_access_key") v = c.s3_secret_access_key;
            o[s.key] = v.empty() ? "(not set)" : "(set, redacted)";
            continue;
        }
        std::string v = s.show(c);
        if ((s.key.rfind("database.", 0) == 0 && s.key != "database.pool_size") || s.key == "cache.url" || s.key == "queue.url") {
            // Redact a password in postgresql://user:password@host.
            auto scheme = v.find("://");
            auto at = v.find('@');
            if (scheme != std::string::npos && at != std::string::npos) {
                auto colon = v.find(':', scheme + 3);
                if (colon != std::string::npos && colon < at) v.replace(colon + 1, at - colon - 1, "***");
            }
            if (auto p = v.find("password="); p != std::string::npos) {
                auto end = v.find_first_of("& ", p);
                v.replace(p + 9, end == std::string::npos ? std::string::npos : end - p - 9, "***");
            }
        }
        o[s.key] = v;
    }
    return json::serialize(o);
}

std::string markdown() {
    std::string out =
        "# Configuration\n\nGenerated by `medisecure config docs` from the settings registry "
        "(`backend/src/platform/config/config.cpp`); do not edit by hand.\n\n"
        "Sources, later ones winning: defaults, the JSON file given by `--config FILE` or `MEDISECURE_CONFIG` "
        "(nested keys: `server.listen` is `{\"server\": {\"listen\": \"…\"}}`), environment variables, flags. "
        "Every variable also has a `_FILE` form that reads the value from a file (Kubernetes secrets); in the "
        "JSON file, append `_file` to the key. Any setting can be given as `--set key=value`.\n\n"
        "| key | environment | flag | default | description |\n|---|---|---|---|---|\n";
    for (const auto& s : settings()) {
        out += "| `" + s.key + "` | `" + s.env + "` | " + (s.flag.empty() ? "" : "`" + s.flag + "`") + " | " +
               s.default_text + " | " + (s.secret ? "**Secret.** " : "") + s.description + " |\n";
    }
    return out;
}

}  // namespace medisecure::config
