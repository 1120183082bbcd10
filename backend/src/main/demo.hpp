// SPDX-License-Identifier: Apache-2.0
// `medisecure demo seed`: a realistic practice to explore (staff of every role, patients with
// French names, portal accounts). Passwords are generated, printed, and kept in
// <data_dir>/demo-credentials.txt (mode 0600) so later runs can show them again.
#pragma once

#include <string>
#include <vector>

#include "contexts/identity/domain/user.hpp"
#include "contexts/patients/domain/patient.hpp"
#include "main/application.hpp"

namespace medisecure {

/// What the base demo created, for the contexts' own demo data.
struct DemoPractice {
    std::vector<identity::User> doctors, nurses, secretaries, accountants, admins;
    std::vector<patients::Patient> patients;
    std::vector<std::string> portal_patient_ids;  // patients who have a portal account
    Caller system = Caller::system("demo");
};

/// Seeds once; returns the credentials text (new or previously generated).
std::string seed_demo(Application& app);

/// Adds a generated population to the demo practice (seeded first if needed): `patients` more
/// patients with French names (accents, hyphens, particles, birth names), imported in batches,
/// and `appointments` bookings with the demo doctors from a month ahead, through the ordinary
/// booking rules. For load tests and trying the application at a practice's real scale.
/// Returns a summary line.
std::string generate_population(Application& app, int patients, int appointments);

// Each clinical context adds its demo data in src/main/demo_<context>.cpp, called by
// seed_demo() after the staff and patients exist.

/// Medical records for a dozen patients; returns a line for the credentials text.
std::string seed_records_demo(Application& app, const DemoPractice& practice);
/// Schedules and a week of appointments around today; returns how many were booked.
int seed_demo_appointments(Application& app, const DemoPractice& practice);
/// Invoices, payments and a credit note for the last months' consultations; returns a line
/// for the credentials summary.
std::string seed_billing_demo(Application& app, const DemoPractice& practice);
/// Lab reports, letters, consent forms and X-rays for the first patients; returns a line for the
/// credentials summary.
std::string seed_documents_demo(Application& app, const DemoPractice& practice);

}  // namespace medisecure
