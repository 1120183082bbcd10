// SPDX-License-Identifier: Apache-2.0
// The Cache port on Redis (hiredis): what several instances share (the token deny-list, rate
// limits, caches). A single server (redis://) or the master that Sentinel names
// (redis-sentinel://), followed through a failover: a connection that breaks, or a server that
// answers READONLY/LOADING/MASTERDOWN (a demoted master), is dropped, and the next connection asks
// Sentinel again.
//
// Every call has a timeout; connections are pooled (opened as needed, up to a cap) and reopened.
// After a failure the adapter answers CacheUnavailable at once for `retry_after` instead of
// making every request wait for a timeout, then tries again. Rate limits are one token bucket per
// key on the server, taken atomically by a Lua script with the server's clock, so that every
// instance draws from the same budget.
//
// Blocking: yes (network, bounded by the timeouts). Thread safety: safe. PHI: none (session ids,
// addresses and user ids as keys).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/cache/cache.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure {

struct RedisEndpoint {
    std::string host;
    int port = 6379;
    std::string to_string() const { return host + ":" + std::to_string(port); }
};

/// Where Redis is and how to sign in.
struct RedisTarget {
    RedisEndpoint server;                  // redis://
    std::vector<RedisEndpoint> sentinels;  // redis-sentinel://: the master is asked of them
    std::string master_name;
    std::string username, password;  // AUTH [username] password, when set
    int db = 0;
    bool via_sentinel() const { return !sentinels.empty(); }
};

/// Parses `redis://[[username]:password@]host[:port][/db]` and
/// `redis-sentinel://[[username]:password@]host:port[,host:port…]/mastername[/db]` (the password is
/// the master's). Returns nullopt and sets `error` for anything else.
std::optional<RedisTarget> parse_redis_url(std::string_view url, std::string* error = nullptr);

/// The URL with its password replaced by "***", for logs and `config print`.
std::string redact_redis_url(std::string_view url);

struct RedisOptions {
    std::size_t max_connections = 8;
    std::chrono::milliseconds connect_timeout{500};
    std::chrono::milliseconds command_timeout{500};
    /// After a failure, calls fail at once for this long, then one tries the server again.
    std::chrono::milliseconds retry_after{1000};
    std::string key_prefix = "medisecure:";
};

class RedisCache final : public Cache {
public:
    RedisCache(RedisTarget target, RedisOptions options, metrics::Registry& registry);
    ~RedisCache() override;
    RedisCache(const RedisCache&) = delete;
    RedisCache& operator=(const RedisCache&) = delete;

    /// Each throws CacheUnavailable when Redis cannot be reached.
    std::optional<std::string> get(std::string_view key) override;
    std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override;
    void put(std::string_view key, std::string value, std::chrono::seconds ttl) override;
    void erase(std::string_view key) override;
    RateDecision take(std::string_view key, double rate_per_s, double burst) override;
    /// Keys in the database (every client's, not only this prefix).
    std::size_t size() override;
    bool ping() override;

    /// The server answering now ("host:port"; empty before the first connection).
    std::string server() const;
    /// Publishes `message` on `channel` (under the key prefix). Throws CacheUnavailable.
    void publish(std::string_view channel, std::string_view message);

private:
    friend class RedisChannel;
    struct Conn;
    std::unique_ptr<Conn> connect();
    RedisEndpoint locate_master();
    std::unique_ptr<Conn> acquire();
    void release(std::unique_ptr<Conn> c);
    void discard(std::unique_ptr<Conn> c);
    void failed(const std::string& why);
    template <class F> auto call(F&& f);
    std::string key(std::string_view k) const { return opt_.key_prefix + std::string(k); }

    RedisTarget target_;
    RedisOptions opt_;
    std::string script_sha_;  // of the token bucket, loaded on each connection

    mutable std::mutex mu_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Conn>> idle_;
    std::size_t open_ = 0;
    std::uint64_t generation_ = 0;  // bumped on failure: older connections are not reused
    std::string server_;
    std::atomic<std::int64_t> retry_at_ns_{0};  // steady clock; 0: healthy

    metrics::Gauge& up_;
    metrics::Gauge& connections_;
    metrics::Counter& errors_;
    metrics::Counter& fast_failures_;
    metrics::Counter& failovers_;
};

/// Listens to one Redis channel on a connection of its own, in a thread, and hands every
/// message to `on_message` (on that thread): events every instance must see, such as live
/// notifications. Reconnects (through Sentinel when configured) after an error or a failover.
/// At most once: a message published while this listener is disconnected does not reach it.
class RedisChannel {
public:
    RedisChannel(RedisCache& cache, std::string channel, std::function<void(std::string_view)> on_message);
    ~RedisChannel();
    RedisChannel(const RedisChannel&) = delete;
    RedisChannel& operator=(const RedisChannel&) = delete;
    void start();
    void stop();
    void publish(std::string_view message) { cache_.publish(channel_, message); }
    /// Whether the listener is subscribed now.
    bool listening() const { return listening_.load(); }

private:
    void run();

    RedisCache& cache_;
    std::string channel_;
    std::function<void(std::string_view)> on_message_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    int fd_ = -1;  // the subscribed connection's socket, shut down to stop
    std::atomic<bool> listening_{false};
};

}  // namespace medisecure
