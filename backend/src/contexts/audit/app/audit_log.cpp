// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/app/audit_log.hpp"

#include <future>

#include "core/error.hpp"
#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

namespace medisecure::audit {

AuditLog::AuditLog(AuditRepository& repo, const Clock& clock, std::string key, metrics::Registry& registry,
                   std::size_t max_batch)
    : repo_(repo), clock_(clock), key_(crypto::derive_key(key, "medisecure audit chain v1")), max_batch_(max_batch),
      written_(registry.counter("medisecure_audit_records_written_total", "Audit records made durable")),
      failures_(registry.counter("medisecure_audit_write_failures_total", "Audit batches that could not be written")),
      batch_size_(registry.histogram("medisecure_audit_batch_size", "Audit records per group commit",
                                     {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048})) {}

AuditLog::~AuditLog() { stop(); }

void AuditLog::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] {
        log::name_thread("ms-audit");
        run();
    });
}

void AuditLog::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::string AuditLog::seal(const AuditRecord& r) const {
    auto mac = key_.mac(canonical(r));
    return to_hex(mac.data(), mac.size());
}

std::string AuditLog::head_mac(const std::string& chain, std::int64_t seq, const std::string& hash) const {
    // The root chain's heads keep the form they always had.
    auto mac = key_.mac(chain.empty() ? "head:" + std::to_string(seq) + ":" + hash
                                      : "head:" + chain + ":" + std::to_string(seq) + ":" + hash);
    return to_hex(mac.data(), mac.size());
}

std::string AuditLog::chain() const {
    std::lock_guard lock(chain_mu_);
    return chain_;
}

void AuditLog::open_chain() {
    if (!repo_.per_writer_chains() || !chain().empty()) return;
    const Timestamp now = clock_.now();
    AuditRecord r;
    r.at = now;
    r.actor_id = "system";
    r.actor_role = "system";
    r.action = kChainOpened;
    r.resource_type = "audit_chain";
    r.resource_id = new_uuid_v7(now);
    r.outcome = Outcome::success;
    const std::string id = r.resource_id;
    repo_.open_chain(
        r, [this](const AuditRecord& x) { return seal(x); },
        [this](std::int64_t s, const std::string& h) { return head_mac("", s, h); },
        [this, id](std::int64_t s, const std::string& h) { return head_mac(id, s, h); });
    std::lock_guard lock(chain_mu_);
    chain_ = id;
    log::info("audit.chain_opened", {{"chain", id}});
}

void AuditLog::record(const Caller& caller, AuditEntry e) {
    AuditRecord r;
    r.at = clock_.now();
    r.actor_id = caller.user_id;
    r.actor_role = std::string(to_string(caller.role));
    r.action = std::move(e.action);
    r.resource_type = std::move(e.resource_type);
    r.resource_id = std::move(e.resource_id);
    r.patient_id = std::move(e.patient_id);
    r.client_ip = caller.client_ip;
    r.request_id = caller.request_id;
    r.outcome = e.outcome;
    r.detail = std::move(e.detail);
    std::uint64_t ticket;
    {
        std::lock_guard lock(mu_);
        ticket = next_ticket_++;
        queue_.push_back({ticket, std::move(r)});
    }
    cv_.notify_one();
    if (caller.audit_ticket) caller.audit_ticket->note(ticket);
}

bool AuditLog::record_and_wait(const Caller& caller, AuditEntry entry) {
    Caller c = caller;
    c.audit_ticket = std::make_shared<AuditTicket>();
    record(c, std::move(entry));
    std::promise<bool> p;
    auto f = p.get_future();
    when_durable(c.audit_ticket->value(), [&p](bool ok) { p.set_value(ok); });
    return f.get();
}

void AuditLog::when_durable(std::uint64_t ticket, std::function<void(bool)> done) {
    bool settled = false, ok = true;
    {
        std::lock_guard lock(mu_);
        if (ticket <= settled_upto_) {
            settled = true;
            for (const auto& [first, last] : failed_)
                if (ticket >= first && ticket <= last) ok = false;
        } else {
            waiters_.emplace(ticket, std::move(done));
        }
    }
    if (settled) done(ok);
}

void AuditLog::settle(std::uint64_t first, std::uint64_t last, bool ok) {
    std::vector<std::function<void(bool)>> ready;
    {
        std::lock_guard lock(mu_);
        settled_upto_ = last;
        if (!ok) {
            failed_.emplace_back(first, last);
            while (failed_.size() > 64) failed_.pop_front();
        }
        auto end = waiters_.upper_bound(last);
        for (auto it = waiters_.begin(); it != end; ++it) ready.push_back(std::move(it->second));
        waiters_.erase(waiters_.begin(), end);
    }
    for (auto& cb : ready) cb(ok);
}

void AuditLog::run() {
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            std::size_t n = std::min(queue_.size(), max_batch_);
            batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        }
        std::vector<AuditRecord> records;
        records.reserve(batch.size());
        for (auto& p : batch) records.push_back(std::move(p.record));
        bool ok = true;
        try {
            open_chain();
            const std::string id = chain();
            for (auto& r : records) r.chain = id;
            repo_.append(records, [this](const AuditRecord& r) { return seal(r); },
                         [this, &id](std::int64_t s, const std::string& h) { return head_mac(id, s, h); });
            written_.inc(records.size());
            batch_size_.observe(static_cast<double>(records.size()));
            if (!healthy_.exchange(true)) log::info("audit.recovered");
            full_ = false;
        } catch (const std::exception& e) {
            ok = false;
            full_ = dynamic_cast<const StorageFull*>(&e) != nullptr;
            failures_.inc();
            if (healthy_.exchange(false)) log::error("audit.write_failed", {{"records", records.size()}, {"error", e.what()}});
        }
        settle(batch.front().ticket, batch.back().ticket, ok);
        batch.clear();
        if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the store recover
    }
}

}  // namespace medisecure::audit
