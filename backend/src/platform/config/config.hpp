// SPDX-License-Identifier: Apache-2.0
// The typed configuration and the registry of every setting. Each setting is declared once:
// its JSON key, environment variable, default, whether it is secret, and its documentation
// (docs/configuration.md is generated from here). Sources, later ones winning: defaults, the
// JSON file, MEDISECURE_* variables (secrets also from *_FILE), command-line flags.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace medisecure::config {

/// The contexts that own a database, in start-up order.
const std::vector<std::string>& database_contexts();

struct Config {
    std::string environment = "development";  // or "production"
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8000;
    std::string data_dir = "./data";
    std::string public_url;

    unsigned io_threads = 0;      // 0: automatic
    unsigned worker_threads = 0;  // 0: automatic
    std::size_t worker_queue_limit = 4096;
    std::size_t db_pool_size = 0;  // 0: automatic
    long long patient_cache_entries = -1;  // -1: automatic (on for SQLite, off for PostgreSQL); 0: off
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_header_bytes = 16 << 10;
    int read_timeout_s = 30, write_timeout_s = 30, idle_timeout_s = 75, drain_timeout_s = 25;
    int max_connections = 10000;

    std::map<std::string, std::string> database_urls;  // per context; defaults in data_dir
    std::vector<std::string> cors_origins;
    std::vector<std::string> trusted_proxies;
    double rate_ip_per_s = 50, rate_ip_burst = 200;
    double rate_user_per_s = 30, rate_user_burst = 120;
    double rate_auth_per_s = 1, rate_auth_burst = 20;

    int access_token_ttl_s = 900;
    int session_ttl_s = 12 * 3600;
    int lockout_threshold = 5;
    int account_lockout_threshold = 20;
    int lockout_minutes = 15;
    std::optional<bool> totp_required_for_admins;  // unset: required in production only
    std::uint32_t argon2_memory_kib = 19456;
    std::uint32_t argon2_iterations = 2;

    std::string jwt_secret, audit_key, master_key, metrics_token;  // secrets
    std::string log_level = "info";
    std::string log_format = "json";
    std::string static_dir;      // empty: found next to the working directory
    std::string swagger_ui_dir;  // empty: found next to the working directory

    // The practice, as printed on prescriptions and invoices and used for local time.
    std::string practice_name = "Cabinet médical";
    std::string practice_address;
    std::string practice_phone;
    std::string practice_email;
    std::string practice_finess;  // FINESS number (establishments)
    std::string practice_siret;
    std::string practice_timezone = "Europe/Paris";

    // Test only: the instant (RFC 3339) the process's clock starts at; empty: the machine's.
    std::string test_clock;

    // Outgoing mail: with no SMTP URL, messages are written to <data_dir>/mail (development).
    std::string smtp_url;
    std::string cache_url;       // "" (in-process) | redis://… | redis-sentinel://…
    bool jobs_in_serve = true;   // `serve` runs background jobs too
    std::string worker_listen_host;  // `worker`'s metrics and health listener; empty: none
    std::uint16_t worker_listen_port = 0;
    std::string cache_password;  // secret; or in the URL
    std::string queue_url;       // "" (workers poll the job store) | amqp://…
    std::string blob_url;        // "" (<data_dir>/blobs) | s3://bucket?endpoint=…
    std::string s3_access_key_id;
    std::string s3_secret_access_key;  // secret
    std::string queue_password;  // secret; or in the URL
    std::string smtp_username;
    std::string smtp_password;  // secret
    std::string smtp_from = "MediSecure <no-reply@localhost>";
    bool smtp_require_tls = false;

    // Background jobs (in-process workers fed by the outboxes).
    unsigned job_workers = 2;
    int job_poll_ms = 200;

    // Appointments.
    int reminder_hours_before = 24;
    int portal_min_notice_hours = 24;    // patients book at least this long ahead
    int portal_cancel_notice_hours = 24; // and cancel at least this long ahead
    int portal_max_days_ahead = 90;

    // Documents.
    std::size_t document_max_bytes = 25 << 20;

    // Billing.
    std::string invoice_prefix = "F";

    bool production() const { return environment == "production"; }
    bool admins_need_totp() const { return totp_required_for_admins.value_or(production()); }
    std::string database_url(const std::string& context) const;
};

struct Setting {
    std::string key;          // in the JSON file: "server.listen" is {"server": {"listen": …}}
    std::string env;          // MEDISECURE_LISTEN
    std::string flag;         // --listen (empty: none)
    std::string default_text; // as shown in docs
    bool secret = false;
    std::string description;
    /// Parses and stores a value; returns an error message for a bad one.
    std::function<std::optional<std::string>(Config&, const std::string&)> apply;
    std::function<std::string(const Config&)> show;
};

const std::vector<Setting>& settings();

struct LoadResult {
    Config config;
    std::vector<std::string> errors;  // every problem, not just the first
    std::vector<std::string> origins; // which source set each non-default key, for --print-config
};

/// `flags` are the parsed --name=value pairs for settings that have a flag (or --set key=value).
/// `env` defaults to the process environment.
LoadResult load(const std::optional<std::string>& file, const std::map<std::string, std::string>& flags,
                const std::function<std::optional<std::string>(const std::string&)>& env = {});

/// Fills secrets left empty from `<data_dir>/secrets/<name>.key`, generating them on first use
/// (development only; production requires them to be configured). Returns errors.
std::vector<std::string> resolve_secrets(Config& c, std::vector<std::string>* generated = nullptr);

/// JSON with secrets redacted, for `serve --print-config`.
std::string print(const Config& c);
/// Markdown table of every setting, for docs/configuration.md.
std::string markdown();

}  // namespace medisecure::config
