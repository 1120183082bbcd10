// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/domain/icalendar.hpp"

#include <chrono>
#include <cstdio>

namespace medisecure::appointments {

std::string ical_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case ';':
            out += "\\;";
            break;
        case ',':
            out += "\\,";
            break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\\n";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            // Other control characters (RFC 5545 CONTROL: U+0000-U+001F but tab, and DEL) are
            // not allowed in TEXT.
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') continue;
            out += c;
        }
    }
    return out;
}

std::string ical_fold(std::string_view line) {
    std::string out;
    std::size_t budget = 75;  // the first line has 75 octets; continuations 74 after the space
    std::size_t used = 0;
    for (std::size_t i = 0; i < line.size();) {
        auto lead = static_cast<unsigned char>(line[i]);
        std::size_t len = lead < 0x80    ? 1
                          : lead >= 0xF0 ? 4
                          : lead >= 0xE0 ? 3
                          : lead >= 0xC0 ? 2
                                         : 1;
        len = std::min(len, line.size() - i);
        if (used + len > budget) {
            out += "\r\n ";
            used = 1;
        }
        out.append(line.substr(i, len));
        used += len;
        i += len;
    }
    return out;
}

std::string ical_utc(Timestamp t) {
    using namespace std::chrono;
    auto secs = floor<seconds>(t);
    auto day = floor<days>(secs);
    year_month_day ymd{day};
    hh_mm_ss hms{secs - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02ld%02ld%02ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    return buf;
}

std::string render_icalendar(const Calendar& cal) {
    std::string out;
    auto line = [&](std::string_view l) {
        out += ical_fold(l);
        out += "\r\n";
    };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//MediSecure//Appointments//FR");
    line("CALSCALE:GREGORIAN");
    if (!cal.name.empty()) line("X-WR-CALNAME:" + ical_escape(cal.name));
    if (!cal.time_zone.empty()) line("X-WR-TIMEZONE:" + ical_escape(cal.time_zone));
    for (const auto& e : cal.events) {
        line("BEGIN:VEVENT");
        line("UID:" + ical_escape(e.uid));
        line("DTSTAMP:" + ical_utc(e.stamp));
        line("LAST-MODIFIED:" + ical_utc(e.stamp));
        line("SEQUENCE:" + std::to_string(e.sequence));
        line("DTSTART:" + ical_utc(e.start));
        line("DTEND:" + ical_utc(e.end));
        line("SUMMARY:" + ical_escape(e.summary));
        if (!e.description.empty()) line("DESCRIPTION:" + ical_escape(e.description));
        line("STATUS:" + e.status);
        line("CLASS:CONFIDENTIAL");
        line("TRANSP:OPAQUE");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    return out;
}

}  // namespace medisecure::appointments
