// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/job_runner.hpp"

#include <thread>

#include "core/random.hpp"
#include "platform/log/log.hpp"

namespace medisecure::notifications {

JobRunner::JobRunner(JobStore& store, const jobs::Registry& handlers,
                     std::vector<std::pair<std::string, std::shared_ptr<OutboxSource>>> outboxes, const Clock& clock,
                     metrics::Registry& registry, RunnerOptions options)
    : store_(store), handlers_(handlers), outboxes_(std::move(outboxes)), clock_(clock), registry_(registry),
      opt_(options), relayed_(registry.counter("medisecure_jobs_relayed_total", "Jobs moved from the outboxes to the queue")),
      duplicates_(registry.counter("medisecure_queue_duplicates_total",
                                   "Deliveries of a job that was already done, running elsewhere or not due (nothing run)")),
      dead_lettered_(registry.counter("medisecure_queue_dead_lettered_total", "Dead jobs published to the dead-letter queue")) {
    registry_.gauge_fn("medisecure_jobs_outbox_depth", "Job requests waiting in the contexts' outboxes", [this] {
        double n = 0;
        for (auto& [name, source] : outboxes_) {
            try {
                n += static_cast<double>(source->depth());
            } catch (const std::exception&) {
            }
        }
        return n;
    });
    registry_.gauge_fn("medisecure_jobs_waiting", "Jobs pending or waiting for a retry", [this] {
        auto c = store_.counts();
        return static_cast<double>(c[JobStatus::pending] + c[JobStatus::retrying]);
    });
    registry_.gauge_fn("medisecure_jobs_dead", "Jobs that exhausted their attempts (dead letters)", [this] {
        return static_cast<double>(store_.counts()[JobStatus::dead]);
    });
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
    if (running_.exchange(true)) return;
    threads_.emplace_back([this] {
        log::name_thread("ms-relay");
        relay_loop();
    });
    for (unsigned i = 0; i < std::max(1u, opt_.workers); ++i)
        threads_.emplace_back([this] {
            log::name_thread("ms-jobs");
            worker_loop();
        });
}

void JobRunner::stop() {
    if (!running_.exchange(false)) return;
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void JobRunner::nudge() { cv_.notify_all(); }

int JobRunner::relay_once() {
    int added = 0;
    for (auto& [name, source] : outboxes_) {
        try {
            auto rows = source->peek(200);
            if (rows.empty()) continue;
            added += store_.import(rows, clock_.now());
            // Imported (or already known): the outbox rows can go. A crash between the two
            // steps imports them again, which the queue ignores.
            std::vector<std::string> ids;
            for (const auto& r : rows) ids.push_back(r.id);
            source->remove(ids);
            relayed_.inc(rows.size());
        } catch (const std::exception& e) {
            log::warn("jobs.relay_failed", {{"outbox", name}, {"error", e.what()}});
        }
    }
    if (added > 0) nudge();
    return added;
}

bool JobRunner::run_once() {
    auto now = clock_.now();
    std::optional<JobRecord> job;
    try {
        job = store_.claim(now, now + opt_.lease);
    } catch (const std::exception& e) {
        log::warn("jobs.claim_failed", {{"error", e.what()}});
        return false;
    }
    if (!job) return false;
    execute(*job);
    return true;
}

JobRunner::Ran JobRunner::execute(const JobRecord& job) {
    jobs::Job j{job.id, job.type, job.payload_json, job.owner_user_id, job.patient_id,
                job.attempts, job.max_attempts, job.created_at};
    jobs::Outcome out;
    auto* handler = handlers_.find(job.type);
    auto t0 = std::chrono::steady_clock::now();
    if (!handler) {
        out = jobs::Outcome::fail("no handler for this job type");
    } else {
        try {
            out = handler->run(j);
        } catch (const std::exception& e) {
            out = jobs::Outcome::retry("unexpected error");
            log::error("jobs.handler_threw", {{"job_id", job.id}, {"type", job.type}, {"error", e.what()}});
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto now = clock_.now();
    Ran ran{out.kind};
    std::string outcome;
    switch (out.kind) {
    case jobs::Outcome::Kind::done:
        store_.succeed(job.id, out.result_json.empty() ? "{}" : out.result_json, now);
        for (const auto& next : out.follow_up) store_.enqueue(next, now);
        if (!out.follow_up.empty()) nudge();
        outcome = "succeeded";
        break;
    case jobs::Outcome::Kind::retry:
        if (job.attempts < job.max_attempts) {
            // Full jitter on top of the doubling delay keeps retries from arriving in waves.
            auto delay = backoff(job.attempts + 1, opt_.backoff_base);
            auto jittered = std::chrono::milliseconds(
                delay.count() * 500 + static_cast<long long>(random_u64() % static_cast<std::uint64_t>(delay.count() * 500 + 1)));
            ran.retry_at = now + jittered;
            store_.reschedule(job.id, out.detail, ran.retry_at, now);
            outcome = "retrying";
        } else {
            store_.bury(job.id, out.detail, now);
            ran.buried = true;
            outcome = "dead";
        }
        break;
    case jobs::Outcome::Kind::fail:
        store_.bury(job.id, out.detail, now);
        ran.buried = true;
        outcome = "dead";
        break;
    }
    registry_.counter("medisecure_jobs_total", "Job runs by type and outcome",
                      "type=\"" + metrics::label_value(job.type) + "\",outcome=\"" + outcome + "\"")
        .inc();
    registry_.histogram("medisecure_job_duration_seconds", "Time spent in job handlers", metrics::latency_buckets(),
                        "type=\"" + metrics::label_value(job.type) + "\"")
        .observe(seconds);
    log::info("jobs.ran", {{"job_id", job.id}, {"type", job.type}, {"attempt", job.attempts}, {"outcome", outcome}});
    if (ran.buried && opt_.transport) {
        try {
            opt_.transport->publish_dead({job.id, job.type}, out.detail);
            dead_lettered_.inc();
        } catch (const std::exception& e) {
            log::warn("jobs.dead_letter_not_published", {{"job_id", job.id}, {"error", e.what()}});
        }
    }
    return ran;
}

int JobRunner::dispatch_once() {
    if (!opt_.transport) return 0;
    auto now = clock_.now();
    std::vector<JobRecord> due;
    try {
        due = store_.take_undispatched(now, now - opt_.redispatch_after, 200);
    } catch (const std::exception& e) {
        log::warn("jobs.dispatch_failed", {{"error", e.what()}});
        return 0;
    }
    if (due.empty()) return 0;
    std::vector<jobs::Dispatch> messages;
    std::vector<std::string> ids;
    for (const auto& j : due) {
        if (!handlers_.find(j.type)) {
            // No process of this version runs it: dead at once, as the polling runner does.
            store_.bury(j.id, "no handler for this job type", now);
            continue;
        }
        messages.push_back({j.id, j.type});
        ids.push_back(j.id);
    }
    try {
        opt_.transport->publish(messages);  // returns once the broker confirmed every message
    } catch (const std::exception& e) {
        // Marked back as never handed over: the next round publishes them again (a crash
        // before this leaves them to the redispatch_after sweep). Said once, then every minute
        // while it lasts (the relay tries five times a second).
        try {
            store_.mark_dispatched(ids, Timestamp{});
        } catch (const std::exception&) {
        }
        auto t = std::chrono::steady_clock::now();
        if (!dispatch_failing_ || t - dispatch_warned_ > std::chrono::minutes(1)) {
            log::warn("jobs.dispatch_failed", {{"jobs", messages.size()}, {"error", e.what()}});
            dispatch_warned_ = t;
        }
        dispatch_failing_ = true;
        return 0;
    }
    if (dispatch_failing_) log::info("jobs.dispatch_recovered", {{"jobs", messages.size()}});
    dispatch_failing_ = false;
    return static_cast<int>(messages.size());
}

bool JobRunner::consume_once(jobs::Consumer& consumer, std::chrono::milliseconds wait) {
    auto delivery = consumer.next(wait);
    if (!delivery) return false;
    const auto& d = *delivery;
    auto now = clock_.now();
    std::optional<JobRecord> job;
    try {
        // Due by a little later than now: a retry's delay is timed by the broker, whose clock
        // may run a little ahead of this machine's.
        job = store_.claim_id(d.job.id, now, now + opt_.lease, now + std::chrono::seconds(5));
        if (!job) {
            duplicates_.inc();
            auto current = store_.find(d.job.id);
            if (current && current->status == JobStatus::running && d.redelivered && opt_.transport) {
                // The consumer that had it left without acknowledging (a worker that died, or
                // a broker restart): look again when the lease of its run ends.
                auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(current->lease_until - now);
                opt_.transport->publish_delayed(d.job, std::max(delay, std::chrono::milliseconds(1000)));
                store_.mark_dispatched({d.job.id}, current->lease_until);
            }
            consumer.ack(d.tag);
            return true;
        }
    } catch (const std::exception& e) {
        log::warn("jobs.claim_failed", {{"job_id", d.job.id}, {"error", e.what()}});
        std::this_thread::sleep_for(wait);
        consumer.release(d.tag);
        return true;
    }
    Ran ran{};
    try {
        ran = execute(*job);
    } catch (const std::exception& e) {
        // The outcome could not be recorded (database unreachable): the message goes back, and
        // the job is taken again when its lease runs out.
        log::warn("jobs.outcome_not_recorded", {{"job_id", job->id}, {"error", e.what()}});
        consumer.release(d.tag);
        return true;
    }
    if (ran.kind == jobs::Outcome::Kind::retry && !ran.buried && opt_.transport) {
        try {
            auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(ran.retry_at - clock_.now());
            opt_.transport->publish_delayed(d.job, std::max(delay, std::chrono::milliseconds(0)));
            store_.mark_dispatched({job->id}, ran.retry_at);
        } catch (const std::exception& e) {
            // dispatched_at stays before run_at: dispatch_once hands it over when it is due.
            log::warn("jobs.retry_not_published", {{"job_id", job->id}, {"error", e.what()}});
        }
    }
    consumer.ack(d.tag);  // after the outcome is recorded
    return true;
}

void JobRunner::relay_loop() {
    auto next_housekeeping = std::chrono::steady_clock::now();
    while (running_.load()) {
        relay_once();
        dispatch_once();
        if (opt_.housekeeping && std::chrono::steady_clock::now() >= next_housekeeping) {
            try {
                opt_.housekeeping();
            } catch (const std::exception& e) {
                log::warn("jobs.housekeeping_failed", {{"error", e.what()}});
            }
            next_housekeeping = std::chrono::steady_clock::now() + opt_.housekeeping_every;
        }
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, opt_.poll, [this] { return !running_.load(); });
    }
}

void JobRunner::worker_loop() {
    if (opt_.transport) {
        std::vector<std::string> types;
        for (const auto& [type, handler] : handlers_.all()) types.push_back(type);
        auto consumer = opt_.transport->consumer(types);
        while (running_.load()) consume_once(*consumer, opt_.poll);
        return;
    }
    while (running_.load()) {
        if (run_once()) continue;
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, opt_.poll);
    }
}

}  // namespace medisecure::notifications
