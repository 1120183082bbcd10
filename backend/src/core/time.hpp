// SPDX-License-Identifier: Apache-2.0
// ISO 8601 dates and instants as the API speaks them: dates "YYYY-MM-DD", instants in UTC
// "YYYY-MM-DDTHH:MM:SS.ffffffZ" (offsets accepted on input).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace medisecure {

using Date = std::chrono::year_month_day;

std::optional<Date> parse_date(std::string_view s);  // strict YYYY-MM-DD, a real calendar day
std::string format_date(const Date& d);
std::optional<Timestamp> parse_instant(std::string_view s);
std::string format_instant(Timestamp t);  // always UTC with 'Z', millisecond precision
std::string format_instant_precise(Timestamp t);  // microsecond precision (cursors)
/// Completed years between `birth` and `on` (a person's age).
int years_between(const Date& birth, const Date& on);
Date date_of(Timestamp t);  // the UTC calendar day

/// A moved clock for tests (MEDISECURE_TEST_CLOCK): "INSTANT" (the clock reads INSTANT at the
/// moment the setting is read, then runs on) or "INSTANT@MACHINE" (it read INSTANT when the
/// machine's clock read MACHINE: every process given that value reads the very same clock, however
/// late it starts). Both RFC 3339. Gives the offset from the machine's clock at `machine_now`.
std::optional<std::chrono::microseconds> parse_test_clock(std::string_view spec, Timestamp machine_now);
/// The "INSTANT@MACHINE" value that gives another process this process's clock exactly.
std::string test_clock_spec();

}  // namespace medisecure
