// SPDX-License-Identifier: Apache-2.0
// Patient storage. Implementation: SqlPatientStore (SQLite, PostgreSQL). Blocking: yes, call
// from the worker pool. Thread safety: safe; write() runs its function in one transaction and
// may run it again after a serialization failure. PHI: yes, everything here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contexts/patients/domain/patient.hpp"

namespace medisecure::patients {

struct SearchCursor {
    std::string sort_key;
    std::string id;
};

struct PatientQuery {
    std::vector<std::string> terms;  // folded name prefixes; every one must match
    std::optional<Date> birth_date;
    std::string mrn;
    std::string nir;
    bool include_archived = false;
    std::optional<SearchCursor> after;
    int limit = 20;
};

struct DuplicateCandidate {
    Patient patient;
    std::string reason;  // same_nir, same_name_and_birth_date
};

/// The operations available inside one write transaction.
class PatientUnit {
public:
    virtual ~PatientUnit() = default;
    virtual std::vector<DuplicateCandidate> find_duplicates(const Patient& p) = 0;
    virtual std::int64_t next_mrn_sequence() = 0;
    virtual void insert(const Patient& p) = 0;
    virtual std::optional<Patient> find(const std::string& id) = 0;
    /// Stores `p` when the stored version is `p.version - 1`; false when it is not.
    virtual bool update(const Patient& p) = 0;
};

class PatientStore {
public:
    virtual ~PatientStore() = default;
    virtual Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) = 0;
    virtual std::optional<Patient> find(const std::string& id) = 0;
    virtual std::vector<Patient> search(const PatientQuery& q) = 0;
    /// True when search(q) would be answered from memory, without waiting on the database.
    virtual bool search_cached(const PatientQuery&) { return false; }
    virtual bool exists(const std::string& id) = 0;
    virtual bool ping() = 0;
};

/// The ordering key of search results (and of the cursor).
std::string sort_key_of(const Patient& p);

}  // namespace medisecure::patients
