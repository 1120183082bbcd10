// SPDX-License-Identifier: Apache-2.0
// The e-mails an appointment causes: a confirmation when it is booked or moved, a reminder
// before it, a notice when it is cancelled; in the patient's language (French, or English).
// Each job carries only ids; the handler re-reads the appointment and sends nothing when it
// no longer applies (cancelled, moved again, already past), so a job that runs twice, late,
// or after a change is harmless. The messages name the date, time, practitioner and practice,
// never the appointment type: e-mail is not a confidential channel, and a type's label can
// reveal why a patient consults.
#pragma once

#include "contexts/appointments/app/rules.hpp"
#include "contexts/appointments/ports/appointment_store.hpp"
#include "contexts/appointments/ports/directories.hpp"
#include "core/timezone.hpp"
#include "platform/jobs/job.hpp"
#include "platform/mail/mailer.hpp"

namespace medisecure::appointments {

inline constexpr const char* kConfirmationEmail = "appointments.confirmation_email";
inline constexpr const char* kReminderEmail = "appointments.reminder_email";
inline constexpr const char* kCancellationEmail = "appointments.cancellation_email";

enum class EmailKind { booked = 0, rescheduled = 1, reminder = 2, cancelled = 3 };

/// The message for `a` in the patient's preferred language ("en": English; otherwise French).
mail::EmailMessage compose_email(EmailKind kind, const Appointment& a, const PatientInfo& patient,
                                 const std::string& practitioner_name, const PracticeInfo& practice,
                                 const TimeZone& tz);

/// "lundi 30 mars 2026 à 08:00" / "Monday 30 March 2026 at 08:00", in local time.
std::string format_local_when(Timestamp t, const TimeZone& tz, const std::string& language);

/// Runs the three e-mail job types. A patient without an e-mail address is not a failure:
/// the job ends done with result {"sent":false,"reason":"no_email"} (retrying cannot help,
/// and a dead letter would page someone for a normal situation).
class AppointmentEmailJob final : public jobs::Handler {
public:
    AppointmentEmailJob(AppointmentStore& store, PatientDirectory& patients,
                        PractitionerDirectory& practitioners, mail::Mailer& mailer,
                        const Clock& clock, const TimeZone& tz, PracticeInfo practice);
    jobs::Outcome run(const jobs::Job& job) override;

private:
    AppointmentStore& store_;
    PatientDirectory& patients_;
    PractitionerDirectory& practitioners_;
    mail::Mailer& mailer_;
    const Clock& clock_;
    const TimeZone& tz_;
    PracticeInfo practice_;
};

}  // namespace medisecure::appointments
