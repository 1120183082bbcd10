// SPDX-License-Identifier: Apache-2.0
// Storage of schedules (opening hours, absences, appointment types, calendar-feed tokens) and
// appointments, with the job outbox. Implementations: SqlAppointmentStore (SQLite, PostgreSQL)
// and MongoAppointmentStore (MongoDB, the spec's engine for this context); the interface names
// no SQL. Blocking: yes, call from the worker pool. Thread safety: safe.
// PHI: appointments link a patient to a practitioner and a time.
#pragma once

#include "contexts/appointments/domain/appointment.hpp"
#include "contexts/appointments/domain/schedule.hpp"
#include "core/error.hpp"
#include "platform/jobs/job.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace medisecure::appointments {

/// Appointments of a practitioner and/or a patient that meet [from, to) (either bound may be
/// open), ordered by start then id.
struct AppointmentFilter {
    std::string practitioner_id;  // empty: any
    std::string patient_id;       // empty: any
    std::optional<Timestamp> from, to;
    int limit = 1000;
};

/// What one write transaction may do. Every read sees the transaction's own writes.
class AppointmentUnit {
public:
    virtual ~AppointmentUnit() = default;
    /// Serialises this unit with every other unit that locks the same practitioner until it
    /// ends; call it before reading what decides a booking. Other practitioners are not held up.
    virtual void lock_practitioner(const std::string& practitioner_id) = 0;
    virtual std::optional<Appointment> find(const std::string& id) = 0;
    /// Appointments that keep their slot (not cancelled) and overlap [start, end).
    virtual std::vector<Appointment>
    overlapping_for_practitioner(const std::string& practitioner_id, Timestamp start,
                                 Timestamp end) = 0;
    virtual std::vector<Appointment> overlapping_for_patient(const std::string& patient_id,
                                                             Timestamp start, Timestamp end) = 0;
    virtual std::vector<Absence> absences_overlapping(const std::string& practitioner_id,
                                                      Timestamp start, Timestamp end) = 0;
    virtual void insert(const Appointment& a) = 0;
    /// Stores `a` when the stored version is `a.version - 1`; false otherwise.
    virtual bool update(const Appointment& a) = 0;
    virtual void insert_absence(const Absence& a) = 0;
    /// Writes a job request into the outbox, committed (or not) with the unit.
    virtual void enqueue(const jobs::JobRequest& job, Timestamp now) = 0;
};

class AppointmentStore {
public:
    virtual ~AppointmentStore() = default;

    /// Runs `fn` in one transaction; an error result rolls it back. May run `fn` again after a
    /// serialization failure, so `fn` must not have effects outside the unit.
    virtual Result<void> write(const std::function<Result<void>(AppointmentUnit&)>& fn) = 0;

    virtual std::optional<Appointment> find(const std::string& id) = 0;
    virtual std::vector<Appointment> list(const AppointmentFilter& f) = 0;

    /// Version 0 and no ranges when never saved.
    virtual WeeklyHours hours(const std::string& practitioner_id) = 0;
    /// Stores `h` when the stored version is `h.version - 1` (0: never saved); false otherwise.
    virtual bool save_hours(const WeeklyHours& h) = 0;

    /// Absences that meet [from, to), by start.
    virtual std::vector<Absence> absences(const std::string& practitioner_id, Timestamp from,
                                          Timestamp to) = 0;
    /// False when the practitioner has no such absence.
    virtual bool remove_absence(const std::string& practitioner_id,
                                const std::string& absence_id) = 0;

    /// Types of the given practitioners (every practitioner when empty), by label.
    virtual std::vector<AppointmentType> types(const std::set<std::string>& practitioner_ids) = 0;
    virtual std::optional<AppointmentType> find_type(const std::string& id) = 0;
    virtual void insert_type(const AppointmentType& t) = 0;
    /// Stores `t` when the stored version is `t.version - 1`; false otherwise.
    virtual bool update_type(const AppointmentType& t) = 0;

    /// Replaces the practitioner's calendar-feed token hash; an empty hash turns the feed off.
    virtual void set_calendar_token(const std::string& practitioner_id,
                                    const std::string& token_hash, Timestamp now) = 0;
    /// The practitioner whose feed this token hash opens.
    virtual std::optional<std::string>
    practitioner_of_calendar_token(const std::string& token_hash) = 0;

    virtual bool ping() = 0;
};

}  // namespace medisecure::appointments
