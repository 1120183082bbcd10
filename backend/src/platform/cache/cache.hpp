// SPDX-License-Identifier: Apache-2.0
// The cache port: short-lived shared state (token deny-list, rate limits, query caches).
// Implementations: MemoryCache (embedded default, one process); a Redis adapter serves several
// instances. Blocking: MemoryCache never blocks on I/O; network adapters do, so call from the
// worker pool. Thread safety: every method is safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace medisecure {

struct RateDecision {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: whole seconds until one token is back
};

class Cache {
public:
    virtual ~Cache() = default;
    virtual std::optional<std::string> get(std::string_view key) = 0;
    virtual void put(std::string_view key, std::string value, std::chrono::seconds ttl) = 0;
    virtual void erase(std::string_view key) = 0;
    /// Token bucket: `rate_per_s` tokens refill per second up to `burst`; takes one token.
    virtual RateDecision take(std::string_view key, double rate_per_s, double burst) = 0;
    virtual std::size_t size() = 0;
};

}  // namespace medisecure
