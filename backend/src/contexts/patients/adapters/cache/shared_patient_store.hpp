// SPDX-License-Identifier: Apache-2.0
// A read-through cache in front of a PatientStore that every instance shares (the Cache port on
// Redis), for deployments where several instances use one database. CachedPatientStore is the
// per-process cache of a single instance.
//
// Keys: `pt:v:<id>` a version token per patient, `pt:r:<id>` the record, `pt:g` a generation
// token for searches, `pt:s:<sha256 of the query>` a page of results. The machinery is
// SharedReadThrough (platform/cache/shared_read_through.hpp): a cached value is served only
// while the token that was current when its database read began still is; a write replaces the
// tokens of the patients it touched, and the generation, after its commit (or rollback) and
// before it returns, so before its HTTP response: once a write's response has been sent, no
// instance serves what preceded it. A lost token key cannot revive an old value.
//
// When the cache cannot be reached, reads and writes go to the inner store. A write whose
// invalidation fails leaves its keys pending here: until they are applied (retried at the start
// of each later call) this instance reads past the cache. The window that remains: another
// instance that still reaches Redis while this one cannot keeps serving what it cached before
// the write, for at most `record_ttl` (a record) or `search_ttl` (a search page).
//
// Values are sealed (XChaCha20-Poly1305) with a key of their own bound to their cache key: no
// PHI in Redis in clear, and a value copied under another key does not open (a miss). Blocking:
// yes (the cache and the inner store). Thread safety: safe. PHI: yes.
#pragma once

#include <chrono>

#include "contexts/patients/ports/patient_store.hpp"
#include "platform/cache/shared_read_through.hpp"

namespace medisecure::patients {

struct SharedCacheOptions {
    /// Records too, not only searches. Off by default on PostgreSQL: a read by primary key there
    /// costs about what a Redis round trip does, so a hit gains nothing and a miss costs two
    /// more round trips (measured: docs/performance.md); a search is what the cache saves.
    bool records = true;
    std::chrono::seconds record_ttl{300};
    std::chrono::seconds search_ttl{60};
    /// Of the version and generation tokens; longer than the values they validate.
    std::chrono::seconds version_ttl{std::chrono::hours{24}};
};

class SharedPatientStore final : public PatientStore {
public:
    /// `seal_key32`: 32 bytes, derived from the master key for this use only.
    SharedPatientStore(PatientStore& inner, Cache& cache, std::string seal_key32, metrics::Registry& registry,
                       SharedCacheOptions opt = {});

    Result<Patient> write(const std::function<Result<Patient>(PatientUnit&)>& fn) override;
    std::optional<Patient> find(const std::string& id) override;
    std::vector<Patient> search(const PatientQuery& q) override;
    /// One round trip: called on a connection's thread, it neither fills nor retries anything.
    bool search_cached(const PatientQuery& q) override;
    bool exists(const std::string& id) override { return inner_.exists(id); }
    bool ping() override { return inner_.ping(); }

    /// Token keys whose invalidation has not reached the cache yet (while any: reads bypass it).
    std::size_t pending_invalidations() { return shared_.pending_invalidations(); }

private:
    PatientStore& inner_;
    SharedCacheOptions opt_;
    SharedReadThrough shared_;
    SharedReadThrough::Family records_;
    SharedReadThrough::Family searches_;
};

}  // namespace medisecure::patients
