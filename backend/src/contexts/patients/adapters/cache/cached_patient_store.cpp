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
    std::string key = key_of(q);
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
    std::string key = key_of(q);
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

std::string CachedPatientStore::key_of(const PatientQuery& q) {
    std::string k;
    for (const auto& t : q.terms) k += t + '\x1f';
    k += '\x1e' + (q.birth_date ? format_date(*q.birth_date) : std::string()) + '\x1f' + q.mrn + '\x1f' + q.nir + '\x1f' +
         (q.include_archived ? "a" : "") + '\x1f' + std::to_string(q.limit);
    if (q.after) k += '\x1f' + q.after->sort_key + '\x1f' + q.after->id;
    return k;
}

void CachedPatientStore::invalidate(const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    ++epoch_;
    for (const auto& id : ids)
        if (records_.erase(id)) invalidations_.inc();
    searches_.clear();  // a new or changed patient may enter or leave any result
}

}  // namespace medisecure::patients
