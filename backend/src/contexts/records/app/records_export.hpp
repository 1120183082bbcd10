// SPDX-License-Identifier: Apache-2.0
// The clinical section of a patient's data export (GDPR art. 15/20): signed encounters with
// their amendments, prescriptions, vitals, allergies and conditions as JSON, and the signed
// prescriptions as the PDFs the patient received. Drafts are left out: until the practitioner
// signs them they are work in progress, not part of the record (the portal does not show them
// either); they enter the export once signed.
#pragma once

#include "contexts/records/app/encounter_service.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::records {

class RecordsExport final : public jobs::PatientDataSource {
public:
    RecordsExport(RecordsStore& store, EncounterService& encounters, Directory directory)
        : store_(store), encounters_(encounters), directory_(std::move(directory)) {}

    std::string section() const override { return "records"; }
    boost::json::value export_json(const std::string& patient_id) override;
    std::vector<jobs::ExportFile> export_files(const std::string& patient_id) override;

private:
    std::vector<Encounter> signed_encounters(const std::string& patient_id);

    RecordsStore& store_;
    EncounterService& encounters_;
    Directory directory_;
};

}  // namespace medisecure::records
