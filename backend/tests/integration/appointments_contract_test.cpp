// SPDX-License-Identifier: Apache-2.0
// The AppointmentStore contract on every engine: SQLite (embedded default), PostgreSQL (started
// on loopback by scripts/test.sh) and MongoDB, including the per-practitioner lock that keeps
// concurrent bookings of one slot from both succeeding, and the outbox as the relay reads it.
// MongoDB is a real replica set when MEDISECURE_TEST_MONGO_URL is set, else the test double
// (scripts/services/mongo-double.sh), which has no isolation: the concurrency test needs the
// real server and skips on the double, saying so.
#include "contexts/appointments/adapters/mongo/mongo_appointment_store.hpp"
#include "contexts/appointments/adapters/sql/sql_appointment_store.hpp"
#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/testing/fake_directories.hpp"
#include "contexts/notifications/adapters/mongo/mongo_outbox_source.hpp"
#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "core/random.hpp"
#include "test_support.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>

using namespace medisecure;
using namespace medisecure::appointments;
using medisecure::testkit::caller_of;
using namespace std::chrono;

namespace {

class AppointmentContract : public ::testing::TestWithParam<std::string> {
protected:
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db;    // sqlite, postgresql
    std::unique_ptr<mongo::Pool> mongo;  // mongodb: a database of this test's own
    std::unique_ptr<AppointmentStore> store;
    std::shared_ptr<notifications::OutboxSource> outbox;  // what the relay reads

    void SetUp() override {
        if (GetParam() == "mongodb") {
            MS_REQUIRE_MONGO();
            mongo = std::make_unique<mongo::Pool>(
                *mongo::parse_url(testkit::mongo_test_database_url()), 12);
            mongo::Migrator(*mongo, "appointments", MongoAppointmentStore::schema()).migrate();
            store = std::make_unique<MongoAppointmentStore>(*mongo);
            outbox = std::make_shared<notifications::MongoOutboxSource>(*mongo);
            return;
        }
        if (GetParam() == "postgresql") MS_REQUIRE_POSTGRES();
        db = GetParam() == "sqlite" ? testkit::sqlite_database(dir, "appointments", 12)
                                    : testkit::postgres_database("appointments", 12);
        store = std::make_unique<SqlAppointmentStore>(*db);
        outbox = std::make_shared<notifications::SqlOutboxSource>(*db);
    }

    void TearDown() override {
        if (mongo) mongo->drop_database_for_test();
    }

    static Timestamp at(const char* s) { return *parse_instant(s); }

    static Appointment appt(const std::string& doc, const std::string& patient, const char* start,
                            int minutes_long = 20) {
        Appointment a;
        a.id = new_uuid_v7(at(start));
        a.practitioner_id = doc;
        a.patient_id = patient;
        a.type_id = "type-1";
        a.type_label = "Consultation";
        a.type_color = "#2563EB";
        a.start = at(start);
        a.end = a.start + minutes(minutes_long);
        a.booked_by = "sec";
        a.created_at = a.updated_at = at("2026-03-01T08:00:00Z");
        return a;
    }

    void insert(const Appointment& a) {
        ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
            u.insert(a);
            return {};
        }));
    }
};

std::string engine_name(const ::testing::TestParamInfo<std::string>& info) {
    return info.param;
}

std::vector<std::string> ids(const std::vector<Appointment>& v) {
    std::vector<std::string> out;
    for (const auto& a : v)
        out.push_back(a.id);
    return out;
}

}  // namespace

TEST_P(AppointmentContract, AppointmentsRoundTripAndAreVersioned) {
    auto a = appt("doc-1", "pat-1", "2026-03-30T06:00:00.123Z");
    a.booked_via = Channel::portal;
    a.cancel_reason = "Empêchement « imprévu »";
    insert(a);
    auto found = store->find(a.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->start, a.start);  // microseconds survive
    EXPECT_EQ(found->end, a.end);
    EXPECT_EQ(found->booked_via, Channel::portal);
    EXPECT_EQ(found->cancel_reason, "Empêchement « imprévu »");
    EXPECT_FALSE(found->checked_in_at);
    EXPECT_EQ(found->version, 1);
    EXPECT_FALSE(store->find("missing"));

    Appointment next = *found;
    next.status = Status::checked_in;
    next.checked_in_at = at("2026-03-30T05:58:00Z");
    next.version = 2;
    EXPECT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
        if (!u.update(next)) return conflict("stale", "");
        return {};
    }));
    auto stored = store->find(a.id);
    EXPECT_EQ(stored->status, Status::checked_in);
    EXPECT_EQ(stored->checked_in_at, at("2026-03-30T05:58:00Z"));
    // The same version again is stale.
    EXPECT_FALSE(store->write([&](AppointmentUnit& u) -> Result<void> {
        if (!u.update(next)) return conflict("stale", "");
        return {};
    }));
}

TEST_P(AppointmentContract, OverlapsAndListsByPractitionerPatientAndWindow) {
    auto a = appt("doc-1", "pat-1", "2026-03-30T06:00:00Z");
    auto b = appt("doc-1", "pat-2", "2026-03-30T06:20:00Z");
    auto c = appt("doc-1", "pat-1", "2026-03-30T07:00:00Z", 60);
    auto d = appt("doc-2", "pat-1", "2026-03-30T06:10:00Z");
    c.status = Status::cancelled;
    for (const auto& x : {a, b, c, d})
        insert(x);
    std::vector<Appointment> doc, pat;
    ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
        doc = u.overlapping_for_practitioner("doc-1", at("2026-03-30T06:10:00Z"),
                                             at("2026-03-30T07:30:00Z"));
        pat = u.overlapping_for_patient("pat-1", at("2026-03-30T06:00:00Z"),
                                        at("2026-03-30T08:00:00Z"));
        return {};
    }));
    EXPECT_EQ(ids(doc),
              (std::vector<std::string>{a.id, b.id}));  // the cancelled one does not count
    EXPECT_EQ(ids(pat), (std::vector<std::string>{a.id, d.id}));
    std::vector<Appointment> touching;
    ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
        touching = u.overlapping_for_practitioner("doc-1", at("2026-03-30T06:40:00Z"),
                                                  at("2026-03-30T07:00:00Z"));
        return {};
    }));
    EXPECT_TRUE(touching.empty());  // back to back

    AppointmentFilter f;
    f.practitioner_id = "doc-1";
    EXPECT_EQ(ids(store->list(f)),
              (std::vector<std::string>{a.id, b.id, c.id}));  // cancelled ones are listed
    f.from = at("2026-03-30T06:15:00Z");
    f.to = at("2026-03-30T07:00:00Z");
    EXPECT_EQ(ids(store->list(f)), (std::vector<std::string>{a.id, b.id}));
    AppointmentFilter p;
    p.patient_id = "pat-1";
    p.limit = 2;
    EXPECT_EQ(ids(store->list(p)), (std::vector<std::string>{a.id, d.id}));
}

TEST_P(AppointmentContract, OpeningHoursAreVersioned) {
    auto empty = store->hours("doc-1");
    EXPECT_EQ(empty.version, 0);
    EXPECT_TRUE(empty.ranges.empty());
    WeeklyHours h;
    h.practitioner_id = "doc-1";
    h.ranges = {{1, 480, 720}, {1, 840, 1080}, {5, 480, 1440}};
    h.version = 1;
    h.updated_at = at("2026-03-01T08:00:00Z");
    ASSERT_TRUE(store->save_hours(h));
    EXPECT_FALSE(store->save_hours(h));  // version 1 exists already
    auto read = store->hours("doc-1");
    EXPECT_EQ(read.version, 1);
    EXPECT_EQ(read.ranges, h.ranges);
    EXPECT_EQ(read.updated_at, h.updated_at);
    h.ranges = {{2, 540, 600}};
    h.version = 2;
    ASSERT_TRUE(store->save_hours(h));
    EXPECT_EQ(store->hours("doc-1").ranges, h.ranges);
    EXPECT_TRUE(store->hours("doc-2").ranges.empty());
}

TEST_P(AppointmentContract, AbsencesAndTypes) {
    Absence a{"abs-1",  "doc-1", at("2026-04-01T00:00:00Z"), at("2026-04-03T00:00:00Z"),
              "Congés", "sec",   at("2026-03-01T08:00:00Z")};
    ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
        u.insert_absence(a);
        return {};
    }));
    EXPECT_EQ(
        store->absences("doc-1", at("2026-04-02T00:00:00Z"), at("2026-04-05T00:00:00Z")).size(),
        1u);
    EXPECT_TRUE(
        store->absences("doc-1", at("2026-04-03T00:00:00Z"), at("2026-04-05T00:00:00Z")).empty());
    EXPECT_TRUE(
        store->absences("doc-2", at("2026-04-01T00:00:00Z"), at("2026-04-05T00:00:00Z")).empty());
    EXPECT_EQ(store->absences("doc-1", at("2026-03-01T00:00:00Z"), at("2026-05-01T00:00:00Z"))
                  .at(0)
                  .reason,
              "Congés");
    EXPECT_FALSE(store->remove_absence("doc-2", "abs-1"));
    EXPECT_TRUE(store->remove_absence("doc-1", "abs-1"));
    EXPECT_FALSE(store->remove_absence("doc-1", "abs-1"));

    AppointmentType t;
    t.id = "type-b";
    t.practitioner_id = "doc-1";
    t.label = "Consultation";
    t.duration_minutes = 20;
    t.color = "#2563EB";
    t.portal_bookable = true;
    t.created_at = t.updated_at = at("2026-03-01T08:00:00Z");
    store->insert_type(t);
    AppointmentType other = t;
    other.id = "type-a";
    other.label = "Acte";
    other.portal_bookable = false;
    store->insert_type(other);
    other.id = "type-c";
    other.practitioner_id = "doc-2";
    store->insert_type(other);
    auto mine = store->types({"doc-1"});
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].label, "Acte");
    EXPECT_FALSE(mine[0].portal_bookable);
    EXPECT_TRUE(mine[1].portal_bookable);
    EXPECT_EQ(store->types({}).size(), 3u);
    EXPECT_EQ(store->types({"doc-1", "doc-2"}).size(), 3u);
    t.active = false;
    t.version = 2;
    EXPECT_TRUE(store->update_type(t));
    EXPECT_FALSE(store->update_type(t));
    EXPECT_FALSE(store->find_type("type-b")->active);
    EXPECT_FALSE(store->find_type("nope"));
}

TEST_P(AppointmentContract, CalendarTokensOpenOneFeed) {
    store->set_calendar_token("doc-1", "hash-1", at("2026-03-01T08:00:00Z"));
    store->set_calendar_token("doc-2", "hash-2", at("2026-03-01T08:00:00Z"));
    EXPECT_EQ(store->practitioner_of_calendar_token("hash-1"), "doc-1");
    store->set_calendar_token("doc-1", "hash-3", at("2026-03-02T08:00:00Z"));
    EXPECT_FALSE(store->practitioner_of_calendar_token("hash-1"));
    EXPECT_EQ(store->practitioner_of_calendar_token("hash-3"), "doc-1");
    store->set_calendar_token("doc-1", "", at("2026-03-03T08:00:00Z"));
    store->set_calendar_token("doc-2", "",
                              at("2026-03-03T08:00:00Z"));  // several feeds off at once
    EXPECT_FALSE(store->practitioner_of_calendar_token("hash-3"));
    EXPECT_FALSE(store->practitioner_of_calendar_token(""));
}

TEST_P(AppointmentContract, TheOutboxCommitsWithTheUnitOnly) {
    jobs::JobRequest job;
    job.type = "appointments.confirmation_email";
    job.payload_json = R"({"appointment_id":"x"})";
    auto refused = store->write([&](AppointmentUnit& u) -> Result<void> {
        u.insert(appt("doc-1", "pat-1", "2026-03-30T06:00:00Z"));
        u.enqueue(job, at("2026-03-01T08:00:00Z"));
        return conflict("appointment.slot_taken", "");
    });
    EXPECT_FALSE(refused);
    auto rows = [&] { return outbox->peek(10); };
    EXPECT_TRUE(rows().empty());
    AppointmentFilter f;
    f.practitioner_id = "doc-1";
    EXPECT_TRUE(store->list(f).empty());
    ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
        u.enqueue(job, at("2026-03-01T08:00:00Z"));
        return {};
    }));
    ASSERT_EQ(rows().size(), 1u);
    EXPECT_EQ(rows()[0].request.payload_json, job.payload_json);
}

TEST_P(AppointmentContract, TheRelayReadsTheOutboxOldestFirstAndEmptiesIt) {
    jobs::JobRequest job;
    job.type = "appointments.reminder_email";
    job.run_at = at("2026-03-29T06:00:00Z");
    job.dedupe_key = "reminder:x";
    job.owner_user_id = "sec";
    job.patient_id = "pat-1";
    job.max_attempts = 3;
    for (const char* now : {"2026-03-01T08:00:02Z", "2026-03-01T08:00:01Z", "2026-03-01T08:00:03Z"})
        ASSERT_TRUE(store->write([&](AppointmentUnit& u) -> Result<void> {
            u.enqueue(job, at(now));
            return {};
        }));
    EXPECT_EQ(outbox->depth(), 3);
    auto first = outbox->peek(2);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].created_at, at("2026-03-01T08:00:01Z"));
    EXPECT_EQ(first[1].created_at, at("2026-03-01T08:00:02Z"));
    EXPECT_EQ(first[0].request.run_at, job.run_at);
    EXPECT_EQ(first[0].request.dedupe_key, "reminder:x");
    EXPECT_EQ(first[0].request.owner_user_id, "sec");
    EXPECT_EQ(first[0].request.patient_id, "pat-1");
    EXPECT_EQ(first[0].request.max_attempts, 3);
    outbox->remove({first[0].id, first[1].id});
    EXPECT_EQ(outbox->depth(), 1);
    EXPECT_EQ(outbox->peek(10).at(0).created_at, at("2026-03-01T08:00:03Z"));
}

TEST_P(AppointmentContract, ACalendarTokenOpensOneFeedOnly) {
    store->set_calendar_token("doc-1", "hash-1", at("2026-03-01T08:00:00Z"));
    // The unique index refuses a second practitioner on the same hash (a duplicate key).
    EXPECT_ANY_THROW(store->set_calendar_token("doc-2", "hash-1", at("2026-03-01T08:00:00Z")));
    EXPECT_EQ(store->practitioner_of_calendar_token("hash-1"), "doc-1");
}

TEST_P(AppointmentContract, ConcurrentBookingsOfOneSlotLetExactlyOneWin) {
    if (GetParam() == "mongodb") MS_REQUIRE_REAL_MONGO();
    // Through the use case, as in production: N threads book the same slot of a practitioner
    // who has no schedule row yet (the lock row is created under contention), then again for
    // several slots; another practitioner's bookings go through meanwhile.
    FakePractitioners practitioners;
    FakePatients patients;
    testkit::RecordingAuditTrail audit;
    ManualClock clock{at("2026-03-20T09:00:00Z")};
    TimeZone tz = *TimeZone::named("Europe/Paris", "/nonexistent");
    AppointmentService service{*store, practitioners,     patients, audit, clock,
                               tz,     AppointmentRules{}};
    const std::string doc1 = "01900000-0000-7000-8000-00000000d0c1",
                      doc2 = "01900000-0000-7000-8000-00000000d0c2";
    practitioners.add(doc1, "Dr Un");
    practitioners.add(doc2, "Dr Deux");
    for (int i = 0; i < 8; ++i)
        patients.add({"pat-" + std::to_string(i), "MS" + std::to_string(i), "P", "Q",
                      *parse_date("1980-01-01"), "", "fr", false});
    std::map<std::string, std::string> type_of;
    for (const auto& doc : {doc1, doc2}) {
        AppointmentType t;
        t.id = "type-" + doc;
        t.practitioner_id = doc;
        t.label = "Consultation";
        t.duration_minutes = 20;
        t.created_at = t.updated_at = clock.now();
        store->insert_type(t);
        type_of[doc] = t.id;
    }
    constexpr int kThreads = 8;
    for (const char* start :
         {"2026-03-30T06:00:00Z", "2026-03-30T06:10:00Z", "2026-03-30T09:00:00Z"}) {
        std::atomic<int> won{0}, taken{0}, other_doctor{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                const std::string& doc = i == kThreads - 1 ? doc2 : doc1;
                BookingRequest r{doc, "pat-" + std::to_string(i), type_of[doc], at(start)};
                auto b = service.book(caller_of(Role::secretary, "sec-" + std::to_string(i)), r);
                if (doc == doc2) {
                    if (b) ++other_doctor;
                    return;
                }
                if (b)
                    ++won;
                else if (b.error().code == "appointment.slot_taken")
                    ++taken;
            });
        for (auto& t : threads)
            t.join();
        if (std::string(start) == "2026-03-30T06:10:00Z") {
            // Overlaps the 06:00 booking: nobody wins.
            EXPECT_EQ(won.load(), 0) << start;
            EXPECT_EQ(taken.load(), kThreads - 1) << start;
        } else {
            EXPECT_EQ(won.load(), 1) << start;
            EXPECT_EQ(taken.load(), kThreads - 2) << start;
        }
        if (std::string(start) != "2026-03-30T06:10:00Z") {
            EXPECT_EQ(other_doctor.load(), 1) << start;
        }
    }
    AppointmentFilter f;
    f.practitioner_id = doc1;
    auto booked = store->list(f);
    ASSERT_EQ(booked.size(), 2u);
    for (std::size_t i = 1; i < booked.size(); ++i)
        EXPECT_LE(booked[i - 1].end, booked[i].start);
}

INSTANTIATE_TEST_SUITE_P(Engines, AppointmentContract,
                         ::testing::Values("sqlite", "postgresql", "mongodb"), engine_name);
