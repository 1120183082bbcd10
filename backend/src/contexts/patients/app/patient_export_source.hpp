// SPDX-License-Identifier: Apache-2.0
// The identity section of a patient's data export.
#pragma once

#include "contexts/patients/ports/patient_store.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::patients {

class PatientExportSource final : public jobs::PatientDataSource {
public:
    explicit PatientExportSource(PatientStore& store) : store_(store) {}
    std::string section() const override { return "identity"; }
    boost::json::value export_json(const std::string& patient_id) override;

private:
    PatientStore& store_;
};

}  // namespace medisecure::patients
