// SPDX-License-Identifier: Apache-2.0
#include "core/clock.hpp"

namespace medisecure {

namespace {
// Microseconds added to the machine's clock; zero unless a test moved it.
std::atomic<std::int64_t> g_test_offset_us{0};
std::atomic<bool> g_moved{false};
}  // namespace

Timestamp SystemClock::machine_now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

Timestamp SystemClock::now() const {
    return machine_now() + std::chrono::microseconds{g_test_offset_us.load(std::memory_order_relaxed)};
}

void SystemClock::start_at_for_test(Timestamp start) { move_by_for_test(start - machine_now()); }

void SystemClock::move_by_for_test(std::chrono::microseconds offset) {
    g_test_offset_us.store(offset.count(), std::memory_order_relaxed);
    g_moved.store(true);
}

bool SystemClock::moved_for_test() { return g_moved.load(); }

}  // namespace medisecure
