// SPDX-License-Identifier: Apache-2.0
// What the tests of the shared read caches share: a cache that an instance can be cut from, two
// instances' view of one cache, and the value of a metric.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "platform/cache/cache.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::testkit {

/// The shared cache as one instance reaches it: throws CacheUnavailable while `down`.
class ReachableCache final : public Cache {
public:
    explicit ReachableCache(Cache& inner) : inner_(inner) {}
    bool down = false;
    /// Runs once, before the first call that follows the next get_many: what another instance
    /// does while this one is between reading the cache (and the database) and filling it.
    std::function<void()> after_next_read;
    std::optional<std::string> get(std::string_view key) override { return check().get(key); }
    std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override {
        auto got = check().get_many(keys);
        armed_ = after_next_read != nullptr;
        return got;
    }
    void put(std::string_view key, std::string value, std::chrono::seconds ttl) override {
        check().put(key, std::move(value), ttl);
    }
    void erase(std::string_view key) override { check().erase(key); }
    RateDecision take(std::string_view key, double rate_per_s, double burst) override {
        return check().take(key, rate_per_s, burst);
    }
    std::size_t size() override { return check().size(); }

private:
    Cache& check() {
        if (std::exchange(armed_, false)) std::exchange(after_next_read, nullptr)();
        if (down) throw CacheUnavailable("Redis is unreachable (test)");
        return inner_;
    }
    Cache& inner_;
    bool armed_ = false;
};

/// Two instances and the cache they share: A reaches it through `link` (which a test may cut),
/// B directly; each has its own metrics.
struct SharedCacheInstances {
    explicit SharedCacheInstances(const Clock& clock) : redis(clock) {}
    MemoryCache redis;
    ReachableCache link{redis};
    metrics::Registry registry_a, registry_b;
};

/// The value of `name{labels}` in `registry`'s exposition, or "absent".
inline std::string metric(const metrics::Registry& registry, const std::string& name, const std::string& labels) {
    auto text = registry.render();
    auto series = name + "{" + labels + "} ";
    auto at = text.find(series);
    if (at == std::string::npos) return "absent";
    auto start = at + series.size();
    return text.substr(start, text.find('\n', start) - start);
}

}  // namespace medisecure::testkit
