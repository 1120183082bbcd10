// SPDX-License-Identifier: Apache-2.0
// A patient's right of access (GDPR art. 15/20): every context that holds patient data
// contributes a section to the export archive. Blocking: yes (runs inside the export job).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace medisecure::jobs {

struct ExportFile {
    std::string path;  // inside the archive, e.g. documents/2026-11-24-ordonnance.pdf
    std::string content;
};

class PatientDataSource {
public:
    virtual ~PatientDataSource() = default;
    /// The section's name in the archive ("appointments", "records"...).
    virtual std::string section() const = 0;
    /// Everything this context holds about the patient, as JSON.
    virtual boost::json::value export_json(const std::string& patient_id) = 0;
    /// Files that belong with it (decrypted documents, generated PDFs).
    virtual std::vector<ExportFile> export_files(const std::string& patient_id) {
        (void)patient_id;
        return {};
    }
};

}  // namespace medisecure::jobs
