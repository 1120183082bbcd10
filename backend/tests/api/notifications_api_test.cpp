// SPDX-License-Identifier: Apache-2.0
// Jobs, the patient data export end to end, and live notifications over server-sent events.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include <boost/json.hpp>
#include <future>

#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

TEST(NotificationsApi, PatientExportsTheirDataAndIsToldLiveWhenItIsReady) {
    TestApp app;
    auto pid = app.patient("Joséphine", "Santini", "1944-04-04", R"({"email":"jo@exemple.fr"})");
    auto portal = app.user(Role::patient, pid);
    HttpClient c(app.base_url());
    c.bearer = portal.token;

    std::promise<void> connected;
    auto stream = std::async(std::launch::async, [&] {
        return read_event_stream(app.base_url() + "/api/v1/notifications/stream", portal.token, "export.ready",
                           std::chrono::seconds(30), &connected);
    });
    connected.get_future().wait();  // the stream is open before the export is asked for

    auto r = c.post("/api/v1/patients/" + pid + "/export", "");
    ASSERT_EQ(r.status, 202) << r.body;
    std::string job(r.json().at("job_id").as_string());
    EXPECT_EQ(r.header("location"), "/api/v1/jobs/" + job);

    auto events = stream.get();
    EXPECT_NE(events.find("event: notification"), std::string::npos) << events;
    EXPECT_NE(events.find("\"kind\":\"export.ready\""), std::string::npos) << events;
    EXPECT_NE(events.find(job), std::string::npos);

    auto status = c.get("/api/v1/jobs/" + job);
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(status.json().at("status"), "succeeded");
    EXPECT_EQ(status.json().at("download").at("taken"), false);
    auto dl = c.get("/api/v1/jobs/" + job + "/download");
    ASSERT_EQ(dl.status, 200);
    EXPECT_EQ(dl.header("content-type"), "application/zip");
    EXPECT_NE(dl.header("content-disposition").find("attachment"), std::string::npos);
    EXPECT_EQ(dl.body.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_EQ(std::to_string(dl.body.size()), dl.header("content-length"));
    EXPECT_EQ(c.get("/api/v1/jobs/" + job + "/download").status, 410);  // once

    auto notes = c.get("/api/v1/notifications");
    ASSERT_EQ(notes.status, 200);
    EXPECT_EQ(notes.json().at("unread"), 1);
    std::string note(notes.json().at("items").at(0).at("id").as_string());
    EXPECT_EQ(c.post("/api/v1/notifications/" + note + "/read", "").status, 204);
    EXPECT_EQ(c.get("/api/v1/notifications?unread_only=true").json().at("items").as_array().size(), 0u);

    // The whole affair is in the patient's access log.
    HttpClient admin(app.base_url());
    admin.bearer = app.admin().token;
    auto trail = admin.get("/api/v1/audit?patient_id=" + pid + "&limit=50");
    std::string actions;
    for (const auto& item : trail.json().at("items").as_array()) actions += std::string(item.at("action").as_string()) + " ";
    EXPECT_NE(actions.find("patient.export.request"), std::string::npos) << actions;
    EXPECT_NE(actions.find("job.download"), std::string::npos) << actions;
}

TEST(NotificationsApi, ExportAuthorisation) {
    TestApp app;
    auto mine = app.patient("Anaïs", "Moreau", "1990-03-03");
    auto other = app.patient("Inès", "Benali", "1991-04-04");
    auto portal = app.user(Role::patient, mine);
    auto doctor = app.user(Role::doctor);
    HttpClient p(app.base_url());
    p.bearer = portal.token;
    EXPECT_EQ(p.post("/api/v1/patients/" + other + "/export", "").status, 404);
    EXPECT_EQ(p.post("/api/v1/patients/01900000-0000-7000-8000-000000000000/export", "").status, 404);
    HttpClient d(app.base_url());
    d.bearer = doctor.token;
    EXPECT_EQ(d.post("/api/v1/patients/" + mine + "/export", "").status, 403);
    HttpClient admin(app.base_url());
    admin.bearer = app.admin().token;
    auto r = admin.post("/api/v1/patients/" + other + "/export", "");
    ASSERT_EQ(r.status, 202);
    std::string job(r.json().at("job_id").as_string());
    // Another user cannot see or take someone else's job.
    EXPECT_EQ(p.get("/api/v1/jobs/" + job).status, 404);
    EXPECT_EQ(p.get("/api/v1/jobs/" + job + "/download").status, 404);
    EXPECT_EQ(p.get("/api/v1/jobs/not-a-uuid").status, 404);
    EXPECT_EQ(app.client().get("/api/v1/jobs/" + job).status, 401);
    ASSERT_TRUE(eventually([&] { return admin.get("/api/v1/jobs/" + job).json().at("status") == "succeeded"; }));
}

TEST(NotificationsApi, NotificationsValidationAndOwnership) {
    TestApp app;
    auto nurse = app.user(Role::nurse);
    HttpClient c(app.base_url());
    c.bearer = nurse.token;
    EXPECT_EQ(c.get("/api/v1/notifications?limit=0").status, 422);
    EXPECT_EQ(c.get("/api/v1/notifications?before=yesterday").status, 422);
    EXPECT_EQ(c.post("/api/v1/notifications/01900000-0000-7000-8000-000000000000/read", "").status, 404);
    EXPECT_EQ(c.post("/api/v1/notifications/read-all", "").status, 204);
    EXPECT_EQ(app.client().get("/api/v1/notifications").status, 401);
    EXPECT_EQ(app.client().get("/api/v1/notifications/stream").status, 401);
}

TEST(NotificationsApi, ShutdownClosesOpenEventStreams) {
    TestApp app;
    auto nurse = app.user(Role::nurse);
    std::promise<void> connected;
    auto stream = std::async(std::launch::async, [&] {
        return read_event_stream(app.base_url() + "/api/v1/notifications/stream", nurse.token, "never-arrives",
                           std::chrono::seconds(60), &connected);
    });
    connected.get_future().wait();
    auto t0 = std::chrono::steady_clock::now();
    app.stop();
    auto text = stream.get();
    EXPECT_NE(text.find("retry: 3000"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));  // not the 60 s timeout
}
