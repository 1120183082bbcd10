// SPDX-License-Identifier: Apache-2.0
// What the patient cache tests share: the real SQL store on SQLite, a hook into its reads, and
// the use cases to change patients through a cache.
#pragma once

#include <gtest/gtest.h>

#include "contexts/patients/adapters/sql/sql_patient_store.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "shared_cache_testing.hpp"
#include "test_support.hpp"

namespace medisecure::patients::cache_testing {

/// The SQL store, with a hook that runs while a read is between the database and its caller.
class SlowReads final : public PatientStore {
public:
    explicit SlowReads(PatientStore& inner) : inner_(inner) {}
    std::function<void()> during_find;
    Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) override { return inner_.write(fn); }
    std::optional<Patient> find(const std::string& id) override {
        auto p = inner_.find(id);
        if (during_find) std::exchange(during_find, nullptr)();
        return p;
    }
    std::vector<Patient> search(const PatientQuery& q) override { return inner_.search(q); }
    bool exists(const std::string& id) override { return inner_.exists(id); }
    bool ping() override { return inner_.ping(); }

private:
    PatientStore& inner_;
};

/// A migrated patients database and its store (`slow`, to put a cache in front of).
struct SqlPatients {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "patients");
    SqlPatientStore sql{*db};
    SlowReads slow{sql};
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    testkit::RecordingAuditTrail audit;
    Caller secretary = testkit::caller_of(Role::secretary, "sec");

    /// Registers "<first> Lefèvre" through `service`.
    Patient add(PatientService& service, std::string first) {
        Patient p;
        p.first_name = std::move(first);
        p.last_name = "Lefèvre";
        p.sex = Sex::female;
        p.birth_date = *parse_date("1990-02-03");
        auto r = service.register_patient(secretary, p, true);
        EXPECT_TRUE(r);
        return *r;
    }
    Result<Patient> rename(PatientService& service, const Patient& p, std::int64_t version, std::string first) {
        PatientPatch patch;
        patch.first_name = std::move(first);
        return service.update(secretary, p.id, version, patch);
    }
};

using testkit::metric;

}  // namespace medisecure::patients::cache_testing
