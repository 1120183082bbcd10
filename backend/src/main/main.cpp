// SPDX-License-Identifier: Apache-2.0
// The `medisecure` command: serve, migrate, user create, audit verify, demo seed, codes import,
// openapi, config docs. Configuration and start-up errors are listed in full and exit non-zero.
#include <malloc.h>
#include <sys/stat.h>

#include <thread>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "contexts/audit/app/audit_queries.hpp"
#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/documents/adapters/local/local_blob_store.hpp"
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"
#include "contexts/documents/app/document_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "main/application.hpp"
#include "main/backup.hpp"
#include "main/demo.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

#ifndef MEDISECURE_VERSION
#define MEDISECURE_VERSION "0.0.0"
#endif

using namespace medisecure;

namespace {

constexpr const char* kUsage = R"(Usage: medisecure <command> [options]

Commands:
  serve [--migrate] [--print-config] [--no-jobs]
                                       start the HTTP server (API, web application, /docs);
                                       --no-jobs leaves background jobs to `worker` processes
  worker                               run only the background jobs (several may share a database)
  migrate                              create or upgrade every database schema
  user create --email E --role R [--name N] [--patient-id ID] [--password-stdin]
                                       create an account (without --password-stdin a
                                       temporary password is generated and printed)
  audit verify                         check the audit trail's hash chain
  demo seed                            load the demo practice (prints the accounts)
  demo generate [--patients N] [--appointments N]
                                       add a generated population to the demo practice
                                       (default 100000 patients, 3000 appointments)
  codes import icd10 FILE              import the official ICD-10 (CIM-10) list into the code
                                       table: one code and its label a line, separated by ';',
                                       a tab, '|' or ','; a header line naming the columns
                                       (code;label) is optional; UTF-8 or Latin-1/Windows-1252.
                                       New codes are added and known ones relabelled.
  codes import ccam|ngap|other FILE [--dry-run]
                                       load a CSV list of acts into the billing catalogue:
                                       new codes are added, known ones get the file's label
                                       and price, none is deleted (format: docs/billing.md)
  documents migrate-store --to s3://BUCKET?endpoint=URL[&region=R]
                                       copy the documents' content from <data_dir>/blobs to
                                       an S3 bucket (keys: MEDISECURE_S3_ACCESS_KEY_ID and
                                       _SECRET_ACCESS_KEY); each object verified by SHA-256,
                                       those already there skipped (run it again to resume)
  documents verify                     read every document's content and thumbnail back, decrypt
                                       them and compare SHA-256 and size: lists each one altered
                                       or missing (exit status 1 when any)
  backup --output FILE                 write an encrypted archive of the embedded default's data
                                       (every SQLite database, the audit journal, the documents'
                                       blobs), consistent while `serve` runs
  backup verify FILE                   decrypt an archive, check every SHA-256 and its audit chain
  restore FILE [--force]               restore an archive into the data directory (refused when
                                       it is not empty, unless --force; stop `serve` first)
  openapi [--output FILE]              write the OpenAPI document
  config docs                          print the settings reference (Markdown)
  version

Options for every command:
  --config FILE      JSON configuration file (or MEDISECURE_CONFIG)
  --data-dir DIR     where the embedded default keeps its data (default ./data)
  --listen HOST:PORT address to serve on (default 127.0.0.1:8000)
  --env ENV          development or production
  --log-level LEVEL  debug, info, warn, error
  --set KEY=VALUE    any setting by its key (see `medisecure config docs`)
)";

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // --name -> value ("" for switches)
    std::map<std::string, std::string> config_flags;
    std::vector<std::string> errors;
};

Args parse(int argc, char** argv) {
    static const std::vector<std::string> kSwitches = {"--migrate", "--print-config", "--password-stdin", "--help",
                                                       "--dry-run", "--no-jobs", "--force"};
    static const std::vector<std::string> kConfigFlags = {"--listen", "--data-dir", "--env", "--log-level"};
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) {
            a.positional.push_back(arg);
            continue;
        }
        std::string name = arg, value;
        bool has_value = false;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            has_value = true;
        }
        if (std::find(kSwitches.begin(), kSwitches.end(), name) != kSwitches.end()) {
            a.options[name] = "";
            continue;
        }
        if (!has_value) {
            if (i + 1 >= argc) {
                a.errors.push_back(name + " needs a value");
                continue;
            }
            value = argv[++i];
        }
        if (name == "--set") {
            auto eq = value.find('=');
            if (eq == std::string::npos) a.errors.push_back("--set needs KEY=VALUE");
            else a.config_flags["--set:" + value.substr(0, eq)] = value.substr(eq + 1);
        } else if (std::find(kConfigFlags.begin(), kConfigFlags.end(), name) != kConfigFlags.end()) {
            a.config_flags[name] = value;
        } else {
            a.options[name] = value;
        }
    }
    return a;
}

/// `generate_secrets` false: secrets left empty stay empty (restore and verify must not create
/// a new practice's keys in the directory they read or fill).
std::optional<config::Config> load_config(const Args& a, bool generate_secrets = true) {
    std::optional<std::string> file;
    if (auto it = a.options.find("--config"); it != a.options.end()) file = it->second;
    else if (const char* env = std::getenv("MEDISECURE_CONFIG")) file = std::string(env);
    auto r = config::load(file, a.config_flags);
    auto& errors = r.errors;
    errors.insert(errors.end(), a.errors.begin(), a.errors.end());
    std::vector<std::string> generated;
    if (errors.empty() && generate_secrets) {
        auto secret_errors = config::resolve_secrets(r.config, &generated);
        errors.insert(errors.end(), secret_errors.begin(), secret_errors.end());
    }
    if (!errors.empty()) {
        std::cerr << "medisecure: the configuration has " << errors.size() << " problem(s):\n";
        for (const auto& e : errors) std::cerr << "  - " << e << "\n";
        return std::nullopt;
    }
    log::setup(log::parse_level(r.config.log_level).value_or(log::Level::info), r.config.log_format == "json");
    for (const auto& g : generated) log::info("config.secret_generated", {{"file", g}});
    if (!r.config.test_clock.empty()) {
        SystemClock::move_by_for_test(*parse_test_clock(r.config.test_clock, SystemClock::machine_now()));
        log::warn("config.test_clock", {{"starts_at", r.config.test_clock}});
    }
    return r.config;
}

std::string option(const Args& a, const std::string& name) {
    auto it = a.options.find(name);
    return it == a.options.end() ? std::string() : it->second;
}

int serve(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    if (a.options.count("--print-config")) {
        std::cout << config::print(*cfg) << "\n";
        return 0;
    }
    AppOptions opts;
    opts.migrate = a.options.count("--migrate") > 0;
    opts.run_jobs = cfg->jobs_in_serve && a.options.count("--no-jobs") == 0;
    Application app(*cfg, opts);
    auto port = app.listen();
    std::string base = "http://" + (cfg->listen_host == "0.0.0.0" ? std::string("127.0.0.1") : cfg->listen_host) + ":" +
                       std::to_string(port);
    bool embedded = true;
    for (const auto& ctx : config::database_contexts()) embedded &= cfg->database_url(ctx).rfind("sqlite:", 0) == 0;
    std::cout << "\nMediSecure " << MEDISECURE_VERSION << " is running"
              << (embedded ? " on the embedded default (SQLite in " + cfg->data_dir + ")" : "") << ".\n"
              << "  Open     " << base << "/\n"
              << "  API docs " << base << "/docs\n";
    for (const auto& line : app.connection_budget()) std::cout << "  Data     " << line << "\n";
    if (const auto& admin = app.bootstrap_admin()) {
        std::cout << "\nFirst start: an administrator account was created. The password is shown only now.\n"
                  << "  e-mail   " << admin->email << "\n"
                  << "  password " << admin->password << "\n"
                  << "Sign in and change it (account menu), then create your team's accounts.\n";
    }
    std::cout << "\nStop with Ctrl-C (in-flight requests are completed first).\n" << std::endl;
    app.run();
    return 0;
}

/// Options of the one-shot operator commands: no signal handling, no first administrator,
/// no background jobs.
AppOptions command_options() {
    AppOptions opts;
    opts.handle_signals = false;
    opts.bootstrap_admin = false;
    opts.run_jobs = false;
    return opts;
}

int worker(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    AppOptions opts = command_options();
    opts.run_jobs = true;
    opts.worker = true;
    Application app(*cfg, opts);
    app.run_worker();
    return 0;
}

int migrate(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    for (const auto& line : migrate_all(*cfg)) std::cout << line << "\n";
    return 0;
}

int user_create(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    identity::NewUser u;
    u.email = option(a, "--email");
    u.display_name = option(a, "--name");
    if (u.display_name.empty()) u.display_name = u.email.substr(0, u.email.find('@'));
    auto role = parse_role(option(a, "--role"));
    if (u.email.empty() || !role) {
        std::cerr << "medisecure user create: --email and --role (admin, doctor, nurse, secretary, accountant, patient) are required\n";
        return 2;
    }
    u.role = *role;
    u.patient_id = option(a, "--patient-id");
    if (a.options.count("--password-stdin")) {
        std::string line;
        std::getline(std::cin, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        u.password = line;
    }
    Application app(*cfg, command_options());
    auto created = app.users().create(Caller::system("cli"), u);
    if (!created) {
        std::cerr << "medisecure user create: " << created.error().detail << "\n";
        for (const auto& f : created.error().fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
        return 1;
    }
    std::cout << "created " << std::string(to_string(created->user.role)) << " " << created->user.email << " (id "
              << created->user.id << ")\n";
    if (!created->temporary_password.empty())
        std::cout << "temporary password: " << created->temporary_password << "\n";
    return 0;
}

/// Writes a command's report in one piece: the log lines of its work (written by the logger's
/// thread, to the same stdout) may come before or after it, never inside it.
void print_report(const std::ostringstream& out) {
    log::flush();
    std::cout << out.str() << std::flush;
}

/// Prints what `audit verify` found; the exit status.
int print_chain(const audit::VerifyReport& report, const std::string& what) {
    std::ostringstream out;
    if (report.ok()) {
        if (report.chains > 1)
            out << what << " intact: " << report.records << " records in " << report.chains
                << " chains, every chain and head verified\n";
        else
            out << what << " intact: " << report.records << " records, chain and head verified\n";
        print_report(out);
        return 0;
    }
    out << what << " TAMPERED: " << report.problems.size() << " problem(s) in " << report.records << " records\n";
    for (const auto& p : report.problems) out << "  [" << audit::to_string(p.kind) << "] " << p.message << "\n";
    print_report(out);
    return 1;
}

int audit_verify(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    Application app(*cfg, command_options());
    return print_chain(app.audit_queries().verify(), "audit trail");
}

int documents_verify(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    Application app(*cfg, command_options());
    auto report = app.documents().verify_store(Caller::system("cli"), [](std::size_t done) {
        if (done % 1000 == 0) std::cerr << "\r" << done << " documents checked" << std::flush;
    });
    if (report.documents >= 1000) std::cerr << "\n";
    std::ostringstream out;
    if (report.problems.empty()) {
        out << "documents intact: " << report.documents << " contents and " << report.thumbnails
            << " thumbnails read back, decrypted and verified\n";
        print_report(out);
        return 0;
    }
    out << "documents DAMAGED: " << report.problems.size() << " problem(s) in " << report.documents << " documents and "
        << report.thumbnails << " thumbnails\n";
    for (const auto& p : report.problems) out << "  [" << p.problem << "] document " << p.document_id << " (" << p.part << ")\n";
    print_report(out);
    return 1;
}

int demo_seed(const Args& a) {
    auto cfg = load_config(a);
    if (!cfg) return 2;
    AppOptions opts = command_options();
    opts.migrate = true;
    Application app(*cfg, opts);
    std::cout << seed_demo(app) << std::flush;
    app.refresh_statistics();
    return 0;
}

int demo_generate(const Args& a) {
    auto count = [&](const char* name, int fallback) -> std::optional<int> {
        auto v = option(a, name);
        if (v.empty()) return fallback;
        int n = -1;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || end != v.data() + v.size() || n < 0 || n > 10'000'000) {
            std::cerr << "medisecure demo generate: " << name << " must be a whole number from 0 to 10000000\n";
            return std::nullopt;
        }
        return n;
    };
    auto patients = count("--patients", 100000), appointments = count("--appointments", 3000);
    if (!patients || !appointments) return 2;  // before anything is written
    auto cfg = load_config(a);
    if (!cfg) return 2;
    AppOptions opts = command_options();
    opts.migrate = true;
    Application app(*cfg, opts);
    std::cout << generate_population(app, *patients, *appointments) << std::flush;
    app.refresh_statistics();
    return 0;
}

/// Reads a code list, refusing what cannot be one (over 64 MiB).
std::optional<std::string> read_code_file(const std::string& path) {
    constexpr std::uintmax_t kMaxBytes = 64u << 20;  // the full CCAM or CIM-10 is a few megabytes
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        std::cerr << "medisecure codes import: cannot read " << path << ": " << ec.message() << "\n";
        return std::nullopt;
    }
    if (size > kMaxBytes) {
        std::cerr << "medisecure codes import: " << path << " is larger than 64 MiB; is it a code list?\n";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        std::cerr << "medisecure codes import: cannot read " << path << "\n";
        return std::nullopt;
    }
    return bytes;
}

int import_icd10(Application& app, const std::string& path, const std::string& bytes) {
    auto report = app.codes().import(Caller::system("cli"), bytes, std::filesystem::path(path).filename().string());
    if (!report) {
        std::cerr << "medisecure codes import: " << report.error().detail << "\n";
        return 1;
    }
    std::cout << "read " << report->read << " codes (" << report->encoding << "): " << report->counts.added << " added, "
              << report->counts.updated << " relabelled, " << report->counts.unchanged << " unchanged\n";
    if (report->skipped) {
        std::cout << report->skipped << " line(s) skipped";
        if (!report->problems.empty()) std::cout << ", for example:";
        std::cout << "\n";
        for (const auto& p : report->problems) std::cout << "  " << p << "\n";
    }
    std::cout << "the ICD-10 table now holds " << report->table_size << " codes\n";
    return 0;
}

int import_acts(Application& app, const std::string& path, const std::string& bytes, billing::ActSystem system,
                bool dry_run) {
    auto r = app.acts().import_csv(Caller::system("cli"), bytes, system, dry_run);
    if (!r) {
        std::cerr << "medisecure codes import: " << r.error().detail << "\n";
        return 1;
    }
    std::cout << (dry_run ? "dry run (nothing written): " : "imported ") << path << " ("
              << std::string(billing::to_string(system)) << "): " << r->inserted << " added, " << r->updated
              << " updated, " << r->unchanged << " unchanged, " << r->skipped.size() << " skipped\n";
    constexpr std::size_t kShown = 30;
    for (std::size_t i = 0; i < r->skipped.size() && i < kShown; ++i) {
        const auto& s = r->skipped[i];
        std::cout << "  line " << s.line << (s.code.empty() ? "" : " " + s.code) << ": " << s.reason << "\n";
    }
    if (r->skipped.size() > kShown) std::cout << "  ... and " << r->skipped.size() - kShown << " more\n";
    return 0;
}

int codes_import(const Args& a) {
    const std::string kind = a.positional.size() > 2 ? a.positional[2] : "";
    const std::string path = a.positional.size() > 3 ? a.positional[3] : "";
    std::optional<billing::ActSystem> acts;
    if (kind == "ccam") acts = billing::ActSystem::ccam;
    else if (kind == "ngap") acts = billing::ActSystem::ngap;
    else if (kind == "other") acts = billing::ActSystem::other;
    if ((kind != "icd10" && !acts) || path.empty() || a.positional.size() > 4) {
        std::cerr << "usage: medisecure codes import icd10|ccam|ngap|other FILE [--dry-run]\n";
        return 2;
    }
    auto bytes = read_code_file(path);
    if (!bytes) return 1;
    auto cfg = load_config(a);
    if (!cfg) return 2;
    Application app(*cfg, command_options());
    int status = acts ? import_acts(app, path, *bytes, *acts, a.options.count("--dry-run") > 0)
                      : import_icd10(app, path, *bytes);
    if (status == 0) app.refresh_statistics();
    return status;
}

/// SHA-256 of everything a reader gives.
std::string sha256_of(documents::BlobReader& r) {
    crypto::Sha256 h;
    std::vector<char> buf(256 * 1024);
    while (auto n = r.read(buf.data(), buf.size())) h.update(buf.data(), n);
    return h.hex_digest();
}

int documents_migrate_store(const Args& a) {
    const std::string to = option(a, "--to");
    if (to.empty() || a.positional.size() > 2) {
        std::cerr << "usage: medisecure documents migrate-store --to s3://BUCKET?endpoint=URL[&region=R]\n";
        return 2;
    }
    auto cfg = load_config(a);
    if (!cfg) return 2;
    std::string error;
    auto target = documents::parse_s3_url(to, &error);
    if (!target) {
        std::cerr << "--to: " << error << "\n";
        return 2;
    }
    if (cfg->s3_access_key_id.empty() || cfg->s3_secret_access_key.empty()) {
        std::cerr << "set MEDISECURE_S3_ACCESS_KEY_ID and MEDISECURE_S3_SECRET_ACCESS_KEY (or their _FILE forms)\n";
        return 2;
    }
    target->access_key_id = cfg->s3_access_key_id;
    target->secret_access_key = cfg->s3_secret_access_key;
    const std::string root = (std::filesystem::path(cfg->data_dir) / "blobs").string();
    documents::LocalBlobStore source(root);
    documents::S3BlobStore dest(*target);
    if (!dest.ping()) {
        std::cerr << "cannot reach bucket " << target->bucket << " at " << target->endpoint << " (or the keys are refused)\n";
        return 1;
    }
    const auto keys = source.keys();
    std::size_t copied = 0, present = 0, failed = 0;
    std::uint64_t bytes = 0;
    auto progress = [&](std::size_t done) {
        const std::size_t width = 30, filled = keys.empty() ? width : done * width / keys.size();
        std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done << "/" << keys.size()
                  << " objects, " << bytes / (1024 * 1024) << " MiB copied" << std::flush;
    };
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto& key = keys[i];
        try {
            auto src = source.open(key);
            if (!src) continue;  // removed meanwhile
            const std::string want = sha256_of(*src);
            if (auto existing = dest.open(key); existing && sha256_of(*existing) == want) {
                ++present;  // copied by an earlier run
            } else {
                auto in = source.open(key);
                auto out = dest.create(key);
                std::vector<char> buf(256 * 1024);
                while (auto n = in->read(buf.data(), buf.size())) {
                    out->write(buf.data(), n);
                    bytes += n;
                }
                out->commit();
                auto back = dest.open(key);
                if (back && sha256_of(*back) == want) {
                    ++copied;
                } else {
                    ++failed;
                    std::cerr << "\n" << key << ": the copy does not match the original\n";
                }
            }
        } catch (const std::exception& e) {
            ++failed;
            std::cerr << "\n" << key << ": " << e.what() << "\n";
        }
        progress(i + 1);
    }
    progress(keys.size());
    std::cerr << "\n";
    std::cout << keys.size() << " objects: " << copied << " copied, " << present << " already there, " << failed
              << " failed\n";
    if (failed > 0) {
        std::cout << "Run the command again to retry what failed.\n";
        return 1;
    }
    std::cout << "Every object is in the bucket. Set MEDISECURE_BLOB_URL=" << to << " (and the keys) and restart; "
              << root << " can be removed once the instances read from the bucket.\n";
    return 0;
}

int backup_write(const Args& a) {
    const std::string output = option(a, "--output");
    if (output.empty() || a.positional.size() > 1) {
        std::cerr << "usage: medisecure backup --output FILE\n";
        return 2;
    }
    auto cfg = load_config(a);
    if (!cfg) return 2;
    const auto started = std::chrono::steady_clock::now();
    auto report = backup::write_archive(*cfg, output, backup::terminal_progress("backup"));
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    std::cout << "wrote " << output << ": " << report.entries << " entries (" << report.databases << " databases), "
              << report.content_bytes << " bytes, " << report.archive_bytes << " bytes encrypted, in " << ms
              << " ms\n";
    for (const auto& n : report.not_included) std::cout << "not included: " << n << "\n";
    std::cout << "Keep the master key apart from the archive: it opens only with it.\n";
    return 0;
}

/// The master key an archive opens with: configured, or the development key file of the data
/// directory. Never generated here: a new key could not open any archive.
std::optional<std::string> archive_master_key(const config::Config& c, const char* command) {
    if (!c.master_key.empty()) return c.master_key;
    std::ifstream in(std::filesystem::path(c.data_dir) / "secrets" / "master_key.key", std::ios::binary);
    std::string key;
    std::getline(in, key);
    if (key.size() >= 32) return key;
    std::cerr << "medisecure " << command << ": no master key: set MEDISECURE_MASTER_KEY (or _FILE) to the master key "
              << "of the practice the archive was taken from (in development, a copy of its "
              << "<data_dir>/secrets/master_key.key)\n";
    return std::nullopt;
}

/// Decrypts into `dir` and prints what does not match; false when the archive is refused.
bool extract_checked(const std::string& file, const std::string& key, const std::string& dir, const char* command,
                     backup::ExtractReport& report) {
    try {
        report = backup::extract_archive(file, backup::archive_key(key), dir, backup::terminal_progress(command));
    } catch (const std::exception& e) {
        std::cerr << "\nmedisecure " << command << ": archive REFUSED: " << e.what() << "\n";
        return false;
    }
    if (report.problems.empty()) return true;
    std::cerr << "medisecure " << command << ": archive REFUSED: " << report.problems.size() << " problem(s)\n";
    for (const auto& p : report.problems) std::cerr << "  " << p << "\n";
    return false;
}

struct ScratchDir {
    std::filesystem::path path;
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

int backup_verify(const Args& a) {
    if (a.positional.size() != 3) {
        std::cerr << "usage: medisecure backup verify FILE\n";
        return 2;
    }
    auto cfg = load_config(a, false);
    if (!cfg) return 2;
    auto key = archive_master_key(*cfg, "backup verify");
    if (!key) return 2;
    ScratchDir scratch{std::filesystem::temp_directory_path() / ("medisecure-verify-" + std::to_string(::getpid()))};
    std::filesystem::remove_all(scratch.path);
    backup::ExtractReport report;
    if (!extract_checked(a.positional[2], *key, scratch.path.string(), "backup verify", report)) return 1;
    std::cout << report.entries << " entries, " << report.content_bytes << " bytes: every SHA-256 matches the manifest\n";
    // The audit chain, as `audit verify` checks it, on the archive's own data: a throw-away
    // embedded application over the extracted directory, touching no server.
    config::Config vc = *cfg;
    vc.data_dir = scratch.path.string();
    vc.database_urls.clear();
    vc.blob_url.clear();
    vc.cache_url.clear();
    vc.queue_url.clear();
    vc.smtp_url.clear();
    vc.master_key = *key;
    if (auto errors = config::resolve_secrets(vc); !errors.empty()) {
        for (const auto& e : errors) std::cerr << "  - " << e << "\n";
        return 2;
    }
    AppOptions opts = command_options();
    opts.migrate = true;  // an archive of an older version: its schema upgraded in the copy only
    audit::VerifyReport chain;
    try {
        Application app(vc, opts);
        chain = app.audit_queries().verify();
    } catch (const std::exception& e) {
        std::cout << "audit trail in the archive REFUSED: " << e.what() << "\n";
        return 1;
    }
    if (print_chain(chain, "audit trail in the archive") != 0) return 1;
    std::cout << "archive verified\n";
    return 0;
}

int restore(const Args& a) {
    if (a.positional.size() != 2) {
        std::cerr << "usage: medisecure restore FILE [--force]\n";
        return 2;
    }
    namespace fs = std::filesystem;
    auto cfg = load_config(a, false);
    if (!cfg) return 2;
    const fs::path data_dir = fs::absolute(cfg->data_dir).lexically_normal();
    const bool force = a.options.count("--force") > 0;
    if (fs::exists(data_dir) && !fs::is_empty(data_dir) && !force) {
        std::cerr << "medisecure restore: " << data_dir.string() << " is not empty; restore into an empty directory, "
                  << "or pass --force to replace what it holds (stop `serve` first)\n";
        return 1;
    }
    auto key = archive_master_key(*cfg, "restore");
    if (!key) return 2;
    // Decrypted and checked beside the data directory first: a refused archive changes nothing.
    ScratchDir staging{data_dir.parent_path() / ("." + data_dir.filename().string() + ".restore-" + std::to_string(::getpid()))};
    fs::remove_all(staging.path);
    backup::ExtractReport report;
    if (!extract_checked(a.positional[1], *key, staging.path.string(), "restore", report)) {
        std::cerr << "nothing was changed in " << data_dir.string() << "\n";
        return 1;
    }
    // Databases configured outside the data directory go back where the configuration says.
    for (const auto& ctx : report.databases) {
        const std::string url = cfg->database_url(ctx);
        if (url.rfind("sqlite:", 0) != 0) {
            std::cerr << "medisecure restore: database." << ctx << " is not SQLite here; its copy is not restored\n";
            fs::remove(staging.path / (ctx + ".db"));
            continue;
        }
        const fs::path target = fs::absolute(url.substr(7)).lexically_normal();
        if (target == data_dir / (ctx + ".db")) continue;
        for (const char* tail : {"", "-wal", "-shm", "-journal"}) fs::remove(target.string() + tail);
        fs::create_directories(target.parent_path());
        fs::copy_file(staging.path / (ctx + ".db"), target);
        fs::remove(staging.path / (ctx + ".db"));
    }
    if (fs::exists(data_dir)) {
        for (const auto& e : fs::directory_iterator(data_dir)) fs::remove_all(e.path());
    } else {
        fs::create_directories(data_dir);
    }
    for (const auto& e : fs::directory_iterator(staging.path)) fs::rename(e.path(), data_dir / e.path().filename());
    if (fs::exists(data_dir / "secrets")) ::chmod((data_dir / "secrets").c_str(), 0700);
    std::cout << "restored " << report.entries << " entries (" << report.content_bytes << " bytes) into "
              << data_dir.string() << "; check it with `medisecure audit verify`, then start `medisecure serve`\n";
    return 0;
}

int openapi(const Args& a) {
    // The document depends on the code only: build the application on a throw-away embedded
    // database instead of touching the configured data directory, secrets or servers.
    auto scratch = std::filesystem::temp_directory_path() / ("medisecure-openapi-" + std::to_string(::getpid()));
    Args ephemeral = a;
    ephemeral.config_flags["--data-dir"] = scratch.string();
    ephemeral.config_flags["--log-level"] = "error";
    for (const auto& ctx : config::database_contexts()) ephemeral.config_flags["--set:database." + ctx] = "";
    int status = 0;
    {
        auto cfg = load_config(ephemeral);
        if (!cfg) return 2;
        Application app(*cfg, command_options());
        auto out = option(a, "--output");
        if (out.empty()) {
            std::cout << app.openapi_json() << "\n";
        } else {
            std::ofstream f(out, std::ios::trunc);
            f << app.openapi_json() << "\n";
            if (!f) {
                std::cerr << "medisecure openapi: cannot write " << out << "\n";
                status = 1;
            }
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
    return status;
}

}  // namespace

#ifdef MEDISECURE_JEMALLOC
// jemalloc reads its options from this symbol: unused pages are handed back after two seconds
// (ten by default), so resident memory follows the load down.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "dirty_decay_ms:2000,muzzy_decay_ms:0";
}
#endif

int main(int argc, char** argv) {
#ifndef MEDISECURE_JEMALLOC
    // With glibc malloc, memory that comes back: large blocks (an Argon2 hash takes 19 MiB)
    // always from mmap and returned when freed, instead of growing the heap of every worker
    // thread's arena; and a few arenas rather than one per thread. (jemalloc returns unused
    // pages by itself.)
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
#endif
    Args a = parse(argc, argv);
    auto cmd = [&](std::size_t i) { return a.positional.size() > i ? a.positional[i] : std::string(); };
    try {
        if (cmd(0) == "serve") return serve(a);
        if (cmd(0) == "migrate") return migrate(a);
        if (cmd(0) == "worker") return worker(a);
        if (cmd(0) == "user" && cmd(1) == "create") return user_create(a);
        if (cmd(0) == "audit" && cmd(1) == "verify") return audit_verify(a);
        if (cmd(0) == "demo" && cmd(1) == "seed") return demo_seed(a);
        if (cmd(0) == "demo" && cmd(1) == "generate") return demo_generate(a);
        if (cmd(0) == "codes" && cmd(1) == "import") return codes_import(a);
        if (cmd(0) == "backup" && cmd(1) == "verify") return backup_verify(a);
        if (cmd(0) == "backup") return backup_write(a);
        if (cmd(0) == "restore") return restore(a);
        if (cmd(0) == "openapi") return openapi(a);
        if (cmd(0) == "documents" && cmd(1) == "migrate-store") return documents_migrate_store(a);
        if (cmd(0) == "documents" && cmd(1) == "verify") return documents_verify(a);
        if (cmd(0) == "config" && cmd(1) == "docs") {
            std::cout << config::markdown();
            return 0;
        }
        if (cmd(0) == "version") {
            std::cout << "medisecure " << MEDISECURE_VERSION << "\n";
            return 0;
        }
        std::cerr << kUsage;
        return cmd(0).empty() || cmd(0) == "help" || a.options.count("--help") ? 0 : 2;
    } catch (const StartupError& e) {
        log::flush();
        std::cerr << "medisecure: cannot start: " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        log::flush();
        std::cerr << "medisecure: " << e.what() << "\n";
        return 1;
    }
}
