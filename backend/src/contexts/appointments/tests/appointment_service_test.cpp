// SPDX-License-Identifier: Apache-2.0
// Scheduling and booking rules against the real SQL store on SQLite, with an injected clock
// set just before the 2026 spring-forward weekend in Europe/Paris.
#include "contexts/appointments/adapters/sql/sql_appointment_store.hpp"
#include "contexts/appointments/app/appointment_jobs.hpp"
#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "contexts/appointments/testing/fake_directories.hpp"
#include "platform/db/outbox.hpp"
#include "test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <thread>

using namespace medisecure;
using namespace medisecure::appointments;
using audit::Outcome;
using medisecure::testkit::caller_of;
using namespace std::chrono;

namespace {

const std::string kDoc = "01900000-0000-7000-8000-00000000d0c1";
const std::string kDoc2 = "01900000-0000-7000-8000-00000000d0c2";
const std::string kGone = "01900000-0000-7000-8000-00000000d0c3";
const std::string kPat1 = "01900000-0000-7000-8000-0000000000a1";
const std::string kPat2 = "01900000-0000-7000-8000-0000000000a2";
const std::string kArchived = "01900000-0000-7000-8000-0000000000a3";

Timestamp at(const char* s) {
    return *parse_instant(s);
}

struct BookingRules : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "appointments", 8);
    SqlAppointmentStore store{*db};
    FakePractitioners practitioners;
    FakePatients patients;
    testkit::RecordingAuditTrail audit;
    ManualClock clock{at("2026-03-20T09:00:00Z")};  // Friday; clocks change on Sunday the 29th
    TimeZone tz = *TimeZone::named("Europe/Paris", "/nonexistent");
    AppointmentRules rules;
    ScheduleService schedules{store, practitioners, audit, clock, tz, rules};
    AppointmentService service{store, practitioners, patients, audit, clock, tz, rules};

    Caller secretary = caller_of(Role::secretary, "sec-1");
    Caller nurse = caller_of(Role::nurse, "nurse-1");
    Caller admin = caller_of(Role::admin, "admin-1");
    Caller accountant = caller_of(Role::accountant, "acc-1");
    Caller doctor = caller_of(Role::doctor, kDoc);
    Caller doctor2 = caller_of(Role::doctor, kDoc2);
    Caller patient1 = caller_of(Role::patient, "user-p1", kPat1);
    Caller patient2 = caller_of(Role::patient, "user-p2", kPat2);
    AppointmentType consult, technical;

    void SetUp() override {
        practitioners.add(kDoc, "Dr Hélène Lefèvre");
        practitioners.add(kDoc2, "Dr François Nguyen");
        practitioners.add(kGone, "Dr Parti", false);
        patients.add({kPat1, "MS00000018", "Hélène", "Dupont", *parse_date("1984-05-12"),
                      "helene@exemple.fr", "fr", false});
        patients.add(
            {kPat2, "MS00000026", "John", "Smith", *parse_date("1970-01-02"), "", "en", false});
        patients.add({kArchived, "MS00000034", "Ancien", "Patient", *parse_date("1950-01-01"), "",
                      "fr", true});
        std::vector<OpeningRange> week;
        for (int d = 1; d <= 5; ++d) {
            week.push_back({d, 8 * 60, 12 * 60});
            week.push_back({d, 14 * 60, 18 * 60});
        }
        ASSERT_TRUE(schedules.set_hours(secretary, kDoc, 0, week));
        ASSERT_TRUE(schedules.set_hours(secretary, kDoc2, 0, week));
        consult = type_for(kDoc, "Consultation", 20, true);
        technical = type_for(kDoc, "Acte technique", 30, false);
    }

    AppointmentType type_for(const std::string& doc, const char* label, int minutes_long,
                             bool portal) {
        AppointmentType t;
        t.label = label;
        t.duration_minutes = minutes_long;
        t.portal_bookable = portal;
        auto r = schedules.add_type(secretary, doc, t);
        EXPECT_TRUE(r);
        return *r;
    }

    Result<Booking> book(const Caller& c, const std::string& start,
                         const std::string& patient = kPat1, const AppointmentType* type = nullptr,
                         const std::string& doc = kDoc) {
        BookingRequest r;
        r.practitioner_id = doc;
        r.patient_id = patient;
        r.type_id = (type ? *type : consult).id;
        r.start = at(start.c_str());
        return service.book(c, r);
    }

    std::vector<db::OutboxRow> outbox() {
        return db->read([](soci::session& sql) { return db::peek_outbox(sql, 100); });
    }
};

std::vector<std::string> starts(const std::vector<Interval>& v) {
    std::vector<std::string> out;
    for (const auto& i : v)
        out.push_back(format_instant(i.start));
    return out;
}

}  // namespace

TEST_F(BookingRules, AvailabilityAndBookingsAcrossTheSpringDstChange) {
    // Friday 2026-03-27 08:00 local is 07:00Z; Monday 2026-03-30 08:00 local is 06:00Z.
    auto friday = schedules.availability(secretary, kDoc, consult.id, at("2026-03-27T00:00:00Z"),
                                         at("2026-03-27T08:00:00Z"));
    ASSERT_TRUE(friday);
    EXPECT_EQ(starts(friday->slots).front(), "2026-03-27T07:00:00.000Z");
    auto monday = schedules.availability(secretary, kDoc, consult.id,
                                         tz.start_of_day(*parse_date("2026-03-30")),
                                         tz.start_of_day(*parse_date("2026-03-31")));
    ASSERT_TRUE(monday);
    ASSERT_EQ(monday->slots.size(), 24u);  // 4 h + 4 h of 20-minute slots
    EXPECT_EQ(format_instant(monday->slots.front().start), "2026-03-30T06:00:00.000Z");
    EXPECT_EQ(format_instant(monday->slots[12].start), "2026-03-30T12:00:00.000Z");  // 14:00 CEST

    auto fri = book(secretary, "2026-03-27T07:00:00Z");
    ASSERT_TRUE(fri) << fri.error().code;
    EXPECT_TRUE(fri->warnings.empty());
    auto mon = book(secretary, "2026-03-30T06:00:00Z", kPat2);
    ASSERT_TRUE(mon) << mon.error().code;
    EXPECT_EQ(mon->appointment.end, at("2026-03-30T06:20:00Z"));
    EXPECT_TRUE(mon->warnings.empty());
    // 07:00Z on Monday is 09:00 local: inside the hours. 06:00Z on Friday was 07:00 local: outside.
    auto early = book(secretary, "2026-03-27T06:00:00Z", kPat2);
    ASSERT_TRUE(early);
    ASSERT_EQ(early->warnings.size(), 1u);
    EXPECT_EQ(early->warnings[0].code, "outside_opening_hours");

    auto after = schedules.availability(secretary, kDoc, consult.id,
                                        tz.start_of_day(*parse_date("2026-03-30")),
                                        tz.start_of_day(*parse_date("2026-03-31")));
    EXPECT_EQ(format_instant(after->slots.front().start), "2026-03-30T06:20:00.000Z");
    EXPECT_EQ(after->slots.size(), 23u);
}

TEST_F(BookingRules, ADayAndAWeekListFollowLocalTimeAcrossTheChange) {
    ASSERT_TRUE(book(secretary, "2026-03-27T16:40:00Z"));         // Friday 17:40 CET
    ASSERT_TRUE(book(secretary, "2026-03-30T06:00:00Z"));         // Monday 08:00 CEST
    ASSERT_TRUE(book(secretary, "2026-03-23T07:00:00Z", kPat2));  // Monday 08:00 CET
    ListQuery q;
    q.practitioner_id = kDoc;
    q.date = parse_date("2026-03-29");  // a Sunday: its ISO week runs from Monday the 23rd
    q.view = View::week;
    auto week = service.list(secretary, q);
    ASSERT_TRUE(week);
    EXPECT_EQ(format_instant(*week->from), "2026-03-22T23:00:00.000Z");  // Monday 00:00 CET
    EXPECT_EQ(format_instant(*week->to), "2026-03-29T22:00:00.000Z");    // next Monday 00:00 CEST
    ASSERT_EQ(week->items.size(), 2u);
    EXPECT_EQ(week->items[0].appointment.start, at("2026-03-23T07:00:00Z"));
    EXPECT_EQ(week->items[0].practitioner_name, "Dr Hélène Lefèvre");
    ASSERT_TRUE(week->items[0].patient);
    EXPECT_EQ(week->items[0].patient->mrn, "MS00000026");

    q.view = View::day;
    q.date = parse_date("2026-03-30");
    auto day = service.list(secretary, q);
    ASSERT_EQ(day->items.size(), 1u);
    EXPECT_EQ(format_instant(*day->from), "2026-03-29T22:00:00.000Z");
    EXPECT_EQ(audit.count("appointment.list", Outcome::success), 2u);
}

TEST_F(BookingRules, NoDoubleBookingButAPatientMayOverlapTheirOwn) {
    auto first = book(secretary, "2026-03-30T06:00:00Z");
    ASSERT_TRUE(first);
    auto clash = book(nurse, "2026-03-30T06:10:00Z", kPat2);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, "appointment.slot_taken");
    EXPECT_EQ(clash.error().kind, ErrorKind::conflict);
    // Back to back is fine.
    EXPECT_TRUE(book(nurse, "2026-03-30T06:20:00Z", kPat2));
    // The same patient with another doctor at the same time: allowed, with a warning.
    auto colleague = type_for(kDoc2, "Consultation", 20, true);
    auto overlap = book(doctor, "2026-03-30T06:10:00Z", kPat1, &colleague, kDoc2);
    ASSERT_TRUE(overlap) << overlap.error().code;
    ASSERT_EQ(overlap->warnings.size(), 1u);
    EXPECT_EQ(overlap->warnings[0].code, "patient_overlap");
    EXPECT_EQ(overlap->warnings[0].appointment_id, first->appointment.id);
    // A cancelled appointment frees its slot.
    ASSERT_TRUE(service.cancel(secretary, first->appointment.id, 1, "Le patient a appelé"));
    EXPECT_TRUE(book(secretary, "2026-03-30T06:00:00Z", kPat2));
}

TEST_F(BookingRules, ConcurrentBookingsOfOneSlotLetExactlyOneWin) {
    std::atomic<int> won{0}, taken{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            auto r = book(secretary, "2026-03-30T07:00:00Z", i % 2 ? kPat1 : kPat2);
            if (r)
                ++won;
            else if (r.error().code == "appointment.slot_taken")
                ++taken;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(taken.load(), 7);
}

TEST_F(BookingRules, BookingValidation) {
    auto bad = [&](const Caller& c, BookingRequest r) {
        auto res = service.book(c, r);
        EXPECT_FALSE(res);
        std::set<std::string> out;
        if (!res)
            for (const auto& f : res.error().fields)
                out.insert(f.field + " " + f.code);
        return out;
    };
    BookingRequest r;
    r.practitioner_id = kGone;
    r.patient_id = kArchived;
    r.type_id = consult.id;
    r.start = at("2026-03-30T06:00:30Z");
    EXPECT_EQ(bad(secretary, r),
              (std::set<std::string>{"/practitioner_id unknown_practitioner",
                                     "/patient_id unknown_patient", "/type_id unknown_type",
                                     "/start not_whole_minute"}));
    r.practitioner_id = kDoc;
    r.patient_id = kPat1;
    r.start = at("2026-03-19T10:00:00Z");  // yesterday
    EXPECT_EQ(bad(secretary, r), (std::set<std::string>{"/start in_past"}));
    // Earlier today is allowed for staff (walk-ins entered afterwards).
    r.start = at("2026-03-20T07:00:00Z");
    EXPECT_TRUE(service.book(secretary, r));
    // Inactive types cannot be booked.
    TypePatch off;
    off.active = false;
    ASSERT_TRUE(schedules.update_type(secretary, kDoc, technical.id, 1, off));
    r.type_id = technical.id;
    r.start = at("2026-03-30T08:00:00Z");
    EXPECT_EQ(bad(secretary, r), (std::set<std::string>{"/type_id unknown_type"}));
    EXPECT_EQ(audit.count("appointment.book", Outcome::failure), 3u);
}

TEST_F(BookingRules, AbsencesBlockBookingsAndReportWhatIsAlreadyBooked) {
    auto booked = book(secretary, "2026-04-01T06:00:00Z");
    ASSERT_TRUE(booked);
    Absence a;
    a.start = tz.start_of_day(*parse_date("2026-04-01"));
    a.end = tz.start_of_day(*parse_date("2026-04-03"));
    a.reason = "Formation";
    auto added = schedules.add_absence(doctor, kDoc, a);
    ASSERT_TRUE(added);
    ASSERT_EQ(added->conflicts.size(), 1u);
    EXPECT_EQ(added->conflicts[0].id, booked->appointment.id);
    auto refused = book(secretary, "2026-04-02T07:00:00Z");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "appointment.practitioner_absent");
    auto slots = schedules.availability(secretary, kDoc, consult.id,
                                        tz.start_of_day(*parse_date("2026-04-01")),
                                        tz.start_of_day(*parse_date("2026-04-04")));
    ASSERT_TRUE(slots);
    ASSERT_FALSE(slots->slots.empty());
    EXPECT_EQ(tz.local_date(slots->slots.front().start), *parse_date("2026-04-03"));
    // Overlapping absences are refused; removing one frees the time.
    EXPECT_EQ(schedules.add_absence(secretary, kDoc, a).error().code, "absence.overlap");
    EXPECT_FALSE(schedules.add_absence(doctor2, kDoc, a));  // not their schedule
    ASSERT_TRUE(schedules.remove_absence(secretary, kDoc, added->absence.id));
    EXPECT_EQ(schedules.remove_absence(secretary, kDoc, added->absence.id).error().kind,
              ErrorKind::not_found);
    EXPECT_TRUE(book(secretary, "2026-04-02T07:00:00Z"));
}

TEST_F(BookingRules, PatientsBookTheirOwnWithinThePortalRules) {
    auto ok = book(patient1, "2026-03-30T06:20:00Z", "");
    ASSERT_TRUE(ok) << ok.error().code;
    EXPECT_EQ(ok->appointment.patient_id, kPat1);
    EXPECT_EQ(ok->appointment.booked_via, Channel::portal);
    auto code = [&](const std::string& start, const std::string& pat = "",
                    const AppointmentType* t = nullptr) {
        auto r = book(patient1, start, pat, t);
        if (r) return std::string("ok");
        return r.error().fields.empty() ? r.error().code : r.error().fields[0].code;
    };
    EXPECT_EQ(code("2026-03-20T15:00:00Z"), "too_soon");  // 6 hours ahead, notice is 24
    EXPECT_EQ(code("2026-07-01T06:00:00Z"), "too_far");   // beyond 90 days
    EXPECT_EQ(code("2026-03-30T06:10:00Z"),
              "not_an_offered_slot");  // not aligned on the 20-minute grid
    EXPECT_EQ(code("2026-03-30T04:00:00Z"), "not_an_offered_slot");  // before opening
    EXPECT_EQ(code("2026-03-30T06:40:00Z", "", &technical), "not_bookable_online");
    EXPECT_EQ(code("2026-03-30T06:40:00Z", kPat2), "patient_not_found");  // someone else's booking
    // Patients see only online types, from the notice on.
    auto slots = schedules.availability(patient1, kDoc, consult.id, at("2026-03-20T00:00:00Z"),
                                        at("2026-03-24T00:00:00Z"));
    ASSERT_TRUE(slots);
    EXPECT_GE(slots->slots.front().start, clock.now() + hours(24));
    EXPECT_EQ(schedules
                  .availability(patient1, kDoc, technical.id, at("2026-03-23T00:00:00Z"),
                                at("2026-03-24T00:00:00Z"))
                  .error()
                  .fields[0]
                  .code,
              "not_bookable_online");
    auto offers = schedules.practitioners(patient1);
    ASSERT_TRUE(offers);
    ASSERT_EQ(offers->size(), 2u);
    EXPECT_EQ(offers->at(0).types.size(), 1u);  // only the online type
    EXPECT_EQ(schedules.practitioners(secretary)->at(0).types.size(), 2u);
}

TEST_F(BookingRules, PatientsCancelTheirOwnUpToTheNotice) {
    auto far = book(secretary, "2026-03-30T06:00:00Z");
    auto near = book(secretary, "2026-03-20T16:00:00Z");
    auto other = book(secretary, "2026-03-30T07:00:00Z", kPat2);
    ASSERT_TRUE(far && near && other);
    auto late = service.cancel(patient1, near->appointment.id, 1, "");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "appointment.cancel_too_late");
    EXPECT_EQ(service.cancel(patient1, other->appointment.id, 1, "").error().kind,
              ErrorKind::not_found);
    EXPECT_EQ(service.get(patient1, other->appointment.id).error().kind, ErrorKind::not_found);
    auto done = service.cancel(patient1, far->appointment.id, 1, "");
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, Status::cancelled);
    EXPECT_EQ(done->cancelled_by, "user-p1");
    EXPECT_EQ(done->cancelled_by_role, "patient");
    EXPECT_EQ(done->version, 2);
    // Staff must say why.
    EXPECT_EQ(service.cancel(secretary, other->appointment.id, 1, "  ").error().fields[0].code,
              "required");
}

TEST_F(BookingRules, TheLifeCycleFollowsTheTransitionTable) {
    auto b = book(secretary, "2026-03-20T10:00:00Z");  // today, 11:00 local
    ASSERT_TRUE(b);
    const auto& id = b->appointment.id;
    auto early = service.transition(secretary, id, 1, Transition::no_show);
    EXPECT_EQ(early.error().code, "appointment.not_started");
    EXPECT_EQ(service.transition(secretary, id, 1, Transition::complete).error().code,
              "appointment.invalid_transition");
    EXPECT_EQ(service.transition(secretary, id, 7, Transition::check_in).error().kind,
              ErrorKind::precondition_failed);
    auto in = service.transition(nurse, id, 1, Transition::check_in);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->status, Status::checked_in);
    EXPECT_EQ(in->checked_in_at, clock.now());
    EXPECT_EQ(service.cancel(secretary, id, 2, "trop tard").error().code,
              "appointment.invalid_transition");
    EXPECT_EQ(service.reschedule(secretary, id, 2, at("2026-03-30T06:00:00Z")).error().code,
              "appointment.invalid_transition");
    auto done = service.transition(doctor, id, 2, Transition::complete);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, Status::completed);
    EXPECT_EQ(done->version, 3);
    EXPECT_EQ(service.transition(doctor, id, 3, Transition::check_in).error().code,
              "appointment.invalid_transition");
    EXPECT_EQ(service.transition(patient1, id, 3, Transition::check_in).error().kind,
              ErrorKind::not_found);
    EXPECT_EQ(service.transition(accountant, id, 3, Transition::check_in).error().kind,
              ErrorKind::forbidden);

    auto missed = book(secretary, "2026-03-20T10:30:00Z");
    ASSERT_TRUE(missed);
    clock.advance(hours(2));
    auto absent = service.transition(secretary, missed->appointment.id, 1, Transition::no_show);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->status, Status::no_show);
    EXPECT_EQ(audit.count("appointment.no_show", Outcome::success), 1u);
}

TEST_F(BookingRules, RescheduleChecksTheNewSlotAndKeepsTheLength) {
    auto a = book(secretary, "2026-03-30T06:00:00Z");
    auto b = book(secretary, "2026-03-30T07:00:00Z", kPat2);
    ASSERT_TRUE(a && b);
    auto clash = service.reschedule(secretary, a->appointment.id, 1, at("2026-03-30T06:50:00Z"));
    EXPECT_EQ(clash.error().code, "appointment.slot_taken");
    // Moving onto (part of) its own old time is not a clash.
    auto moved = service.reschedule(secretary, a->appointment.id, 1, at("2026-03-30T06:10:00Z"));
    ASSERT_TRUE(moved) << moved.error().code;
    EXPECT_EQ(moved->appointment.end, at("2026-03-30T06:30:00Z"));
    EXPECT_EQ(moved->appointment.version, 2);
    EXPECT_EQ(service.reschedule(secretary, a->appointment.id, 1, at("2026-03-30T08:00:00Z"))
                  .error()
                  .kind,
              ErrorKind::precondition_failed);
    EXPECT_EQ(
        service.reschedule(patient1, a->appointment.id, 2, at("2026-03-30T08:00:00Z")).error().kind,
        ErrorKind::not_found);
    EXPECT_EQ(service.reschedule(secretary, "nope", 1, at("2026-03-30T08:00:00Z")).error().kind,
              ErrorKind::not_found);
}

TEST_F(BookingRules, JobsAreWrittenWithTheChange) {
    // Jobs of one change share a timestamp, so the outbox's order among them is arbitrary:
    // look them up by type.
    auto of_type = [&](const std::string& type) {
        std::vector<jobs::JobRequest> out;
        for (const auto& r : outbox())
            if (r.request.type == type) out.push_back(r.request);
        return out;
    };
    auto b = book(secretary, "2026-03-30T06:00:00Z");
    ASSERT_TRUE(b);
    EXPECT_EQ(outbox().size(), 3u);
    auto confirmation = of_type(kConfirmationEmail);
    auto reminder = of_type(kReminderEmail);
    auto note = of_type(jobs::kInAppNotification);
    ASSERT_EQ(confirmation.size(), 1u);
    ASSERT_EQ(reminder.size(), 1u);
    ASSERT_EQ(note.size(), 1u);
    EXPECT_EQ(reminder[0].run_at, at("2026-03-29T06:00:00Z"));  // 24 h before
    EXPECT_EQ(confirmation[0].patient_id, kPat1);
    EXPECT_EQ(confirmation[0].owner_user_id, "sec-1");
    auto payload = boost::json::parse(note[0].payload_json).as_object();
    EXPECT_EQ(payload.at("kind").as_string(), "appointment.booked");
    EXPECT_EQ(payload.at("recipients").as_array().size(), 2u);
    EXPECT_EQ(payload.at("link").as_string(), "/appointments/" + b->appointment.id);
    // Payloads carry ids and times, never the patient's identity.
    for (const auto& r : outbox())
        EXPECT_EQ(r.request.payload_json.find("Dupont"), std::string::npos);

    // A refused booking writes nothing.
    ASSERT_FALSE(book(secretary, "2026-03-30T06:00:00Z", kPat2));
    EXPECT_EQ(outbox().size(), 3u);
    // At short notice there is no reminder, only the confirmation.
    ASSERT_TRUE(book(secretary, "2026-03-20T15:00:00Z"));
    EXPECT_EQ(outbox().size(), 5u);
    EXPECT_EQ(of_type(kReminderEmail).size(), 1u);
    // Moving and cancelling notify again; the doctor is not notified of their own action.
    ASSERT_TRUE(service.reschedule(doctor, b->appointment.id, 1, at("2026-03-31T06:00:00Z")));
    EXPECT_EQ(outbox().size(), 8u);
    ASSERT_EQ(of_type(kReminderEmail).size(), 2u);
    std::set<Timestamp> reminders;
    for (const auto& r : of_type(kReminderEmail))
        reminders.insert(*r.run_at);
    EXPECT_TRUE(reminders.count(at("2026-03-30T06:00:00Z")));
    ASSERT_TRUE(service.cancel(doctor, b->appointment.id, 2, "Empêchement"));
    EXPECT_EQ(outbox().size(), 10u);
    EXPECT_EQ(of_type(kCancellationEmail).size(), 1u);
    std::map<std::string, std::size_t> recipients_by_kind;
    for (const auto& r : of_type(jobs::kInAppNotification)) {
        auto o = boost::json::parse(r.payload_json).as_object();
        recipients_by_kind[std::string(o.at("kind").as_string())] +=
            o.at("recipients").as_array().size();
    }
    EXPECT_EQ(recipients_by_kind["appointment.rescheduled"], 1u);  // the patient only
    EXPECT_EQ(recipients_by_kind["appointment.cancelled"], 1u);

    // Demo data (the system caller) can skip notifications.
    BookingRequest quiet;
    quiet.practitioner_id = kDoc;
    quiet.patient_id = kPat2;
    quiet.type_id = consult.id;
    quiet.start = at("2026-04-01T06:00:00Z");
    quiet.notify = false;
    ASSERT_TRUE(service.book(Caller::system("demo"), quiet));
    EXPECT_EQ(outbox().size(), 10u);
}

TEST_F(BookingRules, RolesAndSchedules) {
    // Accountants have no access to appointments.
    EXPECT_EQ(book(accountant, "2026-03-30T06:00:00Z").error().kind, ErrorKind::forbidden);
    ListQuery q;
    q.practitioner_id = kDoc;
    q.date = parse_date("2026-03-30");
    EXPECT_EQ(service.list(accountant, q).error().kind, ErrorKind::forbidden);
    // A doctor books with a colleague and sees every schedule, but manages only their own.
    auto colleague = type_for(kDoc2, "Consultation", 20, true);
    EXPECT_TRUE(book(doctor, "2026-03-30T06:00:00Z", kPat1, &colleague, kDoc2));
    EXPECT_TRUE(schedules.hours(doctor, kDoc2));
    EXPECT_EQ(schedules.set_hours(doctor, kDoc2, 1, {}).error().code, "not_your_schedule");
    EXPECT_TRUE(schedules.set_hours(doctor, kDoc, 1, {{1, 8 * 60, 12 * 60}}));
    EXPECT_EQ(schedules.set_hours(doctor, kDoc, 1, {}).error().kind,
              ErrorKind::precondition_failed);
    EXPECT_EQ(schedules.hours(doctor, kDoc)->version, 2);
    EXPECT_EQ(schedules.set_hours(nurse, kDoc, 2, {}).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(schedules.hours(patient1, kDoc).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(schedules.hours(secretary, kGone).error().kind, ErrorKind::not_found);
    EXPECT_EQ(schedules
                  .availability(accountant, kDoc, consult.id, at("2026-03-30T00:00:00Z"),
                                at("2026-03-31T00:00:00Z"))
                  .error()
                  .kind,
              ErrorKind::forbidden);
    // Patients list their own only.
    ListQuery mine;
    mine.patient_id = kPat2;
    EXPECT_EQ(service.list(patient1, mine).error().kind, ErrorKind::not_found);
    mine.patient_id.clear();
    auto own = service.list(patient1, mine);
    ASSERT_TRUE(own);
    ASSERT_EQ(own->items.size(), 1u);
    EXPECT_FALSE(own->items[0].patient);  // the patient brief is for staff
    EXPECT_FALSE(own->from);
    // Staff must say whose list.
    EXPECT_EQ(service.list(secretary, ListQuery{}).error().kind, ErrorKind::invalid_input);
    ListQuery undated;
    undated.practitioner_id = kDoc;
    EXPECT_EQ(service.list(secretary, undated).error().fields[0].field, "date");
}

TEST_F(BookingRules, AppointmentTypesAreVersioned) {
    TypePatch p;
    p.label = "Consultation longue";
    p.duration_minutes = 30;
    auto t = schedules.update_type(secretary, kDoc, consult.id, 1, p);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->version, 2);
    EXPECT_EQ(schedules.update_type(secretary, kDoc, consult.id, 1, p).error().kind,
              ErrorKind::precondition_failed);
    EXPECT_EQ(schedules.update_type(secretary, kDoc2, consult.id, 2, p).error().kind,
              ErrorKind::not_found);
    p.color = "red";
    EXPECT_EQ(schedules.update_type(secretary, kDoc, consult.id, 2, p).error().fields[0].field,
              "/color");
    auto all = schedules.types(nurse, kDoc);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ(all->at(1).label, "Consultation longue");
}

TEST_F(BookingRules, TheCalendarFeedShowsInitialsAtASecretLink) {
    ASSERT_TRUE(book(secretary, "2026-03-30T06:00:00Z"));
    auto cancelled = book(secretary, "2026-03-30T07:00:00Z", kPat2);
    ASSERT_TRUE(cancelled);
    ASSERT_TRUE(service.cancel(secretary, cancelled->appointment.id, 1, "Annulé"));
    EXPECT_EQ(schedules.rotate_calendar_token(secretary, kDoc).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(schedules.rotate_calendar_token(doctor2, kDoc).error().kind, ErrorKind::forbidden);
    auto token = schedules.rotate_calendar_token(doctor, kDoc);
    ASSERT_TRUE(token);
    EXPECT_EQ(token->size(), 43u);
    auto feed_caller = Caller::system("calendar_feed");
    auto ics = service.calendar_feed(feed_caller, *token);
    ASSERT_TRUE(ics);
    EXPECT_NE(ics->find("SUMMARY:Consultation – H.D."), std::string::npos);
    EXPECT_NE(ics->find("DTSTART:20260330T060000Z"), std::string::npos);
    EXPECT_NE(ics->find("STATUS:CANCELLED"), std::string::npos);
    EXPECT_EQ(ics->find("Dupont"), std::string::npos);  // initials only
    // A new link retires the old one; an administrator can turn the feed off.
    auto next = schedules.rotate_calendar_token(doctor, kDoc);
    EXPECT_EQ(service.calendar_feed(feed_caller, *token).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(service.calendar_feed(feed_caller, *next));
    ASSERT_TRUE(schedules.revoke_calendar_token(admin, kDoc));
    EXPECT_EQ(service.calendar_feed(feed_caller, *next).error().kind, ErrorKind::not_found);
    EXPECT_EQ(service.calendar_feed(feed_caller, "").error().kind, ErrorKind::not_found);
    EXPECT_EQ(audit.count("appointment.calendar_feed", Outcome::success), 2u);
}

TEST_F(BookingRules, ReadsAndChangesAreAudited) {
    auto b = book(secretary, "2026-03-30T06:00:00Z");
    ASSERT_TRUE(b);
    ASSERT_TRUE(service.get(nurse, b->appointment.id));
    EXPECT_FALSE(service.get(patient2, b->appointment.id));
    auto entries = audit.entries();
    auto find = [&](const std::string& action, Outcome o) -> const audit::AuditEntry* {
        for (const auto& [c, e] : entries)
            if (e.action == action && e.outcome == o) return &e;
        return nullptr;
    };
    auto booked = find("appointment.book", Outcome::success);
    ASSERT_TRUE(booked);
    EXPECT_EQ(booked->patient_id, kPat1);
    EXPECT_EQ(booked->resource_id, b->appointment.id);
    ASSERT_TRUE(find("appointment.read", Outcome::success));
    auto probe = find("appointment.read", Outcome::denied);
    ASSERT_TRUE(probe);
    EXPECT_EQ(probe->patient_id, "");  // the other patient's log does not show the probe
}
