// SPDX-License-Identifier: Apache-2.0
// An in-memory AuditRepository for tests, which can be told to fail.
#pragma once

#include <atomic>
#include <mutex>

#include "contexts/audit/ports/audit_repository.hpp"

namespace medisecure::audit {

class MemoryAuditRepository final : public AuditRepository {
public:
    void append(std::vector<AuditRecord>& records, const std::function<std::string(const AuditRecord&)>& seal,
                const std::function<std::string(std::int64_t, const std::string&)>& head_mac) override {
        std::lock_guard lock(mu_);
        if (fail) throw std::runtime_error("audit store unavailable");
        ++batches;
        std::int64_t seq = head_.seq;
        std::string hash = head_.hash.empty() ? kGenesis : head_.hash;
        for (auto& r : records) {
            r.seq = ++seq;
            r.prev_hash = hash;
            r.hash = seal(r);
            hash = r.hash;
            rows.push_back(r);
        }
        head_ = {seq, hash, head_mac(seq, hash)};
    }
    void append_sealed(const std::vector<AuditRecord>& records,
                       const std::function<std::string(std::int64_t, const std::string&)>& head_mac) override {
        std::lock_guard lock(mu_);
        if (fail) throw std::runtime_error("audit store unavailable");
        std::string hash = head_.hash.empty() ? kGenesis : head_.hash;
        auto it = records.begin();
        while (it != records.end() && it->seq <= head_.seq) ++it;
        if (it == records.end()) return;
        if (it->seq != head_.seq + 1 || it->prev_hash != hash)
            throw std::runtime_error("audit records do not continue the stored chain");
        ++batches;
        rows.insert(rows.end(), it, records.end());
        head_ = {records.back().seq, records.back().hash, head_mac(records.back().seq, records.back().hash)};
    }
    std::vector<AuditRecord> search(const AuditFilter& f) override {
        std::lock_guard lock(mu_);
        std::vector<AuditRecord> out;
        for (auto it = rows.rbegin(); it != rows.rend() && static_cast<int>(out.size()) < f.limit; ++it)
            if ((f.patient_id.empty() || it->patient_id == f.patient_id) && (!f.before_seq || it->seq < *f.before_seq))
                out.push_back(*it);
        return out;
    }
    void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) override {
        std::vector<AuditRecord> copy;
        {
            std::lock_guard lock(mu_);
            copy = rows;
        }
        chunk(copy);
    }
    std::optional<ChainHead> head() override {
        std::lock_guard lock(mu_);
        if (head_.seq == 0 && head_.hash.empty()) return ChainHead{0, kGenesis, ""};
        return head_;
    }
    bool ping() override { return !fail; }

    std::atomic<bool> fail{false};
    std::atomic<int> batches{0};
    std::vector<AuditRecord> rows;

private:
    std::mutex mu_;
    ChainHead head_{};
};

}  // namespace medisecure::audit
