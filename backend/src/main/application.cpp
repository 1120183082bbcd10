// SPDX-License-Identifier: Apache-2.0
#include "main/application.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"
#include "contexts/audit/app/audit_log.hpp"
#include "contexts/audit/app/audit_queries.hpp"
#include "contexts/audit/http/routes.hpp"
#include "contexts/billing/adapters/sql/sql_billing_store.hpp"
#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/billing_export.hpp"
#include "contexts/billing/app/invoice_service.hpp"
#include "contexts/billing/http/routes.hpp"
#include "contexts/identity/adapters/sql/sql_identity_store.hpp"
#include "contexts/identity/app/auth_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "contexts/identity/http/routes.hpp"
#include "contexts/patients/adapters/sql/sql_patient_store.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "contexts/patients/http/routes.hpp"
#include "core/timezone.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/db/migrator.hpp"
#include "platform/http/openapi.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/http/server.hpp"
#include "platform/http/static_files.hpp"
#include "platform/http/system_routes.hpp"
#include "platform/jobs/job.hpp"
#include "platform/jobs/patient_export.hpp"
#include "platform/mail/mailers.hpp"
#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"

#ifndef MEDISECURE_VERSION
#define MEDISECURE_VERSION "0.0.0"
#endif

namespace medisecure {
namespace fs = std::filesystem;

namespace {

/// A description of an unexpected exception that is safe to log: database errors keep their
/// first line (the driver's message), never the statement or its bound values.
std::string describe(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const soci::soci_error& err) {
        std::string msg = err.get_error_message();
        auto nl = msg.find('\n');
        if (nl != std::string::npos) msg.resize(nl);
        if (msg.size() > 200) msg.resize(200);
        return "database: " + msg;
    } catch (const UnexpectedError& err) {
        return "unexpected result: " + err.error().code;
    } catch (const std::exception& err) {
        std::string msg = err.what();
        if (msg.size() > 200) msg.resize(200);
        return msg;
    } catch (...) {
        return "unknown exception";
    }
}

std::unique_ptr<db::Database> open_database(const config::Config& cfg, const std::string& context) {
    auto url = db::parse_url(cfg.database_url(context));
    if (!url) throw StartupError("database." + context + ": " + url.error().detail);
    try {
        return std::make_unique<db::Database>(*url, cfg.db_pool_size);
    } catch (const std::exception& e) {
        throw StartupError("database." + context + " (" + url->redacted + "): cannot open: " + describe(std::current_exception()));
    }
}

/// Brings one database to the binary's schema version, or refuses.
void ensure_schema(db::Database& db, const std::string& context, bool migrate) {
    try {
        auto done = db::Migrator(db, context).ensure(migrate);
        log::info("db.schema", {{"context", context}, {"state", done}});
    } catch (const std::runtime_error& e) {
        throw StartupError(e.what());
    }
}

std::string docs_index() {
    return R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MediSecure API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/medisecure-init.js"></script>
</body>
</html>
)";
}

std::string docs_init() {
    return R"(// Swagger UI over this server's own OpenAPI document; cookies carry the session.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  withCredentials: true,
  displayRequestDuration: true,
  tryItOutEnabled: false
});
)";
}

std::string docs_missing() {
    return R"(<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MediSecure API</title></head>
<body><h1>MediSecure API</h1><p>Swagger UI's files were not found (run <code>make deps</code>).
The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>
)";
}

}  // namespace

struct Application::Parts {
    config::Config cfg;
    AppOptions opts;
    SystemClock clock;
    metrics::Registry registry;
    MemoryCache cache{clock};
    std::map<std::string, std::unique_ptr<db::Database>> dbs;

    std::unique_ptr<audit::SqlAuditRepository> audit_repo;
    std::unique_ptr<audit::AuditLog> audit_log;
    std::unique_ptr<audit::AuditQueries> audit_queries;

    std::unique_ptr<crypto::PasswordHasher> hasher;
    std::unique_ptr<identity::SqlIdentityStore> identity_store;
    std::unique_ptr<identity::TokenService> tokens;
    std::unique_ptr<identity::AuthService> auth;
    std::unique_ptr<identity::UserAdmin> users;
    std::unique_ptr<identity::TokenAuthenticator> authenticator;

    std::unique_ptr<patients::SqlPatientStore> patient_store;
    std::unique_ptr<patients::PatientService> patients;

    // Shared by the clinical contexts: the practice's time zone, outgoing mail, the job
    // handlers by type, the databases whose outboxes feed the job queue, and the sections
    // of a patient's data export.
    std::optional<TimeZone> timezone;
    std::unique_ptr<mail::Mailer> mailer;
    jobs::Registry job_handlers;
    std::vector<std::pair<std::string, db::Database*>> outbox_databases;
    std::vector<std::shared_ptr<jobs::PatientDataSource>> export_sources;

    std::unique_ptr<billing::SqlBillingStore> billing_store;
    std::unique_ptr<billing::ActCatalogue> acts;
    std::unique_ptr<billing::InvoiceService> invoices;
    billing::Directory billing_directory;
    billing::PracticeInfo billing_practice;

    http::Router router;
    http::StaticFiles static_files;
    std::unique_ptr<http::Pipeline> pipeline;
    std::unique_ptr<http::HttpServer> server;
    std::optional<BootstrapAdmin> bootstrap;
};

Application::Application(config::Config cfg, AppOptions opts) : p_(std::make_unique<Parts>()) {
    auto& p = *p_;
    p.cfg = std::move(cfg);
    p.opts = opts;
    const auto& c = p.cfg;
    fs::create_directories(c.data_dir);

    for (const auto& ctx : config::database_contexts()) {
        p.dbs[ctx] = open_database(c, ctx);
        ensure_schema(*p.dbs[ctx], ctx, opts.migrate);
    }
    auto pool_gauges = [&](const std::string& ctx, db::Database* db) {
        std::string labels = "context=\"" + ctx + "\"";
        p.registry.gauge_fn("medisecure_db_pool_connections", "Connections in the pool of a context database",
                            [db] { return static_cast<double>(db->stats().size); }, labels);
        p.registry.gauge_fn("medisecure_db_pool_in_use", "Connections leased from the pool",
                            [db] { return static_cast<double>(db->stats().in_use); }, labels);
    };
    for (auto& [ctx, db] : p.dbs) pool_gauges(ctx, db.get());

    p.timezone = TimeZone::named(c.practice_timezone);
    if (!p.timezone) throw StartupError("practice.timezone: unknown time zone " + c.practice_timezone);
    if (c.smtp_url.empty())
        p.mailer = std::make_unique<mail::FileMailer>((fs::path(c.data_dir) / "mail").string(), c.smtp_from, p.clock);
    else
        p.mailer = std::make_unique<mail::SmtpMailer>(
            mail::SmtpSettings{c.smtp_url, c.smtp_username, c.smtp_password, c.smtp_from, c.smtp_require_tls}, p.clock);

    // audit
    p.audit_repo = std::make_unique<audit::SqlAuditRepository>(*p.dbs["audit"]);
    p.audit_log = std::make_unique<audit::AuditLog>(*p.audit_repo, p.clock, c.audit_key, p.registry);
    p.audit_log->start();

    // patients (identity needs to know patient ids exist)
    p.patient_store = std::make_unique<patients::SqlPatientStore>(*p.dbs["patients"]);

    // identity
    p.hasher = std::make_unique<crypto::PasswordHasher>(crypto::Argon2Params{c.argon2_memory_kib, c.argon2_iterations, 1});
    p.identity_store = std::make_unique<identity::SqlIdentityStore>(*p.dbs["identity"]);
    p.tokens = std::make_unique<identity::TokenService>(c.jwt_secret, p.cache, p.clock, c.access_token_ttl_s);
    identity::AuthPolicy policy;
    policy.lockout_threshold = c.lockout_threshold;
    policy.lockout = std::chrono::minutes(c.lockout_minutes);
    policy.session_ttl = std::chrono::seconds(c.session_ttl_s);
    policy.admins_need_totp = c.admins_need_totp();
    p.auth = std::make_unique<identity::AuthService>(*p.identity_store, *p.tokens, *p.hasher, c.master_key, *p.audit_log,
                                                     p.clock, policy, p.registry);
    auto* patient_store = p.patient_store.get();
    p.users = std::make_unique<identity::UserAdmin>(*p.identity_store, *p.tokens, *p.hasher, *p.audit_log, p.clock,
                                                    [patient_store](const std::string& id) { return patient_store->exists(id); });
    p.authenticator = std::make_unique<identity::TokenAuthenticator>(*p.tokens);
    // Sessions revoked while this instance was down stay revoked.
    for (const auto& sid : p.identity_store->revoked_since(p.clock.now() - std::chrono::seconds(c.access_token_ttl_s + 60)))
        p.tokens->deny_session(sid);

    auto* store = p.identity_store.get();
    auto active_doctor = [store](const std::string& id) {
        auto u = store->find_user(id);
        return u && u->active && u->role == Role::doctor;
    };
    p.patients = std::make_unique<patients::PatientService>(*p.patient_store, *p.audit_log, p.clock, active_doctor);
    p.audit_queries = std::make_unique<audit::AuditQueries>(*p.audit_repo, *p.audit_log,
                                                            [patient_store](const std::string& id) { return patient_store->exists(id); });

    // billing
    p.billing_store = std::make_unique<billing::SqlBillingStore>(*p.dbs["billing"]);
    p.billing_directory = billing::Directory{
        [patient_store](const std::string& id) { return patient_store->exists(id); },
        [patients = p.patients.get()](const std::set<std::string>& ids) { return patients->briefs(ids); },
        active_doctor,
        [users = p.users.get()](const std::set<std::string>& ids) { return users->display_names(ids); }};
    p.billing_practice = {c.practice_name, c.practice_address, c.practice_phone, c.practice_email,
                          c.practice_finess, c.practice_siret, c.invoice_prefix};
    p.acts = std::make_unique<billing::ActCatalogue>(*p.billing_store, *p.audit_log, p.clock);
    p.invoices = std::make_unique<billing::InvoiceService>(*p.billing_store, *p.audit_log, p.clock, *p.timezone,
                                                           p.billing_directory, p.billing_practice);
    if (int n = p.acts->seed_if_empty(billing::starter_acts_csv()))
        log::info("billing.catalogue_seeded", {{"codes", n}});
    p.export_sources.push_back(std::make_shared<billing::BillingExportSource>(*p.invoices));

    if (opts.bootstrap_admin && p.identity_store->count_users() == 0) {
        identity::NewUser admin;
        admin.email = "admin@medisecure.local";
        admin.display_name = "Administrateur";
        admin.role = Role::admin;
        auto created = p.users->create(Caller::system("bootstrap"), admin);
        if (!created) throw StartupError("cannot create the first administrator: " + created.error().detail);
        p.bootstrap = BootstrapAdmin{created->user.email, created->temporary_password};
    }

    // HTTP
    identity::CookiePolicy cookies{c.production() || c.public_url.rfind("https://", 0) == 0};
    identity::add_routes(p.router, *p.auth, *p.users, *p.tokens, cookies);
    patients::add_routes(p.router, *p.patients);
    billing::add_routes(p.router, *p.acts, *p.invoices);
    audit::add_routes(p.router, *p.audit_queries, [users = p.users.get()](const std::set<std::string>& ids) {
        return users->display_names(ids);
    });

    http::SystemRoutes sys;
    for (auto& [ctx, db] : p.dbs) sys.checks.push_back({"database:" + ctx, [d = db.get()] { return d->ping(); }});
    sys.checks.push_back({"audit_writer", [log = p.audit_log.get()] { return log->healthy(); }});
    sys.registry = &p.registry;
    sys.metrics_token = c.metrics_token;
    sys.openapi_json = [this] { return openapi_json(); };
    http::ServerOptions so;
    so.host = c.listen_host;
    so.port = c.listen_port;
    so.io_threads = c.io_threads;
    so.worker_threads = c.worker_threads;
    so.max_queue = c.worker_queue_limit;
    so.header_limit = c.max_header_bytes;
    so.body_limit = c.max_body_bytes;
    so.read_timeout = std::chrono::seconds(c.read_timeout_s);
    so.write_timeout = std::chrono::seconds(c.write_timeout_s);
    so.idle_timeout = std::chrono::seconds(c.idle_timeout_s);
    so.drain_timeout = std::chrono::seconds(c.drain_timeout_s);

    http::PipelineOptions po;
    po.cors_origins = c.cors_origins;
    po.trusted_proxies = c.trusted_proxies;
    po.per_ip = {c.rate_ip_per_s, c.rate_ip_burst};
    po.per_user = {c.rate_user_per_s, c.rate_user_burst};
    po.auth_per_ip = {c.rate_auth_per_s, c.rate_auth_burst};
    po.validate_responses = opts.validate_responses;
    po.describe_exception = describe;

    sys.draining = [this] { return p_->server && p_->server->draining().load(); };
    http::add_system_routes(p.router, std::move(sys));
    p.router.freeze();

    std::size_t web = p.static_files.mount("/", c.static_dir, true);
    std::size_t docs = p.static_files.mount("/docs", c.swagger_ui_dir, false);
    if (docs > 0) {
        p.static_files.add("/docs/index.html", docs_index());
        p.static_files.add("/docs/medisecure-init.js", docs_init());
    } else {
        p.static_files.add("/docs/index.html", docs_missing());
    }
    log::info("web.static", {{"app_files", web}, {"docs_files", docs}});

    p.pipeline = std::make_unique<http::Pipeline>(p.router, *p.authenticator, p.cache, p.registry, po, &p.static_files);
    p.server = std::make_unique<http::HttpServer>(so, *p.pipeline, p.audit_log.get(), p.registry);
}

Application::~Application() {
    if (p_ && p_->audit_log) p_->audit_log->stop();
}

std::uint16_t Application::listen() { return p_->server->listen(); }

void Application::run() {
    p_->server->run(p_->opts.handle_signals);
    p_->audit_log->stop();
    log::flush();
}

void Application::stop() { p_->server->shutdown(); }

const std::optional<BootstrapAdmin>& Application::bootstrap_admin() const { return p_->bootstrap; }
const config::Config& Application::config() const { return p_->cfg; }
Application::Parts& Application::parts() { return *p_; }
identity::UserAdmin& Application::users() { return *p_->users; }
patients::PatientService& Application::patients() { return *p_->patients; }
audit::AuditQueries& Application::audit_queries() { return *p_->audit_queries; }
billing::ActCatalogue& Application::acts() { return *p_->acts; }
billing::InvoiceService& Application::invoices() { return *p_->invoices; }
std::unique_ptr<billing::InvoiceService> Application::invoices_at(const Clock& clock) {
    auto& p = *p_;
    return std::make_unique<billing::InvoiceService>(*p.billing_store, *p.audit_log, clock, *p.timezone,
                                                     p.billing_directory, p.billing_practice);
}

std::string Application::openapi_json() const {
    http::ApiInfo info;
    info.version = MEDISECURE_VERSION;
    info.description =
        "MediSecure's HTTP API. Errors are RFC 9457 problem details (`application/problem+json`) with field-level "
        "`errors` for validation failures. Authenticate with `POST /api/v1/auth/login`; browsers use the HttpOnly "
        "cookies it sets, other clients the bearer token. Every access to patient data is recorded in the audit trail.";
    return boost::json::serialize(http::build_openapi(p_->router, info));
}

std::vector<std::string> migrate_all(const config::Config& cfg) {
    std::vector<std::string> out;
    for (const auto& ctx : config::database_contexts()) {
        auto db = open_database(cfg, ctx);
        db::Migrator m(*db, ctx);
        auto before = m.state();
        for (const auto& p : before.problems) throw StartupError(p);
        if (before.ahead())
            throw StartupError("database." + ctx + " is newer than this binary (version " + std::to_string(before.current) + ")");
        int n = m.migrate();
        out.push_back(ctx + ": version " + std::to_string(before.latest) + (n ? " (applied " + std::to_string(n) + ")" : " (up to date)"));
    }
    return out;
}

}  // namespace medisecure
