// SPDX-License-Identifier: Apache-2.0
// How queued jobs reach the processes that run them, when a message broker carries them
// (RabbitMQ; without one, workers poll the job store). The job store stays the record of every
// job and its status; the broker carries job ids. A job may be delivered more than once (a
// relay that published and crashed before it removed the outbox row, a broker that restarted
// before an acknowledgement reached it): the runner claims a job by id in the store before it
// runs it, so a second delivery does nothing.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace medisecure::jobs {

/// The broker cannot be reached, or did not confirm.
struct TransportUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What a message says: which job, of which type (the queue it goes to).
struct Dispatch {
    std::string id;
    std::string type;
};

struct Delivery {
    Dispatch job;
    bool redelivered = false;  // the broker gave it to a consumer before, which did not acknowledge it
    std::uint64_t tag = 0;
};

/// One worker thread's subscription to the job types' queues. Not thread-safe: one per thread.
class Consumer {
public:
    virtual ~Consumer() = default;
    /// The next delivery, or nullopt after `wait` (or when the broker cannot be reached: the
    /// consumer reconnects on later calls). Throws nothing.
    virtual std::optional<Delivery> next(std::chrono::milliseconds wait) = 0;
    /// Acknowledges a delivery once its outcome is recorded; false when the connection it came
    /// on is gone (the broker delivers it again, and the store's claim makes that harmless).
    virtual bool ack(std::uint64_t tag) = 0;
    /// Gives a delivery back to the broker for another consumer (this one could not record
    /// anything: its database is unreachable).
    virtual void release(std::uint64_t tag) = 0;
};

/// Thread safety: publish*() may be called from any thread.
class Transport {
public:
    virtual ~Transport() = default;
    /// Returns once the broker has confirmed every message (persisted), or throws.
    virtual void publish(const std::vector<Dispatch>& jobs) = 0;
    /// Delivered again after `delay` (a retry with backoff), or throws.
    virtual void publish_delayed(const Dispatch& job, std::chrono::milliseconds delay) = 0;
    /// Kept in the dead-letter queue for operators (best effort: the store already says dead).
    virtual void publish_dead(const Dispatch& job, const std::string& reason) = 0;
    virtual std::unique_ptr<Consumer> consumer(const std::vector<std::string>& types) = 0;
    virtual bool ping() = 0;
    /// For logs: where the broker is, without credentials.
    virtual std::string describe() const = 0;
};

}  // namespace medisecure::jobs
