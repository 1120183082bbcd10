// SPDX-License-Identifier: Apache-2.0
// Appointments: book, reschedule, cancel, check in, complete, no-show; read and list by day or
// week; the practitioner's calendar feed. Staff (admin, doctor, nurse, secretary) manage every
// practitioner's appointments, doctors included (they book follow-ups with colleagues); a
// patient books and cancels their own through the portal within the practice's rules, and
// anything else of theirs answers 404. Accountants have no access.
//
// No double booking: the overlap check runs inside the write transaction under the
// practitioner's lock, so of two concurrent bookings of one slot exactly one succeeds. The
// jobs a change causes (e-mails, in-app notifications) are written to the outbox in the same
// transaction. Every read and change is audited.
#pragma once

#include "contexts/appointments/app/rules.hpp"
#include "contexts/appointments/ports/appointment_store.hpp"
#include "contexts/appointments/ports/directories.hpp"
#include "contexts/audit/app/audit_trail.hpp"
#include "core/timezone.hpp"

namespace medisecure::appointments {

struct BookingRequest {
    std::string practitioner_id;
    std::string patient_id;  // a patient may leave it empty: their own
    std::string type_id;
    Timestamp start{};
    bool notify = true;  // false: no e-mails or notifications (system caller only: demo data)
};

/// Something the caller should know although the change went through.
struct Warning {
    std::string code;  // patient_overlap, outside_opening_hours
    std::string message;
    std::string appointment_id;  // the other appointment, for patient_overlap
};

struct Booking {
    Appointment appointment;
    std::vector<Warning> warnings;
};

enum class View { day, week };

struct ListQuery {
    std::string practitioner_id;
    std::string patient_id;
    std::optional<Date> date;  // the local day, or the ISO week (Monday to Sunday) containing it
    View view = View::day;
};

struct ListedAppointment {
    Appointment appointment;
    std::string practitioner_name;
    std::optional<PatientInfo> patient;  // staff only
};

struct AppointmentList {
    std::optional<Timestamp> from, to;  // the window, when a date was given
    std::vector<ListedAppointment> items;
};

class AppointmentService {
public:
    AppointmentService(AppointmentStore& store, PractitionerDirectory& practitioners,
                       PatientDirectory& patients, audit::AuditTrail& audit, const Clock& clock,
                       const TimeZone& tz, AppointmentRules rules);

    /// @return invalid_input for an unknown practitioner, patient or type, or a start the rules
    ///         refuse; conflict `appointment.slot_taken` / `appointment.practitioner_absent`.
    Result<Booking> book(const Caller& caller, BookingRequest request);
    Result<Appointment> get(const Caller& caller, const std::string& id);
    /// Staff only. Same checks as booking; precondition_failed when `expected_version` is stale.
    Result<Booking> reschedule(const Caller& caller, const std::string& id,
                               std::int64_t expected_version, Timestamp new_start);
    /// Staff, or the patient for their own (up to portal_cancel_notice_hours before the start).
    Result<Appointment> cancel(const Caller& caller, const std::string& id,
                               std::int64_t expected_version, std::string reason);
    /// check_in, complete or no_show (staff); conflict `appointment.invalid_transition` when the
    /// status does not allow it.
    Result<Appointment> transition(const Caller& caller, const std::string& id,
                                   std::int64_t expected_version, Transition t);
    Result<AppointmentList> list(const Caller& caller, const ListQuery& query);

    /// The practitioner's calendar (RFC 5545) for the holder of the feed token: from 30 days
    /// ago to a year ahead. not_found for a bad token. Events carry the type and the patient's
    /// initials only: a subscribed feed is copied to whatever calendar service the doctor uses
    /// (outside the practice's certified hosting), and its URL is a bearer secret that can leak;
    /// initials are enough to recognise a slot, and the identity stays in MediSecure.
    Result<std::string> calendar_feed(const Caller& caller, const std::string& token);

    static constexpr int kMaxListItems = 1000;

private:
    struct Checked {
        AppointmentType type;
        PatientInfo patient;
        Practitioner practitioner;
    };
    Result<Checked> check_booking(const Caller& caller, BookingRequest& r);
    Result<void> check_start(const Caller& caller, Timestamp start, const std::string& field);
    Result<Appointment>
    change(const Caller& caller, const std::string& id, std::int64_t expected_version,
           const std::string& action,
           const std::function<Result<void>(Appointment&, AppointmentUnit&)>& apply);
    void enqueue_jobs(AppointmentUnit& unit, const Caller& caller, const Appointment& a,
                      const std::string& event);

    AppointmentStore& store_;
    PractitionerDirectory& practitioners_;
    PatientDirectory& patients_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    const TimeZone& tz_;
    AppointmentRules rules_;
};

}  // namespace medisecure::appointments
