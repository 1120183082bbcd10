// SPDX-License-Identifier: Apache-2.0
// An RFC 5545 calendar for subscription by calendar clients: CRLF line ends, lines folded at
// 75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC ("Z").
// No I/O.
#pragma once

#include "core/clock.hpp"

#include <string>
#include <vector>

namespace medisecure::appointments {

struct CalendarEvent {
    std::string uid;  // globally unique and stable across fetches
    Timestamp start{};
    Timestamp end{};
    Timestamp stamp{};  // DTSTAMP / LAST-MODIFIED: when the event last changed
    int sequence = 0;   // grows with every change
    std::string summary;
    std::string description;
    std::string status;  // CONFIRMED, TENTATIVE or CANCELLED
};

struct Calendar {
    std::string name;       // X-WR-CALNAME
    std::string time_zone;  // X-WR-TIMEZONE: a display hint; every time is UTC
    std::vector<CalendarEvent> events;
};

std::string render_icalendar(const Calendar& cal);

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
std::string ical_escape(std::string_view text);
/// Folds one content line (without its CRLF) at 75 octets; continuation lines start with a space.
std::string ical_fold(std::string_view line);
/// 20260330T060000Z
std::string ical_utc(Timestamp t);

}  // namespace medisecure::appointments
