// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "platform/cache/memory_cache.hpp"

using namespace medisecure;
using namespace std::chrono_literals;

TEST(MemoryCache, ValuesExpire) {
    ManualClock clock(*parse_instant("2026-01-01T00:00:00Z"));
    MemoryCache cache(clock);
    cache.put("k", "v", 10s);
    EXPECT_EQ(cache.get("k"), "v");
    clock.advance(9s);
    EXPECT_EQ(cache.get("k"), "v");
    clock.advance(1s);
    EXPECT_FALSE(cache.get("k"));
    cache.put("k", "v", 10s);
    cache.erase("k");
    EXPECT_FALSE(cache.get("k"));
}

TEST(MemoryCache, TokenBucketRefusesThenRefills) {
    ManualClock clock(*parse_instant("2026-01-01T00:00:00Z"));
    MemoryCache cache(clock);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(cache.take("ip", 1, 3).allowed);
    auto refused = cache.take("ip", 1, 3);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after_s, 1);
    clock.advance(1s);
    EXPECT_TRUE(cache.take("ip", 1, 3).allowed);
    EXPECT_FALSE(cache.take("ip", 1, 3).allowed);
    EXPECT_TRUE(cache.take("other", 1, 3).allowed);  // buckets are per key
}

TEST(MemoryCache, StaysBoundedUnderManyKeys) {
    ManualClock clock(*parse_instant("2026-01-01T00:00:00Z"));
    MemoryCache cache(clock, 64);
    for (int i = 0; i < 10000; ++i) cache.put("k" + std::to_string(i), "v", 3600s);
    EXPECT_LE(cache.size(), 16u * 64u);
}
