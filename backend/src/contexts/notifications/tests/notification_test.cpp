// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "contexts/notifications/app/fanout_publisher.hpp"
#include "contexts/notifications/http/routes.hpp"
#include "core/time.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::notifications;
using medisecure::testkit::caller_of;

namespace {
struct Notes : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "notifications");
    SqlNotificationStore store{*db};
    ManualClock clock{*parse_instant("2026-11-24T08:00:00Z")};
    NotificationHub hub;
    NotificationService service{store, hub, clock};
    InAppHandler handler{service, [](const std::string& r) -> std::vector<std::string> {
                             if (r == "patient:p1") return {"portal-user-1"};
                             if (r == "role:secretary") return {"sec-1", "sec-2"};
                             if (r.rfind("user:", 0) == 0) return {r.substr(5)};
                             return {};
                         }};
};
}  // namespace

TEST_F(Notes, InAppJobNotifiesResolvedRecipientsOnce) {
    jobs::Job job;
    job.payload_json =
        R"({"recipients":["user:doc-1","patient:p1","role:secretary","user:sec-1","patient:nobody"],"kind":"appointment.booked","data":{"appointment_id":"a1"},"link":"/appointments/a1"})";
    auto out = handler.run(job);
    EXPECT_EQ(out.kind, jobs::Outcome::Kind::done);
    for (const char* u : {"doc-1", "portal-user-1", "sec-1", "sec-2"}) {
        auto page = service.list(caller_of(Role::doctor, u), false, std::nullopt, 10);
        ASSERT_TRUE(page);
        ASSERT_EQ(page->items.size(), 1u) << u;
        EXPECT_EQ(page->items[0].kind, "appointment.booked");
        EXPECT_EQ(page->items[0].link, "/appointments/a1");
        EXPECT_EQ(page->unread, 1);
    }
    jobs::Job bad;
    bad.payload_json = R"({"kind":"x"})";
    EXPECT_EQ(handler.run(bad).kind, jobs::Outcome::Kind::fail);
}

TEST_F(Notes, UsersReadOnlyTheirOwn) {
    service.create({"u1"}, "document.added", R"({"document_id":"d1"})", "/documents/d1");
    auto page = *service.list(caller_of(Role::nurse, "u1"), true, std::nullopt, 10);
    auto id = page.items.at(0).id;
    EXPECT_EQ(service.mark_read(caller_of(Role::nurse, "u2"), id).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(service.mark_read(caller_of(Role::nurse, "u1"), id));
    EXPECT_TRUE(service.list(caller_of(Role::nurse, "u1"), true, std::nullopt, 10)->items.empty());
    service.create({"u1"}, "a", "{}", "");
    service.create({"u1"}, "b", "{}", "");
    EXPECT_EQ(service.list(caller_of(Role::nurse, "u1"), false, std::nullopt, 10)->unread, 2);
    EXPECT_TRUE(service.mark_all_read(caller_of(Role::nurse, "u1")));
    EXPECT_EQ(service.list(caller_of(Role::nurse, "u1"), false, std::nullopt, 10)->unread, 0);
}

TEST_F(Notes, TheHubDeliversLiveToEachOfTheUsersStreams) {
    auto tab1 = hub.subscribe("u1");
    auto tab2 = hub.subscribe("u1");
    auto other = hub.subscribe("u2");
    service.create({"u1"}, "appointment.cancelled", R"({"appointment_id":"a9"})", "/appointments/a9");
    for (auto& s : {tab1, tab2}) {
        auto events = s->take();
        ASSERT_EQ(events.size(), 1u);
        EXPECT_NE(events[0].find("event: notification\n"), std::string::npos);
        EXPECT_NE(events[0].find(R"("kind":"appointment.cancelled")"), std::string::npos);
    }
    EXPECT_TRUE(other->take().empty());
    tab1->close();
    EXPECT_EQ(hub.subscribers(), 2u);
    for (std::size_t i = 0; i < NotificationHub::kMaxStreamsPerUser + 2; ++i) hub.subscribe("u3");
    EXPECT_LE(hub.subscribers(), 2u + NotificationHub::kMaxStreamsPerUser);
}

namespace {
/// Records what it is handed.
struct Recorder final : Publisher {
    std::vector<Notification> got;
    void published(const Notification& n) override { got.push_back(n); }
};
}  // namespace

TEST(FanoutPublisher, BroadcastsAndDeliversWhatItHearsToItsOwnStreams) {
    Recorder local;
    std::vector<std::string> wire;
    FanoutPublisher fanout(local, [&](const std::string& m) { wire.push_back(m); });
    Notification n;
    n.id = "n-1";
    n.user_id = "u-1";
    n.kind = "export.ready";
    n.data_json = R"({"job_id":"j-1","name":"Élodie"})";
    n.link = "/exports/j-1";
    n.created_at = *parse_instant("2026-11-24T08:00:00.123456Z");
    fanout.published(n);
    ASSERT_EQ(wire.size(), 1u);
    EXPECT_TRUE(local.got.empty());  // delivered when heard back, not twice
    fanout.deliver(wire[0]);
    ASSERT_EQ(local.got.size(), 1u);
    const auto& d = local.got[0];
    EXPECT_EQ(d.id, n.id);
    EXPECT_EQ(d.user_id, n.user_id);
    EXPECT_EQ(d.kind, n.kind);
    EXPECT_EQ(d.data_json, n.data_json);
    EXPECT_EQ(d.link, n.link);
    EXPECT_EQ(d.created_at, n.created_at);
    fanout.deliver("not json");
    fanout.deliver(R"({"id":"x"})");
    EXPECT_EQ(local.got.size(), 1u);  // unreadable messages are dropped
}

TEST(FanoutPublisher, DeliversLocallyWhenTheBroadcastFails) {
    Recorder local;
    FanoutPublisher fanout(local, [](const std::string&) { throw std::runtime_error("Redis is unavailable"); });
    Notification n;
    n.id = "n-2";
    n.user_id = "u-2";
    fanout.published(n);
    ASSERT_EQ(local.got.size(), 1u);
    EXPECT_EQ(local.got[0].id, "n-2");
}
