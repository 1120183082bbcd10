// SPDX-License-Identifier: Apache-2.0
// The practice's time zone: instants are stored in UTC and shown, scheduled and grouped by day
// in local time, daylight-saving changes included. Rules come from a POSIX TZ string (the
// footer of the system's TZif file, /usr/share/zoneinfo/<name>), so no time zone library is
// needed; Europe/Paris is built in for machines without tzdata.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/time.hpp"

namespace medisecure {

using LocalSeconds = std::chrono::local_seconds;

class TimeZone {
public:
    /// Parses a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3".
    static std::optional<TimeZone> from_posix(std::string_view rule, std::string name = "");
    /// An IANA name ("Europe/Paris"), read from the system's zoneinfo; nullopt when unknown.
    static std::optional<TimeZone> named(const std::string& name, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

    const std::string& name() const { return name_; }
    /// The UTC offset in effect at an instant.
    std::chrono::seconds offset_at(Timestamp utc) const;
    LocalSeconds to_local(Timestamp utc) const;
    /// The instant a local wall-clock time names. In the spring gap (02:30 does not exist)
    /// the time moves forward by the gap; in the autumn overlap (02:30 happens twice) the
    /// first occurrence is chosen.
    Timestamp to_utc(LocalSeconds local) const;
    /// UTC instant of local midnight starting `day`.
    Timestamp start_of_day(const Date& day) const;
    Date local_date(Timestamp utc) const;
    bool has_dst() const { return dst_; }

private:
    struct Rule {
        int month = 0, week = 0, weekday = 0;  // Mm.w.d
        int julian = -1;                       // Jn (1..365, no leap day) when >= 0
        int day_of_year = -1;                  // n (0..365) when >= 0
        std::chrono::seconds time{7200};
    };
    std::chrono::sys_seconds transition(int year, const Rule& r, std::chrono::seconds offset_before) const;
    bool in_dst(std::chrono::sys_seconds t) const;

    std::string name_;
    std::chrono::seconds std_offset_{0};  // local = utc + offset
    std::chrono::seconds dst_offset_{0};
    bool dst_ = false;
    Rule start_, end_;
};

/// A local date and time as French documents print it: "24/11/2026 à 09:30".
std::string format_local_fr(const TimeZone& zone, Timestamp t);

}  // namespace medisecure
