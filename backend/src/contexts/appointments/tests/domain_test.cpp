// SPDX-License-Identifier: Apache-2.0
// The transition table, schedule validation and the initials the calendar feed shows.
#include "contexts/appointments/domain/appointment.hpp"
#include "contexts/appointments/domain/schedule.hpp"
#include "core/time.hpp"

#include <gtest/gtest.h>

using namespace medisecure;
using namespace medisecure::appointments;

TEST(Transitions, TheTableIsExactlyTheDocumentedOne) {
    struct Row {
        Status from;
        Transition t;
        std::optional<Status> to;
    };
    const Row rows[] = {
        {Status::booked, Transition::check_in, Status::checked_in},
        {Status::booked, Transition::complete, std::nullopt},
        {Status::booked, Transition::no_show, Status::no_show},
        {Status::booked, Transition::cancel, Status::cancelled},
        {Status::booked, Transition::reschedule, Status::booked},
        {Status::checked_in, Transition::check_in, std::nullopt},
        {Status::checked_in, Transition::complete, Status::completed},
        {Status::checked_in, Transition::no_show, std::nullopt},
        {Status::checked_in, Transition::cancel, std::nullopt},
        {Status::checked_in, Transition::reschedule, std::nullopt},
    };
    for (const auto& r : rows)
        EXPECT_EQ(next_status(r.from, r.t), r.to) << to_string(r.from) << " " << to_string(r.t);
    for (auto final_status : {Status::completed, Status::cancelled, Status::no_show}) {
        EXPECT_TRUE(is_final(final_status));
        for (auto t : {Transition::check_in, Transition::complete, Transition::no_show,
                       Transition::cancel, Transition::reschedule})
            EXPECT_FALSE(next_status(final_status, t))
                << to_string(final_status) << " " << to_string(t);
    }
    EXPECT_FALSE(occupies_slot(Status::cancelled));
    EXPECT_TRUE(occupies_slot(Status::no_show));
    for (auto s : all_statuses())
        EXPECT_EQ(parse_status(to_string(s)), s);
    EXPECT_FALSE(parse_status("done"));
}

TEST(Overlap, HalfOpenIntervals) {
    auto t = [](const char* s) { return *parse_instant(s); };
    EXPECT_TRUE(overlaps(t("2026-01-05T08:00:00Z"), t("2026-01-05T08:30:00Z"),
                         t("2026-01-05T08:15:00Z"), t("2026-01-05T08:45:00Z")));
    // Back to back is not an overlap.
    EXPECT_FALSE(overlaps(t("2026-01-05T08:00:00Z"), t("2026-01-05T08:30:00Z"),
                          t("2026-01-05T08:30:00Z"), t("2026-01-05T09:00:00Z")));
    EXPECT_TRUE(overlaps(t("2026-01-05T08:00:00Z"), t("2026-01-05T09:00:00Z"),
                         t("2026-01-05T08:10:00Z"), t("2026-01-05T08:20:00Z")));
}

TEST(OpeningHours, SortsAndAcceptsSeveralRangesADay) {
    WeeklyHours h;
    h.ranges = {{1, 14 * 60, 18 * 60}, {1, 8 * 60, 12 * 60}, {5, 9 * 60, kMinutesPerDay}};
    EXPECT_TRUE(normalise(h).empty());
    ASSERT_EQ(h.ranges.size(), 3u);
    EXPECT_EQ(h.ranges[0], (OpeningRange{1, 8 * 60, 12 * 60}));
    EXPECT_EQ(h.ranges[2].end_minute, 1440);
}

TEST(OpeningHours, RejectsBadRangesWithTheirIndex) {
    auto codes = [](std::vector<OpeningRange> ranges) {
        WeeklyHours h;
        h.ranges = std::move(ranges);
        std::vector<std::string> out;
        for (const auto& i : normalise(h))
            out.push_back(i.field + " " + i.code);
        return out;
    };
    EXPECT_EQ(codes({{0, 480, 540}}), std::vector<std::string>{"/ranges/0/weekday out_of_range"});
    EXPECT_EQ(codes({{1, 600, 540}}), std::vector<std::string>{"/ranges/0/end not_after_start"});
    EXPECT_EQ(codes({{1, 480, 543}}), std::vector<std::string>{"/ranges/0 granularity"});
    EXPECT_EQ(codes({{1, 480, 720}, {1, 700, 800}}), std::vector<std::string>{"/ranges/1 overlap"});
    // Touching ranges are fine.
    EXPECT_TRUE(codes({{1, 480, 720}, {1, 720, 800}}).empty());
    std::vector<OpeningRange> many;
    for (int i = 0; i < 9; ++i)
        many.push_back({2, i * 60, i * 60 + 30});
    EXPECT_EQ(codes(many), std::vector<std::string>{"/ranges/8 too_many"});
}

TEST(OpeningHours, ClockText) {
    EXPECT_EQ(parse_clock("08:30"), 510);
    EXPECT_EQ(parse_clock("24:00"), 1440);
    EXPECT_EQ(parse_clock("00:00"), 0);
    for (const char* bad : {"24:01", "8:30", "08:60", "0830", "ab:cd", "25:00"})
        EXPECT_EQ(parse_clock(bad), -1) << bad;
    EXPECT_EQ(format_clock(510), "08:30");
    EXPECT_EQ(format_clock(1440), "24:00");
}

TEST(AppointmentTypes, Validation) {
    AppointmentType t;
    t.label = "  Consultation  ";
    t.duration_minutes = 20;
    t.color = "#a1b2c3";
    EXPECT_TRUE(validate(t).empty());
    EXPECT_EQ(t.label, "Consultation");
    EXPECT_EQ(t.color, "#A1B2C3");
    AppointmentType bad;
    bad.label = " ";
    bad.duration_minutes = 7;
    bad.color = "blue";
    std::set<std::string> fields;
    for (const auto& i : validate(bad))
        fields.insert(i.field);
    EXPECT_EQ(fields, (std::set<std::string>{"/label", "/duration_minutes", "/color"}));
    bad = t;
    bad.duration_minutes = 485;
    EXPECT_EQ(validate(bad).at(0).code, "out_of_range");
    bad = t;
    bad.label = "Consult\x01";
    EXPECT_EQ(validate(bad).at(0).code, "invalid_text");
}

TEST(Absences, Validation) {
    Absence a;
    a.start = *parse_instant("2026-08-03T00:00:00Z");
    a.end = *parse_instant("2026-08-01T00:00:00Z");
    a.reason = "";
    std::set<std::string> codes;
    for (const auto& i : validate(a))
        codes.insert(i.code);
    EXPECT_EQ(codes, (std::set<std::string>{"not_after_start", "required"}));
    a.end = a.start + std::chrono::days(367);
    a.reason = "Congés";
    EXPECT_EQ(validate(a).at(0).code, "too_long");
    a.end = a.start + std::chrono::days(5);
    EXPECT_TRUE(validate(a).empty());
}

TEST(Initials, LatinLettersLoseTheirAccents) {
    EXPECT_EQ(initials("Hélène", "Dupont"), "H.D.");
    EXPECT_EQ(initials("Élodie", "Œuvrard"), "E.O.");
    EXPECT_EQ(initials("jean-pierre", "de La Fontaine"), "J.D.");
    EXPECT_EQ(initials("Léa", ""), "L.");
    EXPECT_EQ(initials("Алла", "Пугачёва"), "А.П.");  // other scripts keep their letter
}
