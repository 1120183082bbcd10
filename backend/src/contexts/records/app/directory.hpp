// SPDX-License-Identifier: Apache-2.0
// What the records context asks of other contexts, wired in the composition root: whether a
// patient exists and who they are (patients), and the display names of users (identity).
// The providers authorise nothing and audit nothing: the records use cases have done both.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "contexts/patients/app/patient_service.hpp"

namespace medisecure::records {

struct Directory {
    std::function<bool(const std::string& patient_id)> patient_exists;
    std::function<std::map<std::string, patients::PatientBrief>(const std::set<std::string>&)> patient_briefs;
    std::function<std::map<std::string, std::string>(const std::set<std::string>&)> user_names;
};

/// The practice as printed on prescriptions (Config::practice_*).
struct Practice {
    std::string name;
    std::string address;
    std::string phone;
    std::string email;
    std::string finess;
};

}  // namespace medisecure::records
