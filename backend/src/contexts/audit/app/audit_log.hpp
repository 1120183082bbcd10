// SPDX-License-Identifier: Apache-2.0
// The audit writer: entries are queued by request threads and written by one thread in batches
// (group commit: one transaction and one fsync for every entry that arrived meanwhile), each
// sealed into the HMAC chain. It is also the DurabilityGate that releases responses once their
// entries are on disk, or fails them closed when the store cannot be written.
#pragma once

#include "platform/crypto/digest.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/audit/ports/audit_repository.hpp"
#include "core/clock.hpp"
#include "core/durability.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::audit {

class AuditLog final : public AuditTrail, public DurabilityGate {
public:
    AuditLog(AuditRepository& repo, const Clock& clock, std::string key, metrics::Registry& registry,
             std::size_t max_batch = 2048);
    ~AuditLog() override;

    void start();
    /// Writes what is queued, then stops the writer thread.
    void stop();

    void record(const Caller& caller, AuditEntry entry) override;
    void when_durable(std::uint64_t ticket, std::function<void(bool)> done) override;
    /// For commands outside HTTP: records and waits until durable.
    bool record_and_wait(const Caller& caller, AuditEntry entry);
    /// False after a failed write, until a later write succeeds.
    bool healthy() const { return healthy_.load(); }
    bool out_of_space() const override { return full_.load(); }
    /// Whether the writer can take records now: healthy, or, after a failure, its store answers
    /// again. Readiness asks this: an instance taken out of the load balancer after a failed
    /// write gets no request to write with, so it must come back on the store's word alone.
    bool ready() { return healthy_.load() || repo_.ping(); }

    std::string seal(const AuditRecord& r) const;
    /// The MAC of a chain's head ("" the root chain).
    std::string head_mac(const std::string& chain, std::int64_t seq, const std::string& hash) const;
    /// The chain this writer appends to: "" (the root) until it opens its own, which it does
    /// before its first write where the store keeps one chain per writer.
    std::string chain() const;

private:
    struct Pending {
        std::uint64_t ticket;
        AuditRecord record;
    };
    void run();
    void settle(std::uint64_t first, std::uint64_t last, bool ok);
    /// Opens this writer's chain if the store keeps one per writer and it is not open yet.
    void open_chain();

    AuditRepository& repo_;
    const Clock& clock_;
    crypto::HmacKey key_;
    std::size_t max_batch_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Pending> queue_;
    std::uint64_t next_ticket_ = 1;
    std::uint64_t settled_upto_ = 0;
    std::deque<std::pair<std::uint64_t, std::uint64_t>> failed_;  // recent failed ticket ranges
    std::multimap<std::uint64_t, std::function<void(bool)>> waiters_;
    bool stopping_ = false;
    std::atomic<bool> healthy_{true};
    std::atomic<bool> full_{false};  // the last failed write found its disk full
    std::thread thread_;
    mutable std::mutex chain_mu_;
    std::string chain_;  // "" until opened; written by the writer thread only

    metrics::Counter& written_;
    metrics::Counter& failures_;
    metrics::Histogram& batch_size_;
};

}  // namespace medisecure::audit
