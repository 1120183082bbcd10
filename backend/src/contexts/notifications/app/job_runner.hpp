// SPDX-License-Identifier: Apache-2.0
// Runs the background jobs: a relay thread moves the contexts' outbox rows into the job store,
// worker threads take due jobs, run their handler, and record success, a retry with
// exponential backoff and jitter, or the dead-letter state. A job whose worker died is taken
// again when its lease expires. Several instances can share a PostgreSQL queue.
//
// Without a broker, workers poll the store (claim). With one (RunnerOptions::transport), the
// relay thread also hands every due job the broker does not hold yet to it (the store's
// dispatched_at: a job is marked only once the broker confirmed it, so a broker that is down
// loses nothing, and only committed jobs are ever published); workers consume the broker's
// messages, claim each job by id in the store (a second delivery does nothing), run it, record
// the outcome and only then acknowledge the message. Retries wait in the broker's delay queues.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "contexts/notifications/ports/stores.hpp"
#include "platform/jobs/transport.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::notifications {

struct RunnerOptions {
    unsigned workers = 2;
    std::chrono::milliseconds poll{200};
    std::chrono::seconds lease{300};         // a job running longer is presumed abandoned
    std::chrono::seconds backoff_base{10};   // 10 s, 20 s, 40 s… capped at one hour
    std::function<void()> housekeeping;      // run by the relay thread every `housekeeping_every`
    std::chrono::seconds housekeeping_every{600};
    jobs::Transport* transport = nullptr;     // a message broker carries the jobs (else: polling)
    /// With a broker: a due job handed to it this long ago that has not run is handed again (a
    /// message lost with a broker's disk, say; a second copy is harmless).
    std::chrono::seconds redispatch_after{60};
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
    /// Claims and runs one due job; false when none was due (polling, without a broker).
    bool run_once();
    /// With a broker: hands it the due jobs it does not hold; returns how many.
    int dispatch_once();
    /// With a broker: waits up to `wait` for one delivery and handles it; false when none came.
    bool consume_once(jobs::Consumer& consumer, std::chrono::milliseconds wait);
    /// Wakes the workers (a job was just queued).
    void nudge();

private:
    struct Ran {
        jobs::Outcome::Kind kind;
        Timestamp retry_at{};  // when kind is retry and attempts remain
        bool buried = false;
    };
    /// Runs a claimed job's handler and records its outcome in the store.
    Ran execute(const JobRecord& job);
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
    bool dispatch_failing_ = false;  // relay thread only
    std::chrono::steady_clock::time_point dispatch_warned_{};
    metrics::Counter& duplicates_;
    metrics::Counter& dead_lettered_;
};

}  // namespace medisecure::notifications
