// SPDX-License-Identifier: Apache-2.0
#include "platform/cache/memory_cache.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace medisecure {

MemoryCache::MemoryCache(const Clock& clock, std::size_t max_entries_per_shard)
    : clock_(clock), max_entries_(max_entries_per_shard) {}

MemoryCache::Shard& MemoryCache::shard(std::string_view key) {
    return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void MemoryCache::maybe_sweep(Shard& s, std::int64_t now_us) {
    if (++s.ops_since_sweep < 1024 && s.map.size() < max_entries_) return;
    s.ops_since_sweep = 0;
    std::erase_if(s.map, [&](const auto& kv) { return kv.second.expires_us <= now_us; });
    // Still full of live entries: drop the ones closest to expiry rather than grow unbounded.
    while (s.map.size() >= max_entries_) {
        auto victim = std::min_element(s.map.begin(), s.map.end(), [](const auto& a, const auto& b) {
            return a.second.expires_us < b.second.expires_us;
        });
        s.map.erase(victim);
    }
}

std::optional<std::string> MemoryCache::get(std::string_view key) {
    auto now = to_micros(clock_.now());
    auto& s = shard(key);
    std::lock_guard lock(s.mu);
    auto it = s.map.find(std::string(key));
    if (it == s.map.end()) return std::nullopt;
    if (it->second.expires_us <= now) {
        s.map.erase(it);
        return std::nullopt;
    }
    return it->second.value;
}

void MemoryCache::put(std::string_view key, std::string value, std::chrono::seconds ttl) {
    auto now = to_micros(clock_.now());
    auto& s = shard(key);
    std::lock_guard lock(s.mu);
    maybe_sweep(s, now);
    auto& e = s.map[std::string(key)];
    e.value = std::move(value);
    e.expires_us = now + std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
}

void MemoryCache::erase(std::string_view key) {
    auto& s = shard(key);
    std::lock_guard lock(s.mu);
    s.map.erase(std::string(key));
}

RateDecision MemoryCache::take(std::string_view key, double rate_per_s, double burst) {
    auto now = to_micros(clock_.now());
    auto& s = shard(key);
    std::lock_guard lock(s.mu);
    maybe_sweep(s, now);
    auto [it, fresh] = s.map.try_emplace(std::string(key));
    auto& e = it->second;
    if (fresh || e.expires_us <= now) {
        e.tokens = burst;
        e.refilled_us = now;
    } else {
        double elapsed = static_cast<double>(now - e.refilled_us) / 1e6;
        e.tokens = std::min(burst, e.tokens + elapsed * rate_per_s);
        e.refilled_us = now;
    }
    // The bucket is forgotten once it would be full again anyway.
    e.expires_us = now + static_cast<std::int64_t>(std::ceil(burst / rate_per_s * 1e6)) + 1;
    if (e.tokens >= 1.0) {
        e.tokens -= 1.0;
        return {true, 0};
    }
    int wait = static_cast<int>(std::ceil((1.0 - e.tokens) / rate_per_s));
    return {false, std::max(wait, 1)};
}

std::size_t MemoryCache::size() {
    std::size_t n = 0;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mu);
        n += s.map.size();
    }
    return n;
}

}  // namespace medisecure
