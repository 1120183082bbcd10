// SPDX-License-Identifier: Apache-2.0
// In-process Cache: sharded hash maps with expiry; expired entries are swept as shards are
// touched, so memory stays bounded by live keys.
#pragma once

#include <array>
#include <mutex>
#include <unordered_map>

#include "core/clock.hpp"
#include "platform/cache/cache.hpp"

namespace medisecure {

class MemoryCache final : public Cache {
public:
    explicit MemoryCache(const Clock& clock, std::size_t max_entries_per_shard = 1 << 16);
    std::optional<std::string> get(std::string_view key) override;
    void put(std::string_view key, std::string value, std::chrono::seconds ttl) override;
    void erase(std::string_view key) override;
    RateDecision take(std::string_view key, double rate_per_s, double burst) override;
    std::size_t size() override;

private:
    struct Entry {
        std::string value;
        std::int64_t expires_us = 0;
        double tokens = 0;
        std::int64_t refilled_us = 0;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Entry> map;
        std::size_t ops_since_sweep = 0;
    };
    static constexpr std::size_t kShards = 16;
    Shard& shard(std::string_view key);
    void maybe_sweep(Shard& s, std::int64_t now_us);

    const Clock& clock_;
    std::size_t max_entries_;
    std::array<Shard, kShards> shards_;
};

}  // namespace medisecure
