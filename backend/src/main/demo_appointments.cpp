// SPDX-License-Identifier: Apache-2.0
// Demo schedules: each doctor opens Monday to Friday, offers four appointment types, has an
// absence or two, and a week of appointments around today (past ones completed, a few
// no-shows and cancellations, upcoming ones booked). Booked through the use cases, without
// e-mails or notifications.
#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "core/timezone.hpp"
#include "main/demo.hpp"

#include <stdexcept>

namespace medisecure {

namespace {

using namespace std::chrono;
using appointments::OpeningRange;

struct DemoType {
    const char* label;
    int minutes;
    const char* color;
    bool portal;
};
const DemoType kTypes[] = {{"Consultation", 20, "#2563EB", true},
                           {"Première consultation", 40, "#7C3AED", true},
                           {"Renouvellement d'ordonnance", 20, "#059669", true},
                           {"Acte technique (ECG, suture)", 40, "#DC2626", false}};

// Local start times of the demo appointments (minutes since midnight); each fits a 20- or
// 40-minute slot of the opening hours below.
const int kStarts[] = {8 * 60 + 30,  9 * 60 + 10,  9 * 60 + 50,  10 * 60 + 30,
                       11 * 60 + 10, 11 * 60 + 50, 14 * 60,      14 * 60 + 40,
                       15 * 60 + 20, 16 * 60,      16 * 60 + 40, 17 * 60 + 20};

template <class T> T must(Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string("demo ") + what + ": " + r.error().code);
    return std::move(*r);
}

}  // namespace

int seed_demo_appointments(Application& app, const DemoPractice& practice) {
    auto& schedules = app.schedules();
    auto& booking = app.appointments();
    const Caller& sys = practice.system;
    auto tz = TimeZone::named(app.config().practice_timezone);
    if (!tz || practice.doctors.empty() || practice.patients.empty()) return 0;
    const auto now = SystemClock{}.now();
    const sys_days today{tz->local_date(now)};
    auto local = [&](sys_days day, int minute) {
        return tz->to_utc(LocalSeconds{local_days{day.time_since_epoch()}.time_since_epoch()} +
                          minutes(minute));
    };

    int booked = 0;
    for (std::size_t d = 0; d < practice.doctors.size(); ++d) {
        const std::string& doctor = practice.doctors[d].id;
        std::vector<OpeningRange> ranges;
        for (int wd = 1; wd <= 5; ++wd) {
            ranges.push_back({wd, 8 * 60 + 30, 12 * 60 + 30});
            if (!(d == 1 && wd == 3))
                ranges.push_back({wd, 14 * 60, 18 * 60 + 20});  // Wednesday afternoons off
        }
        if (d == 2) ranges.push_back({6, 9 * 60, 12 * 60});  // Saturday mornings
        must(schedules.set_hours(sys, doctor, 0, ranges), "opening hours");

        std::vector<appointments::AppointmentType> types;
        for (const auto& t : kTypes) {
            appointments::AppointmentType type;
            type.label = t.label;
            type.duration_minutes = t.minutes;
            type.color = t.color;
            type.portal_bookable = t.portal;
            types.push_back(must(schedules.add_type(sys, doctor, type), "appointment type"));
        }

        // One doctor trains next Thursday; another takes a week off in a fortnight.
        if (d == 0) {
            sys_days thursday =
                today + days((4 - static_cast<int>(weekday{today}.iso_encoding()) + 7) % 7 + 7);
            appointments::Absence a;
            a.start = local(thursday, 0);
            a.end = local(thursday + days(1), 0);
            a.reason = "Formation continue";
            must(schedules.add_absence(sys, doctor, a), "absence");
        }
        if (d == 1) {
            sys_days monday =
                today + days(14 - (static_cast<int>(weekday{today}.iso_encoding()) - 1));
            appointments::Absence a;
            a.start = local(monday, 0);
            a.end = local(monday + days(5), 0);
            a.reason = "Congés";
            must(schedules.add_absence(sys, doctor, a), "absence");
        }

        int n = 0;
        for (int offset = -4; offset <= 4; ++offset) {
            sys_days day = today + days(offset);
            if (weekday{day}.iso_encoding() > 5) continue;
            for (std::size_t k = 0; k < std::size(kStarts); ++k) {
                if ((k + static_cast<std::size_t>(offset + 4) + d) % 3 == 0)
                    continue;  // leave some slots free
                if (d == 1 && weekday{day}.iso_encoding() == 3 && kStarts[k] >= 14 * 60) continue;
                ++n;
                const auto& type = types[n % 7 == 0 ? 1 : n % 5 == 0 ? 2 : n % 11 == 0 ? 3 : 0];
                // Portal accounts get a past and an upcoming appointment with the first doctor.
                std::size_t pi =
                    (static_cast<std::size_t>(n) * 7 + d * 13) % practice.patients.size();
                if (d == 0 && offset == -2 && k == 1) pi = 0;
                if (d == 0 && offset == 3 && k == 2) pi = 0;
                if (d == 0 && offset == 2 && k == 4) pi = 1;
                if (d == 0 && offset == 4 && k == 7) pi = 2;
                appointments::BookingRequest r;
                r.practitioner_id = doctor;
                r.patient_id = practice.patients[pi].id;
                r.type_id = type.id;
                r.start = local(day, kStarts[k]);
                r.notify = false;
                auto b = booking.book(sys, r);
                if (!b) continue;  // an absence or an overlap: leave the slot
                ++booked;
                const auto& a = b->appointment;
                if (a.end <= now) {
                    if (n % 8 == 3) {
                        must(booking.transition(sys, a.id, a.version,
                                                appointments::Transition::no_show),
                             "no-show");
                    } else if (n % 10 == 4) {
                        must(booking.cancel(sys, a.id, a.version, "Annulé par téléphone"),
                             "cancellation");
                    } else {
                        auto in = must(booking.transition(sys, a.id, a.version,
                                                          appointments::Transition::check_in),
                                       "check-in");
                        must(booking.transition(sys, in.id, in.version,
                                                appointments::Transition::complete),
                             "completion");
                    }
                } else if (n % 13 == 6) {
                    must(booking.cancel(sys, a.id, a.version, "Empêchement du patient"),
                         "cancellation");
                }
            }
        }
    }
    return booked;
}

}  // namespace medisecure
