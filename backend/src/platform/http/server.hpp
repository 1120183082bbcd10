// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 transport: Beast + Asio C++20 coroutines, one coroutine per connection on its
// own strand, keep-alive, deadlines on every read and write, header and body limits (413),
// handlers on a bounded worker pool (light routes on the connection's own thread), responses
// held until their audit records are durable, and a graceful shutdown that drains in-flight
// requests. Nothing outside this file sees Beast.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/durability.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;  // 0: an ephemeral port (tests)
    unsigned io_threads = 1;
    unsigned worker_threads = 4;
    /// Run light routes on the connection's thread. Only when what they touch is in-process
    /// (embedded SQLite, in-memory cache): a network round trip there would stall every
    /// connection of that thread.
    bool inline_light_routes = true;
    std::size_t max_queue = 4096;  // requests waiting for a worker before 503
    std::size_t max_connections = 10000;
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 1024 * 1024;  // routes may declare their own
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds idle_timeout{75};
    std::chrono::seconds drain_timeout{25};
    std::chrono::seconds sse_heartbeat{15};
    std::string spool_dir = "./data/tmp";  // encrypted temporary files of streamed uploads
};

class HttpServer {
public:
    HttpServer(ServerOptions options, Pipeline& pipeline, DurabilityGate* gate, metrics::Registry& registry);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and listens; returns the bound port. Throws when the address is taken.
    std::uint16_t listen();
    /// Serves until shutdown() or, with `handle_signals`, SIGINT/SIGTERM; then drains and returns.
    void run(bool handle_signals);
    /// Thread-safe: stop accepting, finish in-flight requests, close idle connections.
    void shutdown();
    const std::atomic<bool>& draining() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace medisecure::http
