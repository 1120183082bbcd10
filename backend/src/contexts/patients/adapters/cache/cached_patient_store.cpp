// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/cache/cached_patient_store.hpp"

namespace medisecure::patients {

namespace {
/// Passes every operation through and remembers which patients the transaction changed.
class RecordingUnit final : public PatientUnit {
public:
    RecordingUnit(PatientUnit& inner, std::vector<std::string>& touched) : inner_(inner), touched_(touched) {}
    std::vector<DuplicateCandidate> find_duplicates(const Patient& p) override { return inner_.find_duplicates(p); }
    std::int64_t next_mrn_sequence() override { return inner_.next_mrn_sequence(); }
    void insert(const Patient& p) override {
        touched_.push_back(p.id);
        inner_.insert(p);
    }
    std::optional<Patient> find(const std::string& id) override { return inner_.find(id); }
    bool update(const Patient& p) override {
        touched_.push_back(p.id);
        return inner_.update(p);
    }

private:
    PatientUnit& inner_;
    std::vector<std::string>& touched_;
};
}  // namespace

CachedPatientStore::CachedPatientStore(PatientStore& inner, std::size_t capacity, metrics::Registry& registry)
    : inner_(inner), capacity_(capacity == 0 ? 1 : capacity),
      hits_(registry.counter("medisecure_cache_hits_total", "Reads answered from a cache", "cache=\"patients\"")),
      misses_(registry.counter("medisecure_cache_misses_total", "Reads that went to the database", "cache=\"patients\"")),
      invalidations_(registry.counter("medisecure_cache_invalidations_total", "Entries dropped because a write changed them",
                                      "cache=\"patients\"")) {
    registry.gauge_fn("medisecure_cache_entries", "Entries held by a cache", [this] { return static_cast<double>(size()); },
                      "cache=\"patients\"");
}

Result<Patient> CachedPatientStore::write(const std::function<Result<Patient>(PatientUnit&)>& fn) {
    std::vector<std::string> touched;
    struct Invalidate {
        CachedPatientStore& self;
        std::vector<std::string>& ids;
        ~Invalidate() { self.invalidate(ids); }  // after the commit, the rollback or the exception
    } guard{*this, touched};
    return inner_.write([&](PatientUnit& unit) {
        RecordingUnit recording(unit, touched);
        return fn(recording);
    });
}

std::optional<Patient> CachedPatientStore::find(const std::string& id) {
    if (auto hit = lookup(id)) {
        hits_.inc();
        return *hit;
    }
    misses_.inc();
    std::uint64_t seen;
    {
        std::lock_guard lock(mu_);
        seen = epoch_;
    }
    auto found = inner_.find(id);
    if (found) fill(id, std::make_shared<const Patient>(*found), seen);
    return found;
}

bool CachedPatientStore::exists(const std::string& id) {
    if (lookup(id)) return true;  // patients are archived, never deleted
    return inner_.exists(id);
}

std::size_t CachedPatientStore::size() {
    std::lock_guard lock(mu_);
    return index_.size();
}

std::shared_ptr<const Patient> CachedPatientStore::lookup(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = index_.find(id);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
}

void CachedPatientStore::fill(const std::string& id, std::shared_ptr<const Patient> p, std::uint64_t epoch_seen) {
    std::lock_guard lock(mu_);
    // A write committed since this read began: what was read may predate it.
    if (epoch_ != epoch_seen) return;
    if (auto it = index_.find(id); it != index_.end()) {
        it->second->second = std::move(p);
        lru_.splice(lru_.begin(), lru_, it->second);
        return;
    }
    lru_.emplace_front(id, std::move(p));
    index_.emplace(id, lru_.begin());
    while (index_.size() > capacity_) {
        index_.erase(lru_.back().first);
        lru_.pop_back();
    }
}

void CachedPatientStore::invalidate(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    ++epoch_;
    for (const auto& id : ids) {
        if (auto it = index_.find(id); it != index_.end()) {
            lru_.erase(it->second);
            index_.erase(it);
            invalidations_.inc();
        }
    }
}

}  // namespace medisecure::patients
