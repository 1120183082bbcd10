// SPDX-License-Identifier: Apache-2.0
#include "core/timezone.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace medisecure {
namespace {

using namespace std::chrono;

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
};

bool parse_name(Cursor& c) {
    if (c.peek() == '<') {
        auto end = c.s.find('>', c.i);
        if (end == std::string_view::npos) return false;
        c.i = end + 1;
        return true;
    }
    std::size_t start = c.i;
    while (!c.done() && std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.i;
    return c.i - start >= 3;
}

std::optional<int> parse_int(Cursor& c) {
    std::size_t start = c.i;
    int v = 0;
    while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) v = v * 10 + (c.s[c.i++] - '0');
    if (c.i == start) return std::nullopt;
    return v;
}

/// [+-]hh[:mm[:ss]] in seconds.
std::optional<seconds> parse_time(Cursor& c) {
    int sign = 1;
    if (c.peek() == '+' || c.peek() == '-') sign = c.s[c.i++] == '-' ? -1 : 1;
    auto h = parse_int(c);
    if (!h) return std::nullopt;
    int total = *h * 3600;
    for (int unit : {60, 1}) {
        if (c.peek() != ':') break;
        ++c.i;
        auto v = parse_int(c);
        if (!v) return std::nullopt;
        total += *v * unit;
    }
    return seconds(sign * total);
}

}  // namespace

std::optional<TimeZone> TimeZone::from_posix(std::string_view rule, std::string name) {
    TimeZone tz;
    tz.name_ = name.empty() ? std::string(rule) : std::move(name);
    Cursor c{rule};
    if (!parse_name(c)) return std::nullopt;
    auto off = parse_time(c);
    if (!off) return std::nullopt;
    tz.std_offset_ = -*off;  // POSIX counts west of Greenwich as positive
    tz.dst_offset_ = tz.std_offset_;
    if (c.done()) return tz;
    if (!parse_name(c)) return std::nullopt;
    tz.dst_ = true;
    tz.dst_offset_ = tz.std_offset_ + hours(1);
    if (c.peek() != ',') {
        auto d = parse_time(c);
        if (!d) return std::nullopt;
        tz.dst_offset_ = -*d;
    }
    auto parse_rule = [&](Rule& r) -> bool {
        if (c.peek() != ',') return false;
        ++c.i;
        if (c.peek() == 'M') {
            ++c.i;
            auto m = parse_int(c);
            if (!m || c.peek() != '.') return false;
            ++c.i;
            auto w = parse_int(c);
            if (!w || c.peek() != '.') return false;
            ++c.i;
            auto d = parse_int(c);
            if (!d || *m < 1 || *m > 12 || *w < 1 || *w > 5 || *d > 6) return false;
            r.month = *m;
            r.week = *w;
            r.weekday = *d;
        } else if (c.peek() == 'J') {
            ++c.i;
            auto n = parse_int(c);
            if (!n || *n < 1 || *n > 365) return false;
            r.julian = *n;
        } else {
            auto n = parse_int(c);
            if (!n || *n > 365) return false;
            r.day_of_year = *n;
        }
        if (c.peek() == '/') {
            ++c.i;
            auto t = parse_time(c);
            if (!t) return false;
            r.time = *t;
        }
        return true;
    };
    if (!parse_rule(tz.start_) || !parse_rule(tz.end_) || !c.done()) return std::nullopt;
    return tz;
}

std::optional<TimeZone> TimeZone::named(const std::string& name, const std::string& zoneinfo_dir) {
    if (name == "UTC" || name == "Etc/UTC") return from_posix("UTC0", name);
    if (name.find("..") == std::string::npos) {
        std::ifstream in(zoneinfo_dir + "/" + name, std::ios::binary);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            std::string data = ss.str();
            // TZif version 2+ ends with "\n<POSIX TZ string>\n".
            if (data.size() > 4 && data.compare(0, 4, "TZif") == 0 && data.back() == '\n') {
                auto start = data.rfind('\n', data.size() - 2);
                if (start != std::string::npos) {
                    auto rule = data.substr(start + 1, data.size() - start - 2);
                    if (auto tz = from_posix(rule, name)) return tz;
                }
            }
        }
    }
    // Built in, for machines (containers) without tzdata: EU rules since 1996.
    if (name == "Europe/Paris" || name == "Europe/Brussels" || name == "Europe/Luxembourg" || name == "Europe/Monaco")
        return from_posix("CET-1CEST,M3.5.0,M10.5.0/3", name);
    return std::nullopt;
}

sys_seconds TimeZone::transition(int year, const Rule& r, seconds offset_before) const {
    sys_days day;
    if (r.month > 0) {
        year_month ym{std::chrono::year{year}, month{static_cast<unsigned>(r.month)}};
        weekday wd{static_cast<unsigned>(r.weekday)};
        if (r.week == 5) {
            day = sys_days{ym / wd[last]};
        } else {
            day = sys_days{ym / wd[static_cast<unsigned>(r.week)]};
        }
    } else if (r.julian >= 0) {
        // Jn: 1..365, February 29 never counted.
        day = sys_days{std::chrono::year{year} / January / 1} + days(r.julian - 1);
        if (std::chrono::year{year}.is_leap() && r.julian >= 60) day += days(1);
    } else {
        day = sys_days{std::chrono::year{year} / January / 1} + days(r.day_of_year);
    }
    // The rule's time is local time before the transition.
    return day + r.time - offset_before;
}

bool TimeZone::in_dst(sys_seconds t) const {
    if (!dst_) return false;
    int y = static_cast<int>(year_month_day{floor<days>(t)}.year());
    auto begin = transition(y, start_, std_offset_);
    auto end = transition(y, end_, dst_offset_);
    if (begin < end) return t >= begin && t < end;
    return !(t >= end && t < begin);  // southern hemisphere
}

seconds TimeZone::offset_at(Timestamp utc) const {
    return in_dst(floor<seconds>(utc)) ? dst_offset_ : std_offset_;
}

LocalSeconds TimeZone::to_local(Timestamp utc) const {
    auto s = floor<seconds>(utc);
    return LocalSeconds{(s + offset_at(utc)).time_since_epoch()};
}

Timestamp TimeZone::to_utc(LocalSeconds local) const {
    sys_seconds as_if_utc{local.time_since_epoch()};
    // Try both offsets; keep those that map back to the same wall clock.
    sys_seconds a = as_if_utc - std_offset_, b = as_if_utc - dst_offset_;
    bool a_ok = to_local(Timestamp{a}) == local, b_ok = to_local(Timestamp{b}) == local;
    if (a_ok && b_ok) return Timestamp{std::min(a, b)};  // overlap: the first occurrence
    if (a_ok) return Timestamp{a};
    if (b_ok) return Timestamp{b};
    // Gap: the wall clock skipped this time; move forward by the gap.
    return Timestamp{std::max(a, b)};
}

Timestamp TimeZone::start_of_day(const Date& day) const {
    return to_utc(LocalSeconds{local_days{day}.time_since_epoch()});
}

Date TimeZone::local_date(Timestamp utc) const {
    return Date{floor<days>(sys_seconds{to_local(utc).time_since_epoch()})};
}

std::string format_local_fr(const TimeZone& zone, Timestamp t) {
    auto local = zone.to_local(t);
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(local - day)};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d à %02d:%02d", static_cast<unsigned>(ymd.day()),
                  static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return buf;
}

}  // namespace medisecure
