// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/records/ports/records_store.hpp"
#include "platform/db/database.hpp"

namespace medisecure::records {

class SqlRecordsStore final : public RecordsStore {
public:
    explicit SqlRecordsStore(db::Database& db) : db_(db) {}

    Result<void> write(const std::function<Result<void>(RecordsUnit&)>& fn) override;
    std::optional<Encounter> find_encounter(const std::string& id) override;
    std::vector<Encounter> list_encounters(const EncounterQuery& q) override;
    std::vector<Prescription> list_prescriptions(const std::string& patient_id,
                                                 std::optional<PrescriptionStatus> status) override;
    std::vector<VitalSigns> list_vitals(const VitalsQuery& q) override;
    std::vector<VitalSigns> latest_vitals(const std::string& patient_id) override;
    std::vector<std::pair<Timestamp, double>> heights(const std::string& patient_id) override;
    std::vector<Allergy> list_allergies(const std::string& patient_id) override;
    std::vector<Condition> list_conditions(const std::string& patient_id) override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::records
