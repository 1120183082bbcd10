// SPDX-License-Identifier: Apache-2.0
#include "core/time.hpp"

#include <cstdio>

namespace medisecure {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::optional<Date> parse_date(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
    Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok() || y < 1) return std::nullopt;
    return date;
}

namespace {
// Writes `v` as exactly `n` decimal digits; the caller has checked v < 10^n. Dates are formatted
// in every response that carries one (a search page formats a date per patient), and this is
// several times cheaper than snprintf.
char* put_digits(char* out, long long v, int n) {
    for (int i = n - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return out + n;
}

bool four_digit_year(const Date& d) {
    return d.ok() && static_cast<int>(d.year()) >= 0 && static_cast<int>(d.year()) <= 9999;
}

char* put_date(char* p, const Date& d) {
    p = put_digits(p, static_cast<int>(d.year()), 4);
    *p++ = '-';
    p = put_digits(p, static_cast<unsigned>(d.month()), 2);
    *p++ = '-';
    return put_digits(p, static_cast<unsigned>(d.day()), 2);
}
}  // namespace

std::string format_date(const Date& d) {
    if (four_digit_year(d)) {
        char buf[10];
        return std::string(buf, put_date(buf, d));
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::optional<Timestamp> parse_instant(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)
    if (s.size() < 20) return std::nullopt;
    auto date = parse_date(s.substr(0, 10));
    if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
    int hh = 0, mm = 0, ss = 0;
    if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' ||
        !digits(s, 17, 2, ss))
        return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    size_t pos = 19;
    std::int64_t micros = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 6) micros = micros * 10 + (s[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0 || n > 9) return std::nullopt;
        for (int i = n; i < 6; ++i) micros *= 10;
    }
    int offset_min = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    auto days = std::chrono::sys_days{*date};
    auto t = std::chrono::time_point_cast<std::chrono::microseconds>(days) +
             std::chrono::hours{hh} + std::chrono::minutes{mm - offset_min} +
             std::chrono::seconds{ss} + std::chrono::microseconds{micros};
    return Timestamp{t};
}

std::string format_instant(Timestamp t) {
    auto days = std::chrono::floor<std::chrono::days>(t);
    Date d{days};
    std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::milliseconds>(t - days)};
    if (four_digit_year(d)) {
        char buf[24];
        char* p = put_date(buf, d);
        *p++ = 'T';
        p = put_digits(p, hms.hours().count(), 2);
        *p++ = ':';
        p = put_digits(p, hms.minutes().count(), 2);
        *p++ = ':';
        p = put_digits(p, hms.seconds().count(), 2);
        *p++ = '.';
        p = put_digits(p, hms.subseconds().count(), 3);
        *p++ = 'Z';
        return std::string(buf, p);
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lld.%03lldZ",
                  static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()), static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()),
                  static_cast<long long>(hms.seconds().count()),
                  static_cast<long long>(hms.subseconds().count()));
    return buf;
}

std::string format_instant_precise(Timestamp t) {
    auto base = format_instant(std::chrono::floor<std::chrono::seconds>(t));  // ...:SS.000Z
    auto micros = (t - std::chrono::floor<std::chrono::seconds>(t)).count();
    char frac[8];
    std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(micros));
    return base.substr(0, base.size() - 4) + frac + "Z";
}

int years_between(const Date& birth, const Date& on) {
    int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
    if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day()))
        --years;
    return years;
}

Date date_of(Timestamp t) { return Date{std::chrono::floor<std::chrono::days>(t)}; }

std::optional<std::chrono::microseconds> parse_test_clock(std::string_view spec, Timestamp machine_now) {
    const auto at = spec.find('@');
    auto instant = parse_instant(spec.substr(0, at));
    if (!instant) return std::nullopt;
    if (at == std::string_view::npos) return *instant - machine_now;
    auto machine = parse_instant(spec.substr(at + 1));
    if (!machine) return std::nullopt;
    return *instant - *machine;
}

std::string test_clock_spec() {
    const Timestamp machine = SystemClock::machine_now();
    const Timestamp now = SystemClock{}.now();
    // now - machine is the offset; both written to the microsecond so that it is kept exactly.
    return format_instant_precise(now) + "@" + format_instant_precise(machine);
}

}  // namespace medisecure
