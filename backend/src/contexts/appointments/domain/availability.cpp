// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/domain/availability.hpp"

#include <algorithm>

namespace medisecure::appointments {

using namespace std::chrono;

namespace {

/// ISO weekday of a calendar day: 1 = Monday ... 7 = Sunday.
int iso_weekday(const Date& d) {
    unsigned w = weekday{sys_days{d}}.iso_encoding();
    return static_cast<int>(w);
}

Timestamp local_instant(const TimeZone& tz, const Date& day, int minutes) {
    return tz.to_utc(LocalSeconds{local_days{day}.time_since_epoch()} +
                     std::chrono::minutes(minutes));
}

}  // namespace

std::vector<Interval> opening_intervals(const TimeZone& tz, const WeeklyHours& hours,
                                        Timestamp from, Timestamp to) {
    std::vector<Interval> out;
    if (to <= from || hours.ranges.empty()) return out;
    const sys_days first{tz.local_date(from)};
    const sys_days last{tz.local_date(to)};
    for (sys_days day = first; day <= last; day += days(1)) {
        Date d{day};
        int wd = iso_weekday(d);
        for (const auto& r : hours.ranges) {
            if (r.weekday != wd) continue;
            Interval i{local_instant(tz, d, r.start_minute), local_instant(tz, d, r.end_minute)};
            // A range that falls wholly in a spring-forward gap has no real time in it.
            if (i.end <= i.start) continue;
            if (i.end <= from || i.start >= to) continue;
            out.push_back(i);
        }
    }
    return out;
}

std::vector<Interval> free_slots(const TimeZone& tz, const WeeklyHours& hours,
                                 const std::vector<Interval>& busy, const SlotQuery& q) {
    std::vector<Interval> out;
    if (q.duration <= minutes(0)) return out;
    std::vector<Interval> sorted_busy = busy;
    std::sort(sorted_busy.begin(), sorted_busy.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    for (const auto& range : opening_intervals(tz, hours, q.from, q.to)) {
        for (Timestamp s = range.start; s + q.duration <= range.end; s += q.duration) {
            Timestamp e = s + q.duration;
            if (s < q.from || s >= q.to || s < q.earliest) continue;
            bool taken = false;
            for (const auto& b : sorted_busy) {
                if (b.start >= e) break;
                if (b.end > s) {
                    taken = true;
                    break;
                }
            }
            if (!taken) out.push_back({s, e});
        }
    }
    return out;
}

bool is_offered_slot(const TimeZone& tz, const WeeklyHours& hours, Timestamp start,
                     minutes duration) {
    if (duration <= minutes(0)) return false;
    Timestamp end = start + duration;
    for (const auto& range : opening_intervals(tz, hours, start, end)) {
        if (start < range.start || end > range.end) continue;
        if ((start - range.start) % duration == Timestamp::duration::zero()) return true;
    }
    return false;
}

bool within_opening_hours(const TimeZone& tz, const WeeklyHours& hours, Timestamp start,
                          Timestamp end) {
    for (const auto& range : opening_intervals(tz, hours, start, end))
        if (start >= range.start && end <= range.end) return true;
    return false;
}

}  // namespace medisecure::appointments
