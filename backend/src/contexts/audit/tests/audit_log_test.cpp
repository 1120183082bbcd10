// SPDX-License-Identifier: Apache-2.0
// The group-commit writer: durability before release, batching, and failing closed.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "contexts/audit/app/audit_log.hpp"
#include "contexts/audit/app/audit_queries.hpp"
#include "contexts/audit/testing/memory_audit_repository.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::audit;

namespace {
bool wait_durable(AuditLog& log, std::uint64_t ticket) {
    std::promise<bool> p;
    auto f = p.get_future();
    log.when_durable(ticket, [&](bool ok) { p.set_value(ok); });
    return f.get();
}
}  // namespace

TEST(AuditLog, RecordsBecomeDurableAndChained) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    auto caller = testkit::caller_of(Role::doctor, "u1");
    log.record(caller, {"patient.read", "patient", "p1", "p1", Outcome::success, ""});
    log.record(caller, {"patient.read", "patient", "p2", "p2", Outcome::success, ""});
    EXPECT_EQ(caller.audit_ticket->value(), 2u);
    EXPECT_TRUE(wait_durable(log, caller.audit_ticket->value()));
    ASSERT_EQ(repo.rows.size(), 2u);
    EXPECT_EQ(repo.rows[0].actor_id, "u1");
    EXPECT_EQ(repo.rows[0].request_id, "req-test");
    EXPECT_EQ(repo.rows[1].prev_hash, repo.rows[0].hash);
    AuditQueries q(repo, log, [](const std::string&) { return true; });
    EXPECT_TRUE(q.verify().ok());
    log.stop();
}

TEST(AuditLog, ConcurrentWritersShareCommits) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    std::vector<std::thread> threads;
    std::atomic<int> durable{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 250; ++i) {
                auto c = testkit::caller_of(Role::nurse, "u" + std::to_string(t));
                log.record(c, {"patient.read", "patient", "p", "p", Outcome::success, ""});
                if (wait_durable(log, c.audit_ticket->value())) ++durable;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(durable.load(), 2000);
    EXPECT_EQ(repo.rows.size(), 2000u);
    EXPECT_LT(repo.batches.load(), 2000);  // several records per commit
    AuditQueries q(repo, log, [](const std::string&) { return true; });
    EXPECT_TRUE(q.verify().ok());
}

TEST(AuditLog, VerifyNamesARecordMovedInTheStore) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    auto caller = testkit::caller_of(Role::doctor, "u1");
    for (int i = 0; i < 6; ++i) log.record(caller, {"patient.read", "patient", "p", "p", Outcome::success, ""});
    ASSERT_TRUE(wait_durable(log, caller.audit_ticket->value()));
    log.stop();
    std::swap(repo.rows[1], repo.rows[4]);  // contents change places, numbers stay
    std::swap(repo.rows[1].seq, repo.rows[4].seq);
    AuditQueries q(repo, log, [](const std::string&) { return true; });
    auto rep = q.verify();
    EXPECT_EQ(rep.records, 6);
    ASSERT_FALSE(rep.ok());
    EXPECT_EQ(rep.problems[0].kind, ProblemKind::reordered);
    EXPECT_EQ(rep.problems[0].message, "record 2 was moved: in the chain it follows record 4");
}

TEST(AuditLog, FailsClosedWhileTheStoreIsDownAndRecovers) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    repo.fail = true;
    auto c = testkit::caller_of(Role::doctor);
    log.record(c, {"patient.read", "patient", "p1", "p1", Outcome::success, ""});
    EXPECT_FALSE(wait_durable(log, c.audit_ticket->value()));
    EXPECT_FALSE(log.healthy());
    EXPECT_FALSE(log.ready());
    EXPECT_NE(reg.render().find("medisecure_audit_write_failures_total 1"), std::string::npos);
    repo.fail = false;
    // Ready again as soon as the store answers, before any write: an instance out of the load
    // balancer gets no request to write with.
    EXPECT_FALSE(log.healthy());
    EXPECT_TRUE(log.ready());
    auto c2 = testkit::caller_of(Role::doctor);
    log.record(c2, {"patient.read", "patient", "p1", "p1", Outcome::success, ""});
    EXPECT_TRUE(wait_durable(log, c2.audit_ticket->value()));
    EXPECT_TRUE(log.healthy());
    // A late waiter on the failed ticket still learns it failed.
    EXPECT_FALSE(wait_durable(log, c.audit_ticket->value()));
}

TEST(AuditLog, StopWritesWhatIsQueued) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    {
        AuditLog log(repo, clock, std::string(40, 'k'), reg);
        log.start();
        auto c = testkit::caller_of(Role::doctor);
        for (int i = 0; i < 100; ++i) log.record(c, {"patient.read", "patient", "p", "p", Outcome::success, ""});
        log.stop();
    }
    EXPECT_EQ(repo.rows.size(), 100u);
}

TEST(AuditQueries, AccessLogOnlyForThePatientThemselfAndAdmins) {
    MemoryAuditRepository repo;
    SystemClock clock;
    metrics::Registry reg;
    AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    AuditQueries q(repo, log, [](const std::string& id) { return id == "p1" || id == "p2"; });
    auto doctor = testkit::caller_of(Role::doctor, "d1");
    log.record_and_wait(doctor, {"patient.read", "patient", "p1", "p1", Outcome::success, ""});
    auto own = q.access_log(testkit::caller_of(Role::patient, "pu1", "p1"), "p1", std::nullopt, 10);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->records.at(0).actor_id, "d1");
    auto other = q.access_log(testkit::caller_of(Role::patient, "pu1", "p1"), "p2", std::nullopt, 10);
    EXPECT_EQ(other.error().kind, ErrorKind::not_found);
    EXPECT_TRUE(q.access_log(testkit::caller_of(Role::admin), "p1", std::nullopt, 10));
    EXPECT_EQ(q.access_log(testkit::caller_of(Role::admin), "p3", std::nullopt, 10).error().kind, ErrorKind::not_found);
    EXPECT_EQ(q.search(doctor, {}).error().kind, ErrorKind::forbidden);
    log.stop();
}
