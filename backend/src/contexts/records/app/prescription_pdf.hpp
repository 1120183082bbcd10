// SPDX-License-Identifier: Apache-2.0
// The prescription ("ordonnance") of a signed encounter as an A4 PDF: the prescriber and the
// practice, the patient, the date, the numbered drug lines, and the electronic signature's
// time and fingerprint.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contexts/records/app/directory.hpp"
#include "contexts/records/domain/encounter.hpp"
#include "core/time.hpp"

namespace medisecure::records {

struct PrescriptionSheet {
    Practice practice;
    std::string prescriber_name;
    std::string patient_name;       // "Hélène DUPONT"
    std::optional<Date> birth_date;
    patients::Sex sex = patients::Sex::unknown;
    Date issued_on{};               // the practice's local date of signing
    std::string signed_at_text;     // "24/11/2026 à 10:32" (local time)
    std::string reference;          // the encounter id
    std::string fingerprint;        // the start of the signature
    std::vector<Prescription> lines;
};

/// The PDF bytes. Throws only on a libharu failure (a bug).
std::string render_prescription(const PrescriptionSheet& sheet);

/// "24 novembre 2026".
std::string french_date(const Date& d);

}  // namespace medisecure::records
