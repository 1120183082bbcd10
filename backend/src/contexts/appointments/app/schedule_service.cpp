// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/app/schedule_service.hpp"

#include "core/random.hpp"
#include "platform/crypto/digest.hpp"

#include <algorithm>

namespace medisecure::appointments {

using audit::Outcome;
using namespace std::chrono;

namespace {

Error practitioner_not_found() {
    return not_found("practitioner_not_found", "No such practitioner.");
}
Error stale() {
    return Error{ErrorKind::precondition_failed, "stale_version",
                 "It was changed by someone else; reload it and try again."};
}

bool reads_schedules(const Caller& c) {
    return manages_appointments(c);
}

}  // namespace

std::string calendar_token_hash(std::string_view token) {
    return crypto::sha256_hex(token);
}

ScheduleService::ScheduleService(AppointmentStore& store, PractitionerDirectory& practitioners,
                                 audit::AuditTrail& audit, const Clock& clock, const TimeZone& tz,
                                 AppointmentRules rules)
    : store_(store), practitioners_(practitioners), audit_(audit), clock_(clock), tz_(tz),
      rules_(rules) {}

Result<Practitioner> ScheduleService::reach_practitioner(const Caller& caller,
                                                         const std::string& id) {
    if (!reads_schedules(caller))
        return forbidden("role_not_allowed", "Your role does not give access to schedules.");
    auto p = practitioners_.find_active(id);
    if (!p) return practitioner_not_found();
    return *p;
}

Result<void> ScheduleService::may_manage(const Caller& caller, const std::string& practitioner_id,
                                         const std::string& action) {
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    if (!manages_schedule_of(caller, practitioner_id)) {
        audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::denied, ""});
        return forbidden("not_your_schedule",
                         "Doctors manage their own schedule; the secretariat manages everyone's.");
    }
    return {};
}

Result<std::vector<PractitionerOffer>> ScheduleService::practitioners(const Caller& caller) {
    auto all = practitioners_.active();
    std::set<std::string> ids;
    for (const auto& p : all)
        ids.insert(p.id);
    auto types = ids.empty() ? std::vector<AppointmentType>{} : store_.types(ids);
    std::vector<PractitionerOffer> out;
    for (const auto& p : all) {
        PractitionerOffer offer{p, {}};
        for (const auto& t : types)
            if (t.practitioner_id == p.id && t.active &&
                (!caller.is(Role::patient) || t.portal_bookable))
                offer.types.push_back(t);
        out.push_back(std::move(offer));
    }
    return out;
}

Result<WeeklyHours> ScheduleService::hours(const Caller& caller,
                                           const std::string& practitioner_id) {
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    return store_.hours(practitioner_id);
}

Result<WeeklyHours> ScheduleService::set_hours(const Caller& caller,
                                               const std::string& practitioner_id,
                                               std::int64_t expected_version,
                                               std::vector<OpeningRange> ranges) {
    const std::string action = "schedule.hours.update";
    if (auto m = may_manage(caller, practitioner_id, action); !m) return m.error();
    WeeklyHours h;
    h.practitioner_id = practitioner_id;
    h.ranges = std::move(ranges);
    if (auto issues = normalise(h); !issues.empty())
        return invalid_input("validation_failed", "The opening hours are invalid.",
                             std::move(issues));
    h.version = expected_version + 1;
    h.updated_at = clock_.now();
    if (!store_.save_hours(h)) {
        audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::failure,
                               "stale_version"});
        return stale();
    }
    audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::success,
                           "ranges=" + std::to_string(h.ranges.size())});
    return h;
}

Result<std::vector<Absence>> ScheduleService::absences(const Caller& caller,
                                                       const std::string& practitioner_id,
                                                       Timestamp from, Timestamp to) {
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    if (to <= from) return invalid_field("to", "not_after_from", "must be after from");
    if (to - from > days(kMaxAbsenceDays * 2))
        return invalid_field("to", "window_too_long", "ask for at most two years");
    return store_.absences(practitioner_id, from, to);
}

Result<AbsenceAdded> ScheduleService::add_absence(const Caller& caller,
                                                  const std::string& practitioner_id, Absence a) {
    const std::string action = "schedule.absence.create";
    if (auto m = may_manage(caller, practitioner_id, action); !m) return m.error();
    if (auto issues = validate(a); !issues.empty())
        return invalid_input("validation_failed", "The absence is invalid.", std::move(issues));
    auto now = clock_.now();
    a.id = new_uuid_v7(now);
    a.practitioner_id = practitioner_id;
    a.created_by = caller.user_id;
    a.created_at = now;
    AbsenceAdded out;
    auto r = store_.write([&](AppointmentUnit& unit) -> Result<void> {
        // Under the practitioner's lock, so no booking slips in between the check and the insert
        // unnoticed: what is already booked inside is reported, to be moved by the secretariat.
        unit.lock_practitioner(practitioner_id);
        if (!unit.absences_overlapping(practitioner_id, a.start, a.end).empty())
            return conflict("absence.overlap",
                            "Another absence of this practitioner covers part of this time.");
        out.conflicts.clear();
        for (auto& appt : unit.overlapping_for_practitioner(practitioner_id, a.start, a.end))
            if (appt.status == Status::booked) out.conflicts.push_back(std::move(appt));
        unit.insert_absence(a);
        return {};
    });
    if (!r) {
        audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::failure,
                               r.error().code});
        return r.error();
    }
    out.absence = a;
    audit_.record(caller, {action, "absence", a.id, "", Outcome::success,
                           "practitioner=" + practitioner_id +
                               " conflicts=" + std::to_string(out.conflicts.size())});
    return out;
}

Result<void> ScheduleService::remove_absence(const Caller& caller,
                                             const std::string& practitioner_id,
                                             const std::string& absence_id) {
    const std::string action = "schedule.absence.delete";
    if (auto m = may_manage(caller, practitioner_id, action); !m) return m.error();
    if (!store_.remove_absence(practitioner_id, absence_id)) {
        audit_.record(caller, {action, "absence", absence_id, "", Outcome::not_found, ""});
        return not_found("absence_not_found", "No such absence.");
    }
    audit_.record(caller, {action, "absence", absence_id, "", Outcome::success,
                           "practitioner=" + practitioner_id});
    return {};
}

Result<std::vector<AppointmentType>> ScheduleService::types(const Caller& caller,
                                                            const std::string& practitioner_id) {
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    return store_.types({practitioner_id});
}

Result<AppointmentType> ScheduleService::add_type(const Caller& caller,
                                                  const std::string& practitioner_id,
                                                  AppointmentType t) {
    const std::string action = "schedule.type.create";
    if (auto m = may_manage(caller, practitioner_id, action); !m) return m.error();
    if (auto issues = validate(t); !issues.empty())
        return invalid_input("validation_failed", "The appointment type is invalid.",
                             std::move(issues));
    auto now = clock_.now();
    t.id = new_uuid_v7(now);
    t.practitioner_id = practitioner_id;
    t.created_at = t.updated_at = now;
    t.version = 1;
    store_.insert_type(t);
    audit_.record(caller, {action, "appointment_type", t.id, "", Outcome::success,
                           "practitioner=" + practitioner_id});
    return t;
}

Result<AppointmentType> ScheduleService::update_type(const Caller& caller,
                                                     const std::string& practitioner_id,
                                                     const std::string& type_id,
                                                     std::int64_t expected_version,
                                                     const TypePatch& patch) {
    const std::string action = "schedule.type.update";
    if (auto m = may_manage(caller, practitioner_id, action); !m) return m.error();
    auto found = store_.find_type(type_id);
    if (!found || found->practitioner_id != practitioner_id) {
        audit_.record(caller, {action, "appointment_type", type_id, "", Outcome::not_found, ""});
        return not_found("appointment_type_not_found", "No such appointment type.");
    }
    if (found->version != expected_version) return stale();
    AppointmentType t = *found;
    if (patch.label) t.label = *patch.label;
    if (patch.color) t.color = *patch.color;
    if (patch.duration_minutes) t.duration_minutes = *patch.duration_minutes;
    if (patch.active) t.active = *patch.active;
    if (patch.portal_bookable) t.portal_bookable = *patch.portal_bookable;
    if (auto issues = validate(t); !issues.empty())
        return invalid_input("validation_failed", "The appointment type is invalid.",
                             std::move(issues));
    t.version = found->version + 1;
    t.updated_at = clock_.now();
    if (!store_.update_type(t)) {
        audit_.record(caller,
                      {action, "appointment_type", type_id, "", Outcome::failure, "stale_version"});
        return stale();
    }
    audit_.record(caller, {action, "appointment_type", type_id, "", Outcome::success,
                           "practitioner=" + practitioner_id});
    return t;
}

Result<Availability> ScheduleService::availability(const Caller& caller,
                                                   const std::string& practitioner_id,
                                                   const std::string& type_id, Timestamp from,
                                                   Timestamp to) {
    if (!manages_appointments(caller) && !caller.is(Role::patient))
        return forbidden("role_not_allowed", "Your role does not book appointments.");
    auto practitioner = practitioners_.find_active(practitioner_id);
    if (!practitioner) return practitioner_not_found();
    if (to <= from) return invalid_field("to", "not_after_from", "must be after from");
    if (to - from > days(rules_.max_window_days))
        return invalid_field("to", "window_too_long",
                             "ask for at most " + std::to_string(rules_.max_window_days) + " days");
    auto type = store_.find_type(type_id);
    if (!type || type->practitioner_id != practitioner_id || !type->active)
        return invalid_field("type", "unknown_type",
                             "is not an active appointment type of this practitioner");
    const bool patient = caller.is(Role::patient);
    if (patient && !type->portal_bookable)
        return invalid_field("type", "not_bookable_online",
                             "is booked through the practice, not online");

    auto now = clock_.now();
    SlotQuery q;
    q.from = from;
    q.to = to;
    q.duration = minutes(type->duration_minutes);
    q.earliest = patient ? now + std::chrono::hours(rules_.portal_min_notice_hours) : now;
    if (patient) q.to = std::min(q.to, now + days(rules_.portal_max_days_ahead));

    Availability out{*type, from, to, {}};
    if (q.to <= q.from) return out;
    auto hours_of = store_.hours(practitioner_id);
    std::vector<Interval> busy;
    for (const auto& a : store_.absences(practitioner_id, q.from, q.to + q.duration))
        busy.push_back({a.start, a.end});
    AppointmentFilter f;
    f.practitioner_id = practitioner_id;
    f.from = q.from;
    f.to = q.to + q.duration;
    f.limit = 100000;
    for (const auto& a : store_.list(f))
        if (occupies_slot(a.status)) busy.push_back({a.start, a.end});
    out.slots = free_slots(tz_, hours_of, busy, q);
    return out;
}

Result<std::string> ScheduleService::rotate_calendar_token(const Caller& caller,
                                                           const std::string& practitioner_id) {
    const std::string action = "schedule.calendar_token.rotate";
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    // The feed shows the doctor's patients (by initials): only the doctor may obtain it.
    if (!(caller.is(Role::doctor) && caller.user_id == practitioner_id)) {
        audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::denied, ""});
        return forbidden("not_your_calendar",
                         "Only the practitioner can create the link to their own calendar.");
    }
    std::string token = crypto::random_token(32);
    store_.set_calendar_token(practitioner_id, calendar_token_hash(token), clock_.now());
    audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::success, ""});
    return token;
}

Result<void> ScheduleService::revoke_calendar_token(const Caller& caller,
                                                    const std::string& practitioner_id) {
    const std::string action = "schedule.calendar_token.revoke";
    if (auto p = reach_practitioner(caller, practitioner_id); !p) return p.error();
    if (!(caller.is(Role::doctor) && caller.user_id == practitioner_id) &&
        !caller.any_of({Role::admin, Role::system})) {
        audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::denied, ""});
        return forbidden("not_your_calendar",
                         "Only the practitioner or an administrator can turn this calendar off.");
    }
    store_.set_calendar_token(practitioner_id, "", clock_.now());
    audit_.record(caller, {action, "practitioner", practitioner_id, "", Outcome::success, ""});
    return {};
}

}  // namespace medisecure::appointments
