// SPDX-License-Identifier: Apache-2.0
// RFC 5545 output: CRLF everywhere, folding at 75 octets without splitting UTF-8 characters,
// TEXT escaping, UTC times, and the properties calendar clients need.
#include "contexts/appointments/domain/icalendar.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

#include <gtest/gtest.h>

using namespace medisecure;
using namespace medisecure::appointments;

namespace {

std::vector<std::string> physical_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto crlf = text.find("\r\n", start);
        EXPECT_NE(crlf, std::string::npos) << "the text does not end with CRLF";
        if (crlf == std::string::npos) break;
        out.push_back(text.substr(start, crlf - start));
        start = crlf + 2;
    }
    return out;
}

std::string unfold(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        out += text[i];
    }
    return out;
}

}  // namespace

TEST(ICalendar, EscapesText) {
    EXPECT_EQ(ical_escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    EXPECT_EQ(ical_escape(std::string("bell\x07") + "!"), "bell!");
}

// Found by fuzz_icalendar: DEL is a CONTROL character that TEXT may not hold (RFC 5545 §3.3.11),
// and it went out as is.
TEST(ICalendar, issue_19_del_is_dropped_from_text) {
    EXPECT_EQ(ical_escape("Dr\x7f Martin\x7f"), "Dr Martin");
    Calendar cal;
    cal.events.push_back({.uid = "u1", .summary = "rdv\x7f", .description = "a\x7f" "b", .status = "CONFIRMED"});
    std::string out = render_icalendar(cal);
    EXPECT_EQ(out.find('\x7f'), std::string::npos);
    EXPECT_NE(out.find("SUMMARY:rdv\r\n"), std::string::npos);
    EXPECT_NE(out.find("DESCRIPTION:ab\r\n"), std::string::npos);
}

TEST(ICalendar, FoldsAt75OctetsOnCharacterBoundaries) {
    std::string line = "SUMMARY:" + std::string(100, 'x');
    auto folded = ical_fold(line);
    auto lines = physical_lines(folded + "\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].size(), 75u);
    EXPECT_EQ(lines[1][0], ' ');
    EXPECT_EQ(unfold(folded), line);

    // Two-octet characters: no line may end in the middle of one.
    std::string accents = "SUMMARY:";
    for (int i = 0; i < 80; ++i)
        accents += "é";
    auto f2 = ical_fold(accents);
    for (const auto& l : physical_lines(f2 + "\r\n")) {
        EXPECT_LE(l.size(), 75u);
        EXPECT_TRUE(is_valid_utf8(l)) << l;
    }
    EXPECT_EQ(unfold(f2), accents);
    EXPECT_EQ(ical_fold("SHORT"), "SHORT");
}

TEST(ICalendar, RendersACompleteCalendar) {
    Calendar cal;
    cal.name = "MediSecure – Dr Hélène Lefèvre";
    cal.time_zone = "Europe/Paris";
    CalendarEvent e;
    e.uid = "0190aaaa-0000-7000-8000-000000000001@medisecure";
    e.start = *parse_instant("2026-03-30T06:00:00Z");
    e.end = *parse_instant("2026-03-30T06:20:00Z");
    e.stamp = *parse_instant("2026-03-01T10:11:12.345Z");
    e.sequence = 2;
    e.summary = "Consultation, suivi; contrôle – H.D.";
    e.status = "CONFIRMED";
    cal.events.push_back(e);
    e.uid = "second@medisecure";
    e.status = "CANCELLED";
    cal.events.push_back(e);

    std::string text = render_icalendar(cal);
    // Every line ends with CRLF, and no bare LF hides anywhere.
    ASSERT_GE(text.size(), 2u);
    EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') {
            ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
        }
    for (const auto& l : physical_lines(text))
        EXPECT_LE(l.size(), 75u) << l;

    auto lines = physical_lines(unfold(text));
    auto has = [&](const std::string& l) {
        return std::find(lines.begin(), lines.end(), l) != lines.end();
    };
    EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
    EXPECT_EQ(lines.back(), "END:VCALENDAR");
    EXPECT_TRUE(has("VERSION:2.0"));
    EXPECT_TRUE(has("PRODID:-//MediSecure//Appointments//FR"));
    EXPECT_TRUE(has("X-WR-CALNAME:MediSecure – Dr Hélène Lefèvre"));
    EXPECT_TRUE(has("UID:0190aaaa-0000-7000-8000-000000000001@medisecure"));
    EXPECT_TRUE(has("DTSTAMP:20260301T101112Z"));
    EXPECT_TRUE(has("DTSTART:20260330T060000Z"));
    EXPECT_TRUE(has("DTEND:20260330T062000Z"));
    EXPECT_TRUE(has("SEQUENCE:2"));
    EXPECT_TRUE(has("SUMMARY:Consultation\\, suivi\\; contrôle – H.D."));
    EXPECT_TRUE(has("STATUS:CONFIRMED"));
    EXPECT_TRUE(has("STATUS:CANCELLED"));
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "BEGIN:VEVENT"), 2);
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "END:VEVENT"), 2);
}
