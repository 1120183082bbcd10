// SPDX-License-Identifier: Apache-2.0
// A read-through cache in front of a PatientStore: `find` answers from memory when it can, and
// any write invalidates what it touched. The rule that keeps it from ever serving a stale
// record: every write bumps an epoch after its commit and drops the ids it changed; a reader
// fills the cache only if no write committed between its database read and its fill. The
// cache therefore lags no committed write. It is per process: with several instances sharing
// one database it must stay off; SharedPatientStore is the cache they share (on Redis).
// Search results are cached too, keyed by the whole query; since any write may change any
// result, every write drops them all. Thread safety: safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "contexts/patients/ports/patient_store.hpp"
#include "core/lru.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::patients {

class CachedPatientStore final : public PatientStore {
public:
    CachedPatientStore(PatientStore& inner, std::size_t capacity, metrics::Registry& registry);

    Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) override;
    std::optional<Patient> find(const std::string& id) override;
    std::vector<Patient> search(const PatientQuery& q) override;
    bool search_cached(const PatientQuery& q) override;
    bool exists(const std::string& id) override;
    bool ping() override { return inner_.ping(); }

    std::size_t size();  // records held
    static constexpr std::size_t kSearchEntries = 512;

private:
    using Found = std::shared_ptr<const Patient>;
    using Results = std::shared_ptr<const std::vector<Patient>>;
    void invalidate(const std::vector<std::string>& ids);

    PatientStore& inner_;
    std::mutex mu_;
    std::uint64_t epoch_ = 0;  // guarded by mu_; bumped by every write
    Lru<Found> records_;       // both under mu_
    Lru<Results> searches_;
    metrics::Counter& hits_;
    metrics::Counter& misses_;
    metrics::Counter& search_hits_;
    metrics::Counter& search_misses_;
    metrics::Counter& invalidations_;
};

}  // namespace medisecure::patients
