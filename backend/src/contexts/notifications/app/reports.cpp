// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/reports.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>

#include "platform/crypto/file_cipher.hpp"
#include "platform/log/log.hpp"

namespace medisecure::notifications {

namespace json = boost::json;
using audit::Outcome;

const ReportKind* ReportCatalogue::find(const std::string& name) const {
    auto it = kinds_.find(name);
    return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> ReportCatalogue::names() const {
    std::vector<std::string> out;
    for (const auto& [name, kind] : kinds_) out.push_back(name);
    return out;
}

ReportService::ReportService(const ReportCatalogue& catalogue, JobStore& store, audit::AuditTrail& audit,
                             const Clock& clock, std::function<void()> queued)
    : catalogue_(catalogue), store_(store), audit_(audit), clock_(clock), queued_(std::move(queued)) {}

Result<std::string> ReportService::request(const Caller& caller, const std::string& kind,
                                           const json::object& params) {
    const ReportKind* k = catalogue_.find(kind);
    if (!k) return invalid_field("kind", "unknown_report", "is not a report this server renders");
    if (std::find(k->roles.begin(), k->roles.end(), caller.role) == k->roles.end()) {
        audit_.record(caller, {"report.request", "report", kind, "", Outcome::denied, ""});
        return forbidden("role_not_allowed", "Your role does not allow this report.");
    }
    auto checked = k->check(params);
    if (!checked) {
        // Field pointers name the request body: the parameters sit under /parameters.
        Error e = checked.error();
        for (auto& f : e.fields) f.field = std::string("/parameters") + (f.field.rfind('/', 0) == 0 ? "" : "/") + f.field;
        return e;
    }
    jobs::JobRequest r;
    r.type = kReportJob;
    r.payload_json = json::serialize(json::object{{"kind", kind}, {"parameters", *checked}});
    r.owner_user_id = caller.user_id;
    r.max_attempts = 3;
    auto id = store_.enqueue(r, clock_.now());
    audit_.record(caller, {"report.request", "report", kind, "", Outcome::success, "job=" + id});
    if (queued_) queued_();
    return id;
}

ReportHandler::ReportHandler(const ReportCatalogue& catalogue, JobsService& jobs, std::string directory)
    : catalogue_(catalogue), jobs_(jobs), dir_(std::move(directory)) {}

jobs::Outcome ReportHandler::run(const jobs::Job& job) {
    boost::system::error_code ec;
    auto payload = json::parse(job.payload_json, ec);
    if (ec || !payload.is_object()) return jobs::Outcome::fail("payload is not an object");
    const auto* kind_name = payload.as_object().if_contains("kind");
    const auto* params = payload.as_object().if_contains("parameters");
    if (!kind_name || !kind_name->is_string() || !params || !params->is_object())
        return jobs::Outcome::fail("payload needs kind and parameters");
    const ReportKind* kind = catalogue_.find(std::string(kind_name->as_string()));
    if (!kind) return jobs::Outcome::fail("unknown report kind");
    auto rendered = kind->render(params->as_object());
    if (!rendered) return jobs::Outcome::fail("the report could not be rendered: " + rendered.error().code);

    std::error_code fec;
    std::filesystem::create_directories(dir_, fec);
    ResultFile f;
    f.path = (std::filesystem::path(dir_) / (job.id + ".enc")).string();
    f.key = crypto::new_file_key();
    f.filename = rendered->filename;
    f.content_type = rendered->content_type;
    try {
        crypto::FileEncryptor out(f.path, f.key);
        out.write(rendered->bytes.data(), rendered->bytes.size());
        out.finish();
        f.size = out.plaintext_size();
    } catch (const std::exception& e) {
        std::filesystem::remove(f.path, fec);
        log::error("report.failed", {{"job_id", job.id}, {"error", e.what()}});
        return jobs::Outcome::retry("the report could not be written");
    }
    auto outcome = jobs::Outcome::ok(jobs_.describe_result(job.id, f));
    if (!job.owner_user_id.empty()) {
        jobs::JobRequest note;
        note.type = jobs::kInAppNotification;
        note.payload_json = json::serialize(json::object{{"recipients", json::array{json::string("user:" + job.owner_user_id)}},
                                                         {"kind", "report.ready"},
                                                         {"data", json::object{{"job_id", job.id}, {"report", *kind_name}}},
                                                         {"link", "/jobs/" + job.id}});
        note.owner_user_id = job.owner_user_id;
        outcome.follow_up.push_back(std::move(note));
    }
    return outcome;
}

}  // namespace medisecure::notifications
