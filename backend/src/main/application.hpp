// SPDX-License-Identifier: Apache-2.0
// The composition root: the only place adapters are constructed and contexts are wired to each
// other. `medisecure serve` and the API tests build the same Application.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/config/config.hpp"

namespace medisecure {

namespace identity {
class UserAdmin;
}
namespace patients {
class PatientService;
}
namespace audit {
class AuditQueries;
}
namespace records {
class CodeCatalog;
class EncounterService;
class ChartService;
}  // namespace records
namespace appointments {
class ScheduleService;
class AppointmentService;
}
namespace billing {
class ActCatalogue;
class InvoiceService;
}
namespace documents {
class DocumentService;
}
class Clock;

struct AppOptions {
    bool migrate = false;          // apply pending migrations (fresh databases are always created)
    bool handle_signals = true;    // SIGINT/SIGTERM start a graceful shutdown
    bool validate_responses = false;
    bool bootstrap_admin = true;   // create the first administrator when there is none
    bool run_jobs = true;          // run the background job workers in this process
    /// `medisecure worker`: the HTTP listener (jobs.worker_listen) serves only health and
    /// metrics, never the API.
    bool worker = false;
};

struct BootstrapAdmin {
    std::string email;
    std::string password;
};

/// Why the application refused to start (schema mismatch, unreachable database...).
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Application {
public:
    Application(config::Config cfg, AppOptions opts);
    ~Application();

    /// Binds the listening socket; returns the port.
    std::uint16_t listen();
    /// Serves until stopped; then flushes the audit trail.
    void run();
    /// Thread-safe graceful stop.
    void stop();
    /// Runs only the background jobs (no HTTP) until SIGINT/SIGTERM: `medisecure worker`.
    void run_worker();

    /// After a bulk load (demo data, code lists): the engines' planner statistics and the rows'
    /// visibility are brought up to date (PostgreSQL: VACUUM (ANALYZE)), so that the next queries
    /// are planned for the new sizes and read pages that need no further writing.
    void refresh_statistics();

    /// Set when this start created the first administrator.
    const std::optional<BootstrapAdmin>& bootstrap_admin() const;
    std::string openapi_json() const;
    const config::Config& config() const;
    /// One line per database server: how many connections this instance may open to it (the
    /// pools' caps added up), for the start banner and the log.
    std::vector<std::string> connection_budget() const;

    identity::UserAdmin& users();
    patients::PatientService& patients();
    audit::AuditQueries& audit_queries();
    records::CodeCatalog& codes();
    records::EncounterService& encounters();
    records::ChartService& chart();
    appointments::ScheduleService& schedules();
    appointments::AppointmentService& appointments();
    billing::ActCatalogue& acts();
    billing::InvoiceService& invoices();
    documents::DocumentService& documents();
    /// The same invoice use cases over another clock: demo data dated in the past.
    std::unique_ptr<billing::InvoiceService> invoices_at(const Clock& clock);

    struct Parts;
    Parts& parts();

private:
    std::unique_ptr<Parts> p_;
};

/// Opens every context database and reports or applies migrations, for `medisecure migrate`.
/// Returns the lines to print; throws StartupError.
std::vector<std::string> migrate_all(const config::Config& cfg);

}  // namespace medisecure
