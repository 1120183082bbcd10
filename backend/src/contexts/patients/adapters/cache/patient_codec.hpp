// SPDX-License-Identifier: Apache-2.0
// Patient records as JSON for a cache, every field kept (dates as [year, month, day],
// instants as microseconds since the epoch): what is decoded equals what was encoded. Not the
// API's representation (http/routes.cpp), which leaves fields out and may change with the API.
// PHI: yes, the text is the whole record (seal it before it leaves the process).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contexts/patients/domain/patient.hpp"

namespace medisecure::patients {

std::string encode_patient(const Patient& p);
std::string encode_patients(const std::vector<Patient>& ps);
/// nullopt for anything that is not exactly what the encoders write (a missing field, a wrong
/// type, an unknown enumerator).
std::optional<Patient> decode_patient(std::string_view text);
std::optional<std::vector<Patient>> decode_patients(std::string_view text);

}  // namespace medisecure::patients
