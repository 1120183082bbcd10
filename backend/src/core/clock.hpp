// SPDX-License-Identifier: Apache-2.0
// Injected time: production uses SystemClock, tests a ManualClock they can move.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace medisecure {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// Thread safety: implementations are safe to call from any thread.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

/// The machine's clock. Tests of whole processes can start it at another instant
/// (`MEDISECURE_TEST_CLOCK`, refused in production): every SystemClock of the process then reads
/// that instant plus the real time elapsed since.
class SystemClock final : public Clock {
public:
    Timestamp now() const override;

    /// From now on every SystemClock of this process reads `start` and runs on from there.
    static void start_at_for_test(Timestamp start);
    /// From now on every SystemClock of this process reads the machine's clock plus `offset`.
    static void move_by_for_test(std::chrono::microseconds offset);
    /// Whether a test moved this process's clock.
    static bool moved_for_test();
    /// The machine's own clock, never moved.
    static Timestamp machine_now();
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start) : micros_(start.time_since_epoch().count()) {}
    Timestamp now() const override { return Timestamp{std::chrono::microseconds{micros_.load()}}; }
    void advance(std::chrono::microseconds d) { micros_ += d.count(); }
    void set(Timestamp t) { micros_ = t.time_since_epoch().count(); }

private:
    std::atomic<std::int64_t> micros_;
};

inline std::int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_micros(std::int64_t us) { return Timestamp{std::chrono::microseconds{us}}; }
inline std::int64_t to_seconds(Timestamp t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace medisecure
