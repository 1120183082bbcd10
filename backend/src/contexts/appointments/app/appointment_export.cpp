// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/app/appointment_export.hpp"

#include <boost/json.hpp>

namespace medisecure::appointments {

namespace json = boost::json;

namespace {
json::value instant_or_null(const std::optional<Timestamp>& t) {
    return t ? json::value(format_instant(*t)) : json::value(nullptr);
}
/// Local wall-clock time with its offset, e.g. 2026-03-30T08:00:00+02:00: readable as it is.
std::string local_text(Timestamp t, const TimeZone& tz) {
    auto off = std::chrono::duration_cast<std::chrono::minutes>(tz.offset_at(t)).count();
    auto local = tz.to_local(t);
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::hh_mm_ss hms{local - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%sT%02ld:%02ld:%02ld%c%02lld:%02lld",
                  format_date(Date{std::chrono::sys_days{day.time_since_epoch()}}).c_str(),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()), off < 0 ? '-' : '+',
                  static_cast<long long>(std::abs(off) / 60),
                  static_cast<long long>(std::abs(off) % 60));
    return buf;
}
}  // namespace

json::value AppointmentExport::export_json(const std::string& patient_id) {
    AppointmentFilter f;
    f.patient_id = patient_id;
    f.limit = 100000;
    auto rows = store_.list(f);
    std::set<std::string> ids;
    for (const auto& a : rows)
        ids.insert(a.practitioner_id);
    auto names =
        ids.empty() ? std::map<std::string, std::string>{} : practitioners_.display_names(ids);
    json::array items;
    for (const auto& a : rows) {
        items.push_back(json::object{
            {"id", a.id},
            {"practitioner",
             names.count(a.practitioner_id) ? names[a.practitioner_id] : a.practitioner_id},
            {"type", a.type_label},
            {"start", format_instant(a.start)},
            {"end", format_instant(a.end)},
            {"local_start", local_text(a.start, tz_)},
            {"status", to_string(a.status)},
            {"booked_via", to_string(a.booked_via)},
            {"booked_at", format_instant(a.created_at)},
            {"cancelled_at", instant_or_null(a.cancelled_at)},
            {"cancel_reason", a.cancel_reason},
            {"checked_in_at", instant_or_null(a.checked_in_at)},
            {"completed_at", instant_or_null(a.completed_at)},
        });
    }
    return json::object{{"time_zone", tz_.name()}, {"appointments", std::move(items)}};
}

}  // namespace medisecure::appointments
