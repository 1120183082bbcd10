// SPDX-License-Identifier: Apache-2.0
// The job queue's contract, with workers polling the store and with a real RabbitMQ carrying the
// jobs (scripts/services/rabbitmq.sh): every job runs once across several runners, retries wait
// their backoff and end in the dead letters, a scheduled job waits for its time, a job delivered
// twice runs once, and a broker that cannot be reached loses nothing.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "contexts/notifications/adapters/sql/sql_stores.hpp"
#include "contexts/notifications/app/job_runner.hpp"
#include "core/random.hpp"
#include "platform/queue/amqp_transport.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::notifications;
using namespace std::chrono_literals;

namespace {

/// An outbox several runners relay from, as instances share a context's database.
class SharedOutbox final : public OutboxSource {
public:
    void add(jobs::QueuedRequest r) {
        std::lock_guard lock(mu_);
        rows_.push_back(std::move(r));
    }
    std::vector<jobs::QueuedRequest> peek(int limit) override {
        std::lock_guard lock(mu_);
        std::vector<jobs::QueuedRequest> out;
        for (const auto& r : rows_)
            if (static_cast<int>(out.size()) < limit) out.push_back(r);
        return out;
    }
    void remove(const std::vector<std::string>& ids) override {
        std::lock_guard lock(mu_);
        std::erase_if(rows_, [&](const auto& r) { return std::find(ids.begin(), ids.end(), r.id) != ids.end(); });
    }
    std::int64_t depth() override {
        std::lock_guard lock(mu_);
        return static_cast<std::int64_t>(rows_.size());
    }

private:
    std::mutex mu_;
    std::vector<jobs::QueuedRequest> rows_;
};

/// Counts runs per job and answers what the test scripts.
class Counting final : public jobs::Handler {
public:
    explicit Counting(jobs::Outcome outcome = jobs::Outcome::ok()) : outcome_(std::move(outcome)) {}
    jobs::Outcome run(const jobs::Job& job) override {
        std::lock_guard lock(mu_);
        runs_[job.id].push_back(std::chrono::steady_clock::now());
        return outcome_;
    }
    std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> runs() const {
        std::lock_guard lock(mu_);
        return runs_;
    }
    std::size_t total() const {
        std::lock_guard lock(mu_);
        std::size_t n = 0;
        for (const auto& [id, r] : runs_) n += r.size();
        return n;
    }

private:
    mutable std::mutex mu_;
    jobs::Outcome outcome_;
    std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> runs_;
};

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return pred();
}

double counter(metrics::Registry& reg, const std::string& name) {
    std::string text = reg.render();
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return 0;
    return std::stod(text.substr(at + name.size() + 2));
}

class QueueTest : public ::testing::Test {
protected:
    void use_broker() {
        target = *parse_amqp_url(testkit::rabbitmq_url());
        // Queues of their own per test: nothing left by another test is consumed here.
        options.prefix = "test." + new_uuid_v7(clock.now()) + ".jobs";
        transport = std::make_unique<AmqpTransport>(target, options, reg);
    }
    bool broker() const { return transport != nullptr; }

    std::unique_ptr<JobRunner> runner(jobs::Transport* via = nullptr) {
        RunnerOptions o;
        o.workers = 2;
        o.poll = 50ms;
        o.backoff_base = 1s;
        o.transport = via ? via : transport.get();
        o.redispatch_after = 3600s;  // what a test sees delivered, the broker delivered
        return std::make_unique<JobRunner>(store, handlers, std::vector<std::pair<std::string, std::shared_ptr<OutboxSource>>>{{"test", outbox}},
                                           clock, reg, o);
    }
    std::string queue(const std::string& type, int max_attempts = 5, Timestamp run_at = {}) {
        jobs::QueuedRequest q;
        q.id = new_uuid_v7(clock.now());
        q.request.type = type;
        q.request.max_attempts = max_attempts;
        q.request.run_at = run_at == Timestamp{} ? clock.now() : run_at;
        q.created_at = clock.now();
        outbox->add(q);
        return q.id;
    }
    JobStatus status(const std::string& id) {
        auto j = store.find(id);
        return j ? j->status : JobStatus::pending;
    }

    testkit::TempDir dir;
    std::unique_ptr<db::Database> db = testkit::sqlite_database(dir, "notifications");
    SqlJobStore store{*db};
    SystemClock clock;
    metrics::Registry reg;
    jobs::Registry handlers;
    std::shared_ptr<SharedOutbox> outbox = std::make_shared<SharedOutbox>();
    AmqpTarget target;
    AmqpOptions options;
    std::unique_ptr<AmqpTransport> transport;
};

class JobQueueContract : public QueueTest, public ::testing::WithParamInterface<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "rabbitmq") {
            MS_REQUIRE_RABBITMQ();
            use_broker();
        }
    }
};

class RabbitMqQueue : public QueueTest {
protected:
    void SetUp() override {
        MS_REQUIRE_RABBITMQ();
        use_broker();
    }
};

TEST_P(JobQueueContract, EveryJobRunsOnceAcrossTwoRunners) {
    auto counting = std::make_shared<Counting>();
    handlers.add("test.mail", counting);
    handlers.add("test.report", counting);
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back(queue(i % 3 == 0 ? "test.report" : "test.mail"));
    // Two instances: each relays the shared outbox and runs two workers. With a broker each
    // has its own connection to it, as separate processes do.
    std::unique_ptr<AmqpTransport> second;
    if (broker()) second = std::make_unique<AmqpTransport>(target, options, reg);
    auto a = runner();
    auto b = runner(second.get());
    a->start();
    b->start();
    ASSERT_TRUE(wait_until([&] { return store.counts()[JobStatus::succeeded] == 300; }, 30s))
        << store.counts()[JobStatus::succeeded] << " of 300 done";
    std::this_thread::sleep_for(300ms);  // a second run, if any, would show by now
    a->stop();
    b->stop();
    auto runs = counting->runs();
    EXPECT_EQ(runs.size(), 300u);
    for (const auto& id : ids) EXPECT_EQ(runs[id].size(), 1u) << id;
    EXPECT_EQ(outbox->depth(), 0);
    if (broker()) {
        EXPECT_GE(counter(reg, "medisecure_queue_confirmed_total"), 300);
        EXPECT_GE(counter(reg, "medisecure_queue_consumed_total"), 300);
        for (const char* type : {"test.mail", "test.report"})
            EXPECT_EQ(transport->queue_depth(options.prefix + "." + type), 0u) << type;
    }
}

TEST_P(JobQueueContract, RetriesWaitTheirBackoffThenTheJobIsDead) {
    auto failing = std::make_shared<Counting>(jobs::Outcome::retry("smtp down"));
    handlers.add("test.flaky", failing);
    auto id = queue("test.flaky", 3);
    auto r = runner();
    r->start();
    // Attempt 2 after 0.5-1 s, attempt 3 after 1-2 s more (backoff base 1 s, full jitter).
    ASSERT_TRUE(wait_until([&] { return status(id) == JobStatus::dead; }, 10s)) << to_string(status(id));
    r->stop();
    auto runs = failing->runs()[id];
    ASSERT_EQ(runs.size(), 3u);
    EXPECT_GE(runs[1] - runs[0], 450ms);
    EXPECT_GE(runs[2] - runs[1], 950ms);
    auto job = store.find(id);
    EXPECT_EQ(job->attempts, 3);
    EXPECT_EQ(job->last_error, "smtp down");
    if (broker()) {
        EXPECT_TRUE(wait_until([&] { return transport->queue_depth(options.prefix + ".dead") == 1u; }, 2s));
        EXPECT_EQ(counter(reg, "medisecure_queue_dead_lettered_total"), 1);
    }
}

TEST_P(JobQueueContract, AScheduledJobWaitsForItsTime) {
    auto counting = std::make_shared<Counting>();
    handlers.add("test.reminder", counting);
    auto id = queue("test.reminder", 5, clock.now() + 1500ms);
    auto r = runner();
    auto started = std::chrono::steady_clock::now();
    r->start();
    ASSERT_TRUE(wait_until([&] { return status(id) == JobStatus::succeeded; }, 6s)) << to_string(status(id));
    r->stop();
    auto runs = counting->runs()[id];
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_GE(runs[0] - started, 1400ms);
}

TEST_P(JobQueueContract, AJobDeliveredTwiceRunsOnce) {
    auto counting = std::make_shared<Counting>();
    handlers.add("test.mail", counting);
    auto id = queue("test.mail");
    auto r = runner();
    if (broker()) {
        // The relay's publication, and a second one (a relay that crashed before it recorded the
        // first, a message redelivered after a broker restart).
        store.import(outbox->peek(10), clock.now());
        transport->publish({{id, "test.mail"}});
        transport->publish({{id, "test.mail"}});
    } else {
        store.import(outbox->peek(10), clock.now());  // relayed twice: the store ignores the copy
    }
    r->start();
    ASSERT_TRUE(wait_until([&] { return status(id) == JobStatus::succeeded; }, 5s));
    if (broker()) {
        EXPECT_TRUE(wait_until([&] { return counter(reg, "medisecure_queue_duplicates_total") >= 2; }, 5s));
    }
    std::this_thread::sleep_for(200ms);
    r->stop();
    EXPECT_EQ(counting->runs()[id].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Queues, JobQueueContract, ::testing::Values("polling", "rabbitmq"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// ----- RabbitMQ only -----

TEST_F(RabbitMqQueue, NothingIsLostWhileTheBrokerCannotBeReached) {
    auto counting = std::make_shared<Counting>();
    handlers.add("test.mail", counting);
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i) ids.push_back(queue("test.mail"));
    AmqpTarget nowhere = target;
    nowhere.port = testkit::free_tcp_port();  // nothing listens there
    AmqpTransport down(nowhere, options, reg);
    EXPECT_FALSE(down.ping());
    auto r = runner(&down);
    EXPECT_EQ(r->relay_once(), 20);
    EXPECT_EQ(r->dispatch_once(), 0);
    r->start();
    std::this_thread::sleep_for(500ms);
    r->stop();
    // Moved from the outbox to the store, not handed to any broker, not run.
    EXPECT_EQ(outbox->depth(), 0);
    EXPECT_EQ(store.counts()[JobStatus::pending], 20);
    EXPECT_EQ(counting->total(), 0u);
    EXPECT_GE(counter(reg, "medisecure_queue_publish_failures_total"), 20);

    // The broker is reachable again: every job runs, once.
    r = runner();
    r->start();
    ASSERT_TRUE(wait_until([&] { return store.counts()[JobStatus::succeeded] == 20; }, 10s));
    r->stop();
    auto runs = counting->runs();
    for (const auto& id : ids) EXPECT_EQ(runs[id].size(), 1u) << id;
}

TEST_F(RabbitMqQueue, AMessageItsConsumerDroppedIsDeliveredAgain) {
    auto counting = std::make_shared<Counting>();
    handlers.add("test.mail", counting);
    jobs::JobRequest req;
    req.type = "test.mail";
    auto id = store.enqueue(req, clock.now());
    transport->publish({{id, "test.mail"}});
    store.mark_dispatched({id}, clock.now());
    {
        // A consumer that takes the message and goes away without acknowledging it.
        auto gone = transport->consumer({"test.mail"});
        std::optional<jobs::Delivery> d;
        ASSERT_TRUE(wait_until([&] { return (d = gone->next(100ms)).has_value(); }, 5s));
        EXPECT_EQ(d->job.id, id);
        EXPECT_FALSE(d->redelivered);
    }
    auto r = runner();
    r->start();
    ASSERT_TRUE(wait_until([&] { return status(id) == JobStatus::succeeded; }, 5s));
    r->stop();
    EXPECT_EQ(counting->runs()[id].size(), 1u);
    EXPECT_GE(counter(reg, "medisecure_queue_redelivered_total"), 1);
}

TEST(AmqpUrl, ParsesAndRedacts) {
    auto t = parse_amqp_url("amqp://medisecure:s%40cret@mq.internal:5673/%2F");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->host, "mq.internal");
    EXPECT_EQ(t->port, 5673);
    EXPECT_EQ(t->username, "medisecure");
    EXPECT_EQ(t->password, "s@cret");
    EXPECT_EQ(t->vhost, "/");
    auto plain = parse_amqp_url("amqp://rabbit");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->port, 5672);
    EXPECT_EQ(plain->vhost, "/");
    EXPECT_EQ(parse_amqp_url("amqp://u:p@h:1/practice")->vhost, "practice");
    std::string error;
    EXPECT_FALSE(parse_amqp_url("http://rabbit", &error));
    EXPECT_EQ(error, "must start with amqp://");
    EXPECT_FALSE(parse_amqp_url("amqp://h:port", &error));
    EXPECT_FALSE(parse_amqp_url("amqp://:5672", &error));
    EXPECT_EQ(redact_amqp_url("amqp://medisecure:secret@h:5672/%2F"), "amqp://medisecure:***@h:5672/%2F");
    EXPECT_EQ(redact_amqp_url("amqp://h:5672"), "amqp://h:5672");
}

}  // namespace
