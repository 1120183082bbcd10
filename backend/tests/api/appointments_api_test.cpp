// SPDX-License-Identifier: Apache-2.0
// /api/v1/practitioners, /api/v1/appointments and the calendar feed over real HTTP: every
// endpoint's happy path, validation, wrong role, another patient's object and not found;
// parallel bookings of one slot (exactly one 201) on SQLite, PostgreSQL and a real MongoDB; a
// booking through the MongoDB store (the test double will do); the local times of slots and
// bookings across daylight-saving changes.
#include "core/timezone.hpp"
#include "platform/mongo/mongo.hpp"
#include "test_app.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <thread>

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;
using namespace std::chrono;

namespace {

const std::string kMissing = "01900000-0000-7000-8000-000000000000";
const TimeZone kParis = *TimeZone::named("Europe/Paris");

sys_days last_sunday(int year, unsigned month) {
    return sys_days{std::chrono::year{year} / std::chrono::month{month} / Sunday[last]};
}

/// The instant of a local wall-clock time in the practice's zone.
Timestamp local(sys_days day, int hour, int minute = 0) {
    return kParis.to_utc(LocalSeconds{local_days{day.time_since_epoch()}.time_since_epoch()} +
                         hours(hour) + minutes(minute));
}

std::string iso(Timestamp t) {
    return format_instant(t);
}
std::string day_text(sys_days d) {
    return format_date(Date{d});
}

/// A Monday at least a week ahead: inside the portal's window (24 hours to 90 days).
sys_days portal_monday() {
    sys_days today{kParis.local_date(SystemClock{}.now())};
    return today + days(7 + (8 - static_cast<int>(weekday{today}.iso_encoding())) % 7);
}

std::string hours_body(const std::vector<std::tuple<int, const char*, const char*>>& ranges) {
    json::array a;
    for (const auto& [wd, s, e] : ranges)
        a.push_back(json::object{{"weekday", wd}, {"start", s}, {"end", e}});
    return json::serialize(json::object{{"ranges", a}});
}

std::vector<std::string> slot_starts(const HttpResult& r) {
    std::vector<std::string> out;
    for (const auto& s : r.json().at("slots").as_array())
        out.emplace_back(s.at("start").as_string());
    return out;
}

}  // namespace

class AppointmentsApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        app_ = new TestApp();
        secretary_ = new Account(app_->user(Role::secretary));
        nurse_ = new Account(app_->user(Role::nurse));
        accountant_ = new Account(app_->user(Role::accountant));
        doctor_ = new Account(app_->user(Role::doctor));
        colleague_ = new Account(app_->user(Role::doctor));
        p1_ = app_->patient("Chloé", "Bérard", "1984-05-12", R"({"email":"chloe@exemple.fr"})");
        p2_ = app_->patient("John", "Smith", "1970-01-02", R"({"preferred_language":"en"})");
        portal1_ = new Account(app_->user(Role::patient, p1_));
        portal2_ = new Account(app_->user(Role::patient, p2_));
        // The doctor opens Monday to Friday, 08:00-12:00 and 14:00-18:00, and Sundays 01:00-04:00
        // (to see a night across the daylight-saving changes).
        std::vector<std::tuple<int, const char*, const char*>> ranges;
        for (int d = 1; d <= 5; ++d) {
            ranges.emplace_back(d, "08:00", "12:00");
            ranges.emplace_back(d, "14:00", "18:00");
        }
        ranges.emplace_back(7, "01:00", "04:00");
        auto h =
            as(*secretary_)
                .request("PUT", hours_path(doctor_->id), hours_body(ranges), {"If-Match: \"v0\""});
        if (h.status != 200) throw std::runtime_error("opening hours: " + h.body);
        consult_ = type(*secretary_, doctor_->id,
                        R"({"label":"Consultation","duration_minutes":20,"portal_bookable":true})");
        technical_ = type(*secretary_, doctor_->id,
                          R"({"label":"Acte technique","duration_minutes":30,"color":"#dc2626"})");
        hour_ = type(*secretary_, doctor_->id, R"({"label":"Bilan","duration_minutes":60})");
        colleague_consult_ =
            type(*colleague_, colleague_->id, R"({"label":"Consultation","duration_minutes":20})");
    }
    static void TearDownTestSuite() {
        for (auto* a : {secretary_, nurse_, accountant_, doctor_, colleague_, portal1_, portal2_})
            delete a;
        delete app_;
    }
    static HttpClient as(const Account& a) {
        HttpClient c(app_->base_url());
        c.bearer = a.token;
        return c;
    }
    static HttpClient admin() {
        HttpClient c(app_->base_url());
        c.bearer = app_->admin().token;
        return c;
    }
    static std::string hours_path(const std::string& doc) {
        return "/api/v1/practitioners/" + doc + "/opening-hours";
    }
    static std::string type(const Account& who, const std::string& doc, const std::string& body) {
        auto r = as(who).post("/api/v1/practitioners/" + doc + "/appointment-types", body);
        if (r.status != 201) throw std::runtime_error("appointment type: " + r.body);
        return std::string(r.json().at("id").as_string());
    }
    static std::string booking(const std::string& patient, Timestamp start,
                               const std::string& type_id = "", const std::string& doc = "") {
        json::object b{{"practitioner_id", doc.empty() ? doctor_->id : doc},
                       {"type_id", type_id.empty() ? consult_ : type_id},
                       {"start", iso(start)}};
        if (!patient.empty()) b["patient_id"] = patient;
        return json::serialize(b);
    }
    /// Books as the secretary; returns the appointment.
    static json::object book(const std::string& patient, Timestamp start,
                             const std::string& type_id = "") {
        auto r = as(*secretary_).post("/api/v1/appointments", booking(patient, start, type_id));
        if (r.status != 201) throw std::runtime_error("booking: " + r.body);
        return r.json().as_object();
    }
    static std::string id_of(const json::object& o) { return std::string(o.at("id").as_string()); }

    static TestApp* app_;
    static Account *secretary_, *nurse_, *accountant_, *doctor_, *colleague_, *portal1_, *portal2_;
    static std::string p1_, p2_, consult_, technical_, hour_, colleague_consult_;
};
TestApp* AppointmentsApi::app_ = nullptr;
Account *AppointmentsApi::secretary_ = nullptr, *AppointmentsApi::nurse_ = nullptr,
        *AppointmentsApi::accountant_ = nullptr, *AppointmentsApi::doctor_ = nullptr,
        *AppointmentsApi::colleague_ = nullptr, *AppointmentsApi::portal1_ = nullptr,
        *AppointmentsApi::portal2_ = nullptr;
std::string AppointmentsApi::p1_, AppointmentsApi::p2_, AppointmentsApi::consult_,
    AppointmentsApi::technical_, AppointmentsApi::hour_, AppointmentsApi::colleague_consult_;

// ----- practitioners and schedules -----

TEST_F(AppointmentsApi, PractitionersWithTheTypesEachCallerMayBook) {
    auto staff = as(*nurse_).get("/api/v1/practitioners");
    ASSERT_EQ(staff.status, 200) << staff.body;
    const json::object* mine = nullptr;
    for (const auto& p : staff.json().at("items").as_array())
        if (p.at("id") == doctor_->id) mine = &p.as_object();
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->at("appointment_types").as_array().size(), 3u);
    auto portal = as(*portal1_).get("/api/v1/practitioners");
    ASSERT_EQ(portal.status, 200);
    for (const auto& p : portal.json().at("items").as_array())
        if (p.at("id") == doctor_->id) {
            ASSERT_EQ(p.at("appointment_types").as_array().size(),
                      1u);  // only what is bookable online
            EXPECT_EQ(p.at("appointment_types").at(0).at("id"), consult_);
        }
    EXPECT_EQ(as(*accountant_).get("/api/v1/practitioners").status, 200);
    EXPECT_EQ(app_->client().get("/api/v1/practitioners").status, 401);
}

TEST_F(AppointmentsApi, OpeningHoursNeedTheirETagAndTheRightPerson) {
    auto c = as(*colleague_);
    auto path = hours_path(colleague_->id);
    auto first = c.get(path);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.header("etag"), "\"v0\"");
    EXPECT_EQ(first.json().at("time_zone"), "Europe/Paris");
    EXPECT_TRUE(first.json().at("updated_at").is_null());
    auto body = hours_body({{2, "14:00", "18:30"}, {2, "08:30", "12:00"}});
    EXPECT_EQ(c.request("PUT", path, body).status, 428);
    auto saved = c.request("PUT", path, body, {"If-Match: \"v0\""});
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(saved.header("etag"), "\"v1\"");
    EXPECT_EQ(saved.json().at("ranges").at(0).at("start"), "08:30");  // sorted
    EXPECT_EQ(c.request("PUT", path, body, {"If-Match: \"v0\""}).status, 412);
    auto invalid =
        c.request("PUT", path,
                  hours_body({{1, "08:00", "12:00"}, {1, "11:00", "13:00"}, {8, "07:00", "06:00"}}),
                  {"If-Match: \"v1\""});
    EXPECT_EQ(invalid.status, 422);
    auto bad_clock = c.request("PUT", path, hours_body({{1, "8h", "25:00"}}), {"If-Match: \"v1\""});
    EXPECT_EQ(bad_clock.status, 422);
    EXPECT_EQ(bad_clock.json().at("errors").as_array().size(), 2u);
    // A doctor manages their own hours only; nurses and patients do not edit, patients do not read.
    EXPECT_EQ(c.request("PUT", hours_path(doctor_->id), body, {"If-Match: \"v1\""}).status, 403);
    EXPECT_EQ(as(*nurse_).request("PUT", path, body, {"If-Match: \"v1\""}).status, 403);
    EXPECT_EQ(as(*nurse_).get(path).status, 200);
    EXPECT_EQ(as(*portal1_).get(path).status, 403);
    EXPECT_EQ(as(*accountant_).get(path).status, 403);
    EXPECT_EQ(c.get(hours_path(kMissing)).status, 404);
    EXPECT_EQ(c.get(hours_path(secretary_->id)).status, 404);  // not a practitioner
    EXPECT_EQ(c.get("/api/v1/practitioners/not-a-uuid/opening-hours").status, 404);
}

TEST_F(AppointmentsApi, AppointmentTypes) {
    auto c = as(*secretary_);
    auto base = "/api/v1/practitioners/" + colleague_->id + "/appointment-types";
    auto created = c.post(
        base,
        R"({"label":" Téléconsultation ","duration_minutes":15,"color":"#0ea5e9","portal_bookable":true})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json().at("label"), "Téléconsultation");
    EXPECT_EQ(created.json().at("color"), "#0EA5E9");
    EXPECT_EQ(created.header("etag"), "\"v1\"");
    std::string id(created.json().at("id").as_string());
    auto invalid = c.post(base, R"({"label":"","duration_minutes":3,"color":"blue"})");
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(invalid.json().at("errors").as_array().size(), 3u);
    auto odd = c.post(base, R"({"label":"X","duration_minutes":7})");  // whole 5 minutes only
    EXPECT_EQ(odd.status, 422);
    EXPECT_EQ(odd.json().at("errors").at(0).at("field"), "/duration_minutes");
    EXPECT_EQ(c.post(base, R"({"label":"X","duration_minutes":5000})").status, 422);
    EXPECT_EQ(c.post(base, R"({"label":"X","duration_minutes":20,"extra":1})").status, 422);
    EXPECT_EQ(
        c.post(base, R"({"label":"X","duration_minutes":20})", {"Content-Type: text/plain"}).status,
        415);

    auto patch = c.patch(base + "/" + id, R"({"active":false})", {"If-Match: \"v1\""});
    ASSERT_EQ(patch.status, 200) << patch.body;
    EXPECT_EQ(patch.json().at("active"), false);
    EXPECT_EQ(c.patch(base + "/" + id, R"({"active":true})", {"If-Match: \"v1\""}).status, 412);
    EXPECT_EQ(c.patch(base + "/" + id, R"({"active":true})").status, 428);
    EXPECT_EQ(c.patch(base + "/" + id, R"({})", {"If-Match: \"v2\""}).status, 422);
    EXPECT_EQ(c.patch(base + "/" + kMissing, R"({"active":true})", {"If-Match: \"v1\""}).status,
              404);
    // Another practitioner's type is not found under this one.
    EXPECT_EQ(c.patch("/api/v1/practitioners/" + doctor_->id + "/appointment-types/" + id,
                      R"({"active":true})", {"If-Match: \"v2\""})
                  .status,
              404);
    EXPECT_EQ(as(*doctor_).post(base, R"({"label":"X","duration_minutes":20})").status,
              403);  // a colleague's
    EXPECT_EQ(as(*nurse_).post(base, R"({"label":"X","duration_minutes":20})").status, 403);
    auto list = as(*nurse_).get(base);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json().at("items").as_array().size(), 2u);  // inactive ones included
    EXPECT_EQ(as(*portal1_).get(base).status, 403);
}

TEST_F(AppointmentsApi, AbsencesBlockBookingsAndListWhatIsAlreadyBooked) {
    sys_days day = portal_monday() + days(14);  // a Monday
    auto inside = book(p1_, local(day + days(1), 9));
    auto base = "/api/v1/practitioners/" + doctor_->id + "/absences";
    auto d = as(*doctor_);
    json::object body{{"start", iso(local(day + days(1), 0))},
                      {"end", iso(local(day + days(2), 0))},
                      {"reason", "Formation"}};
    auto added = d.post(base, json::serialize(body));
    ASSERT_EQ(added.status, 201) << added.body;
    ASSERT_EQ(added.json().at("conflicting_appointments").as_array().size(), 1u);
    EXPECT_EQ(added.json().at("conflicting_appointments").at(0).at("id"), id_of(inside));
    EXPECT_EQ(d.post(base, json::serialize(body)).status, 409);  // overlaps itself
    auto refused =
        as(*secretary_).post("/api/v1/appointments", booking(p2_, local(day + days(1), 10)));
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(refused.code(), "appointment.practitioner_absent");

    auto list =
        as(*secretary_).get(base + "?from=" + day_text(day) + "&to=" + day_text(day + days(7)));
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(list.json().at("items").at(0).at("reason"), "Formation");
    EXPECT_EQ(as(*secretary_).get(base + "?from=yesterday&to=" + day_text(day)).status, 422);
    EXPECT_EQ(as(*secretary_).get(base + "?from=" + day_text(day)).status, 422);
    EXPECT_EQ(as(*portal1_)
                  .get(base + "?from=" + day_text(day) + "&to=" + day_text(day + days(7)))
                  .status,
              403);

    auto invalid = d.post(
        base, R"({"start":"2030-01-02T00:00:00Z","end":"2030-01-01T00:00:00Z","reason":""})");
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(as(*nurse_).post(base, json::serialize(body)).status, 403);
    EXPECT_EQ(as(*colleague_).post(base, json::serialize(body)).status, 403);

    std::string absence_id(added.json().at("absence").at("id").as_string());
    EXPECT_EQ(as(*colleague_).del(base + "/" + absence_id).status, 403);
    EXPECT_EQ(d.del(base + "/" + absence_id).status, 204);
    EXPECT_EQ(d.del(base + "/" + absence_id).status, 404);
    EXPECT_EQ(
        as(*secretary_).post("/api/v1/appointments", booking(p2_, local(day + days(1), 10))).status,
        201);
}

TEST_F(AppointmentsApi, SchedulesOfUnknownPractitionersAreNotFound) {
    auto base = "/api/v1/practitioners/" + kMissing;
    auto s = as(*secretary_);
    EXPECT_EQ(s.request("PUT", base + "/opening-hours", hours_body({{1, "08:00", "12:00"}}),
                        {"If-Match: \"v0\""})
                  .status,
              404);
    EXPECT_EQ(s.get(base + "/absences?from=2030-01-01&to=2030-02-01").status, 404);
    EXPECT_EQ(
        s.post(base + "/absences",
               R"({"start":"2030-01-01T00:00:00Z","end":"2030-01-02T00:00:00Z","reason":"Congés"})")
            .status,
        404);
    EXPECT_EQ(s.del(base + "/absences/" + kMissing).status, 404);
    EXPECT_EQ(s.get(base + "/appointment-types").status, 404);
    EXPECT_EQ(s.post(base + "/appointment-types", R"({"label":"X","duration_minutes":20})").status,
              404);
    EXPECT_EQ(as(*doctor_).post(base + "/calendar-token", "").status, 404);
    EXPECT_EQ(admin().del(base + "/calendar-token").status, 404);
    EXPECT_EQ(s.post("/api/v1/appointments/" + kMissing + "/cancel", R"({"reason":"x"})",
                     {"If-Match: \"v1\""})
                  .status,
              404);
}

// ----- availability and daylight saving -----

TEST_F(AppointmentsApi, SlotsAndBookingsAcrossDaylightSavingChanges) {
    // Two years ahead: clear of every other test's bookings (at most ~3 months ahead).
    int year =
        static_cast<int>(std::chrono::year_month_day{floor<days>(SystemClock{}.now())}.year()) + 2;
    sys_days spring = last_sunday(year, 3), autumn = last_sunday(year, 10);
    auto c = as(*secretary_);
    auto slots = [&](sys_days from, sys_days to, const std::string& type) {
        auto r =
            c.get("/api/v1/practitioners/" + doctor_->id + "/availability?from=" + day_text(from) +
                  "&to=" + day_text(to) + "&type=" + type);
        EXPECT_EQ(r.status, 200) << r.body;
        return r;
    };
    // Friday before: 08:00 local is 07:00Z. Monday after: 08:00 local is 06:00Z.
    auto friday = slots(spring - days(2), spring - days(1), hour_);
    EXPECT_EQ(slot_starts(friday).front(), iso(local(spring - days(2), 8)));
    EXPECT_EQ(slot_starts(friday).front().substr(11, 5), "07:00");
    EXPECT_EQ(friday.json().at("time_zone"), "Europe/Paris");
    auto monday = slots(spring + days(1), spring + days(2), hour_);
    EXPECT_EQ(slot_starts(monday).front().substr(11, 5), "06:00");
    EXPECT_EQ(slot_starts(monday).size(), 8u);
    // The Sunday night itself: 01:00-04:00 local holds two real hours in spring, four in autumn.
    auto short_night = slot_starts(slots(spring, spring + days(1), hour_));
    EXPECT_EQ(short_night,
              (std::vector<std::string>{iso(local(spring, 1)), iso(local(spring, 3))}));
    EXPECT_EQ(short_night[0].substr(11, 5), "00:00");
    EXPECT_EQ(short_night[1].substr(11, 5), "01:00");
    auto long_night = slot_starts(slots(autumn, autumn + days(1), hour_));
    ASSERT_EQ(long_night.size(), 4u);
    EXPECT_EQ(long_night[0].substr(11, 5), "23:00");  // 01:00 CEST, the evening before in UTC
    EXPECT_EQ(long_night[3].substr(11, 5), "02:00");  // 03:00 CET

    // Booking the first Monday slot stores 06:00Z and lists under that local day.
    auto booked = c.post("/api/v1/appointments", booking(p2_, local(spring + days(1), 8), hour_));
    ASSERT_EQ(booked.status, 201) << booked.body;
    EXPECT_EQ(std::string(booked.json().at("start").as_string()).substr(11, 5), "06:00");
    EXPECT_EQ(std::string(booked.json().at("end").as_string()).substr(11, 5), "07:00");
    auto day = c.get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                     "&date=" + day_text(spring + days(1)));
    ASSERT_EQ(day.status, 200) << day.body;
    EXPECT_EQ(day.json().at("time_zone"), "Europe/Paris");
    EXPECT_EQ(day.json().at("from"), iso(local(spring + days(1), 0)));
    ASSERT_EQ(day.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(day.json().at("items").at(0).at("id"), booked.json().at("id"));
    // The week containing the Sunday of the change runs from Monday 00:00 CET to Monday 00:00 CEST.
    auto week = c.get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                      "&date=" + day_text(spring) + "&view=week");
    ASSERT_EQ(week.status, 200);
    EXPECT_EQ(std::string(week.json().at("from").as_string()).substr(11, 5), "23:00");
    EXPECT_EQ(std::string(week.json().at("to").as_string()).substr(11, 5), "22:00");
    EXPECT_EQ(week.json().at("to"), iso(local(spring + days(1), 0)));
    EXPECT_EQ(slots(spring + days(1), spring + days(2), hour_).json().at("slots").as_array().size(),
              7u);
    // Autumn: the Monday after falls back to 07:00Z.
    auto after = c.post("/api/v1/appointments", booking(p2_, local(autumn + days(1), 8), hour_));
    ASSERT_EQ(after.status, 201);
    EXPECT_EQ(std::string(after.json().at("start").as_string()).substr(11, 5), "07:00");
}

TEST_F(AppointmentsApi, AvailabilityValidationAndRoles) {
    sys_days monday = portal_monday();
    auto base = "/api/v1/practitioners/" + doctor_->id + "/availability?from=" + day_text(monday) +
                "&to=" + day_text(monday + days(1));
    auto c = as(*nurse_);
    EXPECT_EQ(c.get(base + "&type=" + consult_).status, 200);
    EXPECT_EQ(c.get(base).status, 422);                                  // no type
    EXPECT_EQ(c.get(base + "&type=" + colleague_consult_).status, 422);  // a colleague's type
    auto too_long =
        c.get("/api/v1/practitioners/" + doctor_->id + "/availability?from=" + day_text(monday) +
              "&to=" + day_text(monday + days(40)) + "&type=" + consult_);
    EXPECT_EQ(too_long.status, 422);
    EXPECT_EQ(too_long.json().at("errors").at(0).at("code"), "window_too_long");
    EXPECT_EQ(c.get("/api/v1/practitioners/" + doctor_->id + "/availability?from=" +
                    day_text(monday) + "&to=" + day_text(monday) + "&type=" + consult_)
                  .status,
              422);
    EXPECT_EQ(c.get("/api/v1/practitioners/" + kMissing + "/availability?from=" + day_text(monday) +
                    "&to=" + day_text(monday + days(1)) + "&type=" + consult_)
                  .status,
              404);
    // Patients: online types only; accountants: none.
    auto mine = as(*portal1_).get(base + "&type=" + consult_);
    ASSERT_EQ(mine.status, 200);
    EXPECT_EQ(mine.json().at("slots").as_array().size(), 24u);
    auto offline = as(*portal1_).get(base + "&type=" + technical_);
    EXPECT_EQ(offline.status, 422);
    EXPECT_EQ(offline.json().at("errors").at(0).at("code"), "not_bookable_online");
    EXPECT_EQ(as(*accountant_).get(base + "&type=" + consult_).status, 403);
}

// ----- booking -----

TEST_F(AppointmentsApi, BookReadAndAudit) {
    sys_days monday = portal_monday() + days(70);
    auto c = as(*secretary_);
    auto r =
        c.post("/api/v1/appointments", booking(p1_, local(monday, 14)), {"X-Request-Id: book-1"});
    ASSERT_EQ(r.status, 201) << r.body;
    std::string id(r.json().at("id").as_string());
    EXPECT_EQ(r.header("location"), "/api/v1/appointments/" + id);
    EXPECT_EQ(r.header("etag"), "\"v1\"");
    EXPECT_EQ(r.json().at("status"), "booked");
    EXPECT_EQ(r.json().at("booked_via"), "staff");
    EXPECT_EQ(r.json().at("duration_minutes"), 20);
    EXPECT_EQ(r.json().at("type").at("label"), "Consultation");
    EXPECT_TRUE(r.json().at("warnings").as_array().empty());
    EXPECT_TRUE(r.json().at("cancellation").is_null());

    auto got = as(*doctor_).get("/api/v1/appointments/" + id);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.header("etag"), "\"v1\"");
    EXPECT_EQ(got.json().at("patient_id"), p1_);
    EXPECT_EQ(as(*portal1_).get("/api/v1/appointments/" + id).status, 200);
    auto hidden = as(*portal2_).get("/api/v1/appointments/" + id);
    auto missing = as(*portal2_).get("/api/v1/appointments/" + kMissing);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(hidden.code(), missing.code());  // indistinguishable
    EXPECT_EQ(as(*accountant_).get("/api/v1/appointments/" + id).status, 403);
    EXPECT_EQ(c.get("/api/v1/appointments/" + kMissing).status, 404);
    EXPECT_EQ(c.get("/api/v1/appointments/nope").status, 404);

    auto trail = admin().get("/api/v1/audit?patient_id=" + p1_ + "&action=appointment.book");
    ASSERT_EQ(trail.status, 200);
    bool found = false;
    for (const auto& rec : trail.json().at("items").as_array())
        if (rec.at("request_id") == "book-1") {
            found = true;
            EXPECT_EQ(rec.at("actor_id"), secretary_->id);
            EXPECT_EQ(rec.at("resource_id"), id);
        }
    EXPECT_TRUE(found);
}

TEST_F(AppointmentsApi, BookingValidationAndConflicts) {
    sys_days monday = portal_monday() + days(7);
    auto c = as(*nurse_);
    auto missing_fields =
        c.post("/api/v1/appointments", R"({"practitioner_id":"x","start":"tomorrow"})");
    EXPECT_EQ(missing_fields.status, 422);
    std::set<std::string> fields;
    for (const auto& e : missing_fields.json().at("errors").as_array())
        fields.insert(std::string(e.at("field").as_string()));
    EXPECT_EQ(fields, (std::set<std::string>{"/practitioner_id", "/start", "/type_id"}));
    EXPECT_EQ(c.post("/api/v1/appointments", booking("", local(monday, 9))).code(),
              "validation_failed");  // staff: patient needed
    auto unknown =
        c.post("/api/v1/appointments", booking(kMissing, local(monday, 9), colleague_consult_));
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.json().at("errors").as_array().size(),
              2u);  // unknown patient, type of another practitioner
    EXPECT_EQ(c.post("/api/v1/appointments", "{").status, 400);

    auto first = c.post("/api/v1/appointments", booking(p1_, local(monday, 9)));
    ASSERT_EQ(first.status, 201);
    auto taken = c.post("/api/v1/appointments", booking(p2_, local(monday, 9, 10)));
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.code(), "appointment.slot_taken");
    // The same patient with the colleague at that time: allowed, with a warning. Doctors book
    // with their colleagues.
    auto overlap =
        as(*doctor_).post("/api/v1/appointments",
                          booking(p1_, local(monday, 9, 10), colleague_consult_, colleague_->id));
    ASSERT_EQ(overlap.status, 201) << overlap.body;
    const json::value* overlap_warning = nullptr;
    for (const auto& w : overlap.json().at("warnings").as_array())
        if (w.at("code") == "patient_overlap") overlap_warning = &w;
    ASSERT_TRUE(overlap_warning) << overlap.body;
    EXPECT_EQ(overlap_warning->at("appointment_id"), first.json().at("id"));
    // Outside opening hours: allowed for staff, with a warning.
    auto evening = c.post("/api/v1/appointments", booking(p2_, local(monday, 19)));
    ASSERT_EQ(evening.status, 201);
    EXPECT_EQ(evening.json().at("warnings").at(0).at("code"), "outside_opening_hours");
    EXPECT_EQ(c.post("/api/v1/appointments", booking(p2_, local(monday - days(60), 9))).status,
              422);  // in the past

    EXPECT_EQ(as(*accountant_).post("/api/v1/appointments", booking(p1_, local(monday, 11))).status,
              403);
    EXPECT_EQ(app_->client().post("/api/v1/appointments", booking(p1_, local(monday, 11))).status,
              401);
}

TEST_F(AppointmentsApi, ParallelBookingsOfOneSlotGiveExactlyOne201) {
    sys_days monday = portal_monday() + days(21);
    auto start = local(monday, 10);
    constexpr int kClients = 8;
    std::vector<long> statuses(kClients);
    std::vector<std::string> codes(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            auto c = as(i % 2 ? *secretary_ : *nurse_);
            auto r = c.post("/api/v1/appointments", booking(i % 2 ? p1_ : p2_, start));
            statuses[i] = r.status;
            codes[i] = r.code();
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kClients - 1);
    EXPECT_EQ(std::count(codes.begin(), codes.end(), "appointment.slot_taken"), kClients - 1);
    auto day = as(*secretary_)
                   .get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                        "&date=" + day_text(monday));
    EXPECT_EQ(day.json().at("items").as_array().size(), 1u);
}

namespace {

/// A secretary, a doctor with a 20-minute type, and a patient, in a fresh application.
struct SmallPractice {
    Account secretary;
    Account doctor;
    std::string patient;
    std::string type_id;

    explicit SmallPractice(TestApp& app)
        : secretary(app.user(Role::secretary)), doctor(app.user(Role::doctor)),
          patient(app.patient("Léa", "Garnier", "1995-05-05")) {
        auto t = client(app).post("/api/v1/practitioners/" + doctor.id + "/appointment-types",
                                  R"({"label":"Consultation","duration_minutes":20})");
        if (t.status != 201) throw std::runtime_error("appointment type: " + t.body);
        type_id = std::string(t.json().at("id").as_string());
    }
    HttpClient client(TestApp& app) const {
        HttpClient c(app.base_url());
        c.bearer = secretary.token;
        return c;
    }
    /// The body booking the patient on the doctor's first Monday in the portal's window.
    std::string booking(int hour, int minute) const {
        return json::serialize(json::object{{"practitioner_id", doctor.id},
                                            {"patient_id", patient},
                                            {"type_id", type_id},
                                            {"start", iso(local(portal_monday(), hour, minute))}});
    }
};

/// Eight clients book one slot at once, three rounds: exactly one 201 each round.
void parallel_bookings_give_exactly_one_201(TestApp& app) {
    SmallPractice practice(app);
    constexpr int kClients = 8;
    for (int round = 0; round < 3; ++round) {
        std::string body = practice.booking(9, 20 * round);
        std::vector<long> statuses(kClients);
        std::vector<std::thread> threads;
        for (int i = 0; i < kClients; ++i)
            threads.emplace_back([&, i] {
                statuses[i] = practice.client(app).post("/api/v1/appointments", body).status;
            });
        for (auto& th : threads)
            th.join();
        EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1) << "round " << round;
        EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), kClients - 1)
            << "round " << round;
    }
}

/// A MongoDB database of the test's own, dropped when the test ends (after its application).
struct OwnMongoDatabase {
    std::string url = mongo_test_database_url();
    ~OwnMongoDatabase() {
        try {
            mongo::Pool(*mongo::parse_url(url), 1).drop_database_for_test();
        } catch (const std::exception&) {
            // The server went away: nothing left to drop.
        }
    }
};

}  // namespace

TEST(AppointmentsApiPostgres, ParallelBookingsOfOneSlotGiveExactlyOne201) {
    MS_REQUIRE_POSTGRES();
    TestApp app([](config::Config& c) { c.database_urls["appointments"] = postgres_schema_url(); });
    parallel_bookings_give_exactly_one_201(app);
}

TEST(AppointmentsApiMongo, BookedReadAndRefusedOverlapWithTheStoreInReadiness) {
    MS_REQUIRE_MONGO();
    OwnMongoDatabase db;
    TestApp app([&](config::Config& c) { c.database_urls["appointments"] = db.url; });
    SmallPractice practice(app);
    auto s = practice.client(app);
    auto booked = s.post("/api/v1/appointments", practice.booking(9, 0));
    ASSERT_EQ(booked.status, 201) << booked.body;
    auto read = s.get("/api/v1/appointments/" + std::string(booked.json().at("id").as_string()));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json().at("type").at("label"), "Consultation");
    auto overlap = s.post("/api/v1/appointments", practice.booking(9, 10));
    EXPECT_EQ(overlap.status, 409);
    EXPECT_EQ(overlap.code(), "appointment.slot_taken");
    auto ready = s.get("/health/ready");
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(ready.json().at("checks").at("database:appointments"), "ok") << ready.body;
}

TEST(AppointmentsApiMongo, ParallelBookingsOfOneSlotGiveExactlyOne201) {
    MS_REQUIRE_MONGO();
    MS_REQUIRE_REAL_MONGO();
    OwnMongoDatabase db;
    TestApp app([&](config::Config& c) { c.database_urls["appointments"] = db.url; });
    parallel_bookings_give_exactly_one_201(app);
}

// ----- the life cycle -----

TEST_F(AppointmentsApi, TransitionsNeedTheETagAndFollowTheTable) {
    sys_days monday = portal_monday() + days(28);
    auto a = book(p1_, local(monday, 15));
    auto c = as(*secretary_);
    auto path = "/api/v1/appointments/" + id_of(a);
    EXPECT_EQ(c.post(path + "/check-in", "").status, 428);
    EXPECT_EQ(c.post(path + "/check-in", "", {"If-Match: \"v9\""}).status, 412);
    auto early = c.post(path + "/no-show", "", {"If-Match: \"v1\""});
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.code(), "appointment.not_started");
    auto wrong = c.post(path + "/complete", "", {"If-Match: \"v1\""});
    EXPECT_EQ(wrong.status, 409);
    EXPECT_EQ(wrong.code(), "appointment.invalid_transition");
    EXPECT_EQ(as(*portal1_).post(path + "/check-in", "", {"If-Match: \"v1\""}).status, 403);
    EXPECT_EQ(as(*accountant_).post(path + "/check-in", "", {"If-Match: \"v1\""}).status, 403);
    auto in = as(*nurse_).post(path + "/check-in", "", {"If-Match: \"v1\""});
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(in.json().at("status"), "checked_in");
    EXPECT_EQ(in.header("etag"), "\"v2\"");
    EXPECT_FALSE(in.json().at("checked_in_at").is_null());
    auto done = as(*doctor_).post(path + "/complete", "", {"If-Match: \"v2\""});
    ASSERT_EQ(done.status, 200);
    EXPECT_EQ(done.json().at("status"), "completed");
    EXPECT_EQ(c.post(path + "/complete", "", {"If-Match: \"v3\""}).status, 409);
    EXPECT_EQ(
        c.post("/api/v1/appointments/" + kMissing + "/check-in", "", {"If-Match: \"v1\""}).status,
        404);
}

TEST_F(AppointmentsApi, Reschedule) {
    sys_days monday = portal_monday() + days(35);
    auto a = book(p1_, local(monday, 8));
    auto b = book(p2_, local(monday, 9));
    auto path = "/api/v1/appointments/" + id_of(a) + "/reschedule";
    auto c = as(*secretary_);
    auto body = [](Timestamp t) { return json::serialize(json::object{{"start", iso(t)}}); };
    auto clash = c.post(path, body(local(monday, 8, 50)), {"If-Match: \"v1\""});
    EXPECT_EQ(clash.status, 409);
    EXPECT_EQ(clash.code(), "appointment.slot_taken");
    auto moved = c.post(path, body(local(monday, 10)), {"If-Match: \"v1\""});
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved.json().at("start"), iso(local(monday, 10)));
    EXPECT_EQ(moved.json().at("duration_minutes"), 20);
    EXPECT_EQ(moved.header("etag"), "\"v2\"");
    EXPECT_EQ(c.post(path, body(local(monday, 11)), {"If-Match: \"v1\""}).status, 412);
    EXPECT_EQ(c.post(path, body(local(monday, 11))).status, 428);
    EXPECT_EQ(c.post(path, R"({"start":"soon"})", {"If-Match: \"v2\""}).status, 422);
    EXPECT_EQ(as(*portal1_).post(path, body(local(monday, 11)), {"If-Match: \"v2\""}).status, 403);
    EXPECT_EQ(c.post("/api/v1/appointments/" + kMissing + "/reschedule", body(local(monday, 11)),
                     {"If-Match: \"v1\""})
                  .status,
              404);
    (void)b;
}

TEST_F(AppointmentsApi, CancellationByStaffAndByThePatient) {
    sys_days monday = portal_monday() + days(42);
    auto a = book(p1_, local(monday, 8));
    auto other = book(p2_, local(monday, 9));
    auto c = as(*secretary_);
    auto path = "/api/v1/appointments/" + id_of(a) + "/cancel";
    EXPECT_EQ(c.post(path, R"({"reason":""})", {"If-Match: \"v1\""}).status, 422);  // staff say why
    EXPECT_EQ(c.post(path, R"({"reason":")" + std::string(201, 'x') + R"("})", {"If-Match: \"v1\""})
                  .status,
              422);
    EXPECT_EQ(
        as(*portal1_)
            .post("/api/v1/appointments/" + id_of(other) + "/cancel", "", {"If-Match: \"v1\""})
            .status,
        404);
    auto mine = as(*portal1_).post(path, "", {"If-Match: \"v1\""});
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(mine.json().at("status"), "cancelled");
    EXPECT_EQ(mine.json().at("cancellation").at("by_role"), "patient");
    EXPECT_EQ(mine.json().at("cancellation").at("by"), portal1_->id);
    EXPECT_EQ(c.post(path, R"({"reason":"x"})", {"If-Match: \"v2\""}).status,
              409);  // already cancelled
    auto staff = c.post("/api/v1/appointments/" + id_of(other) + "/cancel",
                        R"({"reason":"Médecin absent"})", {"If-Match: \"v1\""});
    ASSERT_EQ(staff.status, 200);
    EXPECT_EQ(staff.json().at("cancellation").at("reason"), "Médecin absent");
    EXPECT_EQ(as(*accountant_).post(path, "", {"If-Match: \"v2\""}).status, 403);
}

// ----- the patient portal -----

TEST_F(AppointmentsApi, ThePortalBooksAndCancelsWithinTheRules) {
    sys_days monday = portal_monday() + days(49);
    auto p = as(*portal2_);
    auto mine = p.post("/api/v1/appointments", booking("", local(monday, 14, 20)));
    ASSERT_EQ(mine.status, 201) << mine.body;
    EXPECT_EQ(mine.json().at("patient_id"), p2_);
    EXPECT_EQ(mine.json().at("booked_via"), "portal");
    auto code = [&](const std::string& body) {
        auto r = p.post("/api/v1/appointments", body);
        EXPECT_NE(r.status, 201) << body;
        if (r.json().as_object().contains("errors"))
            return std::string(r.json().at("errors").at(0).at("code").as_string());
        return r.code();
    };
    EXPECT_EQ(code(booking("", local(monday, 14, 10))), "not_an_offered_slot");
    EXPECT_EQ(code(booking("", local(monday, 14, 40), technical_)), "not_bookable_online");
    EXPECT_EQ(code(booking(p1_, local(monday, 15))), "patient_not_found");
    auto now = SystemClock{}.now();
    EXPECT_EQ(code(booking("", floor<minutes>(now) + hours(2))), "too_soon");
    EXPECT_EQ(code(booking("", floor<minutes>(now) + days(120))), "too_far");

    // Own appointments only, without a date.
    auto list = p.get("/api/v1/appointments");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_TRUE(list.json().at("from").is_null());
    bool seen = false;
    for (const auto& item : list.json().at("items").as_array()) {
        EXPECT_EQ(item.at("patient_id"), p2_);
        EXPECT_FALSE(item.as_object().contains("patient"));  // the brief is for staff
        EXPECT_FALSE(item.at("practitioner").at("display_name").as_string().empty());
        if (item.at("id") == mine.json().at("id")) seen = true;
    }
    EXPECT_TRUE(seen);
    EXPECT_EQ(p.get("/api/v1/appointments?patient_id=" + p1_).status, 404);

    // Cancelling: up to 24 hours before.
    auto soon = book(p2_, floor<minutes>(now) + hours(3));
    auto late = p.post("/api/v1/appointments/" + id_of(soon) + "/cancel", "", {"If-Match: \"v1\""});
    EXPECT_EQ(late.status, 409);
    EXPECT_EQ(late.code(), "appointment.cancel_too_late");
    std::string id(mine.json().at("id").as_string());
    EXPECT_EQ(p.post("/api/v1/appointments/" + id + "/cancel", R"({"reason":"Empêchement"})",
                     {"If-Match: \"v1\""})
                  .status,
              200);
}

// ----- lists -----

TEST_F(AppointmentsApi, DayAndWeekListsWithThePatientBriefForStaff) {
    sys_days monday = portal_monday() + days(56);
    book(p1_, local(monday, 8));
    book(p2_, local(monday + days(2), 16));
    auto c = as(*secretary_);
    auto day =
        c.get("/api/v1/appointments?practitioner_id=" + doctor_->id + "&date=" + day_text(monday));
    ASSERT_EQ(day.status, 200) << day.body;
    ASSERT_EQ(day.json().at("items").as_array().size(), 1u);
    const auto& item = day.json().at("items").at(0);
    EXPECT_EQ(item.at("patient").at("last_name"), "Bérard");
    EXPECT_EQ(item.at("patient").at("birth_date"), "1984-05-12");
    EXPECT_EQ(item.at("patient").at("mrn").as_string().size(), 10u);
    EXPECT_EQ(item.at("practitioner").at("id"), doctor_->id);
    auto week = c.get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                      "&date=" + day_text(monday + days(3)) + "&view=week");
    ASSERT_EQ(week.status, 200);
    EXPECT_EQ(week.json().at("items").as_array().size(), 2u);
    EXPECT_EQ(week.json().at("from"), iso(local(monday, 0)));
    auto by_patient = as(*doctor_).get("/api/v1/appointments?patient_id=" + p2_ +
                                       "&date=" + day_text(monday + days(2)));
    EXPECT_EQ(by_patient.json().at("items").as_array().size(), 1u);

    EXPECT_EQ(c.get("/api/v1/appointments?date=" + day_text(monday)).status, 422);
    EXPECT_EQ(c.get("/api/v1/appointments?practitioner_id=" + doctor_->id).status, 422);
    EXPECT_EQ(
        c.get("/api/v1/appointments?practitioner_id=" + doctor_->id + "&date=2026-02-30").status,
        422);
    EXPECT_EQ(c.get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                    "&date=" + day_text(monday) + "&view=month")
                  .status,
              422);
    EXPECT_EQ(c.get("/api/v1/appointments?practitioner_id=nope&date=" + day_text(monday)).status,
              422);
    EXPECT_EQ(as(*accountant_)
                  .get("/api/v1/appointments?practitioner_id=" + doctor_->id +
                       "&date=" + day_text(monday))
                  .status,
              403);
    // An unknown practitioner simply has no appointments.
    EXPECT_EQ(
        c.get("/api/v1/appointments?practitioner_id=" + kMissing + "&date=" + day_text(monday))
            .json()
            .at("items")
            .as_array()
            .size(),
        0u);
}

// ----- the calendar feed -----

TEST_F(AppointmentsApi, TheCalendarFeedAtItsSecretLink) {
    sys_days monday = portal_monday() + days(63);
    book(p1_, local(monday, 8, 20));
    auto base = "/api/v1/practitioners/" + doctor_->id + "/calendar-token";
    EXPECT_EQ(as(*secretary_).post(base, "").status, 403);
    EXPECT_EQ(as(*colleague_).post(base, "").status, 403);
    auto link = as(*doctor_).post(base, "");
    ASSERT_EQ(link.status, 201) << link.body;
    std::string path(link.json().at("path").as_string());
    EXPECT_TRUE(link.json().at("url").is_null());  // no public URL configured

    auto feed = app_->client().get(path);  // no credentials: the link is the credential
    ASSERT_EQ(feed.status, 200) << feed.body;
    EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=utf-8");
    EXPECT_EQ(feed.body.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u);
    EXPECT_NE(feed.body.find("DTSTART:"), std::string::npos);
    EXPECT_NE(feed.body.find("SUMMARY:Consultation – C.B.\r\n"), std::string::npos);
    EXPECT_EQ(feed.body.find("Bérard"), std::string::npos);
    EXPECT_EQ(app_->client().get("/api/v1/calendar/" + std::string(43, 'A') + ".ics").status, 404);
    EXPECT_EQ(app_->client().get("/api/v1/calendar/short.ics").status, 404);

    // A new link retires the old; an administrator can turn the feed off.
    auto again = as(*doctor_).post(base, "");
    ASSERT_EQ(again.status, 201);
    EXPECT_EQ(app_->client().get(path).status, 404);
    std::string next(again.json().at("path").as_string());
    EXPECT_EQ(app_->client().get(next).status, 200);
    EXPECT_EQ(as(*secretary_).del(base).status, 403);
    EXPECT_EQ(admin().del(base).status, 204);
    EXPECT_EQ(app_->client().get(next).status, 404);
}
