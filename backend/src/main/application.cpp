// SPDX-License-Identifier: Apache-2.0
#include "main/application.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <map>
#include <thread>

#include "contexts/appointments/adapters/mongo/mongo_appointment_store.hpp"
#include "contexts/appointments/adapters/sql/sql_appointment_store.hpp"
#include "contexts/appointments/app/appointment_export.hpp"
#include "contexts/appointments/app/appointment_jobs.hpp"
#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "contexts/appointments/http/routes.hpp"
#include "contexts/audit/adapters/journal/journaled_audit_repository.hpp"
#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"
#include "contexts/audit/app/audit_log.hpp"
#include "contexts/audit/app/audit_queries.hpp"
#include "contexts/audit/http/routes.hpp"
#include "contexts/documents/adapters/image/stb_thumbnailer.hpp"
#include "contexts/documents/adapters/local/local_blob_store.hpp"
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"
#include "contexts/documents/adapters/sql/sql_document_store.hpp"
#include "contexts/documents/app/document_service.hpp"
#include "contexts/documents/http/routes.hpp"
#include "contexts/billing/adapters/cache/shared_stats_store.hpp"
#include "contexts/billing/adapters/sql/sql_billing_store.hpp"
#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/billing_export.hpp"
#include "contexts/billing/app/invoice_service.hpp"
#include "contexts/billing/app/revenue_pdf.hpp"
#include "contexts/billing/http/routes.hpp"
#include "contexts/identity/adapters/sql/sql_idempotency_store.hpp"
#include "contexts/identity/adapters/sql/sql_identity_store.hpp"
#include "contexts/identity/app/auth_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "contexts/identity/http/routes.hpp"
#include "contexts/audit/app/access_log_export_source.hpp"
#include "contexts/notifications/adapters/mongo/mongo_outbox_source.hpp"
#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "contexts/notifications/app/fanout_publisher.hpp"
#include "contexts/notifications/app/job_runner.hpp"
#include "contexts/notifications/http/routes.hpp"
#include "contexts/patients/adapters/cache/cached_patient_store.hpp"
#include "contexts/patients/adapters/cache/shared_patient_store.hpp"
#include "contexts/patients/adapters/sql/sql_patient_store.hpp"
#include "contexts/patients/app/patient_export_source.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "contexts/patients/http/routes.hpp"
#include "contexts/records/adapters/sql/sql_code_store.hpp"
#include "contexts/records/adapters/sql/sql_records_store.hpp"
#include "contexts/records/app/chart_service.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/app/encounter_service.hpp"
#include "contexts/records/app/records_export.hpp"
#include "contexts/records/http/routes.hpp"
#include "core/text.hpp"
#include "core/timezone.hpp"
#include "platform/cache/fallback_cache.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/cache/redis_cache.hpp"
#include "platform/queue/amqp_transport.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/db/migrator.hpp"
#include "platform/db/storage_full.hpp"
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
#include "platform/mongo/migrator.hpp"

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
    } catch (const mongo::Error& err) {
        return err.what();  // the driver's message, cut before any quoted value
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

/// A database that cannot be reached (down, restarting, its connection cut): the request is
/// answered 503 with Retry-After, at once, and the client retries; the instance recovers by
/// itself as the pool opens new connections.
std::optional<Error> dependency_down(std::exception_ptr e) {
    // A full disk is not an outage: reads go on, and writes are refused with 507 until space returns.
    if (db::is_storage_full(e)) return storage_full();
    auto down = [] {
        Error err = unavailable("database_unavailable", "A database cannot be reached; retry in a moment.");
        err.retry_after_s = 2;
        return std::optional<Error>(err);
    };
    try {
        std::rethrow_exception(e);
    } catch (const db::EngineUnavailable&) {
        return down();
    } catch (const soci::soci_error& err) {
        if (err.get_error_category() == soci::soci_error::connection_error) return down();
    } catch (...) {
    }
    return std::nullopt;
}

/// The documents' blob store named by `blob.url`: an S3 bucket, else <data_dir>/blobs.
std::unique_ptr<documents::BlobStore> open_blob_store(const config::Config& c) {
    if (c.blob_url.empty()) return std::make_unique<documents::LocalBlobStore>((fs::path(c.data_dir) / "blobs").string());
    std::string error;
    auto target = documents::parse_s3_url(c.blob_url, &error);
    if (!target) throw StartupError("blob.url: " + error);
    if (c.s3_access_key_id.empty() || c.s3_secret_access_key.empty())
        throw StartupError("blob.url: set MEDISECURE_S3_ACCESS_KEY_ID and MEDISECURE_S3_SECRET_ACCESS_KEY (or their _FILE forms)");
    target->access_key_id = c.s3_access_key_id;
    target->secret_access_key = c.s3_secret_access_key;
    auto store = std::make_unique<documents::S3BlobStore>(std::move(*target));
    // Reachable or not, the instance starts; readiness says whether the store answers.
    log::info("documents.blob_store", {{"bucket", documents::parse_s3_url(c.blob_url)->bucket}, {"reachable", store->ping()}});
    return store;
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

/// The MongoDB database of a context whose URL is mongodb://…, its schema brought to the binary's
/// version or refused as ensure_schema does for SQL.
std::unique_ptr<mongo::Pool> open_mongo(const config::Config& cfg, const std::string& context) {
    auto url = mongo::parse_url(cfg.database_url(context));
    if (!url) throw StartupError("database." + context + ": " + url.error().detail);
    try {
        return std::make_unique<mongo::Pool>(*url, cfg.db_pool_size);
    } catch (const std::exception& e) {
        throw StartupError("database." + context + " (" + url->redacted + "): cannot open: " + e.what());
    }
}

/// Brings the appointments' MongoDB database to the binary's schema version, or refuses.
std::string ensure_mongo_schema(mongo::Pool& pool, bool migrate) {
    try {
        return mongo::Migrator(pool, "appointments", appointments::MongoAppointmentStore::schema()).ensure(migrate);
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

/// Practitioners are active users with the doctor role (identity context).
class IdentityPractitioners final : public appointments::PractitionerDirectory {
public:
    explicit IdentityPractitioners(identity::IdentityStore& store) : store_(store) {}

    std::vector<appointments::Practitioner> active() override {
        std::vector<appointments::Practitioner> out;
        identity::UserFilter f;
        f.role = Role::doctor;
        f.active = true;
        f.limit = 200;
        for (;;) {
            auto page = store_.list_users(f);
            for (const auto& u : page) out.push_back({u.id, u.display_name});
            if (static_cast<int>(page.size()) < f.limit) break;
            f.after_email = page.back().email;
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return std::pair(fold(a.display_name), a.id) < std::pair(fold(b.display_name), b.id);
        });
        return out;
    }
    std::optional<appointments::Practitioner> find_active(const std::string& id) override {
        auto u = store_.find_user(id);
        if (!u || !u->active || u->role != Role::doctor) return std::nullopt;
        return appointments::Practitioner{u->id, u->display_name};
    }
    std::map<std::string, std::string> display_names(const std::set<std::string>& ids) override {
        return store_.display_names(ids);
    }

private:
    identity::IdentityStore& store_;
};

/// Patients as the appointments context sees them (patients context).
class RegistryPatients final : public appointments::PatientDirectory {
public:
    explicit RegistryPatients(patients::PatientStore& store) : store_(store) {}

    std::optional<appointments::PatientInfo> find(const std::string& id) override {
        auto p = store_.find(id);
        if (!p) return std::nullopt;
        return appointments::PatientInfo{p->id,    p->mrn,   p->first_name,         p->last_name,
                                         p->birth_date, p->email, p->preferred_language, p->archived};
    }
    std::map<std::string, appointments::PatientInfo> find_many(const std::set<std::string>& ids) override {
        std::map<std::string, appointments::PatientInfo> out;
        for (const auto& id : ids)
            if (auto p = find(id)) out.emplace(id, std::move(*p));
        return out;
    }

private:
    patients::PatientStore& store_;
};

}  // namespace

struct Application::Parts {
    config::Config cfg;
    AppOptions opts;
    SystemClock clock;
    metrics::Registry registry;
    MemoryCache cache{clock};  // this instance's own
    std::unique_ptr<RedisCache> redis;  // shared by every instance, when configured
    std::unique_ptr<FallbackCache> redis_or_local;
    Cache* shared_cache = &cache;   // the deny-list: fails closed when unreachable (TokenService)
    Cache* request_cache = &cache;  // rate limits and read caches: fall back to this instance's own
    std::map<std::string, std::unique_ptr<db::Database>> dbs;

    std::unique_ptr<audit::SqlAuditRepository> audit_sql;
    std::unique_ptr<audit::JournaledAuditRepository> audit_journal;  // embedded SQLite only
    audit::AuditRepository* audit_repo = nullptr;
    std::unique_ptr<audit::AuditLog> audit_log;
    std::unique_ptr<audit::AuditQueries> audit_queries;

    std::unique_ptr<crypto::PasswordHasher> hasher;
    std::unique_ptr<identity::SqlIdentityStore> identity_store;
    std::unique_ptr<identity::SqlIdempotencyStore> idempotency;
    std::unique_ptr<identity::TokenService> tokens;
    std::unique_ptr<identity::AuthService> auth;
    std::unique_ptr<identity::UserAdmin> users;
    std::unique_ptr<identity::TokenAuthenticator> authenticator;

    std::unique_ptr<patients::SqlPatientStore> patient_sql_store;
    std::unique_ptr<patients::CachedPatientStore> patient_cache;
    std::unique_ptr<patients::SharedPatientStore> patient_shared_cache;  // with Redis: shared by the instances
    patients::PatientStore* patient_store = nullptr;
    std::unique_ptr<patients::PatientService> patients;

    std::unique_ptr<records::SqlRecordsStore> records_store;
    std::unique_ptr<records::SqlCodeStore> code_store;
    std::unique_ptr<records::CodeCatalog> codes;
    std::unique_ptr<records::EncounterService> encounters;
    std::unique_ptr<records::ChartService> chart;
    std::unique_ptr<mongo::Pool> appointments_mongo;  // when database.appointments is mongodb://…
    std::unique_ptr<appointments::AppointmentStore> appointment_store;
    std::unique_ptr<IdentityPractitioners> practitioner_directory;
    std::unique_ptr<RegistryPatients> patient_directory;
    std::unique_ptr<appointments::ScheduleService> schedule_service;
    std::unique_ptr<appointments::AppointmentService> appointment_service;

    // Shared by the clinical contexts: the practice's time zone, outgoing mail, the job
    // handlers by type, the outboxes that feed the job queue, and the sections of a patient's
    // data export.
    std::optional<TimeZone> timezone;
    std::unique_ptr<mail::Mailer> mailer;
    jobs::Registry job_handlers;
    std::vector<std::pair<std::string, std::shared_ptr<notifications::OutboxSource>>> outboxes;
    std::vector<std::shared_ptr<jobs::PatientDataSource>> export_sources;

    std::unique_ptr<documents::BlobStore> blobs;  // a local directory or an S3 bucket
    std::unique_ptr<documents::SqlDocumentStore> document_store;
    std::unique_ptr<documents::StbThumbnailer> thumbnailer;
    std::unique_ptr<documents::DocumentService> documents;

    std::unique_ptr<notifications::SqlJobStore> job_store;
    std::unique_ptr<notifications::SqlNotificationStore> notification_store;
    std::unique_ptr<notifications::NotificationHub> hub;
    std::unique_ptr<notifications::FanoutPublisher> fanout;  // with Redis: every instance's streams
    std::unique_ptr<RedisChannel> live_channel;
    std::unique_ptr<AmqpTransport> queue;  // RabbitMQ carrying the jobs, when configured
    std::unique_ptr<notifications::NotificationService> notifications;
    std::unique_ptr<notifications::JobsService> jobs;
    std::unique_ptr<notifications::ExportService> exports;
    notifications::ReportCatalogue report_kinds;
    std::unique_ptr<notifications::ReportService> reports;
    std::unique_ptr<notifications::JobRunner> runner;
    std::unique_ptr<billing::SqlBillingStore> billing_sql_store;
    std::unique_ptr<billing::SharedStatsBillingStore> billing_stats_cache;  // with Redis: shared by the instances
    billing::BillingStore* billing_store = nullptr;
    std::unique_ptr<billing::ActCatalogue> acts;
    std::unique_ptr<billing::InvoiceService> invoices;
    billing::Directory billing_directory;
    billing::PracticeInfo billing_practice;

    http::Router router;
    http::Router system_router;  // a worker's listener: health and metrics only
    http::StaticFiles static_files;
    std::unique_ptr<http::Pipeline> pipeline;
    std::unique_ptr<http::HttpServer> server;
    std::optional<BootstrapAdmin> bootstrap;
};

namespace {

/// The appointments' store and outbox, by the scheme of `database.appointments`: MongoDB (the
/// specification's engine) for mongodb://…, else the SQL database opened with the others.
void open_appointment_store(Application::Parts& p, bool migrate) {
    if (mongo::is_mongodb_url(p.cfg.database_url("appointments"))) {
        p.appointments_mongo = open_mongo(p.cfg, "appointments");
        log::info("db.schema", {{"context", "appointments"}, {"state", ensure_mongo_schema(*p.appointments_mongo, migrate)}});
        p.appointment_store = std::make_unique<appointments::MongoAppointmentStore>(*p.appointments_mongo);
        p.outboxes.emplace_back("appointments", std::make_shared<notifications::MongoOutboxSource>(*p.appointments_mongo));
        return;
    }
    p.appointment_store = std::make_unique<appointments::SqlAppointmentStore>(*p.dbs["appointments"]);
    p.outboxes.emplace_back("appointments", std::make_shared<notifications::SqlOutboxSource>(*p.dbs["appointments"]));
}

}  // namespace

Application::Application(config::Config cfg, AppOptions opts) : p_(std::make_unique<Parts>()) {
    auto& p = *p_;
    p.cfg = std::move(cfg);
    p.opts = opts;
    const auto& c = p.cfg;
    fs::create_directories(c.data_dir);

    if (!c.cache_url.empty()) {
        std::string error;
        auto target = parse_redis_url(c.cache_url, &error);
        if (!target) throw StartupError("cache.url: " + error);
        if (target->password.empty()) target->password = c.cache_password;
        p.redis = std::make_unique<RedisCache>(std::move(*target), RedisOptions{}, p.registry);
        p.redis_or_local = std::make_unique<FallbackCache>(*p.redis, p.cache, p.registry);
        p.shared_cache = p.redis.get();
        p.request_cache = p.redis_or_local.get();
        // Reachable or not, the instance starts: it serves without the shared cache until it is back.
        const bool up = p.redis->ping();
        log::info("cache.shared", {{"url", redact_redis_url(c.cache_url)}, {"reachable", up}, {"server", p.redis->server()}});
    }

    for (const auto& ctx : config::database_contexts()) {
        if (mongo::is_mongodb_url(c.database_url(ctx))) continue;  // its context's factory opens it
        p.dbs[ctx] = open_database(c, ctx);
        ensure_schema(*p.dbs[ctx], ctx, opts.migrate);
    }
    auto pool_gauges = [&](const std::string& ctx, db::Database* db) {
        std::string labels = "context=\"" + ctx + "\"";
        p.registry.gauge_fn("medisecure_db_pool_connections", "Connections the pool of a context database may open",
                            [db] { return static_cast<double>(db->stats().size); }, labels);
        p.registry.gauge_fn("medisecure_db_pool_open", "Connections the pool of a context database has open",
                            [db] { return static_cast<double>(db->stats().open); }, labels);
        p.registry.gauge_fn("medisecure_db_pool_in_use", "Connections leased from the pool",
                            [db] { return static_cast<double>(db->stats().in_use); }, labels);
        if (db->dialect() != db::Dialect::sqlite) return;
        p.registry.counter_fn("medisecure_db_group_commits", "Transactions committed by the group-commit writer (SQLite)",
                            [db] { return static_cast<double>(db->group_stats().batches); }, labels);
        p.registry.counter_fn("medisecure_db_group_commit_writes", "Writes made durable by those transactions",
                            [db] { return static_cast<double>(db->group_stats().writes); }, labels);
        p.registry.counter_fn("medisecure_db_group_commit_isolated",
                            "Batches run again with a savepoint per write, because one write failed alone",
                            [db] { return static_cast<double>(db->group_stats().isolated); }, labels);
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
    p.audit_sql = std::make_unique<audit::SqlAuditRepository>(*p.dbs["audit"]);
    p.audit_repo = p.audit_sql.get();
    if (p.dbs["audit"]->dialect() == db::Dialect::sqlite) {
        // One sequential, fsync'd append per batch on the request path; the indexed table is
        // filled behind it. A shared PostgreSQL keeps the chain in the database itself.
        p.audit_journal = std::make_unique<audit::JournaledAuditRepository>(
            *p.audit_sql, fs::path(c.data_dir) / "audit.journal", p.registry);
        p.audit_repo = p.audit_journal.get();
    }
    p.audit_log = std::make_unique<audit::AuditLog>(*p.audit_repo, p.clock, c.audit_key, p.registry);
    if (p.audit_journal) {
        try {
            p.audit_journal->open([log = p.audit_log.get()](const audit::AuditRecord& r) { return log->seal(r); },
                                  [log = p.audit_log.get()](std::int64_t seq, const std::string& hash) {
                                      return log->head_mac("", seq, hash);
                                  });
        } catch (const std::exception& e) {
            throw StartupError(std::string("the audit trail cannot be opened: ") + e.what());
        }
    }
    p.audit_log->start();

    // patients (identity needs to know patient ids exist)
    p.patient_sql_store = std::make_unique<patients::SqlPatientStore>(*p.dbs["patients"]);
    p.patient_store = p.patient_sql_store.get();
    if (p.redis && c.patient_cache_entries != 0) {
        // Shared by every instance. On RedisCache itself, not the fallback: the store must see
        // its failures, to read past it and remember the invalidations it could not apply.
        // Searches always; records only when asked for (a positive number): on PostgreSQL a read
        // by primary key is as fast as a Redis round trip (docs/performance.md).
        patients::SharedCacheOptions shared;
        shared.records = c.patient_cache_entries > 0;
        p.patient_shared_cache = std::make_unique<patients::SharedPatientStore>(
            *p.patient_sql_store, *p.redis, crypto::derive_key(c.master_key, "medisecure patients cache"), p.registry, shared);
        p.patient_store = p.patient_shared_cache.get();
    } else {
        auto cache_entries = c.patient_cache_entries;
        if (cache_entries < 0) cache_entries = p.dbs["patients"]->dialect() == db::Dialect::sqlite ? 20000 : 0;
        if (cache_entries > 0) {
            p.patient_cache = std::make_unique<patients::CachedPatientStore>(
                *p.patient_sql_store, static_cast<std::size_t>(cache_entries), p.registry);
            p.patient_store = p.patient_cache.get();
        }
    }

    // identity
    p.hasher = std::make_unique<crypto::PasswordHasher>(crypto::Argon2Params{c.argon2_memory_kib, c.argon2_iterations, 1});
    p.identity_store = std::make_unique<identity::SqlIdentityStore>(*p.dbs["identity"]);
    p.idempotency = std::make_unique<identity::SqlIdempotencyStore>(
        *p.dbs["identity"], crypto::derive_key(c.master_key, "medisecure idempotency answers v1"));
    p.tokens = std::make_unique<identity::TokenService>(c.jwt_secret, *p.shared_cache, p.clock, c.access_token_ttl_s,
                                                        p.identity_store.get());
    identity::AuthPolicy policy;
    policy.lockout_threshold = c.lockout_threshold;
    policy.account_lockout_threshold = c.account_lockout_threshold;
    policy.lockout = std::chrono::minutes(c.lockout_minutes);
    policy.session_ttl = std::chrono::seconds(c.session_ttl_s);
    policy.admins_need_totp = c.admins_need_totp();
    p.auth = std::make_unique<identity::AuthService>(*p.identity_store, *p.tokens, *p.hasher, c.master_key, *p.audit_log,
                                                     p.clock, policy, p.registry);
    auto* patient_store = p.patient_store;
    p.users = std::make_unique<identity::UserAdmin>(*p.identity_store, *p.tokens, *p.hasher, *p.audit_log, p.clock,
                                                    [patient_store](const std::string& id) { return patient_store->exists(id); });
    p.authenticator = std::make_unique<identity::TokenAuthenticator>(*p.tokens);
    // Sessions revoked while this instance (or the shared cache) was down stay revoked.
    try {
        p.tokens->load_revocations();
    } catch (const CacheUnavailable& e) {
        // Tokens are checked against the identity store until the cache is back, then it is refilled.
        log::warn("auth.deny_list_not_loaded", {{"error", e.what()}});
    }

    auto* store = p.identity_store.get();
    auto active_doctor = [store](const std::string& id) {
        auto u = store->find_user(id);
        return u && u->active && u->role == Role::doctor;
    };
    p.patients = std::make_unique<patients::PatientService>(*p.patient_store, *p.audit_log, p.clock, active_doctor);
    p.audit_queries = std::make_unique<audit::AuditQueries>(*p.audit_repo, *p.audit_log,
                                                            [patient_store](const std::string& id) { return patient_store->exists(id); });

    // notifications: the job queue, in-app notifications, the patient data export
    p.job_store = std::make_unique<notifications::SqlJobStore>(*p.dbs["notifications"]);
    p.notification_store = std::make_unique<notifications::SqlNotificationStore>(*p.dbs["notifications"]);
    p.hub = std::make_unique<notifications::NotificationHub>();
    notifications::Publisher* publisher = p.hub.get();
    if (p.redis) {
        // A notification made by any process reaches the streams every instance holds.
        p.fanout = std::make_unique<notifications::FanoutPublisher>(
            *p.hub, [&p](const std::string& message) { p.live_channel->publish(message); });
        p.live_channel = std::make_unique<RedisChannel>(
            *p.redis, "notifications", [f = p.fanout.get()](std::string_view message) { f->deliver(message); });
        publisher = p.fanout.get();
    }
    p.notifications = std::make_unique<notifications::NotificationService>(*p.notification_store, *publisher, p.clock);
    p.jobs = std::make_unique<notifications::JobsService>(*p.job_store, *p.audit_log, p.clock, c.master_key);
    p.exports = std::make_unique<notifications::ExportService>(
        *p.job_store, *p.audit_log, p.clock, [patient_store](const std::string& id) { return patient_store->exists(id); },
        [this] {
            if (p_->runner) p_->runner->nudge();
        });
    p.job_handlers.add(jobs::kInAppNotification,
                       std::make_shared<notifications::InAppHandler>(*p.notifications, [store](const std::string& r) {
                           std::vector<std::string> users;
                           if (r.rfind("user:", 0) == 0) {
                               users.push_back(r.substr(5));
                           } else if (r.rfind("patient:", 0) == 0) {
                               if (auto u = store->find_user_by_patient(r.substr(8)); u && u->active) users.push_back(u->id);
                           } else if (r.rfind("role:", 0) == 0) {
                               identity::UserFilter f;
                               f.role = parse_role(r.substr(5));
                               f.active = true;
                               f.limit = 1000;
                               if (f.role)
                                   for (const auto& u : store->list_users(f)) users.push_back(u.id);
                           }
                           return users;
                       }));
    p.job_handlers.add(notifications::kExportJob,
                       std::make_shared<notifications::ExportHandler>(p.export_sources, *p.jobs,
                                                                      (fs::path(c.data_dir) / "exports").string(), p.clock));
    p.export_sources.push_back(std::make_shared<patients::PatientExportSource>(*p.patient_store));
    p.export_sources.push_back(std::make_shared<audit::AccessLogExportSource>(
        *p.audit_repo, [users = p.users.get()](const std::set<std::string>& ids) { return users->display_names(ids); }));

    // documents: metadata in SQL, encrypted content in the blob store
    p.blobs = open_blob_store(c);
    p.document_store = std::make_unique<documents::SqlDocumentStore>(*p.dbs["documents"]);
    p.thumbnailer = std::make_unique<documents::StbThumbnailer>();
    p.documents = std::make_unique<documents::DocumentService>(
        *p.document_store, *p.blobs, *p.audit_log, p.clock, c.master_key,
        [patients = p.patients.get()](const std::string& id) -> std::optional<documents::PatientRef> {
            auto b = patients->briefs({id});
            if (b.empty()) return std::nullopt;
            return documents::PatientRef{id, b.begin()->second.primary_practitioner_id};
        },
        &p.registry);
    p.job_handlers.add(documents::kThumbnailJob, std::make_shared<documents::ThumbnailHandler>(*p.documents, *p.thumbnailer));
    p.export_sources.push_back(std::make_shared<documents::DocumentExportSource>(*p.documents));
    p.outboxes.emplace_back("documents", std::make_shared<notifications::SqlOutboxSource>(*p.dbs["documents"]));

    // records (the patients and identity contexts say who patients and practitioners are)
    records::Directory directory;
    directory.patient_exists = [patients = p.patients.get()](const std::string& id) { return patients->exists(id); };
    directory.patient_briefs = [patients = p.patients.get()](const std::set<std::string>& ids) { return patients->briefs(ids); };
    directory.user_names = [users = p.users.get()](const std::set<std::string>& ids) { return users->display_names(ids); };
    p.records_store = std::make_unique<records::SqlRecordsStore>(*p.dbs["records"]);
    p.code_store = std::make_unique<records::SqlCodeStore>(*p.dbs["records"]);
    p.codes = std::make_unique<records::CodeCatalog>(*p.code_store, *p.audit_log, p.clock);
    if (auto added = p.codes->ensure_starter()) log::info("records.icd10_starter_loaded", {{"codes", added}});
    p.encounters = std::make_unique<records::EncounterService>(
        *p.records_store, *p.codes, *p.audit_log, p.clock, directory, crypto::derive_key(c.master_key, "records.signature"),
        records::Practice{c.practice_name, c.practice_address, c.practice_phone, c.practice_email, c.practice_finess},
        *p.timezone);
    p.chart = std::make_unique<records::ChartService>(*p.records_store, *p.codes, *p.audit_log, p.clock, directory,
                                                      *p.timezone);
    p.outboxes.emplace_back("records", std::make_shared<notifications::SqlOutboxSource>(*p.dbs["records"]));
    p.export_sources.push_back(std::make_shared<records::RecordsExport>(*p.records_store, *p.encounters, directory));
    // appointments
    appointments::AppointmentRules rules;
    rules.portal_min_notice_hours = c.portal_min_notice_hours;
    rules.portal_cancel_notice_hours = c.portal_cancel_notice_hours;
    rules.portal_max_days_ahead = c.portal_max_days_ahead;
    rules.reminder_hours_before = c.reminder_hours_before;
    open_appointment_store(p, opts.migrate);
    p.practitioner_directory = std::make_unique<IdentityPractitioners>(*p.identity_store);
    p.patient_directory = std::make_unique<RegistryPatients>(*p.patient_store);
    p.schedule_service = std::make_unique<appointments::ScheduleService>(*p.appointment_store, *p.practitioner_directory,
                                                                  *p.audit_log, p.clock, *p.timezone, rules);
    p.appointment_service = std::make_unique<appointments::AppointmentService>(
        *p.appointment_store, *p.practitioner_directory, *p.patient_directory, *p.audit_log, p.clock, *p.timezone, rules);
    auto mails = std::make_shared<appointments::AppointmentEmailJob>(
        *p.appointment_store, *p.patient_directory, *p.practitioner_directory, *p.mailer, p.clock, *p.timezone,
        appointments::PracticeInfo{c.practice_name, c.practice_address, c.practice_phone, c.practice_email});
    for (const char* type : {appointments::kConfirmationEmail, appointments::kReminderEmail, appointments::kCancellationEmail})
        p.job_handlers.add(type, mails);
    p.export_sources.push_back(
        std::make_shared<appointments::AppointmentExport>(*p.appointment_store, *p.practitioner_directory, *p.timezone));
    // billing
    p.billing_sql_store = std::make_unique<billing::SqlBillingStore>(*p.dbs["billing"]);
    p.billing_store = p.billing_sql_store.get();
    if (p.redis) {
        // The statistics, shared by every instance; on RedisCache itself, as the patients' cache.
        p.billing_stats_cache = std::make_unique<billing::SharedStatsBillingStore>(
            *p.billing_sql_store, *p.redis, crypto::derive_key(c.master_key, "medisecure billing stats cache"),
            p.registry);
        p.billing_store = p.billing_stats_cache.get();
    }
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

    // reports rendered by jobs
    p.report_kinds.add(
        "billing.revenue",
        {.roles = {Role::admin, Role::accountant},
         .check = [](const boost::json::object& in) -> Result<boost::json::object> {
             auto int_of = [&](const char* k) -> std::optional<std::int64_t> {
                 const auto* v = in.if_contains(k);
                 return v && v->is_int64() ? std::optional(v->as_int64()) : std::nullopt;
             };
             auto year = int_of("year");
             if (!year || *year < 2000 || *year > 2100) return invalid_field("/year", "out_of_range", "between 2000 and 2100");
             boost::json::object out{{"year", *year}};
             if (in.contains("month")) {
                 auto month = int_of("month");
                 if (!month || *month < 1 || *month > 12) return invalid_field("/month", "out_of_range", "between 1 and 12");
                 out["month"] = *month;
             }
             return out;
         },
         .render = [this](const boost::json::object& params) -> Result<notifications::ReportFile> {
             int year = static_cast<int>(params.at("year").as_int64());
             std::optional<unsigned> month;
             if (const auto* m = params.if_contains("month")) month = static_cast<unsigned>(m->as_int64());
             auto stats = p_->invoices->stats(Caller::system("reports"), year, month);
             if (!stats) return stats.error();
             return notifications::ReportFile{billing::revenue_report_filename(year, month), "application/pdf",
                                              billing::render_revenue_pdf(*stats, p_->billing_practice,
                                                                           format_local_fr(*p_->timezone, p_->clock.now()))};
         }});
    p.reports = std::make_unique<notifications::ReportService>(p.report_kinds, *p.job_store, *p.audit_log, p.clock, [this] {
        if (p_->runner) p_->runner->nudge();
    });
    p.job_handlers.add(notifications::kReportJob,
                       std::make_shared<notifications::ReportHandler>(p.report_kinds, *p.jobs,
                                                                      (fs::path(c.data_dir) / "reports").string()));

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
    records::add_routes(p.router, *p.encounters, *p.chart, *p.codes, directory.user_names);
    appointments::add_routes(p.router, *p.schedule_service, *p.appointment_service, *p.timezone, {c.public_url});
    billing::add_routes(p.router, *p.acts, *p.invoices);
    audit::add_routes(p.router, *p.audit_queries, [users = p.users.get()](const std::set<std::string>& ids) {
        return users->display_names(ids);
    });
    notifications::add_routes(p.router, *p.jobs, *p.notifications, *p.exports, *p.reports, *p.hub);
    documents::add_routes(p.router, *p.documents, c.document_max_bytes);

    http::SystemRoutes sys;
    for (auto& [ctx, db] : p.dbs) sys.checks.push_back({"database:" + ctx, [d = db.get()] { return d->ping(); }});
    if (p.appointments_mongo)
        sys.checks.push_back({"database:appointments", [m = p.appointments_mongo.get()] { return m->ping(); }});
    sys.checks.push_back({"audit_writer", [log = p.audit_log.get()] { return log->ready(); }});
    sys.checks.push_back({"blob_store", [blobs = p.blobs.get()] { return blobs->ping(); }});
    // The API keeps serving without the shared cache (docs/operations.md): degraded, not down.
    if (p.redis) sys.checks.push_back({"cache", [r = p.redis.get()] { return r->ping(); }, false});
    // Without the broker, jobs wait in the store and go out when it is back: degraded too.
    if (!c.queue_url.empty()) {
        std::string error;
        auto target = parse_amqp_url(c.queue_url, &error);
        if (!target) throw StartupError("queue.url: " + error);
        if (target->password.empty()) target->password = c.queue_password;
        p.queue = std::make_unique<AmqpTransport>(std::move(*target), AmqpOptions{}, p.registry);
        log::info("queue.broker", {{"url", redact_amqp_url(c.queue_url)}, {"reachable", p.queue->ping()}});
        sys.checks.push_back({"queue", [q = p.queue.get()] { return q->ping(); }, false});
    }
    sys.registry = &p.registry;
    sys.metrics_token = c.metrics_token;
    sys.openapi_json = [this] { return openapi_json(); };
    http::ServerOptions so;
    so.host = c.listen_host;
    so.port = c.listen_port;
    so.io_threads = c.io_threads;
    so.worker_threads = c.worker_threads;
    so.inline_light_routes = p.dbs["patients"]->dialect() == db::Dialect::sqlite;
    so.max_queue = c.worker_queue_limit;
    so.header_limit = c.max_header_bytes;
    so.body_limit = c.max_body_bytes;
    so.read_timeout = std::chrono::seconds(c.read_timeout_s);
    so.write_timeout = std::chrono::seconds(c.write_timeout_s);
    so.idle_timeout = std::chrono::seconds(c.idle_timeout_s);
    so.max_connections = static_cast<std::size_t>(c.max_connections);
    so.drain_timeout = std::chrono::seconds(c.drain_timeout_s);
    so.spool_dir = (fs::path(c.data_dir) / "tmp").string();

    http::PipelineOptions po;
    po.cors_origins = c.cors_origins;
    po.trusted_proxies = c.trusted_proxies;
    po.per_ip = {c.rate_ip_per_s, c.rate_ip_burst};
    po.per_user = {c.rate_user_per_s, c.rate_user_burst};
    po.auth_per_ip = {c.rate_auth_per_s, c.rate_auth_burst};
    po.validate_responses = opts.validate_responses;
    po.describe_exception = describe;
    po.classify_exception = dependency_down;
    po.idempotency = p.idempotency.get();

    sys.draining = [this] { return p_->server && p_->server->draining().load(); };
    // A worker answers Prometheus and probes on its own listener, and nothing of the API.
    http::Router& served = opts.worker ? p.system_router : p.router;
    if (opts.worker) {
        so.host = c.worker_listen_host.empty() ? "127.0.0.1" : c.worker_listen_host;
        so.port = c.worker_listen_port;
        so.worker_threads = 2;
        so.io_threads = 1;
    }
    http::add_system_routes(served, std::move(sys));
    p.router.freeze();
    if (opts.worker) p.system_router.freeze();

    std::size_t web = p.static_files.mount("/", c.static_dir, true);
    // Only what the docs page loads: the package also ships source maps and other bundles
    // (about 10 MiB that would sit in memory unused).
    std::size_t docs = p.static_files.mount("/docs", c.swagger_ui_dir, false, [](const std::string& rel) {
        return rel == "swagger-ui.css" || rel == "swagger-ui-bundle.js" || rel == "favicon-32x32.png" ||
               rel == "favicon-16x16.png";
    });
    if (docs > 0) {
        p.static_files.add("/docs/index.html", docs_index());
        p.static_files.add("/docs/medisecure-init.js", docs_init());
    } else {
        p.static_files.add("/docs/index.html", docs_missing());
    }
    log::info("web.static", {{"app_files", web}, {"docs_files", docs}});

    p.pipeline = std::make_unique<http::Pipeline>(served, *p.authenticator, *p.request_cache, p.registry, po,
                                                  opts.worker ? nullptr : &p.static_files);
    p.server = std::make_unique<http::HttpServer>(so, *p.pipeline, p.audit_log.get(), p.registry);

    // The job runner last: every context has registered its handlers and its outbox by now.
    notifications::RunnerOptions ro;
    ro.workers = c.job_workers;
    ro.poll = std::chrono::milliseconds(c.job_poll_ms);
    ro.housekeeping = [jobs = p.jobs.get()] { jobs->purge_untaken(std::chrono::hours(24 * 7)); };
    ro.transport = p.queue.get();
    p.runner = std::make_unique<notifications::JobRunner>(*p.job_store, p.job_handlers, p.outboxes, p.clock,
                                                          p.registry, ro);
    for (const auto& [type, handler] : p.job_handlers.all()) log::debug("jobs.handler", {{"type", type}});
}

Application::~Application() {
    if (p_ && p_->live_channel) p_->live_channel->stop();
    if (p_ && p_->runner) p_->runner->stop();
    if (p_ && p_->audit_log) p_->audit_log->stop();
    if (p_ && p_->audit_journal) p_->audit_journal->close();
}

std::uint16_t Application::listen() { return p_->server->listen(); }

void Application::run() {
    if (p_->live_channel) p_->live_channel->start();
    if (p_->opts.run_jobs) p_->runner->start();
    p_->server->run(p_->opts.handle_signals);
    p_->runner->stop();  // running jobs finish first
    if (p_->live_channel) p_->live_channel->stop();
    p_->audit_log->stop();
    if (p_->audit_journal) p_->audit_journal->close();
    log::flush();
}

void Application::run_worker() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    p_->runner->start();
    // Health and metrics for Prometheus and probes, when asked for (jobs.worker_listen).
    std::thread listener;
    if (!p_->cfg.worker_listen_host.empty()) {
        auto port = p_->server->listen();
        log::info("worker.listening", {{"address", p_->cfg.worker_listen_host + ":" + std::to_string(port)}});
        listener = std::thread([this] { p_->server->run(false); });
    }
    log::info("worker.started", {{"handlers", p_->job_handlers.all().size()}});
    int sig = 0;
    sigwait(&set, &sig);
    log::info("worker.stopping", {{"signal", sig}});
    if (listener.joinable()) {
        p_->server->shutdown();
        listener.join();
    }
    p_->runner->stop();
    p_->audit_log->stop();
    if (p_->audit_journal) p_->audit_journal->close();
    log::flush();
}

void Application::stop() { p_->server->shutdown(); }

const std::optional<BootstrapAdmin>& Application::bootstrap_admin() const { return p_->bootstrap; }

std::vector<std::string> Application::connection_budget() const {
    struct Server {
        std::size_t contexts = 0, cap = 0;
    };
    std::map<std::string, Server> servers;
    std::size_t sqlite_files = 0;
    for (const auto& [ctx, db] : p_->dbs) {
        if (db->dialect() == db::Dialect::sqlite) {
            ++sqlite_files;
            continue;
        }
        // host:port of postgresql://user:***@host:port/db?…
        std::string where = db->url().redacted;
        if (auto scheme = where.find("://"); scheme != std::string::npos) where.erase(0, scheme + 3);
        if (auto at = where.find('@'); at != std::string::npos) where.erase(0, at + 1);
        where = where.substr(0, where.find_first_of("/?"));
        const char* engine = db->dialect() == db::Dialect::mariadb ? "MariaDB " : "PostgreSQL ";
        auto& s = servers[engine + (where.empty() ? std::string("(local socket)") : where)];
        ++s.contexts;
        s.cap += db->stats().size;
    }
    std::vector<std::string> out;
    for (const auto& [where, s] : servers) {
        out.push_back(where + ": up to " + std::to_string(s.cap) + " connections from this instance (" +
                      std::to_string(s.contexts) + " context" + (s.contexts == 1 ? "" : "s") + ", opened as needed)");
        log::info("db.connection_budget", {{"server", where}, {"contexts", s.contexts}, {"max_connections", s.cap}});
    }
    if (const auto& m = p_->appointments_mongo) {
        out.push_back("MongoDB " + m->url().hosts + ": up to " + std::to_string(m->size()) +
                      " connections from this instance (appointments, opened as needed)");
        log::info("db.connection_budget", {{"server", m->url().hosts}, {"contexts", 1}, {"max_connections", m->size()}});
    }
    if (sqlite_files > 0) out.push_back("SQLite: " + std::to_string(sqlite_files) + " database files in " + p_->cfg.data_dir);
    return out;
}
const config::Config& Application::config() const { return p_->cfg; }

void Application::refresh_statistics() {
    for (auto& [context, db] : p_->dbs) db->refresh_statistics();
}
Application::Parts& Application::parts() { return *p_; }
identity::UserAdmin& Application::users() { return *p_->users; }
patients::PatientService& Application::patients() { return *p_->patients; }
audit::AuditQueries& Application::audit_queries() { return *p_->audit_queries; }
records::CodeCatalog& Application::codes() { return *p_->codes; }
records::EncounterService& Application::encounters() { return *p_->encounters; }
records::ChartService& Application::chart() { return *p_->chart; }
appointments::ScheduleService& Application::schedules() { return *p_->schedule_service; }
appointments::AppointmentService& Application::appointments() { return *p_->appointment_service; }
billing::ActCatalogue& Application::acts() { return *p_->acts; }
billing::InvoiceService& Application::invoices() { return *p_->invoices; }
documents::DocumentService& Application::documents() { return *p_->documents; }
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

namespace {

/// `medisecure migrate` on a context's MongoDB database (appointments): the steps pending, or
/// a refusal when the database is newer than this binary.
std::string migrate_mongo(const config::Config& cfg, const std::string& ctx) {
    auto pool = open_mongo(cfg, ctx);
    mongo::Migrator m(*pool, ctx, appointments::MongoAppointmentStore::schema());
    auto before = m.state();
    for (const auto& p : before.problems) throw StartupError(p);
    if (before.ahead())
        throw StartupError("database." + ctx + " is newer than this binary (version " + std::to_string(before.current) + ")");
    int n = m.migrate();
    return "version " + std::to_string(before.latest) + " on MongoDB" +
           (n ? " (applied " + std::to_string(n) + ")" : " (up to date)");
}

}  // namespace

std::vector<std::string> migrate_all(const config::Config& cfg) {
    std::vector<std::string> out;
    for (const auto& ctx : config::database_contexts()) {
        if (mongo::is_mongodb_url(cfg.database_url(ctx))) {
            out.push_back(ctx + ": " + migrate_mongo(cfg, ctx));
            continue;
        }
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
