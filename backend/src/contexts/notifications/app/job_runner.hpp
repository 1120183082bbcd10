// SPDX-License-Identifier: Apache-2.0
// Runs the background jobs: a relay thread moves the contexts' outbox rows into the queue,
// worker threads claim due jobs, run their handler, and record success, a retry with
// exponential backoff and jitter, or the dead-letter state. A job whose worker died is taken
// again when its lease expires. Several instances can share a PostgreSQL queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "contexts/notifications/ports/stores.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::notifications {

struct RunnerOptions {
    unsigned workers = 2;
    std::chrono::milliseconds poll{200};
    std::chrono::seconds lease{300};         // a job running longer is presumed abandoned
    std::chrono::seconds backoff_base{10};   // 10 s, 20 s, 40 s… capped at one hour
    std::function<void()> housekeeping;      // run by the relay thread every `housekeeping_every`
    std::chrono::seconds housekeeping_every{600};
};

class JobRunner {
public:
    JobRunner(JobStore& store, const jobs::Registry& handlers,
              std::vector<std::pair<std::string, std::shared_ptr<OutboxSource>>> outboxes, const Clock& clock,
              metrics::Registry& registry, RunnerOptions options);
    ~JobRunner();
    void start();
    /// Lets running jobs finish, then stops the threads.
    void stop();
    /// Moves what the outboxes hold into the queue; returns how many jobs were new.
    int relay_once();
    /// Claims and runs one due job; false when none was due.
    bool run_once();
    /// Wakes the workers (a job was just queued).
    void nudge();

private:
    void relay_loop();
    void worker_loop();

    JobStore& store_;
    const jobs::Registry& handlers_;
    std::vector<std::pair<std::string, std::shared_ptr<OutboxSource>>> outboxes_;
    const Clock& clock_;
    metrics::Registry& registry_;
    RunnerOptions opt_;
    std::atomic<bool> running_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::thread> threads_;
    metrics::Counter& relayed_;
};

}  // namespace medisecure::notifications
