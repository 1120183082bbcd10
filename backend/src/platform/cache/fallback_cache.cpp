// SPDX-License-Identifier: Apache-2.0
#include "platform/cache/fallback_cache.hpp"

namespace medisecure {

FallbackCache::FallbackCache(Cache& shared, Cache& local, metrics::Registry& registry)
    : shared_(shared),
      local_(local),
      bypassed_(registry.counter("medisecure_cache_fallbacks_total",
                                 "Shared cache calls that could not reach it and went without it", "use=\"cache\"")),
      local_limits_(registry.counter("medisecure_cache_fallbacks_total",
                                     "Shared cache calls that could not reach it and went without it",
                                     "use=\"rate_limit\"")) {}

std::optional<std::string> FallbackCache::get(std::string_view key) {
    try {
        return shared_.get(key);
    } catch (const CacheUnavailable&) {
        bypassed_.inc();
        return std::nullopt;
    }
}

std::vector<std::optional<std::string>> FallbackCache::get_many(const std::vector<std::string>& keys) {
    try {
        return shared_.get_many(keys);
    } catch (const CacheUnavailable&) {
        bypassed_.inc();
        return std::vector<std::optional<std::string>>(keys.size());
    }
}

void FallbackCache::put(std::string_view key, std::string value, std::chrono::seconds ttl) {
    try {
        shared_.put(key, std::move(value), ttl);
    } catch (const CacheUnavailable&) {
        bypassed_.inc();
    }
}

void FallbackCache::erase(std::string_view key) {
    try {
        shared_.erase(key);
    } catch (const CacheUnavailable&) {
        bypassed_.inc();
    }
}

RateDecision FallbackCache::take(std::string_view key, double rate_per_s, double burst) {
    try {
        return shared_.take(key, rate_per_s, burst);
    } catch (const CacheUnavailable&) {
        local_limits_.inc();
        return local_.take(key, rate_per_s, burst);
    }
}

std::size_t FallbackCache::size() {
    try {
        return shared_.size();
    } catch (const CacheUnavailable&) {
        return 0;
    }
}

}  // namespace medisecure
