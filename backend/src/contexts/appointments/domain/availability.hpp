// SPDX-License-Identifier: Apache-2.0
// Free slots: the weekly opening hours, laid out on real days in the practice's time zone
// (so 08:00 is 07:00Z in winter and 06:00Z in summer, and a range that spans a daylight-saving
// change is an hour shorter or longer), minus absences, minus appointments. Slots step by the
// appointment type's duration from the start of each range. No I/O.
#pragma once

#include "contexts/appointments/domain/schedule.hpp"
#include "core/timezone.hpp"

#include <chrono>
#include <vector>

namespace medisecure::appointments {

struct Interval {
    Timestamp start{};
    Timestamp end{};
    bool operator==(const Interval&) const = default;
};

/// The opening ranges as UTC intervals on every local day that meets [from, to), in order.
/// Ranges are not clipped to the window.
std::vector<Interval> opening_intervals(const TimeZone& tz, const WeeklyHours& hours,
                                        Timestamp from, Timestamp to);

struct SlotQuery {
    Timestamp from{};  // slots that start in [from, to)
    Timestamp to{};
    std::chrono::minutes duration{15};
    Timestamp earliest{};  // slots starting before this are left out (now, or now + notice)
};

/// Free slots, in order: each lies inside one opening range, starts at the range start plus a
/// whole number of durations, and overlaps nothing in `busy` (absences and appointments).
std::vector<Interval> free_slots(const TimeZone& tz, const WeeklyHours& hours,
                                 const std::vector<Interval>& busy, const SlotQuery& q);

/// Whether [start, start + duration) is one of the slots the opening hours define (inside a
/// range and aligned on its start), regardless of what is booked.
bool is_offered_slot(const TimeZone& tz, const WeeklyHours& hours, Timestamp start,
                     std::chrono::minutes duration);

/// Whether [start, end) lies inside one opening range.
bool within_opening_hours(const TimeZone& tz, const WeeklyHours& hours, Timestamp start,
                          Timestamp end);

}  // namespace medisecure::appointments
