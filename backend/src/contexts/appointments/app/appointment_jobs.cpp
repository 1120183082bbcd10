// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/app/appointment_jobs.hpp"

#include <boost/json.hpp>

namespace medisecure::appointments {

namespace json = boost::json;
using namespace std::chrono;

namespace {

bool english(const std::string& language) {
    return language == "en";
}

const char* const kJoursFr[] = {"dimanche", "lundi",    "mardi", "mercredi",
                                "jeudi",    "vendredi", "samedi"};
const char* const kMoisFr[] = {"janvier",   "février", "mars",     "avril",
                               "mai",       "juin",    "juillet",  "août",
                               "septembre", "octobre", "novembre", "décembre"};
const char* const kDaysEn[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                               "Thursday", "Friday", "Saturday"};
const char* const kMonthsEn[] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};

std::string practice_block(const PracticeInfo& p, bool en) {
    std::string out = p.name + "\n";
    if (!p.address.empty()) out += p.address + "\n";
    if (!p.phone.empty()) out += (en ? "Phone: " : "Tél. : ") + p.phone + "\n";
    if (!p.email.empty()) out += p.email + "\n";
    return out;
}

jobs::Outcome skipped(const char* reason) {
    return jobs::Outcome::ok(json::serialize(json::object{{"sent", false}, {"reason", reason}}));
}

}  // namespace

std::string format_local_when(Timestamp t, const TimeZone& tz, const std::string& language) {
    auto local = tz.to_local(t);
    auto day = floor<days>(local);
    year_month_day ymd{day};
    hh_mm_ss hms{local - day};
    unsigned wd = weekday{day}.c_encoding();
    unsigned m = static_cast<unsigned>(ymd.month()) - 1;
    char clock[32];
    std::snprintf(clock, sizeof clock, "%02ld:%02ld", static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()));
    std::string d = std::to_string(static_cast<unsigned>(ymd.day()));
    std::string y = std::to_string(static_cast<int>(ymd.year()));
    if (english(language))
        return std::string(kDaysEn[wd]) + " " + d + " " + kMonthsEn[m] + " " + y + " at " + clock;
    return std::string(kJoursFr[wd]) + " " + d + " " + kMoisFr[m] + " " + y + " à " + clock;
}

namespace {

/// The words of one language: per EmailKind (booked, rescheduled, reminder, cancelled) a
/// subject that the local date and time end, and an opening sentence.
struct Wording {
    const char* subject[4];
    const char* intro[4];
    const char *hello, *when, *with, *to_change, *to_rebook, *automatic;
};

const Wording kFrench = {
    {"Confirmation de votre rendez-vous du ", "Votre rendez-vous a été déplacé au ",
     "Rappel : rendez-vous du ", "Annulation de votre rendez-vous du "},
    {"Votre rendez-vous est confirmé.", "Votre rendez-vous a été déplacé. Voici le nouvel horaire.",
     "Nous vous rappelons votre rendez-vous.", "Votre rendez-vous a été annulé."},
    "Bonjour ",
    "Date : ",
    "Praticien : ",
    "Pour annuler ou modifier ce rendez-vous, utilisez votre espace patient ou appelez le cabinet.",
    "Pour prendre un autre rendez-vous, utilisez votre espace patient ou appelez le cabinet.",
    "Ce message est envoyé automatiquement, merci de ne pas y répondre.",
};

const Wording kEnglish = {
    {"Appointment confirmed: ", "Appointment moved: ", "Reminder: appointment on ",
     "Appointment cancelled: "},
    {"Your appointment is confirmed.", "Your appointment has been moved. The new time is below.",
     "This is a reminder of your appointment.", "Your appointment has been cancelled."},
    "Hello ",
    "When: ",
    "With: ",
    "To cancel or change this appointment, use your patient portal or call the practice.",
    "To book another appointment, use your patient portal or call the practice.",
    "This message was sent automatically; please do not reply to it.",
};

}  // namespace

mail::EmailMessage compose_email(EmailKind kind, const Appointment& a, const PatientInfo& patient,
                                 const std::string& practitioner_name, const PracticeInfo& practice,
                                 const TimeZone& tz) {
    const bool en = english(patient.preferred_language);
    const Wording& w = en ? kEnglish : kFrench;
    const auto k = static_cast<std::size_t>(kind);
    const std::string when = format_local_when(a.start, tz, patient.preferred_language);
    const std::string who = patient.first_name + " " + patient.last_name;
    mail::EmailMessage m;
    m.to = patient.email;
    m.to_name = who;
    m.language = en ? "en" : "fr";
    m.subject = w.subject[k] + when;
    m.text = std::string(w.hello) + who + ",\n\n" + w.intro[k] + "\n\n  " + w.when + when + "\n  " +
             w.with + practitioner_name + "\n\n" +
             (kind == EmailKind::cancelled ? w.to_rebook : w.to_change) + "\n\n" +
             practice_block(practice, en) + "\n" + w.automatic + "\n";
    return m;
}

AppointmentEmailJob::AppointmentEmailJob(AppointmentStore& store, PatientDirectory& patients,
                                         PractitionerDirectory& practitioners, mail::Mailer& mailer,
                                         const Clock& clock, const TimeZone& tz,
                                         PracticeInfo practice)
    : store_(store), patients_(patients), practitioners_(practitioners), mailer_(mailer),
      clock_(clock), tz_(tz), practice_(std::move(practice)) {}

jobs::Outcome AppointmentEmailJob::run(const jobs::Job& job) {
    boost::system::error_code ec;
    json::value payload = json::parse(job.payload_json, ec);
    if (ec || !payload.is_object()) return jobs::Outcome::fail("malformed payload");
    const auto& o = payload.as_object();
    auto str = [&](const char* k) -> std::string {
        auto it = o.find(k);
        return it != o.end() && it->value().is_string() ? std::string(it->value().get_string())
                                                        : std::string();
    };
    auto a = store_.find(str("appointment_id"));
    if (!a) return jobs::Outcome::fail("appointment not found");
    auto planned_start = parse_instant(str("start"));

    EmailKind kind;
    if (job.type == kCancellationEmail) {
        if (a->status != Status::cancelled) return skipped("not_cancelled");
        kind = EmailKind::cancelled;
    } else if (job.type == kConfirmationEmail || job.type == kReminderEmail) {
        if (a->status != Status::booked) return skipped("not_booked");
        // Moved since: the move caused its own confirmation and reminder.
        if (!planned_start || *planned_start != a->start) return skipped("superseded");
        if (job.type == kReminderEmail) {
            if (clock_.now() >= a->start) return skipped("past");
            kind = EmailKind::reminder;
        } else {
            kind = str("event") == "rescheduled" ? EmailKind::rescheduled : EmailKind::booked;
        }
    } else {
        return jobs::Outcome::fail("unknown job type");
    }

    auto patient = patients_.find(a->patient_id);
    if (!patient) return jobs::Outcome::fail("patient not found");
    if (patient->email.empty()) return skipped("no_email");
    auto names = practitioners_.display_names({a->practitioner_id});
    std::string practitioner =
        names.count(a->practitioner_id) ? names[a->practitioner_id] : practice_.name;

    auto message = compose_email(kind, *a, *patient, practitioner, practice_, tz_);
    message.message_id_hint = job.id;
    auto sent = mailer_.send(message);
    if (!sent) {
        if (sent.error().kind == ErrorKind::unavailable)
            return jobs::Outcome::retry("mail server unavailable");
        return jobs::Outcome::fail("the message was refused: " + sent.error().code);
    }
    return jobs::Outcome::ok(json::serialize(json::object{{"sent", true}}));
}

}  // namespace medisecure::appointments
