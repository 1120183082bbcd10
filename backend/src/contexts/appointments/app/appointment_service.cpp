// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/app/appointment_service.hpp"

#include "contexts/appointments/app/appointment_jobs.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "contexts/appointments/domain/availability.hpp"
#include "contexts/appointments/domain/icalendar.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

#include <boost/json.hpp>

namespace medisecure::appointments {

namespace json = boost::json;
using audit::Outcome;
using namespace std::chrono;

namespace {

Error appointment_not_found() {
    return not_found("appointment_not_found", "No such appointment.");
}
Error stale() {
    return Error{ErrorKind::precondition_failed, "stale_version",
                 "The appointment was changed by someone else; reload it and try again."};
}
Error invalid_transition(Status from, Transition t) {
    return conflict("appointment.invalid_transition",
                    "An appointment that is " + std::string(to_string(from)) + " cannot be " +
                        std::string(to_string(t)) + ".");
}

Outcome outcome_of(const Error& e) {
    if (e.kind == ErrorKind::not_found) return Outcome::not_found;
    if (e.kind == ErrorKind::forbidden) return Outcome::denied;
    return Outcome::failure;
}

bool whole_minute(Timestamp t) {
    return t.time_since_epoch() % minutes(1) == Timestamp::duration::zero();
}

std::string audit_action(Transition t) {
    return "appointment." + std::string(to_string(t));
}

}  // namespace

AppointmentService::AppointmentService(AppointmentStore& store,
                                       PractitionerDirectory& practitioners,
                                       PatientDirectory& patients, audit::AuditTrail& audit,
                                       const Clock& clock, const TimeZone& tz,
                                       AppointmentRules rules)
    : store_(store), practitioners_(practitioners), patients_(patients), audit_(audit),
      clock_(clock), tz_(tz), rules_(rules) {}

Result<void> AppointmentService::check_start(const Caller& caller, Timestamp start,
                                             const std::string& field) {
    if (!whole_minute(start))
        return invalid_field(field, "not_whole_minute", "must be a whole minute");
    auto now = clock_.now();
    if (caller.is(Role::patient)) {
        if (start < now + std::chrono::hours(rules_.portal_min_notice_hours))
            return invalid_field(field, "too_soon",
                                 "online booking closes " +
                                     std::to_string(rules_.portal_min_notice_hours) +
                                     " hours before; call the practice");
        if (start > now + days(rules_.portal_max_days_ahead))
            return invalid_field(field, "too_far",
                                 "can be booked at most " +
                                     std::to_string(rules_.portal_max_days_ahead) + " days ahead");
    } else if (!caller.is(Role::system) && start < tz_.start_of_day(tz_.local_date(now))) {
        // Today's walk-ins may be entered after the fact; earlier days are history.
        return invalid_field(field, "in_past", "must be today or later");
    }
    return {};
}

Result<AppointmentService::Checked> AppointmentService::check_booking(const Caller& caller,
                                                                      BookingRequest& r) {
    std::vector<FieldIssue> issues;
    Checked out;
    auto practitioner = practitioners_.find_active(r.practitioner_id);
    if (!practitioner)
        issues.push_back(
            {"/practitioner_id", "unknown_practitioner", "does not name an active doctor"});
    else
        out.practitioner = *practitioner;
    auto patient = patients_.find(r.patient_id);
    if (!patient || patient->archived)
        issues.push_back({"/patient_id", "unknown_patient", "does not name an active patient"});
    else
        out.patient = *patient;
    auto type = store_.find_type(r.type_id);
    if (!type || type->practitioner_id != r.practitioner_id || !type->active)
        issues.push_back(
            {"/type_id", "unknown_type", "is not an active appointment type of this practitioner"});
    else if (caller.is(Role::patient) && !type->portal_bookable)
        issues.push_back(
            {"/type_id", "not_bookable_online", "is booked through the practice, not online"});
    else
        out.type = *type;
    if (auto s = check_start(caller, r.start, "/start"); !s) {
        auto fields = s.error().fields;  // error() returns a copy: take begin and end of one vector
        issues.insert(issues.end(), fields.begin(), fields.end());
    }
    if (issues.empty() && caller.is(Role::patient) &&
        !is_offered_slot(tz_, store_.hours(r.practitioner_id), r.start,
                         minutes(out.type.duration_minutes)))
        issues.push_back(
            {"/start", "not_an_offered_slot", "is not one of the practitioner's slots"});
    if (!issues.empty())
        return invalid_input("validation_failed", "The booking has invalid fields.",
                             std::move(issues));
    return out;
}

void AppointmentService::enqueue_jobs(AppointmentUnit& unit, const Caller& caller,
                                      const Appointment& a, const std::string& event) {
    auto now = clock_.now();
    const std::string start = format_instant(a.start);
    auto job = [&](std::string type, json::object payload, std::string dedupe) {
        jobs::JobRequest r;
        r.type = std::move(type);
        r.payload_json = json::serialize(payload);
        r.dedupe_key = std::move(dedupe);
        r.owner_user_id = caller.user_id;
        r.patient_id = a.patient_id;
        return r;
    };
    if (event == "booked" || event == "rescheduled") {
        unit.enqueue(
            job(kConfirmationEmail, {{"appointment_id", a.id}, {"start", start}, {"event", event}},
                std::string(kConfirmationEmail) + ":" + a.id + ":" + std::to_string(a.version)),
            now);
        if (rules_.reminder_hours_before > 0) {
            auto run_at = a.start - std::chrono::hours(rules_.reminder_hours_before);
            // Booked at short notice: the confirmation is the reminder.
            if (run_at > now) {
                auto r = job(kReminderEmail, {{"appointment_id", a.id}, {"start", start}},
                             std::string(kReminderEmail) + ":" + a.id + ":" +
                                 std::to_string(to_micros(a.start)));
                r.run_at = run_at;
                unit.enqueue(r, now);
            }
        }
    } else if (event == "cancelled") {
        unit.enqueue(job(kCancellationEmail, {{"appointment_id", a.id}},
                         std::string(kCancellationEmail) + ":" + a.id),
                     now);
    }

    // In-app: the practitioner and the patient, except whoever made the change.
    json::array recipients;
    if (!(caller.is(Role::doctor) && caller.user_id == a.practitioner_id))
        recipients.push_back(json::string("user:" + a.practitioner_id));
    if (event != "checked_in" && !caller.is(Role::patient))
        recipients.push_back(json::string("patient:" + a.patient_id));
    if (recipients.empty()) return;
    json::object payload{{"recipients", std::move(recipients)},
                         {"kind", "appointment." + event},
                         {"data", json::object{{"appointment_id", a.id},
                                               {"practitioner_id", a.practitioner_id},
                                               {"patient_id", a.patient_id},
                                               {"start", start},
                                               {"end", format_instant(a.end)},
                                               {"type_label", a.type_label},
                                               {"status", to_string(a.status)}}},
                         {"link", "/appointments/" + a.id}};
    unit.enqueue(job(jobs::kInAppNotification, std::move(payload),
                     "appointments.in_app:" + a.id + ":" + std::to_string(a.version)),
                 now);
}

Result<Booking> AppointmentService::book(const Caller& caller, BookingRequest r) {
    const std::string action = "appointment.book";
    if (!manages_appointments(caller) && !caller.is(Role::patient)) {
        audit_.record(caller, {action, "appointment", "", r.patient_id, Outcome::denied, ""});
        return forbidden("role_not_allowed", "Your role does not book appointments.");
    }
    if (caller.is(Role::patient)) {
        if (r.patient_id.empty()) r.patient_id = caller.patient_id;
        if (r.patient_id != caller.patient_id) {
            audit_.record(caller, {action, "appointment", "", "", Outcome::denied, ""});
            return not_found("patient_not_found", "No such patient.");
        }
    }
    if (!caller.is(Role::system)) r.notify = true;
    auto checked = check_booking(caller, r);
    if (!checked) {
        audit_.record(caller, {action, "appointment", "", r.patient_id, Outcome::failure,
                               checked.error().code});
        return checked.error();
    }
    auto now = clock_.now();
    Appointment a;
    a.id = new_uuid_v7(now);
    a.practitioner_id = r.practitioner_id;
    a.patient_id = r.patient_id;
    a.type_id = checked->type.id;
    a.type_label = checked->type.label;
    a.type_color = checked->type.color;
    a.start = r.start;
    a.end = r.start + minutes(checked->type.duration_minutes);
    a.status = Status::booked;
    a.booked_via = caller.is(Role::patient) ? Channel::portal : Channel::staff;
    a.booked_by = caller.user_id;
    a.created_at = a.updated_at = now;
    a.version = 1;

    Booking out{a, {}};
    if (!caller.is(Role::patient) &&
        !within_opening_hours(tz_, store_.hours(a.practitioner_id), a.start, a.end))
        out.warnings.push_back({"outside_opening_hours",
                                "The appointment is outside the practitioner's opening hours.",
                                ""});
    const auto base_warnings = out.warnings;
    auto written = store_.write([&](AppointmentUnit& unit) -> Result<void> {
        out.warnings = base_warnings;  // the unit may run again after a serialization failure
        unit.lock_practitioner(a.practitioner_id);
        if (!unit.absences_overlapping(a.practitioner_id, a.start, a.end).empty())
            return conflict("appointment.practitioner_absent",
                            "The practitioner is absent at that time.");
        if (!unit.overlapping_for_practitioner(a.practitioner_id, a.start, a.end).empty())
            return conflict("appointment.slot_taken",
                            "The practitioner already has an appointment at that time.");
        for (const auto& other : unit.overlapping_for_patient(a.patient_id, a.start, a.end))
            out.warnings.push_back(
                {"patient_overlap", "The patient has another appointment at that time.", other.id});
        unit.insert(a);
        if (r.notify) enqueue_jobs(unit, caller, a, "booked");
        return {};
    });
    if (!written) {
        audit_.record(caller, {action, "appointment", a.id, a.patient_id, Outcome::failure,
                               written.error().code});
        return written.error();
    }
    audit_.record(caller, {action, "appointment", a.id, a.patient_id, Outcome::success,
                           "practitioner=" + a.practitioner_id +
                               " via=" + std::string(to_string(a.booked_via))});
    return out;
}

Result<Appointment> AppointmentService::get(const Caller& caller, const std::string& id) {
    const std::string action = "appointment.read";
    auto a = store_.find(id);
    bool allowed = manages_appointments(caller) ||
                   (caller.is(Role::patient) && a && a->patient_id == caller.patient_id);
    if (!allowed) {
        if (!caller.is(Role::patient)) {
            audit_.record(caller, {action, "appointment", id, "", Outcome::denied, ""});
            return forbidden("role_not_allowed", "Your role does not give access to appointments.");
        }
        // Not the other patient's id: their access log would show this probe.
        audit_.record(
            caller, {action, "appointment", id, "", a ? Outcome::denied : Outcome::not_found, ""});
        return appointment_not_found();
    }
    if (!a) {
        audit_.record(caller, {action, "appointment", id, "", Outcome::not_found, ""});
        return appointment_not_found();
    }
    audit_.record(caller, {action, "appointment", id, a->patient_id, Outcome::success, ""});
    return *a;
}

Result<Appointment> AppointmentService::change(
    const Caller& caller, const std::string& id, std::int64_t expected_version,
    const std::string& action,
    const std::function<Result<void>(Appointment&, AppointmentUnit&)>& apply) {
    std::string patient_id;
    Appointment result;
    auto written = store_.write([&](AppointmentUnit& unit) -> Result<void> {
        auto found = unit.find(id);
        if (!found || (caller.is(Role::patient) && found->patient_id != caller.patient_id))
            return appointment_not_found();
        patient_id = found->patient_id;
        if (found->version != expected_version) return stale();
        Appointment a = *found;
        if (auto r = apply(a, unit); !r) return r.error();
        a.version = found->version + 1;
        a.updated_at = clock_.now();
        if (!unit.update(a)) return stale();
        result = a;
        return {};
    });
    if (!written) {
        // patient_id stays empty when the appointment was not reached (missing, or another
        // patient's).
        audit_.record(caller, {action, "appointment", id, patient_id, outcome_of(written.error()),
                               written.error().code});
        return written.error();
    }
    return result;
}

Result<Booking> AppointmentService::reschedule(const Caller& caller, const std::string& id,
                                               std::int64_t expected_version, Timestamp new_start) {
    const std::string action = audit_action(Transition::reschedule);
    if (!manages_appointments(caller)) {
        audit_.record(caller, {action, "appointment", id, "", Outcome::denied, ""});
        if (caller.is(Role::patient)) return appointment_not_found();
        return forbidden("role_not_allowed", "Your role does not move appointments.");
    }
    if (auto s = check_start(caller, new_start, "/start"); !s) return s.error();
    std::vector<Warning> warnings;
    auto changed = change(
        caller, id, expected_version, action,
        [&](Appointment& a, AppointmentUnit& unit) -> Result<void> {
            warnings.clear();
            if (!next_status(a.status, Transition::reschedule))
                return invalid_transition(a.status, Transition::reschedule);
            auto length = a.end - a.start;
            a.start = new_start;
            a.end = new_start + length;
            unit.lock_practitioner(a.practitioner_id);
            if (!unit.absences_overlapping(a.practitioner_id, a.start, a.end).empty())
                return conflict("appointment.practitioner_absent",
                                "The practitioner is absent at that time.");
            for (const auto& other :
                 unit.overlapping_for_practitioner(a.practitioner_id, a.start, a.end))
                if (other.id != a.id)
                    return conflict("appointment.slot_taken",
                                    "The practitioner already has an appointment at that time.");
            for (const auto& other : unit.overlapping_for_patient(a.patient_id, a.start, a.end))
                if (other.id != a.id)
                    warnings.push_back({"patient_overlap",
                                        "The patient has another appointment at that time.",
                                        other.id});
            Appointment next = a;
            next.version += 1;  // the version the change will store, for the jobs' keys
            enqueue_jobs(unit, caller, next, "rescheduled");
            return {};
        });
    if (!changed) return changed.error();
    if (!within_opening_hours(tz_, store_.hours(changed->practitioner_id), changed->start,
                              changed->end))
        warnings.insert(warnings.begin(),
                        {"outside_opening_hours",
                         "The appointment is outside the practitioner's opening hours.", ""});
    audit_.record(caller, {action, "appointment", id, changed->patient_id, Outcome::success,
                           "practitioner=" + changed->practitioner_id});
    return Booking{*changed, std::move(warnings)};
}

Result<Appointment> AppointmentService::cancel(const Caller& caller, const std::string& id,
                                               std::int64_t expected_version, std::string reason) {
    const std::string action = audit_action(Transition::cancel);
    if (!manages_appointments(caller) && !caller.is(Role::patient)) {
        audit_.record(caller, {action, "appointment", id, "", Outcome::denied, ""});
        return forbidden("role_not_allowed", "Your role does not cancel appointments.");
    }
    reason = trim(reason);
    if (!is_valid_utf8(reason) || has_control_chars(reason))
        return invalid_field("/reason", "invalid_text", "has invalid characters");
    if (utf8_length(reason) > 200)
        return invalid_field("/reason", "too_long", "is too long (at most 200 characters)");
    if (reason.empty() && !caller.is(Role::patient))
        return invalid_field("/reason", "required", "say why the appointment is cancelled");
    auto now = clock_.now();
    auto changed = change(
        caller, id, expected_version, action,
        [&](Appointment& a, AppointmentUnit& unit) -> Result<void> {
            auto next = next_status(a.status, Transition::cancel);
            if (!next) return invalid_transition(a.status, Transition::cancel);
            if (caller.is(Role::patient) &&
                a.start - now < std::chrono::hours(rules_.portal_cancel_notice_hours))
                return conflict("appointment.cancel_too_late",
                                "Online cancellation closes " +
                                    std::to_string(rules_.portal_cancel_notice_hours) +
                                    " hours before the appointment; please call the practice.");
            a.status = *next;
            a.cancel_reason = reason;
            a.cancelled_by = caller.user_id;
            a.cancelled_by_role = std::string(to_string(caller.role));
            a.cancelled_at = now;
            Appointment stored = a;
            stored.version += 1;
            enqueue_jobs(unit, caller, stored, "cancelled");
            return {};
        });
    if (!changed) return changed.error();
    audit_.record(caller, {action, "appointment", id, changed->patient_id, Outcome::success,
                           "by=" + std::string(to_string(caller.role))});
    return changed;
}

Result<Appointment> AppointmentService::transition(const Caller& caller, const std::string& id,
                                                   std::int64_t expected_version, Transition t) {
    const std::string action = audit_action(t);
    if (t == Transition::cancel || t == Transition::reschedule)
        return invalid_input("unsupported_transition", "Use cancel or reschedule.");
    if (!manages_appointments(caller)) {
        audit_.record(caller, {action, "appointment", id, "", Outcome::denied, ""});
        if (caller.is(Role::patient)) return appointment_not_found();
        return forbidden("role_not_allowed", "Your role does not manage appointments.");
    }
    auto now = clock_.now();
    auto changed = change(
        caller, id, expected_version, action,
        [&](Appointment& a, AppointmentUnit& unit) -> Result<void> {
            auto next = next_status(a.status, t);
            if (!next) return invalid_transition(a.status, t);
            if (t == Transition::no_show && now < a.start)
                return conflict("appointment.not_started",
                                "A patient can be marked absent once the appointment has started.");
            a.status = *next;
            if (t == Transition::check_in) a.checked_in_at = now;
            if (t == Transition::complete) a.completed_at = now;
            if (t == Transition::check_in) {
                Appointment stored = a;
                stored.version += 1;
                enqueue_jobs(unit, caller, stored, "checked_in");
            }
            return {};
        });
    if (!changed) return changed.error();
    audit_.record(caller, {action, "appointment", id, changed->patient_id, Outcome::success, ""});
    return changed;
}

Result<AppointmentList> AppointmentService::list(const Caller& caller, const ListQuery& q) {
    const std::string action = "appointment.list";
    AppointmentFilter f;
    f.practitioner_id = q.practitioner_id;
    f.patient_id = q.patient_id;
    if (caller.is(Role::patient)) {
        if (!f.patient_id.empty() && f.patient_id != caller.patient_id) {
            audit_.record(caller, {action, "appointment", "", "", Outcome::denied, ""});
            return not_found("patient_not_found", "No such patient.");
        }
        f.patient_id = caller.patient_id;
    } else if (!manages_appointments(caller)) {
        audit_.record(caller, {action, "appointment", "", q.patient_id, Outcome::denied, ""});
        return forbidden("role_not_allowed", "Your role does not give access to appointments.");
    } else if (f.practitioner_id.empty() && f.patient_id.empty()) {
        return invalid_field("practitioner_id", "required",
                             "give a practitioner_id, a patient_id or both");
    }
    AppointmentList out;
    if (q.date) {
        Date first = *q.date;
        int length = 1;
        if (q.view == View::week) {
            sys_days d{*q.date};
            first = Date{d - days(weekday{d}.iso_encoding() - 1)};
            length = 7;
        }
        out.from = tz_.start_of_day(first);
        out.to = tz_.start_of_day(Date{sys_days{first} + days(length)});
        f.from = out.from;
        f.to = out.to;
    } else if (f.patient_id.empty()) {
        return invalid_field("date", "required", "a practitioner's list is by day or week");
    }
    f.limit = kMaxListItems;
    auto rows = store_.list(f);
    std::set<std::string> practitioner_ids, patient_ids;
    for (const auto& a : rows) {
        practitioner_ids.insert(a.practitioner_id);
        patient_ids.insert(a.patient_id);
    }
    auto names = practitioners_.display_names(practitioner_ids);
    std::map<std::string, PatientInfo> patients;
    if (!caller.is(Role::patient) && !patient_ids.empty())
        patients = patients_.find_many(patient_ids);
    for (auto& a : rows) {
        ListedAppointment item{std::move(a), "", std::nullopt};
        if (auto it = names.find(item.appointment.practitioner_id); it != names.end())
            item.practitioner_name = it->second;
        if (auto it = patients.find(item.appointment.patient_id); it != patients.end())
            item.patient = it->second;
        out.items.push_back(std::move(item));
    }
    std::string detail = "results=" + std::to_string(out.items.size());
    if (!f.practitioner_id.empty()) detail += " practitioner=" + f.practitioner_id;
    audit_.record(caller, {action, "appointment", "", f.patient_id, Outcome::success, detail});
    return out;
}

Result<std::string> AppointmentService::calendar_feed(const Caller& caller,
                                                      const std::string& token) {
    const std::string action = "appointment.calendar_feed";
    auto practitioner_id = store_.practitioner_of_calendar_token(calendar_token_hash(token));
    if (!practitioner_id) {
        audit_.record(caller, {action, "calendar", "", "", Outcome::not_found, ""});
        return not_found("calendar_not_found", "No such calendar.");
    }
    auto now = clock_.now();
    AppointmentFilter f;
    f.practitioner_id = *practitioner_id;
    f.from = now - days(30);
    f.to = now + days(366);
    f.limit = 5000;
    auto rows = store_.list(f);
    std::set<std::string> patient_ids;
    for (const auto& a : rows)
        patient_ids.insert(a.patient_id);
    auto patients = patient_ids.empty() ? std::map<std::string, PatientInfo>{}
                                        : patients_.find_many(patient_ids);
    auto names = practitioners_.display_names({*practitioner_id});

    Calendar cal;
    cal.name = "MediSecure – " +
               (names.count(*practitioner_id) ? names[*practitioner_id] : std::string("agenda"));
    cal.time_zone = tz_.name();
    for (const auto& a : rows) {
        CalendarEvent e;
        e.uid = a.id + "@medisecure";
        e.start = a.start;
        e.end = a.end;
        e.stamp = a.updated_at;
        e.sequence = static_cast<int>(a.version - 1);
        std::string who;
        if (auto it = patients.find(a.patient_id); it != patients.end())
            who = initials(it->second.first_name, it->second.last_name);
        e.summary = a.type_label + (who.empty() ? "" : " – " + who);
        if (a.status == Status::no_show) e.summary += " (absent)";
        e.status = a.status == Status::cancelled ? "CANCELLED" : "CONFIRMED";
        cal.events.push_back(std::move(e));
    }
    audit_.record(caller, {action, "calendar", *practitioner_id, "", Outcome::success,
                           "events=" + std::to_string(cal.events.size())});
    return render_icalendar(cal);
}

}  // namespace medisecure::appointments
