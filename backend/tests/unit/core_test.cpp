// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/caller.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

using namespace medisecure;

TEST(Fold, RemovesAccentsAndCase) {
    EXPECT_EQ(fold("Hélène"), "helene");
    EXPECT_EQ(fold("HÉLÈNE"), "helene");
    EXPECT_EQ(fold("Françoise"), "francoise");
    EXPECT_EQ(fold("Lebœuf"), "leboeuf");
    EXPECT_EQ(fold("Æsir"), "aesir");
    EXPECT_EQ(fold("Straße"), "strasse");
    EXPECT_EQ(fold("Łukasz Żółć"), "lukasz zolc");
    EXPECT_EQ(fold("Maëlys"), "maelys");
}

TEST(Fold, DecomposedAccentsFoldLikePrecomposed) {
    // "He\u0301le\u0300ne": e + combining acute, e + combining grave
    EXPECT_EQ(fold("He\xcc\x81le\xcc\x80ne"), "helene");
}

TEST(Fold, SeparatorsBecomeSingleSpaces) {
    EXPECT_EQ(fold("  Jean-Pierre  O'Neil "), "jean pierre o neil");
    EXPECT_EQ(fold("N\xe2\x80\x99" "Diaye"), "n diaye");  // typographic apostrophe
    EXPECT_EQ(fold("de La Fontaine"), "de la fontaine");
}

TEST(Fold, KeepsOtherScripts) { EXPECT_EQ(fold("Ελένη"), "Ελένη"); }

TEST(NameTokens, CompoundNamesAlsoJoined) {
    auto t = name_tokens("Jean-Pierre");
    EXPECT_EQ(t, (std::vector<std::string>{"jean", "jeanpierre", "pierre"}));
    EXPECT_EQ(name_tokens("Dupont"), (std::vector<std::string>{"dupont"}));
    EXPECT_TRUE(name_tokens("  ").empty());
}

TEST(QueryTerms, SplitsAndDeduplicates) {
    EXPECT_EQ(query_terms("Dupont  MAR"), (std::vector<std::string>{"dupont", "mar"}));
    EXPECT_EQ(query_terms("hélène helene"), (std::vector<std::string>{"helene"}));
    EXPECT_TRUE(query_terms(" - ").empty());
}

TEST(Utf8, ValidityAndLength) {
    EXPECT_TRUE(is_valid_utf8("Hélène"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
    EXPECT_EQ(utf8_length("Hélène"), 6u);
    EXPECT_TRUE(has_control_chars("a\x01"));
    EXPECT_TRUE(has_control_chars("a\nb"));
    EXPECT_FALSE(has_control_chars("a\nb", true));
}

TEST(Time, ParsesStrictDates) {
    EXPECT_TRUE(parse_date("2024-02-29"));
    EXPECT_FALSE(parse_date("2023-02-29"));
    EXPECT_FALSE(parse_date("2024-13-01"));
    EXPECT_FALSE(parse_date("2024-1-01"));
    EXPECT_FALSE(parse_date("24-01-01x"));
    EXPECT_EQ(format_date(*parse_date("0999-01-05")), "0999-01-05");
}

TEST(Time, FormatsEveryDateAndInstantAsTheReferenceFormatDoes) {
    // The digit writer against printf over every day of the four-digit years, sampled, and
    // instants at every field's extremes; years outside 0-9999 take the printf path.
    auto reference_date = [](const Date& d) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                      static_cast<unsigned>(d.day()));
        return std::string(buf);
    };
    for (int y = 0; y <= 9999; y += 7)
        for (unsigned m = 1; m <= 12; ++m)
            for (unsigned dd : {1u, 9u, 10u, 28u}) {
                Date d{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
                ASSERT_EQ(format_date(d), reference_date(d));
            }
    Date far{std::chrono::year{12345}, std::chrono::month{1}, std::chrono::day{2}};
    EXPECT_EQ(format_date(far), "12345-01-02");
    Date before{std::chrono::year{-1}, std::chrono::month{1}, std::chrono::day{2}};
    EXPECT_EQ(format_date(before), reference_date(before));
    EXPECT_EQ(format_instant(*parse_instant("1900-01-01T00:00:00Z")), "1900-01-01T00:00:00.000Z");
    EXPECT_EQ(format_instant(*parse_instant("9999-12-31T23:59:59.999999Z")), "9999-12-31T23:59:59.999Z");
    EXPECT_EQ(format_instant(*parse_instant("2026-07-04T09:05:07.040Z")), "2026-07-04T09:05:07.040Z");
}

TEST(Time, ParsesInstantsWithOffsets) {
    auto a = parse_instant("2026-03-29T01:30:00Z");
    auto b = parse_instant("2026-03-29T03:30:00+02:00");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(format_instant(*parse_instant("2026-11-24T10:00:00.123456Z")), "2026-11-24T10:00:00.123Z");
    auto precise = *parse_instant("2026-11-24T10:00:00.123456Z");
    EXPECT_EQ(format_instant_precise(precise), "2026-11-24T10:00:00.123456Z");
    EXPECT_EQ(*parse_instant(format_instant_precise(precise)), precise);
    EXPECT_FALSE(parse_instant("2026-11-24T10:00:00"));      // no zone
    EXPECT_FALSE(parse_instant("2026-11-24T24:00:00Z"));
    EXPECT_FALSE(parse_instant("2026-11-24T10:00:00.Z"));
}

TEST(Time, Age) {
    auto birth = *parse_date("2000-06-15");
    EXPECT_EQ(years_between(birth, *parse_date("2026-06-14")), 25);
    EXPECT_EQ(years_between(birth, *parse_date("2026-06-15")), 26);
}

// issue 14: a moved clock reads the chosen instant, then runs on in real time; every
// SystemClock of the process follows it.
TEST(Clock, SystemClockStartsAtAnInstantForTests) {
    const auto machine = [] { return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()); };
    const auto offset = SystemClock{}.now() - machine();
    const Timestamp sunday = *parse_instant("2026-05-31T21:30:00Z");
    SystemClock::start_at_for_test(sunday);
    EXPECT_TRUE(SystemClock::moved_for_test());
    auto first = SystemClock{}.now();
    EXPECT_LT(std::chrono::abs(first - sunday), std::chrono::seconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto later = SystemClock{}.now();
    EXPECT_GE(later - first, std::chrono::milliseconds(20));
    EXPECT_LT(later - first, std::chrono::seconds(2));
    // Put the process's clock back where it was (a whole run may itself be on a moved clock).
    SystemClock::start_at_for_test(machine() + offset);
    EXPECT_LT(std::chrono::abs(SystemClock{}.now() - machine() - offset), std::chrono::seconds(1));
}

// A moved clock handed to another process: "INSTANT@MACHINE" gives it the same clock to the
// microsecond, however late it starts; a bare INSTANT starts it at the instant when it is read.
TEST(Clock, ATestClockGivenToAnotherProcessIsTheSameClock) {
    const Timestamp machine = *parse_instant("2026-12-07T16:00:00.250000Z");
    EXPECT_EQ(parse_test_clock("2026-05-31T23:30:00+02:00", machine),
              *parse_instant("2026-05-31T21:30:00Z") - machine);
    // The same value read 40 s later (a server started late in the run) gives the same offset.
    const auto anchored = "2026-05-31T21:30:00.000000Z@2026-12-07T16:00:00.250000Z";
    EXPECT_EQ(parse_test_clock(anchored, machine), parse_test_clock(anchored, machine + std::chrono::seconds(40)));
    EXPECT_EQ(parse_test_clock(anchored, machine), *parse_instant("2026-05-31T21:30:00Z") - machine);
    for (const char* bad : {"", "next sunday", "2026-05-31T21:30:00Z@", "@2026-05-31T21:30:00Z",
                            "2026-05-31T21:30:00Z@yesterday", "2026-05-31T21:30:00Z@2026-05-31T21:30:00Z@2026-05-31T21:30:00Z"})
        EXPECT_FALSE(parse_test_clock(bad, machine)) << bad;

    // This process's clock, handed on, is kept exactly.
    const auto before = SystemClock{}.now() - SystemClock::machine_now();
    SystemClock::start_at_for_test(*parse_instant("2026-05-31T21:30:00.123456Z"));
    const auto offset = SystemClock{}.now() - SystemClock::machine_now();
    const auto handed = parse_test_clock(test_clock_spec(), SystemClock::machine_now() + std::chrono::hours(1));
    ASSERT_TRUE(handed);
    EXPECT_LE(std::chrono::abs(*handed - offset), std::chrono::microseconds(2));
    SystemClock::move_by_for_test(before);  // as it was (the run itself may be on a moved clock)
}

TEST(Uuid, V7IsOrderedAndWellFormed) {
    SystemClock clock;
    auto t = clock.now();
    auto a = new_uuid_v7(t);
    auto b = new_uuid_v7(t + std::chrono::milliseconds(2));
    EXPECT_TRUE(is_uuid(a));
    EXPECT_EQ(a[14], '7');
    EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b');
    EXPECT_LT(a, b);
    EXPECT_NE(new_uuid_v7(t), new_uuid_v7(t));
    EXPECT_FALSE(is_uuid("not-a-uuid"));
}

// Identifiers share a per-thread block of random bytes: across many refills and threads, every
// one is distinct, well formed and starts with its millisecond.
TEST(Uuid, V7StaysDistinctAcrossRefillsAndThreads) {
    Timestamp t{std::chrono::milliseconds(0x0123456789ab)};
    std::vector<std::vector<std::string>> made(4);
    std::vector<std::thread> threads;
    for (auto& ids : made)
        threads.emplace_back([&ids, t] {
            for (int i = 0; i < 1000; ++i) ids.push_back(new_uuid_v7(t));
        });
    for (auto& th : threads) th.join();
    std::set<std::string> all;
    for (const auto& ids : made)
        for (const auto& id : ids) {
            ASSERT_TRUE(is_uuid(id)) << id;
            EXPECT_EQ(id.substr(0, 15), "01234567-89ab-7") << id;
            all.insert(id);
        }
    EXPECT_EQ(all.size(), 4000u);
}

TEST(Errors, EveryKindIsInTheCatalogue) {
    for (int k = static_cast<int>(ErrorKind::bad_request); k <= static_cast<int>(ErrorKind::internal); ++k)
        EXPECT_FALSE(info(static_cast<ErrorKind>(k)).slug.empty());
}

TEST(Errors, ResultValueOnErrorThrows) {
    Result<int> r = not_found("x", "missing");
    EXPECT_FALSE(r);
    EXPECT_THROW((void)r.value(), UnexpectedError);
}

TEST(Roles, ParseOnlyUserRoles) {
    EXPECT_EQ(parse_role("doctor"), Role::doctor);
    EXPECT_FALSE(parse_role("system"));
    EXPECT_FALSE(parse_role("Doctor"));
}

// ----- time zones -----
#include "core/timezone.hpp"

namespace {
LocalSeconds local(const char* date, int h, int m) {
    return LocalSeconds{std::chrono::local_days{*parse_date(date)}.time_since_epoch()} + std::chrono::hours(h) +
           std::chrono::minutes(m);
}
}  // namespace

TEST(TimeZone, ParisWinterAndSummerOffsets) {
    auto tz = *TimeZone::named("Europe/Paris");
    EXPECT_EQ(tz.offset_at(*parse_instant("2026-01-15T12:00:00Z")), std::chrono::hours(1));
    EXPECT_EQ(tz.offset_at(*parse_instant("2026-07-15T12:00:00Z")), std::chrono::hours(2));
    EXPECT_EQ(tz.to_utc(local("2026-07-15", 9, 0)), *parse_instant("2026-07-15T07:00:00Z"));
}

TEST(TimeZone, SpringForwardAt2AmOnTheLastSundayOfMarch) {
    auto tz = *TimeZone::named("Europe/Paris");
    // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    EXPECT_EQ(tz.offset_at(*parse_instant("2026-03-29T00:59:59Z")), std::chrono::hours(1));
    EXPECT_EQ(tz.offset_at(*parse_instant("2026-03-29T01:00:00Z")), std::chrono::hours(2));
    EXPECT_EQ(tz.to_utc(local("2026-03-29", 1, 30)), *parse_instant("2026-03-29T00:30:00Z"));
    EXPECT_EQ(tz.to_utc(local("2026-03-29", 3, 0)), *parse_instant("2026-03-29T01:00:00Z"));
    // 02:30 does not exist that night: it moves forward by the hour lost.
    EXPECT_EQ(tz.to_utc(local("2026-03-29", 2, 30)), *parse_instant("2026-03-29T01:30:00Z"));
    // The local day is 23 hours long.
    EXPECT_EQ(tz.start_of_day(*parse_date("2026-03-30")) - tz.start_of_day(*parse_date("2026-03-29")), std::chrono::hours(23));
}

TEST(TimeZone, FallBackAt3AmOnTheLastSundayOfOctober) {
    auto tz = *TimeZone::named("Europe/Paris");
    // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:30 happens twice.
    EXPECT_EQ(tz.to_utc(local("2026-10-25", 2, 30)), *parse_instant("2026-10-25T00:30:00Z"));  // the first
    EXPECT_EQ(tz.to_local(*parse_instant("2026-10-25T01:30:00Z")), local("2026-10-25", 2, 30));
    EXPECT_EQ(tz.start_of_day(*parse_date("2026-10-26")) - tz.start_of_day(*parse_date("2026-10-25")), std::chrono::hours(25));
    EXPECT_EQ(tz.local_date(*parse_instant("2026-10-25T22:59:00Z")), *parse_date("2026-10-25"));
    EXPECT_EQ(tz.local_date(*parse_instant("2026-10-25T23:00:00Z")), *parse_date("2026-10-26"));
}

TEST(TimeZone, BuiltInRuleMatchesTheSystemDatabase) {
    auto builtin = *TimeZone::named("Europe/Paris", "/nonexistent");
    auto system = TimeZone::named("Europe/Paris");
    ASSERT_TRUE(system);
    for (auto t = *parse_instant("2025-01-01T00:00:00Z"); t < *parse_instant("2028-01-01T00:00:00Z"); t += std::chrono::hours(7))
        ASSERT_EQ(builtin.offset_at(t), system->offset_at(t)) << format_instant(t);
}

TEST(TimeZone, PosixRulesAndRejections) {
    auto nz = TimeZone::from_posix("NZST-12NZDT,M9.5.0,M4.1.0/3");  // southern hemisphere
    ASSERT_TRUE(nz);
    EXPECT_EQ(nz->offset_at(*parse_instant("2026-01-15T00:00:00Z")), std::chrono::hours(13));
    EXPECT_EQ(nz->offset_at(*parse_instant("2026-07-15T00:00:00Z")), std::chrono::hours(12));
    EXPECT_EQ(TimeZone::from_posix("<-03>3")->offset_at(*parse_instant("2026-07-15T00:00:00Z")), std::chrono::hours(-3));
    EXPECT_FALSE(TimeZone::from_posix("CET-1CEST,M13.5.0,M10.5.0"));
    EXPECT_FALSE(TimeZone::named("Mars/Olympus_Mons"));
    EXPECT_FALSE(TimeZone::named("../../etc/passwd"));
}

TEST(TimeZone, FormatsLocalTimeAsFrenchDocumentsPrintIt) {
    auto paris = TimeZone::named("Europe/Paris");
    ASSERT_TRUE(paris);
    // Winter (UTC+1) and summer (UTC+2).
    EXPECT_EQ(format_local_fr(*paris, *parse_instant("2026-11-24T08:30:59Z")), "24/11/2026 à 09:30");
    EXPECT_EQ(format_local_fr(*paris, *parse_instant("2026-07-01T22:05:00Z")), "02/07/2026 à 00:05");
}
