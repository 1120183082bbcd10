// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/patients/ports/patient_store.hpp"
#include "platform/db/database.hpp"
#include "platform/db/query.hpp"

namespace medisecure::patients {

class SqlPatientStore final : public PatientStore {
public:
    explicit SqlPatientStore(db::Database& db) : db_(db) {}
    Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) override;
    std::optional<Patient> find(const std::string& id) override;
    std::vector<Patient> search(const PatientQuery& q) override;
    bool exists(const std::string& id) override;
    bool ping() override { return db_.ping(); }

    /// The statement search() runs on `dialect` (on SQLite: the one that finds the candidates in
    /// order), for the tests that check how the engine runs it: index ranges, never the registry.
    static db::Query search_query(const PatientQuery& q, db::Dialect dialect);

private:
    db::Database& db_;
};

}  // namespace medisecure::patients
