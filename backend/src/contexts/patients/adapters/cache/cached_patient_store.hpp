// SPDX-License-Identifier: Apache-2.0
// A read-through cache in front of a PatientStore: `find` answers from memory when it can, and
// any write invalidates what it touched. The rule that keeps it from ever serving a stale
// record: every write bumps an epoch after its commit and drops the ids it changed; a reader
// fills the cache only if no write committed between its database read and its fill. The
// cache therefore lags no committed write. It is per process: with several instances sharing
// one database it must stay off (or become a shared cache invalidated by every instance).
// Search is not cached (its results depend on every patient). Thread safety: safe.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "contexts/patients/ports/patient_store.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::patients {

class CachedPatientStore final : public PatientStore {
public:
    CachedPatientStore(PatientStore& inner, std::size_t capacity, metrics::Registry& registry);

    Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) override;
    std::optional<Patient> find(const std::string& id) override;
    std::vector<Patient> search(const PatientQuery& q) override { return inner_.search(q); }
    bool exists(const std::string& id) override;
    bool ping() override { return inner_.ping(); }

    std::size_t size();

private:
    using Entry = std::pair<std::string, std::shared_ptr<const Patient>>;
    std::shared_ptr<const Patient> lookup(const std::string& id);
    void fill(const std::string& id, std::shared_ptr<const Patient> p, std::uint64_t epoch_seen);
    void invalidate(const std::vector<std::string>& ids);

    PatientStore& inner_;
    std::size_t capacity_;
    std::mutex mu_;
    std::uint64_t epoch_ = 0;  // guarded by mu_
    std::list<Entry> lru_;     // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    metrics::Counter& hits_;
    metrics::Counter& misses_;
    metrics::Counter& invalidations_;
};

}  // namespace medisecure::patients
