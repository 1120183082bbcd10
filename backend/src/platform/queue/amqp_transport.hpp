// SPDX-License-Identifier: Apache-2.0
// The job Transport on RabbitMQ (AMQP 0-9-1, rabbitmq-c). Topology, declared by every
// connection (declarations are idempotent):
//
//   medisecure.jobs            direct exchange; routing key = job type; unroutable messages go
//                              to its alternate exchange, medisecure.jobs.dead
//   medisecure.jobs.<type>     one durable quorum queue per job type (x-delivery-limit: a
//                              message that kills its consumer again and again is dead-lettered)
//   medisecure.jobs.delay.<ms> fanout exchange + classic durable queue with x-message-ttl = ms,
//                              dead-lettering to medisecure.jobs: a retry waits there (one queue
//                              per backoff step, so a short wait never queues behind a long one)
//   medisecure.jobs.dead       fanout exchange + queue: jobs that used up their attempts
//
// Messages are persistent; their body is the job id (message-id too), their `type` the job type.
// Publishing waits for the broker's confirms. Consumers acknowledge by hand, one message at a
// time per queue (prefetch 1), so a busy worker leaves the next job to another.
//
// Blocking: yes (network; every wait bounded). Thread safety: the Transport is safe; each
// Consumer belongs to one thread. PHI: none (job ids and types).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "platform/jobs/transport.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure {

struct AmqpTarget {
    std::string host = "127.0.0.1";
    int port = 5672;
    std::string username = "guest", password = "guest";
    std::string vhost = "/";
};

/// Parses `amqp://[user[:password]@]host[:port][/vhost]` (the vhost percent-decoded: `/%2F` is
/// "/", the default). Returns nullopt and sets `error` for anything else.
std::optional<AmqpTarget> parse_amqp_url(std::string_view url, std::string* error = nullptr);
/// The URL with its password replaced by "***".
std::string redact_amqp_url(std::string_view url);

struct AmqpOptions {
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds confirm_timeout{5000};
    int heartbeat_s = 10;       // consumers: a broker that vanished is noticed within two of these
    int delivery_limit = 20;    // quorum queues: deliveries of one message before it is dead-lettered
    std::string prefix = "medisecure.jobs";
};

class AmqpTransport final : public jobs::Transport {
public:
    /// Queues are declared as they are used: a job type's when a job of it is published or consumed.
    AmqpTransport(AmqpTarget target, AmqpOptions options, metrics::Registry& registry);
    ~AmqpTransport() override;
    AmqpTransport(const AmqpTransport&) = delete;
    AmqpTransport& operator=(const AmqpTransport&) = delete;

    void publish(const std::vector<jobs::Dispatch>& jobs) override;
    void publish_delayed(const jobs::Dispatch& job, std::chrono::milliseconds delay) override;
    void publish_dead(const jobs::Dispatch& job, const std::string& reason) override;
    std::unique_ptr<jobs::Consumer> consumer(const std::vector<std::string>& types) override;
    bool ping() override;
    std::string describe() const override;

    /// Messages waiting in a queue (passive declare), or nullopt when the broker cannot be asked.
    /// For tests and operators: e.g. queue_depth("medisecure.jobs.dead").
    std::optional<std::uint64_t> queue_depth(const std::string& queue);

    class Connection;

private:
    struct Message {
        std::string exchange, routing_key;
        jobs::Dispatch job;
        std::string expiration;  // ms, for delayed messages
        std::string reason;      // dead letters
    };
    void send(const std::vector<Message>& messages);
    void send_once(const std::vector<Message>& messages);  // under mu_
    Connection& publisher();  // under mu_

    AmqpTarget target_;
    AmqpOptions opt_;
    metrics::Registry& registry_;
    std::mutex mu_;
    std::unique_ptr<Connection> pub_;
    std::uint64_t sent_ = 0;            // messages published on pub_'s channel (confirm numbers)
    std::uint64_t confirmed_upto_ = 0;  // every number up to this one is confirmed
    std::set<std::uint64_t> single_acks_;
    metrics::Counter& published_;
    metrics::Counter& confirmed_;
    metrics::Counter& publish_failed_;
};

}  // namespace medisecure
