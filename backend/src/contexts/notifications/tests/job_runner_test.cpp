// SPDX-License-Identifier: Apache-2.0
// The job queue against the real SQL store on SQLite: relay, success, retries with backoff,
// dead letters, crash recovery.
#include <gtest/gtest.h>

#include <mutex>

#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "contexts/notifications/app/job_runner.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::notifications;

namespace {

class MemoryOutbox final : public OutboxSource {
public:
    std::vector<jobs::QueuedRequest> rows;
    int removals = 0;
    std::vector<jobs::QueuedRequest> peek(int limit) override {
        std::vector<jobs::QueuedRequest> out;
        for (const auto& r : rows)
            if (static_cast<int>(out.size()) < limit) out.push_back(r);
        return out;
    }
    void remove(const std::vector<std::string>& ids) override {
        ++removals;
        std::erase_if(rows, [&](const auto& r) { return std::find(ids.begin(), ids.end(), r.id) != ids.end(); });
    }
    std::int64_t depth() override { return static_cast<std::int64_t>(rows.size()); }
};

class Scripted final : public jobs::Handler {
public:
    explicit Scripted(std::vector<jobs::Outcome> outcomes) : outcomes_(std::move(outcomes)) {}
    jobs::Outcome run(const jobs::Job& job) override {
        std::lock_guard lock(mu_);
        attempts.push_back(job.attempt);
        auto o = outcomes_.at(std::min(outcomes_.size() - 1, calls_++));
        return o;
    }
    std::vector<int> attempts;

private:
    std::mutex mu_;
    std::vector<jobs::Outcome> outcomes_;
    std::size_t calls_ = 0;
};

struct Queue : ::testing::Test {
    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "notifications");
    SqlJobStore store{*db};
    ManualClock clock{*parse_instant("2026-11-24T08:00:00Z")};
    metrics::Registry reg;
    jobs::Registry handlers;
    std::shared_ptr<MemoryOutbox> outbox = std::make_shared<MemoryOutbox>();
    std::unique_ptr<JobRunner> runner;

    void build() {
        RunnerOptions o;
        o.backoff_base = std::chrono::seconds(10);
        runner = std::make_unique<JobRunner>(store, handlers, std::vector<std::pair<std::string, std::shared_ptr<OutboxSource>>>{{"test", outbox}},
                                             clock, reg, o);
    }
    std::string queue(const std::string& type, int max_attempts = 3, std::string dedupe = "") {
        jobs::QueuedRequest q;
        q.id = new_uuid_v7(clock.now()) + std::to_string(outbox->rows.size());
        q.request.type = type;
        q.request.max_attempts = max_attempts;
        q.request.dedupe_key = std::move(dedupe);
        q.request.run_at = clock.now();
        q.created_at = clock.now();
        outbox->rows.push_back(q);
        return q.id;
    }
};

}  // namespace

TEST_F(Queue, RelaysOutboxesOnceAndRunsJobs) {
    auto h = std::make_shared<Scripted>(std::vector{jobs::Outcome::ok(R"({"x":1})")});
    handlers.add("t.ok", h);
    build();
    auto id = queue("t.ok");
    EXPECT_EQ(runner->relay_once(), 1);
    EXPECT_TRUE(outbox->rows.empty());
    EXPECT_TRUE(runner->run_once());
    EXPECT_FALSE(runner->run_once());
    auto j = store.find(id);
    EXPECT_EQ(j->status, JobStatus::succeeded);
    EXPECT_EQ(j->attempts, 1);
    EXPECT_EQ(j->result_json, R"({"x":1})");
    // The same outbox row relayed again (a crash before its removal) is ignored.
    jobs::QueuedRequest again;
    again.id = id;
    again.request.type = "t.ok";
    EXPECT_EQ(store.import({again}, clock.now()), 0);
}

TEST_F(Queue, DedupeKeysDropSecondRequests) {
    handlers.add("t.ok", std::make_shared<Scripted>(std::vector{jobs::Outcome::ok()}));
    build();
    queue("t.ok", 3, "reminder:apt-1");
    queue("t.ok", 3, "reminder:apt-1");
    queue("t.ok", 3, "reminder:apt-2");
    EXPECT_EQ(runner->relay_once(), 2);
}

TEST_F(Queue, RetriesWithGrowingBackoffThenDeadLetter) {
    auto h = std::make_shared<Scripted>(std::vector{jobs::Outcome::retry("smtp down")});
    handlers.add("t.flaky", h);
    build();
    auto id = queue("t.flaky", 3);
    runner->relay_once();
    EXPECT_TRUE(runner->run_once());  // attempt 1 fails
    auto j = store.find(id);
    EXPECT_EQ(j->status, JobStatus::retrying);
    EXPECT_EQ(j->last_error, "smtp down");
    auto first_delay = j->run_at - clock.now();
    EXPECT_GE(first_delay, std::chrono::seconds(5));   // 10 s with jitter in [0.5, 1]
    EXPECT_LE(first_delay, std::chrono::seconds(10));
    EXPECT_FALSE(runner->run_once());  // not due yet
    clock.advance(std::chrono::seconds(11));
    EXPECT_TRUE(runner->run_once());  // attempt 2 fails
    j = store.find(id);
    auto second_delay = j->run_at - clock.now();
    EXPECT_GE(second_delay, std::chrono::seconds(10));  // 20 s with jitter
    EXPECT_LE(second_delay, std::chrono::seconds(20));
    clock.advance(std::chrono::seconds(21));
    EXPECT_TRUE(runner->run_once());  // attempt 3 fails: the last
    j = store.find(id);
    EXPECT_EQ(j->status, JobStatus::dead);
    EXPECT_EQ(j->attempts, 3);
    EXPECT_EQ(h->attempts, (std::vector<int>{1, 2, 3}));
    clock.advance(std::chrono::hours(2));
    EXPECT_FALSE(runner->run_once());  // dead letters stay dead
    EXPECT_NE(reg.render().find(R"(medisecure_jobs_total{type="t.flaky",outcome="dead"} 1)"), std::string::npos);
    EXPECT_NE(reg.render().find("medisecure_jobs_dead 1"), std::string::npos);
}

TEST_F(Queue, PermanentFailuresAndUnknownTypesGoStraightToDeadLetters) {
    handlers.add("t.bad", std::make_shared<Scripted>(std::vector{jobs::Outcome::fail("no e-mail address")}));
    build();
    auto a = queue("t.bad", 5);
    auto b = queue("t.unknown", 5);
    runner->relay_once();
    while (runner->run_once()) {
    }
    EXPECT_EQ(store.find(a)->status, JobStatus::dead);
    EXPECT_EQ(store.find(a)->attempts, 1);
    EXPECT_EQ(store.find(b)->status, JobStatus::dead);
    EXPECT_EQ(store.find(b)->last_error, "no handler for this job type");
}

TEST_F(Queue, AJobAbandonedByACrashedWorkerRunsAgainAfterItsLease) {
    handlers.add("t.ok", std::make_shared<Scripted>(std::vector{jobs::Outcome::ok()}));
    build();
    auto id = queue("t.ok", 3);
    runner->relay_once();
    auto claimed = store.claim(clock.now(), clock.now() + std::chrono::minutes(5));  // a worker that then dies
    ASSERT_TRUE(claimed);
    EXPECT_FALSE(runner->run_once());
    clock.advance(std::chrono::minutes(6));
    EXPECT_TRUE(runner->run_once());
    EXPECT_EQ(store.find(id)->status, JobStatus::succeeded);
    EXPECT_EQ(store.find(id)->attempts, 2);
}

TEST_F(Queue, JobsScheduledForLaterWait) {
    handlers.add("t.ok", std::make_shared<Scripted>(std::vector{jobs::Outcome::ok()}));
    build();
    jobs::JobRequest r;
    r.type = "t.ok";
    r.run_at = clock.now() + std::chrono::hours(24);
    auto id = store.enqueue(r, clock.now());
    EXPECT_FALSE(runner->run_once());
    clock.advance(std::chrono::hours(24));
    EXPECT_TRUE(runner->run_once());
    EXPECT_EQ(store.find(id)->status, JobStatus::succeeded);
}

TEST_F(Queue, ThreadsDrainTheQueue) {
    auto h = std::make_shared<Scripted>(std::vector{jobs::Outcome::ok()});
    handlers.add("t.ok", h);
    RunnerOptions o;
    o.workers = 3;
    o.poll = std::chrono::milliseconds(5);
    SystemClock real;
    clock.set(real.now());  // the queued jobs are due now for the real clock the threads use
    JobRunner r(store, handlers, {{"test", outbox}}, real, reg, o);
    for (int i = 0; i < 40; ++i) queue("t.ok");
    r.start();
    for (int i = 0; i < 400 && store.counts()[JobStatus::succeeded] < 40; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    r.stop();
    EXPECT_EQ(store.counts()[JobStatus::succeeded], 40);
    EXPECT_EQ(h->attempts.size(), 40u);  // each ran once, never twice
}

TEST_F(Queue, FollowUpJobsAreQueuedOnlyOnceTheirParentSucceeded) {
    auto parent_outcome = jobs::Outcome::ok();
    jobs::JobRequest next;
    next.type = "t.child";
    parent_outcome.follow_up.push_back(next);
    handlers.add("t.parent", std::make_shared<Scripted>(std::vector{parent_outcome}));
    auto child = std::make_shared<Scripted>(std::vector{jobs::Outcome::ok()});
    handlers.add("t.child", child);
    build();
    auto id = queue("t.parent");
    runner->relay_once();
    EXPECT_TRUE(runner->run_once());
    EXPECT_EQ(store.find(id)->status, JobStatus::succeeded);
    EXPECT_EQ(store.counts()[JobStatus::pending], 1);
    EXPECT_TRUE(runner->run_once());
    EXPECT_EQ(child->attempts.size(), 1u);
}
