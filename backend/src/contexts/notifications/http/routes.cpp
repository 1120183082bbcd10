// SPDX-License-Identifier: Apache-2.0
// /api/v1/jobs/*, /api/v1/notifications/*, POST /api/v1/patients/{id}/export.
#include "contexts/notifications/http/routes.hpp"

#include <boost/json.hpp>
#include <filesystem>

#include "core/time.hpp"
#include "platform/crypto/file_cipher.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/url.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::notifications {
namespace json = boost::json;
using http::Access;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::opt;
using schema::req;
using schema::Schema;

std::shared_ptr<http::EventStream> NotificationHub::subscribe(const std::string& user_id) {
    auto s = std::make_shared<http::EventStream>();
    std::lock_guard lock(mu_);
    auto& list = streams_[user_id];
    std::erase_if(list, [](const auto& w) {
        auto p = w.lock();
        return !p || p->closed();
    });
    if (list.size() >= kMaxStreamsPerUser) {
        if (auto oldest = list.front().lock()) oldest->close();
        list.erase(list.begin());
    }
    list.push_back(s);
    return s;
}

void NotificationHub::published(const Notification& n) {
    boost::system::error_code ec;
    json::value data = json::parse(n.data_json, ec);
    if (ec) data = json::object{};
    std::string event = http::sse_event(
        "notification",
        json::serialize(json::object{{"id", n.id}, {"kind", n.kind}, {"data", data}, {"link", n.link},
                                     {"created_at", format_instant(n.created_at)}}),
        n.id);
    std::lock_guard lock(mu_);
    auto it = streams_.find(n.user_id);
    if (it == streams_.end()) return;
    std::erase_if(it->second, [&](const auto& w) {
        auto p = w.lock();
        return !p || !p->push(event);
    });
}

std::size_t NotificationHub::subscribers() {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (auto& [u, list] : streams_)
        for (auto& w : list)
            if (auto p = w.lock(); p && !p->closed()) ++n;
    return n;
}

namespace {

/// Streams a decrypted result file once, then deletes it.
class OneTimeFile final : public http::BodySource {
public:
    explicit OneTimeFile(ResultFile f) : f_(std::move(f)), in_(f_.path, f_.key) {}
    ~OneTimeFile() override {
        std::error_code ec;
        std::filesystem::remove(f_.path, ec);
    }
    std::optional<std::uint64_t> size() const override { return f_.size; }
    std::size_t read(char* out, std::size_t cap) override { return in_.read(out, cap); }

private:
    ResultFile f_;
    crypto::FileDecryptor in_;
};

const Schema& job_schema() {
    static const Schema s = Schema::named(
        "Job", Schema::object({
                   req("id", Schema::string().format("uuid")),
                   req("type", Schema::string()),
                   req("status", Schema::string().enumeration({"pending", "running", "succeeded", "retrying", "dead"})),
                   req("attempts", Schema::integer()),
                   req("max_attempts", Schema::integer()),
                   req("created_at", Schema::string().format("date-time")),
                   req("updated_at", Schema::string().format("date-time")),
                   req("error", Schema::string().nullable().describe("Why the last attempt failed (no personal data)")),
                   req("download", Schema::object({req("url", Schema::string()), req("filename", Schema::string()),
                                                   req("size", Schema::integer()), req("taken", Schema::boolean())})
                                        .nullable()
                                        .describe("A result file, downloadable once")),
               }));
    return s;
}

const Schema& notification_schema() {
    static const Schema s = Schema::named(
        "Notification",
        Schema::object({req("id", Schema::string().format("uuid")),
                        req("kind", Schema::string().example("appointment.booked")),
                        req("data", Schema::map_of(Schema::any()).describe("What the wording of this kind needs")),
                        req("link", Schema::string()), req("created_at", Schema::string().format("date-time")),
                        req("read_at", Schema::string().format("date-time").nullable())}));
    return s;
}

}  // namespace

void add_routes(http::Router& router, JobsService& jobs, NotificationService& notifications, ExportService& exports,
                ReportService& reports, NotificationHub& hub) {
    const Schema uuid = Schema::string().format("uuid");

    router.add({
        .method = Method::get,
        .path = "/api/v1/jobs/{id}",
        .operation_id = "getJob",
        .summary = "Status of a background job (its requester's, or any for administrators)",
        .tag = "jobs",
        .access = Access::signed_in(),
        .params = {{"id", ParamIn::path, uuid, true, "Job id"}},
        .responses = {{200, "The job", job_schema()}},
        .handler = [&jobs](Request& r) {
            auto j = jobs.get(r.caller(), std::string(r.path_param("id")));
            if (!j) return http::problem(j.error(), r.request_id);
            json::value download = nullptr;
            if (auto f = jobs.result_file(*j))
                download = json::object{{"url", "/api/v1/jobs/" + j->id + "/download"},
                                        {"filename", f->filename},
                                        {"size", f->size},
                                        {"taken", j->result_taken}};
            return Response::json(200, json::object{{"id", j->id},
                                                    {"type", j->type},
                                                    {"status", to_string(j->status)},
                                                    {"attempts", j->attempts},
                                                    {"max_attempts", j->max_attempts},
                                                    {"created_at", format_instant(j->created_at)},
                                                    {"updated_at", format_instant(j->updated_at)},
                                                    {"error", jsonu::nullable_if_empty(j->last_error)},
                                                    {"download", download}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/jobs/{id}/download",
        .operation_id = "downloadJobResult",
        .summary = "Download a job's result file (once; it is deleted afterwards)",
        .description = "Only by the user who asked for the job: anyone else, an administrator included, gets 404.",
        .tag = "jobs",
        .access = Access::signed_in(),
        .params = {{"id", ParamIn::path, uuid, true, "Job id"}},
        .responses = {{200, "The file", std::nullopt, "application/octet-stream", {"Content-Disposition"}}},
        .errors = {409, 410},
        .handler = [&jobs](Request& r) {
            auto f = jobs.take_download(r.caller(), std::string(r.path_param("id")));
            if (!f) return http::problem(f.error(), r.request_id);
            Response resp;
            resp.status = 200;
            resp.content_type = f->content_type;
            resp.headers.set("Content-Disposition", "attachment; filename=\"" + f->filename + "\"; filename*=UTF-8''" +
                                                        http::percent_encode(f->filename));
            resp.stream = std::make_shared<OneTimeFile>(*f);
            return resp;
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/patients/{id}/export",
        .operation_id = "exportPatientData",
        .summary = "Prepare a copy of all of a patient's data (GDPR): a ZIP archive, downloadable once",
        .description = "Open to the patient themself and to administrators. Answers at once with the job to follow; "
                       "when it has succeeded, its `download.url` gives the archive.",
        .tag = "patients",
        .access = Access::roles_of({Role::patient, Role::admin}),
        .params = {{"id", ParamIn::path, uuid, true, "Patient id"}},
        .responses = {{202, "The export is being prepared",
                       Schema::named("JobAccepted", Schema::object({req("job_id", Schema::string().format("uuid"))})),
                       "application/json", {"Location"}}},
        .handler = [&exports](Request& r) {
            auto id = exports.request(r.caller(), std::string(r.path_param("id")));
            if (!id) return http::problem(id.error(), r.request_id);
            Response resp = Response::json(202, json::object{{"job_id", *id}});
            resp.headers.set("Location", "/api/v1/jobs/" + *id);
            return resp;
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/reports",
        .operation_id = "requestReport",
        .summary = "Prepare a report (PDF) in the background, downloadable once by whoever asked",
        .description = "`billing.revenue`: the revenue of a month (or of a year without `month`) per practitioner and "
                       "payment method; accountants and administrators. Answers at once with the job to follow; when "
                       "it has succeeded, its `download.url` gives the file, and a `report.ready` notification says so.",
        .tag = "jobs",
        .access = Access::signed_in(),
        .body = http::BodyDoc{Schema::named(
            "ReportRequest",
            Schema::object({req("kind", Schema::string().enumeration(reports.catalogue().names())),
                            req("parameters", Schema::object({req("year", Schema::integer().minimum(2000).maximum(2100)),
                                                              opt("month", Schema::integer().minimum(1).maximum(12))})
                                                  .describe("The period"))}))},
        .responses = {{202, "The report is being prepared",
                       Schema::named("JobAccepted", Schema::object({req("job_id", Schema::string().format("uuid"))})),
                       "application/json", {"Location"}}},
        .errors = {400, 403},
        .handler = [&reports](Request& r) {
            const auto& b = r.json.as_object();
            auto id = reports.request(r.caller(), std::string(b.at("kind").as_string()), b.at("parameters").as_object());
            if (!id) return http::problem(id.error(), r.request_id);
            Response resp = Response::json(202, json::object{{"job_id", *id}});
            resp.headers.set("Location", "/api/v1/jobs/" + *id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/notifications",
        .operation_id = "listNotifications",
        .summary = "The signed-in user's notifications, newest first",
        .tag = "notifications",
        .access = Access::signed_in(),
        .params = {{"unread_only", ParamIn::query, Schema::boolean(), false, "Only unread ones"},
                   {"before", ParamIn::query, Schema::string().format("date-time"), false, "Cursor from a previous page"},
                   {"limit", ParamIn::query, Schema::integer().minimum(1).maximum(100), false, "Page size (default 20)"}},
        .responses = {{200, "A page of notifications",
                       Schema::named("NotificationPage",
                                     Schema::object({req("items", Schema::array(notification_schema())),
                                                     req("unread", Schema::integer()),
                                                     req("next_before", Schema::string().format("date-time").nullable())}))}},
        .handler = [&notifications](Request& r) {
            std::optional<Timestamp> before;
            if (auto b = r.query("before")) before = parse_instant(*b);
            int limit = http::query_limit(r, 20, 1000000);
            auto page = notifications.list(r.caller(), r.query("unread_only").value_or("false") == "true", before, limit);
            if (!page) return http::problem(page.error(), r.request_id);
            json::array items;
            for (const auto& n : page->items) {
                boost::system::error_code ec;
                json::value data = json::parse(n.data_json, ec);
                if (ec || !data.is_object()) data = json::object{};
                items.push_back(json::object{{"id", n.id}, {"kind", n.kind}, {"data", data}, {"link", n.link},
                                             {"created_at", format_instant(n.created_at)},
                                             {"read_at", n.read_at ? json::value(format_instant(*n.read_at)) : json::value(nullptr)}});
            }
            return Response::json(200, json::object{{"items", std::move(items)},
                                                    {"unread", page->unread},
                                                    {"next_before", page->next_before ? json::value(format_instant(*page->next_before))
                                                                                      : json::value(nullptr)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/notifications/{id}/read",
        .operation_id = "markNotificationRead",
        .summary = "Mark one of the user's notifications as read",
        .tag = "notifications",
        .access = Access::signed_in(),
        .params = {{"id", ParamIn::path, uuid, true, "Notification id"}},
        .responses = {{204, "Read", std::nullopt, ""}},
        .handler = [&notifications](Request& r) {
            auto res = notifications.mark_read(r.caller(), std::string(r.path_param("id")));
            if (!res) return http::problem(res.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/notifications/read-all",
        .operation_id = "markAllNotificationsRead",
        .summary = "Mark all of the user's notifications as read",
        .tag = "notifications",
        .access = Access::signed_in(),
        .responses = {{204, "Read", std::nullopt, ""}},
        .handler = [&notifications](Request& r) {
            auto res = notifications.mark_all_read(r.caller());
            if (!res) return http::problem(res.error(), r.request_id);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/notifications/stream",
        .operation_id = "notificationStream",
        .summary = "Live notifications (server-sent events: `event: notification`, JSON data)",
        .description = "The browser's EventSource authenticates with the session cookie. A comment arrives every few "
                       "seconds to keep the connection open.",
        .tag = "notifications",
        .access = Access::signed_in(),
        .responses = {{200, "An endless event stream", std::nullopt, "text/event-stream"}},
        .rate = http::RateClass::standard,
        .handler = [&hub](Request& r) {
            Response resp;
            resp.status = 200;
            resp.content_type = "text/event-stream";
            resp.events = hub.subscribe(r.principal->user_id);
            return resp;
        }});
}

}  // namespace medisecure::notifications
