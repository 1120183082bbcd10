// SPDX-License-Identifier: Apache-2.0
// The iCalendar feed (calendar subscriptions): appointment text written by people (summaries,
// descriptions, the practice's name) goes out as RFC 5545. Round trip: unfolding the output and
// unescaping a TEXT value gives back the text (less what TEXT cannot hold), every line ends in
// CRLF within 75 octets, and folding never splits a UTF-8 character.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "contexts/appointments/domain/icalendar.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::appointments;

namespace {

/// What a TEXT value can carry of `s`: line breaks (CRLF, CR or LF) as one newline, other
/// control characters (RFC 5545 CONTROL: U+0000-U+001F but tab, and U+007F) dropped.
std::string expected_text(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += '\n';
        } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f)) {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string unescape(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '\\') {
            fuzz::check(v[i] != ';' && v[i] != ',', "TEXT separators are escaped");
            out += v[i];
            continue;
        }
        fuzz::check(i + 1 < v.size(), "no dangling backslash");
        char n = v[++i];
        fuzz::check(n == '\\' || n == ';' || n == ',' || n == 'n', "only RFC 5545 escapes");
        out += n == 'n' ? '\n' : n;
    }
    return out;
}

Timestamp instant(fuzz::Input& in) {
    std::int64_t s = 0;
    for (int i = 0; i < 5; ++i) s = (s << 8) | in.byte();  // 0..2^40 s: up to year 36812
    return Timestamp{std::chrono::seconds{s}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    Calendar cal;
    CalendarEvent e;
    e.start = instant(in);
    e.end = instant(in);
    e.stamp = instant(in);
    e.sequence = in.byte();
    e.status = in.byte() % 2 ? "CONFIRMED" : "CANCELLED";
    cal.name = std::string(in.until('\x01'));
    cal.time_zone = std::string(in.until('\x01'));
    e.uid = std::string(in.until('\x01'));
    e.summary = std::string(in.until('\x01'));
    e.description = std::string(in.rest());
    cal.events.push_back(e);
    std::string out = render_icalendar(cal);

    // Physical lines: CRLF-terminated, at most 75 octets, no other control character.
    fuzz::check(out.size() >= 2 && out.ends_with("\r\n"), "the calendar ends with CRLF");
    std::string unfolded;
    std::size_t start = 0;
    while (start < out.size()) {
        auto crlf = out.find("\r\n", start);
        fuzz::check(crlf != std::string::npos, "every line ends with CRLF");
        std::string_view line(out.data() + start, crlf - start);
        fuzz::check(line.size() <= 75, "lines are folded at 75 octets");
        for (unsigned char c : line) fuzz::check(c == '\t' || (c >= 0x20 && c != 0x7f), "no control character in a line");
        if (start > 0 && !line.empty() && line[0] == ' ') {
            line.remove_prefix(1);
            // A continuation never starts inside a UTF-8 character the input had whole.
            if (fuzz::valid_utf8(e.summary) && fuzz::valid_utf8(e.description) && fuzz::valid_utf8(cal.name) &&
                fuzz::valid_utf8(cal.time_zone) && fuzz::valid_utf8(e.uid))
                fuzz::check(line.empty() || (static_cast<unsigned char>(line[0]) & 0xC0) != 0x80,
                            "folding does not split a UTF-8 character");
        } else if (!unfolded.empty()) {
            unfolded += '\n';
        }
        unfolded.append(line);
        start = crlf + 2;
    }

    // Logical lines: the TEXT values read back as written.
    std::vector<std::string> lines;
    for (std::size_t p = 0; p <= unfolded.size();) {
        auto nl = unfolded.find('\n', p);
        if (nl == std::string::npos) nl = unfolded.size();
        lines.push_back(unfolded.substr(p, nl - p));
        p = nl + 1;
    }
    auto value_of = [&](std::string_view prop) -> std::optional<std::string> {
        for (const auto& l : lines)
            if (l.size() > prop.size() && l.compare(0, prop.size(), prop) == 0 && l[prop.size()] == ':')
                return l.substr(prop.size() + 1);
        return std::nullopt;
    };
    auto summary = value_of("SUMMARY");
    fuzz::check(summary && unescape(*summary) == expected_text(e.summary), "SUMMARY reads back");
    if (!e.description.empty()) {
        auto description = value_of("DESCRIPTION");
        fuzz::check(description && unescape(*description) == expected_text(e.description), "DESCRIPTION reads back");
    }
    auto uid = value_of("UID");
    fuzz::check(uid && unescape(*uid) == expected_text(e.uid), "UID reads back");
    if (!cal.name.empty()) {
        auto name = value_of("X-WR-CALNAME");
        fuzz::check(name && unescape(*name) == expected_text(cal.name), "X-WR-CALNAME reads back");
    }
    auto dtstart = value_of("DTSTART");
    fuzz::check(dtstart && *dtstart == ical_utc(e.start) && dtstart->size() >= 16 && dtstart->back() == 'Z',
                "DTSTART is a UTC time");
    // The calendar ends with its own END:VCALENDAR line, the only logical line that is exactly
    // that (a value may carry the text, folded or not, but never as a line of its own).
    fuzz::check(out.ends_with("\r\nEND:VCALENDAR\r\n"), "the calendar ends with END:VCALENDAR");
    fuzz::check(std::count(lines.begin(), lines.end(), std::string("END:VCALENDAR")) == 1,
                "END:VCALENDAR is a line of its own once");
    return 0;
}
