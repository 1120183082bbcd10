// SPDX-License-Identifier: Apache-2.0
#include "core/clock.hpp"

namespace medisecure {

Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace medisecure
