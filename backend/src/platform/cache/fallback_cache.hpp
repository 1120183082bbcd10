// SPDX-License-Identifier: Apache-2.0
// The shared cache as the request pipeline and the read caches use it: when the shared store
// (Redis) is unavailable, a read misses (the request goes to the database), a write is skipped,
// and a rate limit is taken from this instance's own buckets, so that the API keeps serving with
// per-instance limits until the shared store is back. Not for the token deny-list, which must
// fail closed (identity::TokenService handles CacheUnavailable itself).
// Blocking: as the shared cache. Thread safety: safe.
#pragma once

#include "platform/cache/cache.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure {

class FallbackCache final : public Cache {
public:
    FallbackCache(Cache& shared, Cache& local, metrics::Registry& registry);
    std::optional<std::string> get(std::string_view key) override;
    std::vector<std::optional<std::string>> get_many(const std::vector<std::string>& keys) override;
    void put(std::string_view key, std::string value, std::chrono::seconds ttl) override;
    void erase(std::string_view key) override;
    RateDecision take(std::string_view key, double rate_per_s, double burst) override;
    std::size_t size() override;
    bool ping() override { return shared_.ping(); }

private:
    Cache& shared_;
    Cache& local_;
    metrics::Counter& bypassed_;
    metrics::Counter& local_limits_;
};

}  // namespace medisecure
