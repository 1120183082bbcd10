// SPDX-License-Identifier: Apache-2.0
// The cache port: short-lived shared state (token deny-list, rate limits, query caches).
// Implementations: MemoryCache (embedded default, one process); a Redis adapter serves several
// instances. Blocking: MemoryCache never blocks on I/O; network adapters do, so call from the
// worker pool. Thread safety: every method is safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace medisecure {

struct RateDecision {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: whole seconds until one token is back
};

/// Thrown by a network cache that cannot be reached (down, timed out, failing over). Each use
/// decides what that means: a cache is bypassed, a rate limit falls back to the instance's own,
/// a revocation check asks the database (docs/operations.md).
class CacheUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Cache {
public:
    virtual ~Cache() = default;
    virtual std::optional<std::string> get(std::string_view key) = 0;
    /// Several keys in one call (one round trip on a network cache), in the order asked.
    virtual std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) {
        std::vector<std::optional<std::string>> out;
        out.reserve(keys.size());
        for (const auto& k : keys) out.push_back(get(k));
        return out;
    }
    virtual void put(std::string_view key, std::string value, std::chrono::seconds ttl) = 0;
    virtual void erase(std::string_view key) = 0;
    /// Token bucket: `rate_per_s` tokens refill per second up to `burst`; takes one token.
    virtual RateDecision take(std::string_view key, double rate_per_s, double burst) = 0;
    virtual std::size_t size() = 0;
    /// Whether the store answers now (readiness); the in-process cache always does.
    virtual bool ping() { return true; }
};

}  // namespace medisecure
