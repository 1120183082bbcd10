// SPDX-License-Identifier: Apache-2.0
// What the billing tests share: the real SQL store on SQLite, a clock, the practice's time zone,
// an audit trail, and the ids of the patients and doctors the directory knows.
#pragma once

#include "contexts/billing/adapters/sql/sql_billing_store.hpp"
#include "core/timezone.hpp"
#include "test_support.hpp"

namespace medisecure::billing::sql_testing {

inline const std::string kPatient = "01900000-0000-7000-8000-0000000000a1";
inline const std::string kOtherPatient = "01900000-0000-7000-8000-0000000000a2";
inline const std::string kDoctor = "01900000-0000-7000-8000-00000000d0c1";
inline const std::string kOtherDoctor = "01900000-0000-7000-8000-00000000d0c2";

/// A migrated billing database and its store.
struct SqlBilling {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "billing");
    SqlBillingStore store{*db};
    ManualClock clock{*parse_instant("2026-11-24T09:00:00Z")};
    TimeZone tz = *TimeZone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3", "Europe/Paris");
    testkit::RecordingAuditTrail audit;
};

}  // namespace medisecure::billing::sql_testing
