// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/domain/schedule.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cctype>

namespace medisecure::appointments {

std::vector<FieldIssue> normalise(WeeklyHours& hours) {
    std::vector<FieldIssue> issues;
    for (std::size_t i = 0; i < hours.ranges.size(); ++i) {
        const auto& r = hours.ranges[i];
        std::string at = "/ranges/" + std::to_string(i);
        if (r.weekday < 1 || r.weekday > 7)
            issues.push_back({at + "/weekday", "out_of_range", "must be 1 (Monday) to 7 (Sunday)"});
        if (r.start_minute < 0 || r.start_minute >= kMinutesPerDay)
            issues.push_back({at + "/start", "out_of_range", "must be between 00:00 and 23:55"});
        if (r.end_minute <= r.start_minute || r.end_minute > kMinutesPerDay)
            issues.push_back({at + "/end", "not_after_start",
                              "must be after the start, at 24:00 at the latest"});
        if (r.start_minute % kMinuteGranularity != 0 || r.end_minute % kMinuteGranularity != 0)
            issues.push_back({at, "granularity", "times must be whole multiples of 5 minutes"});
    }
    if (!issues.empty()) return issues;
    std::vector<std::size_t> order(hours.ranges.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto &x = hours.ranges[a], &y = hours.ranges[b];
        return std::pair(x.weekday, x.start_minute) < std::pair(y.weekday, y.start_minute);
    });
    std::vector<OpeningRange> sorted;
    int per_day = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto& r = hours.ranges[order[k]];
        std::string at = "/ranges/" + std::to_string(order[k]);
        if (!sorted.empty() && sorted.back().weekday == r.weekday) {
            if (r.start_minute < sorted.back().end_minute)
                issues.push_back({at, "overlap", "overlaps another range of the same day"});
            if (++per_day > kMaxRangesPerDay)
                issues.push_back({at, "too_many", "a day has at most 8 ranges"});
        } else {
            per_day = 1;
        }
        sorted.push_back(r);
    }
    if (issues.empty()) hours.ranges = std::move(sorted);
    return issues;
}

int parse_clock(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return -1;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    return h * 60 + m;
}

std::string format_clock(int minutes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

namespace {

void check_label(std::string& label, const std::string& field, std::size_t max,
                 std::vector<FieldIssue>& issues) {
    label = trim(label);
    if (label.empty())
        issues.push_back({field, "required", "must not be empty"});
    else if (!is_valid_utf8(label) || has_control_chars(label))
        issues.push_back({field, "invalid_text", "has invalid characters"});
    else if (utf8_length(label) > max)
        issues.push_back(
            {field, "too_long", "is too long (at most " + std::to_string(max) + " characters)"});
}

}  // namespace

std::vector<FieldIssue> validate(Absence& a) {
    std::vector<FieldIssue> issues;
    if (a.end <= a.start)
        issues.push_back({"/end", "not_after_start", "must be after the start"});
    else if (a.end - a.start > std::chrono::days(kMaxAbsenceDays))
        issues.push_back(
            {"/end", "too_long", "an absence lasts at most 366 days; enter longer ones in parts"});
    check_label(a.reason, "/reason", 100, issues);
    return issues;
}

std::vector<FieldIssue> validate(AppointmentType& t) {
    std::vector<FieldIssue> issues;
    check_label(t.label, "/label", 80, issues);
    if (t.duration_minutes < kMinuteGranularity || t.duration_minutes > kMaxDurationMinutes ||
        t.duration_minutes % kMinuteGranularity != 0)
        issues.push_back({"/duration_minutes", "out_of_range",
                          "must be a multiple of 5 minutes, from 5 to 480"});
    bool color_ok = t.color.size() == 7 && t.color[0] == '#' &&
                    std::all_of(t.color.begin() + 1, t.color.end(), [](char c) {
                        return std::isxdigit(static_cast<unsigned char>(c));
                    });
    if (!color_ok)
        issues.push_back({"/color", "invalid_color", "must be #RRGGBB"});
    else
        for (auto& c : t.color)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return issues;
}

}  // namespace medisecure::appointments
