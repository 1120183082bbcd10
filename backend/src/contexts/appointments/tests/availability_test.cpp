// SPDX-License-Identifier: Apache-2.0
// Free slots in Europe/Paris across daylight-saving changes: the UTC instants of local opening
// hours before and after the spring-forward and fall-back weekends of 2026.
#include "contexts/appointments/domain/availability.hpp"

#include <gtest/gtest.h>

using namespace medisecure;
using namespace medisecure::appointments;
using namespace std::chrono;

namespace {

Timestamp at(const char* s) {
    return *parse_instant(s);
}

std::vector<std::string> starts(const std::vector<Interval>& v) {
    std::vector<std::string> out;
    for (const auto& i : v)
        out.push_back(format_instant(i.start));
    return out;
}

struct Availability : ::testing::Test {
    TimeZone paris = *TimeZone::named("Europe/Paris", "/nonexistent");  // the built-in EU rule
    WeeklyHours hours;
    SlotQuery query(const char* from, const char* to, int minutes_long) {
        SlotQuery q;
        q.from = at(from);
        q.to = at(to);
        q.duration = minutes(minutes_long);
        q.earliest = at("2000-01-01T00:00:00Z");
        return q;
    }
};

}  // namespace

TEST_F(Availability, MondayMorningsBeforeAndAfterSpringForward) {
    hours.ranges = {{1, 8 * 60, 12 * 60}};  // Mondays 08:00-12:00, local
    // Monday 2026-03-23 is still winter time (UTC+1); Monday 2026-03-30 is summer time (UTC+2).
    auto before =
        free_slots(paris, hours, {}, query("2026-03-23T00:00:00Z", "2026-03-24T00:00:00Z", 60));
    EXPECT_EQ(starts(before),
              (std::vector<std::string>{"2026-03-23T07:00:00.000Z", "2026-03-23T08:00:00.000Z",
                                        "2026-03-23T09:00:00.000Z", "2026-03-23T10:00:00.000Z"}));
    auto after =
        free_slots(paris, hours, {}, query("2026-03-30T00:00:00Z", "2026-03-31T00:00:00Z", 60));
    EXPECT_EQ(starts(after),
              (std::vector<std::string>{"2026-03-30T06:00:00.000Z", "2026-03-30T07:00:00.000Z",
                                        "2026-03-30T08:00:00.000Z", "2026-03-30T09:00:00.000Z"}));
    EXPECT_EQ(format_instant(after.back().end), "2026-03-30T10:00:00.000Z");
}

TEST_F(Availability, AWeekWindowSpanningTheSundayToMondayChange) {
    hours.ranges = {{5, 17 * 60, 18 * 60}, {1, 8 * 60, 9 * 60}};  // Fridays 17-18, Mondays 08-09
    // Friday 2026-03-27 17:00 CET (16:00Z) to Monday 2026-03-30 08:00 CEST (06:00Z): the local
    // week boundary moves by an hour with the clocks.
    auto slots =
        free_slots(paris, hours, {}, query("2026-03-27T00:00:00Z", "2026-03-31T00:00:00Z", 30));
    EXPECT_EQ(starts(slots),
              (std::vector<std::string>{"2026-03-27T16:00:00.000Z", "2026-03-27T16:30:00.000Z",
                                        "2026-03-30T06:00:00.000Z", "2026-03-30T06:30:00.000Z"}));
}

TEST_F(Availability, ARangeAcrossTheSpringGapIsAnHourShorter) {
    hours.ranges = {{7, 60, 4 * 60}};  // Sundays 01:00-04:00 local
    // 2026-03-29: 01:00 CET = 00:00Z; 02:00 CET becomes 03:00 CEST at 01:00Z; 04:00 CEST = 02:00Z.
    auto slots =
        free_slots(paris, hours, {}, query("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 60));
    EXPECT_EQ(starts(slots),
              (std::vector<std::string>{"2026-03-29T00:00:00.000Z", "2026-03-29T01:00:00.000Z"}));
    // A range wholly inside the gap (02:00-03:00) does not exist that day.
    hours.ranges = {{7, 2 * 60, 3 * 60}};
    EXPECT_TRUE(
        free_slots(paris, hours, {}, query("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 30))
            .empty());
    // ...but does on the Sunday before.
    EXPECT_EQ(
        free_slots(paris, hours, {}, query("2026-03-21T00:00:00Z", "2026-03-23T00:00:00Z", 30))
            .size(),
        2u);
}

TEST_F(Availability, ARangeAcrossTheAutumnOverlapIsAnHourLonger) {
    hours.ranges = {{7, 60, 4 * 60},
                    {1, 8 * 60, 9 * 60}};  // Sundays 01:00-04:00, Mondays 08:00-09:00
    // 2026-10-25: 01:00 CEST = 23:00Z the day before; 03:00 CEST falls back to 02:00 CET at 01:00Z;
    // 04:00 CET = 03:00Z. Four real hours.
    auto slots =
        free_slots(paris, hours, {}, query("2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z", 60));
    EXPECT_EQ(starts(slots),
              (std::vector<std::string>{"2026-10-24T23:00:00.000Z", "2026-10-25T00:00:00.000Z",
                                        "2026-10-25T01:00:00.000Z", "2026-10-25T02:00:00.000Z",
                                        "2026-10-26T07:00:00.000Z"}));
}

TEST_F(Availability, BusyTimeAndEarliestAreLeftOut) {
    hours.ranges = {{2, 9 * 60, 12 * 60}};  // Tuesdays 09:00-12:00 (2026-01-06: UTC+1)
    std::vector<Interval> busy = {
        {at("2026-01-06T08:20:00Z"), at("2026-01-06T08:40:00Z")},   // an appointment
        {at("2026-01-06T10:00:00Z"), at("2026-01-06T12:00:00Z")}};  // an absence
    auto q = query("2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 20);
    q.earliest = at("2026-01-06T08:05:00Z");
    EXPECT_EQ(starts(free_slots(paris, hours, busy, q)),
              (std::vector<std::string>{"2026-01-06T08:40:00.000Z", "2026-01-06T09:00:00.000Z",
                                        "2026-01-06T09:20:00.000Z", "2026-01-06T09:40:00.000Z"}));
    // Slots are aligned on the range start: a 25-minute type leaves the last 5 minutes unused.
    auto q25 = query("2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z", 25);
    auto slots = free_slots(paris, hours, {}, q25);
    ASSERT_EQ(slots.size(), 7u);
    EXPECT_EQ(format_instant(slots.back().start), "2026-01-06T10:30:00.000Z");
    // The window selects by start.
    auto narrow =
        free_slots(paris, hours, {}, query("2026-01-06T08:10:00Z", "2026-01-06T08:30:00Z", 20));
    EXPECT_EQ(starts(narrow), std::vector<std::string>{"2026-01-06T08:20:00.000Z"});
}

TEST_F(Availability, OfferedSlotsAndOpeningHours) {
    hours.ranges = {{1, 8 * 60, 12 * 60}};
    EXPECT_TRUE(is_offered_slot(paris, hours, at("2026-03-30T06:20:00Z"), minutes(20)));
    EXPECT_FALSE(
        is_offered_slot(paris, hours, at("2026-03-30T06:10:00Z"), minutes(20)));  // not aligned
    EXPECT_FALSE(
        is_offered_slot(paris, hours, at("2026-03-30T09:50:00Z"), minutes(20)));  // runs past 12:00
    EXPECT_FALSE(
        is_offered_slot(paris, hours, at("2026-03-31T06:20:00Z"), minutes(20)));  // Tuesday
    EXPECT_TRUE(
        within_opening_hours(paris, hours, at("2026-03-30T06:10:00Z"), at("2026-03-30T06:35:00Z")));
    EXPECT_FALSE(
        within_opening_hours(paris, hours, at("2026-03-30T05:50:00Z"), at("2026-03-30T06:10:00Z")));
    // Winter: 08:00 local is 07:00Z.
    EXPECT_FALSE(
        within_opening_hours(paris, hours, at("2026-03-23T06:30:00Z"), at("2026-03-23T06:50:00Z")));
    EXPECT_TRUE(
        within_opening_hours(paris, hours, at("2026-03-23T07:00:00Z"), at("2026-03-23T07:20:00Z")));
}

TEST_F(Availability, OpeningUntilMidnight) {
    hours.ranges = {{6, 22 * 60, kMinutesPerDay}};  // Saturdays 22:00-24:00
    auto slots =
        free_slots(paris, hours, {}, query("2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z", 60));
    EXPECT_EQ(starts(slots),
              (std::vector<std::string>{"2026-01-10T21:00:00.000Z", "2026-01-10T22:00:00.000Z"}));
}
