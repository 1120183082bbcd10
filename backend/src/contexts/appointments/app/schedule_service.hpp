// SPDX-License-Identifier: Apache-2.0
// Practitioners' schedules: who can be booked, their weekly opening hours, absences and
// appointment types, the free slots that follow, and the token of their calendar feed.
// Reading a schedule holds no patient data and is not audited; every change is.
#pragma once

#include "contexts/appointments/app/rules.hpp"
#include "contexts/appointments/domain/availability.hpp"
#include "contexts/appointments/ports/appointment_store.hpp"
#include "contexts/appointments/ports/directories.hpp"
#include "contexts/audit/app/audit_trail.hpp"
#include "core/timezone.hpp"

namespace medisecure::appointments {

struct PractitionerOffer {
    Practitioner practitioner;
    std::vector<AppointmentType> types;  // the active ones (patients: only those bookable online)
};

struct AbsenceAdded {
    Absence absence;
    std::vector<Appointment> conflicts;  // booked appointments inside it, to be moved
};

struct TypePatch {
    std::optional<std::string> label, color;
    std::optional<int> duration_minutes;
    std::optional<bool> active, portal_bookable;
};

struct Availability {
    AppointmentType type;
    Timestamp from{}, to{};
    std::vector<Interval> slots;
};

class ScheduleService {
public:
    ScheduleService(AppointmentStore& store, PractitionerDirectory& practitioners,
                    audit::AuditTrail& audit, const Clock& clock, const TimeZone& tz,
                    AppointmentRules rules);

    /// Every role but `system`: staff see each practitioner's active types, patients those
    /// they may book online.
    Result<std::vector<PractitionerOffer>> practitioners(const Caller& caller);

    Result<WeeklyHours> hours(const Caller& caller, const std::string& practitioner_id);
    /// @return precondition_failed when `expected_version` is stale; invalid_input per range.
    Result<WeeklyHours> set_hours(const Caller& caller, const std::string& practitioner_id,
                                  std::int64_t expected_version, std::vector<OpeningRange> ranges);

    Result<std::vector<Absence>> absences(const Caller& caller, const std::string& practitioner_id,
                                          Timestamp from, Timestamp to);
    Result<AbsenceAdded> add_absence(const Caller& caller, const std::string& practitioner_id,
                                     Absence absence);
    Result<void> remove_absence(const Caller& caller, const std::string& practitioner_id,
                                const std::string& absence_id);

    /// Every type of the practitioner, inactive ones included (staff).
    Result<std::vector<AppointmentType>> types(const Caller& caller,
                                               const std::string& practitioner_id);
    Result<AppointmentType> add_type(const Caller& caller, const std::string& practitioner_id,
                                     AppointmentType type);
    Result<AppointmentType> update_type(const Caller& caller, const std::string& practitioner_id,
                                        const std::string& type_id, std::int64_t expected_version,
                                        const TypePatch& patch);

    /// Free slots of an active type starting in [from, to) (at most max_window_days), never in
    /// the past; for patients only types bookable online, within the portal's notice rules.
    Result<Availability> availability(const Caller& caller, const std::string& practitioner_id,
                                      const std::string& type_id, Timestamp from, Timestamp to);

    /// A new secret for the practitioner's calendar feed, replacing the previous one (which
    /// stops working). Returned once; only its hash is kept. The doctor themself only.
    Result<std::string> rotate_calendar_token(const Caller& caller,
                                              const std::string& practitioner_id);
    /// Turns the feed off: the doctor, or an administrator (e.g. when a device is lost).
    Result<void> revoke_calendar_token(const Caller& caller, const std::string& practitioner_id);

private:
    Result<Practitioner> reach_practitioner(const Caller& caller, const std::string& id);
    Result<void> may_manage(const Caller& caller, const std::string& practitioner_id,
                            const std::string& action);

    AppointmentStore& store_;
    PractitionerDirectory& practitioners_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    const TimeZone& tz_;
    AppointmentRules rules_;
};

/// SHA-256 (hex) of a calendar-feed token, as stored.
std::string calendar_token_hash(std::string_view token);

}  // namespace medisecure::appointments
