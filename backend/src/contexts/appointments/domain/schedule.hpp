// SPDX-License-Identifier: Apache-2.0
// What a practitioner offers: weekly opening hours in the practice's local time, absences as
// UTC instant ranges, and appointment types (label, duration, colour, bookable online or not).
// Validation only; no I/O.
#pragma once

#include "core/clock.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace medisecure::appointments {

inline constexpr int kMinutesPerDay = 24 * 60;
inline constexpr int kMaxRangesPerDay = 8;
inline constexpr int kMinuteGranularity = 5;  // opening hours and durations are whole 5 minutes
inline constexpr int kMaxDurationMinutes = 8 * 60;

/// One opening range of a weekday, in local wall-clock minutes since midnight.
struct OpeningRange {
    int weekday = 1;       // ISO 8601: 1 = Monday ... 7 = Sunday
    int start_minute = 0;  // 0 .. 1435
    int end_minute = 0;    // start_minute + 5 .. 1440 (24:00 is the next midnight)
    bool operator==(const OpeningRange&) const = default;
};

struct WeeklyHours {
    std::string practitioner_id;
    std::vector<OpeningRange> ranges;  // sorted by weekday, then start
    std::int64_t version = 0;          // 0: never saved
    Timestamp updated_at{};
};

/// Sorts the ranges and reports each problem as a field of the request body (`/ranges/<i>`):
/// bounds, granularity, overlaps within a day, too many ranges in a day.
std::vector<FieldIssue> normalise(WeeklyHours& hours);

/// "HH:MM" (00:00 .. 24:00) to minutes; -1 when malformed.
int parse_clock(std::string_view hhmm);
std::string format_clock(int minutes);

struct Absence {
    std::string id;
    std::string practitioner_id;
    Timestamp start{};
    Timestamp end{};
    std::string reason;  // a short label for the practice ("Congés", "Formation"); staff only
    std::string created_by;
    Timestamp created_at{};
};

inline constexpr int kMaxAbsenceDays = 366;
std::vector<FieldIssue> validate(Absence& a);

struct AppointmentType {
    std::string id;
    std::string practitioner_id;
    std::string label;
    int duration_minutes = 15;
    std::string color = "#2563EB";  // #RRGGBB, stored upper-case
    bool active = true;
    bool portal_bookable = false;  // patients may book it through the portal
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

/// Trims the label and upper-cases the colour; reports invalid fields.
std::vector<FieldIssue> validate(AppointmentType& t);

}  // namespace medisecure::appointments
