// SPDX-License-Identifier: Apache-2.0
// The patient's appointments in their data export (GDPR art. 15/20): every appointment, past
// and future, cancelled ones included, with the practitioner's name and local times.
#pragma once

#include "contexts/appointments/ports/appointment_store.hpp"
#include "contexts/appointments/ports/directories.hpp"
#include "core/timezone.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::appointments {

class AppointmentExport final : public jobs::PatientDataSource {
public:
    AppointmentExport(AppointmentStore& store, PractitionerDirectory& practitioners,
                      const TimeZone& tz)
        : store_(store), practitioners_(practitioners), tz_(tz) {}
    std::string section() const override { return "appointments"; }
    boost::json::value export_json(const std::string& patient_id) override;

private:
    AppointmentStore& store_;
    PractitionerDirectory& practitioners_;
    const TimeZone& tz_;
};

}  // namespace medisecure::appointments
