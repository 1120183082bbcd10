// SPDX-License-Identifier: Apache-2.0
// The e-mail jobs: French and English texts, and idempotence (a job re-reads the appointment
// and sends nothing when it no longer applies).
#include "contexts/appointments/adapters/sql/sql_appointment_store.hpp"
#include "contexts/appointments/app/appointment_export.hpp"
#include "contexts/appointments/app/appointment_jobs.hpp"
#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "contexts/appointments/testing/fake_directories.hpp"
#include "platform/db/outbox.hpp"
#include "test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace medisecure;
using namespace medisecure::appointments;
using medisecure::testkit::caller_of;
using namespace std::chrono;

namespace {

const std::string kDoc = "01900000-0000-7000-8000-00000000d0c1";
const std::string kFr = "01900000-0000-7000-8000-0000000000a1";
const std::string kEn = "01900000-0000-7000-8000-0000000000a2";
const std::string kNoMail = "01900000-0000-7000-8000-0000000000a3";

Timestamp at(const char* s) {
    return *parse_instant(s);
}

struct Jobs : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "appointments");
    SqlAppointmentStore store{*db};
    FakePractitioners practitioners;
    FakePatients patients;
    testkit::RecordingAuditTrail audit;
    RecordingMailer mailer;
    ManualClock clock{at("2026-03-20T09:00:00Z")};
    TimeZone tz = *TimeZone::named("Europe/Paris", "/nonexistent");
    ScheduleService schedules{store, practitioners, audit, clock, tz, AppointmentRules{}};
    AppointmentService service{store, practitioners,     patients, audit, clock,
                               tz,    AppointmentRules{}};
    PracticeInfo practice{"Cabinet des Lilas", "3 rue des Lilas, 75019 Paris", "01 23 45 67 89",
                          "contact@lilas.fr"};
    AppointmentEmailJob handler{store, patients, practitioners, mailer, clock, tz, practice};
    Caller secretary = caller_of(Role::secretary, "sec-1");
    AppointmentType consult;

    void SetUp() override {
        practitioners.add(kDoc, "Dr Hélène Lefèvre");
        patients.add({kFr, "MS00000018", "Chloé", "Bérard", *parse_date("1984-05-12"),
                      "chloe@exemple.fr", "fr", false});
        patients.add({kEn, "MS00000026", "John", "Smith", *parse_date("1970-01-02"),
                      "john@example.org", "en", false});
        patients.add({kNoMail, "MS00000034", "Sans", "Courriel", *parse_date("1950-01-01"), "",
                      "fr", false});
        AppointmentType t;
        t.label = "Suivi de grossesse";
        t.duration_minutes = 20;
        consult = *schedules.add_type(secretary, kDoc, t);
    }

    Appointment book(const std::string& patient, const char* start) {
        BookingRequest r{kDoc, patient, consult.id, at(start)};
        auto b = service.book(secretary, r);
        EXPECT_TRUE(b) << b.error().code;
        return b->appointment;
    }

    /// The outbox's job of `type` for appointment `id`, as the job queue would hand it over.
    jobs::Job job(const std::string& type, const std::string& id) {
        for (const auto& r :
             db->read([](soci::session& sql) { return db::peek_outbox(sql, 100); })) {
            if (r.request.type != type || r.request.payload_json.find(id) == std::string::npos)
                continue;
            jobs::Job j;
            j.id = r.id;
            j.type = r.request.type;
            j.payload_json = r.request.payload_json;
            return j;
        }
        ADD_FAILURE() << "no " << type << " job for " << id;
        return {};
    }

    std::string result(const jobs::Outcome& o) { return o.result_json; }
};

}  // namespace

TEST_F(Jobs, ConfirmationInFrenchWithoutTheAppointmentType) {
    auto a = book(kFr, "2026-03-30T06:00:00Z");
    auto out = handler.run(job(kConfirmationEmail, a.id));
    EXPECT_EQ(out.kind, jobs::Outcome::Kind::done);
    EXPECT_EQ(result(out), R"({"sent":true})");
    ASSERT_EQ(mailer.sent.size(), 1u);
    const auto& m = mailer.sent[0];
    EXPECT_EQ(m.to, "chloe@exemple.fr");
    EXPECT_EQ(m.language, "fr");
    EXPECT_EQ(
        m.subject,
        "Confirmation de votre rendez-vous du lundi 30 mars 2026 à 08:00");  // local time, CEST
    EXPECT_NE(m.text.find("Bonjour Chloé Bérard"), std::string::npos);
    EXPECT_NE(m.text.find("Dr Hélène Lefèvre"), std::string::npos);
    EXPECT_NE(m.text.find("Cabinet des Lilas\n3 rue des Lilas, 75019 Paris\nTél. : 01 23 45 67 89"),
              std::string::npos);
    EXPECT_EQ(m.text.find("grossesse"), std::string::npos);  // the type can reveal why one consults
    EXPECT_FALSE(m.message_id_hint.empty());
}

TEST_F(Jobs, EnglishForPatientsWhoPreferIt) {
    auto a = book(kEn, "2026-03-27T16:40:00Z");
    EXPECT_EQ(handler.run(job(kReminderEmail, a.id)).kind, jobs::Outcome::Kind::done);
    ASSERT_EQ(mailer.sent.size(), 1u);
    EXPECT_EQ(mailer.sent[0].language, "en");
    EXPECT_EQ(mailer.sent[0].subject,
              "Reminder: appointment on Friday 27 March 2026 at 17:40");  // CET
    EXPECT_NE(mailer.sent[0].text.find("Hello John Smith"), std::string::npos);
    EXPECT_NE(mailer.sent[0].text.find("Phone: 01 23 45 67 89"), std::string::npos);
}

TEST_F(Jobs, NothingIsSentForAnAppointmentThatChanged) {
    auto a = book(kFr, "2026-03-30T06:00:00Z");
    auto confirmation = job(kConfirmationEmail, a.id);
    auto reminder = job(kReminderEmail, a.id);
    ASSERT_TRUE(service.reschedule(secretary, a.id, 1, at("2026-03-31T06:00:00Z")));
    // The first booking's jobs are superseded by the move's own.
    EXPECT_EQ(result(handler.run(confirmation)), R"({"sent":false,"reason":"superseded"})");
    EXPECT_EQ(result(handler.run(reminder)), R"({"sent":false,"reason":"superseded"})");
    EXPECT_TRUE(mailer.sent.empty());
    // The move's confirmation says so.
    for (const auto& r : db->read([](soci::session& sql) { return db::peek_outbox(sql, 100); })) {
        if (r.request.type != kConfirmationEmail ||
            r.request.payload_json.find("rescheduled") == std::string::npos)
            continue;
        jobs::Job j{r.id, r.request.type, r.request.payload_json};
        EXPECT_EQ(result(handler.run(j)), R"({"sent":true})");
    }
    ASSERT_EQ(mailer.sent.size(), 1u);
    EXPECT_EQ(mailer.sent[0].subject,
              "Votre rendez-vous a été déplacé au mardi 31 mars 2026 à 08:00");

    ASSERT_TRUE(service.cancel(secretary, a.id, 2, "Empêchement du médecin"));
    EXPECT_EQ(result(handler.run(reminder)), R"({"sent":false,"reason":"not_booked"})");
    auto cancelled = job(kCancellationEmail, a.id);
    EXPECT_EQ(result(handler.run(cancelled)), R"({"sent":true})");
    // Running a job twice is allowed; a cancellation notice only goes for a cancelled appointment.
    EXPECT_EQ(mailer.sent.back().subject,
              "Annulation de votre rendez-vous du mardi 31 mars 2026 à 08:00");
    auto other = book(kFr, "2026-04-01T06:00:00Z");
    jobs::Job stray{"x", kCancellationEmail, R"({"appointment_id":")" + other.id + R"("})"};
    EXPECT_EQ(result(handler.run(stray)), R"({"sent":false,"reason":"not_cancelled"})");
}

TEST_F(Jobs, RemindersAfterTheStartAreDropped) {
    auto a = book(kFr, "2026-03-30T06:00:00Z");
    auto reminder = job(kReminderEmail, a.id);
    clock.set(at("2026-03-30T06:05:00Z"));  // the queue was down all weekend
    EXPECT_EQ(result(handler.run(reminder)), R"({"sent":false,"reason":"past"})");
    EXPECT_TRUE(mailer.sent.empty());
}

TEST_F(Jobs, NoEmailAddressIsDoneNotFailed) {
    auto a = book(kNoMail, "2026-03-30T06:00:00Z");
    auto out = handler.run(job(kConfirmationEmail, a.id));
    EXPECT_EQ(out.kind, jobs::Outcome::Kind::done);
    EXPECT_EQ(result(out), R"({"sent":false,"reason":"no_email"})");
    EXPECT_TRUE(mailer.sent.empty());
}

TEST_F(Jobs, MailServerTroubleIsRetriedAndRefusalsFail) {
    auto a = book(kFr, "2026-03-30T06:00:00Z");
    auto j = job(kConfirmationEmail, a.id);
    mailer.fail_with = ErrorKind::unavailable;
    EXPECT_EQ(handler.run(j).kind, jobs::Outcome::Kind::retry);
    mailer.fail_with = ErrorKind::invalid_input;
    auto refused = handler.run(j);
    EXPECT_EQ(refused.kind, jobs::Outcome::Kind::fail);
    EXPECT_EQ(refused.detail.find("chloe"), std::string::npos);  // no personal data in the detail
    EXPECT_EQ(handler.run({"x", kConfirmationEmail, "not json"}).kind, jobs::Outcome::Kind::fail);
    EXPECT_EQ(handler.run({"x", kConfirmationEmail, R"({"appointment_id":"missing"})"}).kind,
              jobs::Outcome::Kind::fail);
}

TEST_F(Jobs, TheExportListsEveryAppointmentOfThePatient) {
    auto a = book(kFr, "2026-03-30T06:00:00Z");
    book(kEn, "2026-03-30T07:00:00Z");
    ASSERT_TRUE(service.cancel(secretary, a.id, 1, "Empêchement"));
    book(kFr, "2026-04-02T12:00:00Z");
    AppointmentExport source(store, practitioners, tz);
    EXPECT_EQ(source.section(), "appointments");
    auto v = source.export_json(kFr);
    const auto& items = v.at("appointments").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(v.at("time_zone").as_string(), "Europe/Paris");
    EXPECT_EQ(items[0].at("status").as_string(), "cancelled");
    EXPECT_EQ(items[0].at("practitioner").as_string(), "Dr Hélène Lefèvre");
    EXPECT_EQ(items[0].at("local_start").as_string(), "2026-03-30T08:00:00+02:00");
    EXPECT_EQ(items[1].at("local_start").as_string(), "2026-04-02T14:00:00+02:00");
    EXPECT_EQ(items[0].at("cancel_reason").as_string(), "Empêchement");
    EXPECT_TRUE(source.export_json("nobody").at("appointments").as_array().empty());
}
