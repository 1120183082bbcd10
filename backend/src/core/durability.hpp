// SPDX-License-Identifier: Apache-2.0
// The seam between the audit trail and the transport: a response that produced audit records
// is released only when those records are durable (fail closed otherwise).
#pragma once

#include <cstdint>
#include <functional>

namespace medisecure {

class DurabilityGate {
public:
    virtual ~DurabilityGate() = default;
    /// Calls `done(true)` once every record up to `ticket` is durable, or `done(false)` when the
    /// write failed. `done` may run on any thread, possibly before this returns.
    virtual void when_durable(std::uint64_t ticket, std::function<void(bool durable)> done) = 0;
    /// Whether the last failed write failed because the disk holding the records is full (the
    /// refusal is then a 507, not a 503).
    virtual bool out_of_space() const { return false; }
};

}  // namespace medisecure
