// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/patient_export.hpp"

#include <boost/json.hpp>
#include <filesystem>

#include "core/time.hpp"
#include "platform/archive/zip_writer.hpp"
#include "platform/crypto/file_cipher.hpp"
#include "platform/log/log.hpp"

namespace medisecure::notifications {
namespace json = boost::json;
using audit::Outcome;

namespace {
const char* kReadme =
    "MediSecure — copie de vos données / copy of your data\n"
    "====================================================\n\n"
    "FR — Cette archive contient toutes les données que le cabinet détient à votre sujet (droit d'accès et de\n"
    "portabilité, articles 15 et 20 du RGPD) : un fichier JSON par domaine (identité, rendez-vous, dossier\n"
    "médical, factures, journal des accès) et vos documents dans le dossier documents/. Conservez-la en lieu sûr :\n"
    "elle contient des données de santé.\n\n"
    "EN — This archive holds all the data the practice keeps about you (GDPR articles 15 and 20): one JSON\n"
    "file per area (identity, appointments, medical record, invoices, access log) and your documents in the\n"
    "documents/ folder. Keep it safe: it contains health data.\n";
}  // namespace

ExportService::ExportService(JobStore& store, audit::AuditTrail& audit, const Clock& clock,
                             std::function<bool(const std::string&)> patient_exists, std::function<void()> queued)
    : store_(store), audit_(audit), clock_(clock), patient_exists_(std::move(patient_exists)), queued_(std::move(queued)) {}

Result<std::string> ExportService::request(const Caller& caller, const std::string& patient_id) {
    bool allowed = caller.is(Role::admin) || (caller.is(Role::patient) && caller.patient_id == patient_id);
    if (!allowed || !patient_exists_(patient_id)) {
        audit_.record(caller, {"patient.export.request", "patient", patient_id, patient_id,
                               allowed ? Outcome::not_found : Outcome::denied, ""});
        if (!allowed && !caller.is(Role::patient))
            return forbidden("role_not_allowed", "Only the patient or an administrator can export a record.");
        return not_found("patient_not_found", "No such patient.");
    }
    jobs::JobRequest r;
    r.type = kExportJob;
    r.payload_json = json::serialize(json::object{{"patient_id", patient_id}});
    r.owner_user_id = caller.user_id;
    r.patient_id = patient_id;
    r.max_attempts = 3;
    auto id = store_.enqueue(r, clock_.now());
    audit_.record(caller, {"patient.export.request", "patient", patient_id, patient_id, Outcome::success, "job=" + id});
    if (queued_) queued_();
    return id;
}

ExportHandler::ExportHandler(const std::vector<std::shared_ptr<jobs::PatientDataSource>>& sources, JobsService& jobs,
                             std::string directory, const Clock& clock)
    : sources_(sources), jobs_(jobs), dir_(std::move(directory)), clock_(clock) {}

jobs::Outcome ExportHandler::run(const jobs::Job& job) {
    boost::system::error_code ec;
    auto payload = json::parse(job.payload_json, ec);
    if (ec || !payload.is_object() || !payload.as_object().contains("patient_id"))
        return jobs::Outcome::fail("payload needs patient_id");
    std::string patient_id(payload.at("patient_id").as_string());
    std::error_code fec;
    std::filesystem::create_directories(dir_, fec);
    ResultFile f;
    f.path = (std::filesystem::path(dir_) / (job.id + ".zip.enc")).string();
    f.key = crypto::new_file_key();
    f.content_type = "application/zip";
    auto now = clock_.now();
    f.filename = "medisecure-export-" + format_date(date_of(now)) + ".zip";
    try {
        crypto::FileEncryptor out(f.path, f.key);
        archive::ZipWriter zip([&](const char* p, std::size_t n) { out.write(p, n); }, now);
        zip.add("LISEZ-MOI-README.txt", kReadme);
        json::object manifest{{"patient_id", patient_id}, {"generated_at", format_instant(now)}, {"sections", json::array{}}};
        for (const auto& source : sources_) {
            auto name = source->section();
            zip.add(name + ".json", json::serialize(source->export_json(patient_id)));
            for (const auto& file : source->export_files(patient_id)) zip.add(name + "/" + file.path, file.content);
            manifest["sections"].as_array().push_back(json::string(name));
        }
        zip.add("manifest.json", json::serialize(manifest));
        zip.finish();
        out.finish();
        f.size = out.plaintext_size();
    } catch (const std::exception& e) {
        std::filesystem::remove(f.path, fec);
        log::error("export.failed", {{"job_id", job.id}, {"error", e.what()}});
        return jobs::Outcome::retry("the archive could not be written");
    }
    auto outcome = jobs::Outcome::ok(jobs_.describe_result(job.id, f));
    // The requester learns it is ready wherever they are in the application.
    if (!job.owner_user_id.empty()) {
        jobs::JobRequest note;
        note.type = jobs::kInAppNotification;
        note.payload_json = json::serialize(json::object{{"recipients", json::array{json::string("user:" + job.owner_user_id)}},
                                                         {"kind", "export.ready"},
                                                         {"data", json::object{{"job_id", job.id}}},
                                                         {"link", "/jobs/" + job.id}});
        note.owner_user_id = job.owner_user_id;
        outcome.follow_up.push_back(std::move(note));
    }
    return outcome;
}

}  // namespace medisecure::notifications
