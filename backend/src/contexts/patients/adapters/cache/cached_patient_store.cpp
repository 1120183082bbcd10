// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/cache/cached_patient_store.hpp"

#include "contexts/patients/adapters/cache/patient_cache_support.hpp"

namespace medisecure::patients {

namespace {
const std::string kLabel = "cache=\"patients\"", kSearchLabel = "cache=\"patient_search\"";
}  // namespace

CachedPatientStore::CachedPatientStore(PatientStore& inner, std::size_t capacity, metrics::Registry& registry)
    : inner_(inner), records_(capacity), searches_(kSearchEntries),
      hits_(registry.counter("medisecure_cache_hits_total", "Reads answered from a cache", kLabel)),
      misses_(registry.counter("medisecure_cache_misses_total", "Reads that went to the database", kLabel)),
      search_hits_(registry.counter("medisecure_cache_hits_total", "Reads answered from a cache", kSearchLabel)),
      search_misses_(registry.counter("medisecure_cache_misses_total", "Reads that went to the database", kSearchLabel)),
      invalidations_(registry.counter("medisecure_cache_invalidations_total", "Entries dropped because a write changed them",
                                      kLabel)) {
    registry.gauge_fn("medisecure_cache_entries", "Entries held by a cache", [this] { return static_cast<double>(size()); },
                      kLabel);
}

Result<Patient> CachedPatientStore::write(const std::function<Result<Patient>(PatientUnit&)>& fn) {
    return write_then_invalidate(inner_, fn, [this](const std::vector<std::string>& ids) { invalidate(ids); });
}

std::optional<Patient> CachedPatientStore::find(const std::string& id) {
    std::uint64_t seen;
    {
        std::lock_guard lock(mu_);
        if (const auto* hit = records_.get(id)) {
            Found p = *hit;
            hits_.inc();
            return *p;
        }
        seen = epoch_;
    }
    misses_.inc();
    auto found = inner_.find(id);
    if (found) {
        auto copy = std::make_shared<const Patient>(*found);
        std::lock_guard lock(mu_);
        // A write committed since this read began: what was read may predate it.
        if (epoch_ == seen) records_.put(id, std::move(copy));
    }
    return found;
}

std::vector<Patient> CachedPatientStore::search(const PatientQuery& q) {
    std::string key = search_key(q);
    std::uint64_t seen;
    {
        std::lock_guard lock(mu_);
        if (const auto* hit = searches_.get(key)) {
            Results r = *hit;
            search_hits_.inc();
            return *r;
        }
        seen = epoch_;
    }
    search_misses_.inc();
    auto found = inner_.search(q);
    auto copy = std::make_shared<const std::vector<Patient>>(found);
    std::lock_guard lock(mu_);
    if (epoch_ == seen) searches_.put(key, std::move(copy));
    return found;
}

bool CachedPatientStore::search_cached(const PatientQuery& q) {
    std::string key = search_key(q);
    std::lock_guard lock(mu_);
    return searches_.contains(key);
}

bool CachedPatientStore::exists(const std::string& id) {
    {
        std::lock_guard lock(mu_);
        if (records_.get(id)) return true;  // patients are archived, never deleted
    }
    return inner_.exists(id);
}

std::size_t CachedPatientStore::size() {
    std::lock_guard lock(mu_);
    return records_.size();
}

void CachedPatientStore::invalidate(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    ++epoch_;
    for (const auto& id : ids)
        if (records_.erase(id)) invalidations_.inc();
    searches_.clear();  // a new or changed patient may enter or leave any result
}

}  // namespace medisecure::patients
