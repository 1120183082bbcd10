// SPDX-License-Identifier: Apache-2.0
// Storage of the clinical record. Implementation: SqlRecordsStore (SQLite, PostgreSQL).
// Blocking: yes, call from the worker pool. Thread safety: safe; write() runs its function in
// one transaction and may run it again after a serialization failure, so the function must
// have no effect outside the unit. PHI: yes, everything here.
//
// Immutability is enforced twice: the unit's methods never touch a signed encounter's content,
// and the schema's triggers refuse such changes from any other path.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contexts/records/domain/chart.hpp"
#include "contexts/records/domain/encounter.hpp"
#include "contexts/records/domain/vitals.hpp"
#include "platform/jobs/job.hpp"

namespace medisecure::records {

/// A position in a list ordered by (time, id), newest first.
struct TimeCursor {
    Timestamp at{};
    std::string id;
};

struct EncounterQuery {
    enum class Which { any, signed_only, drafts_only };
    std::string patient_id;  // empty: every patient (with author_id)
    std::string author_id;   // empty: every author
    Which which = Which::any;
    std::optional<TimeCursor> before;  // ordered by occurred_at, then id, newest first
    int limit = 20;
};

struct VitalsQuery {
    std::string patient_id;
    std::optional<Timestamp> from, to;  // taken_at bounds, inclusive
    int limit = 500;                    // the most recent records within the bounds
};

/// The operations available inside one write transaction.
class RecordsUnit {
public:
    virtual ~RecordsUnit() = default;

    /// With diagnoses and prescriptions, without amendments.
    virtual std::optional<Encounter> find_encounter(const std::string& id) = 0;
    /// Inserts the encounter with its diagnoses and prescriptions (a draft, or an imported
    /// signed encounter).
    virtual void insert_encounter(const Encounter& e) = 0;
    /// Rewrites a draft's content, diagnoses and prescriptions when it is still a draft at
    /// version `e.version - 1`; false otherwise (nothing changed).
    virtual bool update_draft(const Encounter& e) = 0;
    /// Marks a draft at version `e.version - 1` signed with `e.signed_at` and `e.signature`;
    /// false when it is not (already signed, or another version).
    virtual bool sign(const Encounter& e) = 0;
    /// Removes a draft at `version` and its children; false when it is not.
    virtual bool delete_draft(const std::string& id, std::int64_t version) = 0;
    virtual void insert_amendment(const Amendment& a) = 0;

    /// With prescriber_id and prescribed_at from its encounter.
    virtual std::optional<Prescription> find_prescription(const std::string& id) = 0;
    /// Stores the status fields when the stored version is `p.version - 1`.
    virtual bool update_prescription_status(const Prescription& p) = 0;

    virtual void insert_vitals(const VitalSigns& v) = 0;

    virtual std::optional<Allergy> find_allergy(const std::string& id) = 0;
    virtual void insert_allergy(const Allergy& a) = 0;
    virtual bool update_allergy(const Allergy& a) = 0;  // when stored version == a.version - 1

    virtual std::optional<Condition> find_condition(const std::string& id) = 0;
    virtual void insert_condition(const Condition& c) = 0;
    virtual bool update_condition(const Condition& c) = 0;  // when stored version == c.version - 1

    /// Writes a job request into this database's outbox (db::enqueue_job).
    virtual void enqueue(const jobs::JobRequest& job, Timestamp now) = 0;
};

class RecordsStore {
public:
    virtual ~RecordsStore() = default;

    virtual Result<void> write(const std::function<Result<void>(RecordsUnit&)>& fn) = 0;

    /// With diagnoses, prescriptions and amendments.
    virtual std::optional<Encounter> find_encounter(const std::string& id) = 0;
    /// With diagnoses, prescriptions and amendments, newest first.
    virtual std::vector<Encounter> list_encounters(const EncounterQuery& q) = 0;
    /// Prescriptions of signed encounters, newest first; every status when `status` is unset.
    virtual std::vector<Prescription> list_prescriptions(const std::string& patient_id,
                                                         std::optional<PrescriptionStatus> status) = 0;
    /// Oldest first: the `limit` most recent records within the bounds.
    virtual std::vector<VitalSigns> list_vitals(const VitalsQuery& q) = 0;
    /// For each measure, the latest record that holds it (a record may serve several).
    virtual std::vector<VitalSigns> latest_vitals(const std::string& patient_id) = 0;
    /// Every height recorded for the patient, oldest first (to derive BMI from weights alone).
    virtual std::vector<std::pair<Timestamp, double>> heights(const std::string& patient_id) = 0;
    /// Active first, then by creation.
    virtual std::vector<Allergy> list_allergies(const std::string& patient_id) = 0;
    virtual std::vector<Condition> list_conditions(const std::string& patient_id) = 0;
    virtual bool ping() = 0;
};

}  // namespace medisecure::records
