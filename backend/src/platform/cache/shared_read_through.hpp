// SPDX-License-Identifier: Apache-2.0
// A read-through cache that every instance shares (the Cache port on Redis), for values read
// from a database that several instances write: what a write changed is never served once the
// write has returned, on any instance. Used by the stores' cache decorators (patients'
// SharedPatientStore, billing's SharedStatsBillingStore), which choose the keys, the TTLs and
// how a value is written as text.
//
// Each value is validated by a token key: a value stored under `value_key` carries the token of
// `token_key` that was current when its database read began, and is served only while that
// token is still the current one. The token and the value are read together, in one get_many (one
// round trip). A writer replaces the tokens of what it changed (bump) after its commit (or
// rollback) and before it returns; since a reader reads the token before the database, a fill
// that raced a write carries the old token and is never served. A missing token key (expired,
// or evicted by a Redis short of memory) is not read as a token: the read that finds it missing
// fills nothing and puts a new token, which no earlier fill carries, so a lost token key cannot
// revive an old value.
//
// When the cache cannot be reached, reads go to the database (counted as fallbacks). A bump that
// fails leaves its keys pending here: until they are applied (retried at the start of each later
// read, and by flush_pending) this instance reads past the cache. The window that remains:
// another instance that still reaches the cache keeps serving what it cached before the write,
// for at most the TTL of the value.
//
// Values are sealed (XChaCha20-Poly1305, the value key as associated data): nothing in the cache
// in clear, and a value copied under another key does not open (a miss, counted as rejected).
// Metrics: medisecure_cache_{hits,misses,rejected}_total{cache="<family>"} per family of values;
// medisecure_cache_invalidations_total, medisecure_cache_invalidation_failures_total and the
// gauge medisecure_cache_pending_invalidations with cache="<label>"; and
// medisecure_cache_fallbacks_total{use="<use>"}.
// Blocking: yes (the cache, and the loads). Thread safety: safe. Not movable (the pending gauge
// refers to it). PHI: whatever the values hold (sealed before they leave the process).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/cache/cache.hpp"
#include "platform/crypto/sealed_box.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure {

struct SharedReadThroughOptions {
    std::string label;  // cache="<label>" on the invalidation metrics
    std::string use;    // use="<use>" on the fallbacks
    /// Of the tokens; longer than the values they validate.
    std::chrono::seconds token_ttl{std::chrono::hours{24}};
};

class SharedReadThrough {
public:
    /// One kind of value: its TTL and its hit, miss and rejected counters.
    struct Family {
        std::chrono::seconds ttl;
        metrics::Counter& hits;
        metrics::Counter& misses;
        metrics::Counter& rejected;
    };

    /// `seal_key32`: 32 bytes, derived from the master key for this use only.
    SharedReadThrough(Cache& cache, std::string seal_key32, metrics::Registry& registry, SharedReadThroughOptions opt);
    SharedReadThrough(const SharedReadThrough&) = delete;
    SharedReadThrough& operator=(const SharedReadThrough&) = delete;

    /// The counters of a kind of value, labelled cache="<label>", kept `ttl` in the cache.
    Family family(const std::string& label, std::chrono::seconds ttl);

    /// The value under `value_key` when it carries the current token of `token_key`, decoded
    /// (`decode(std::string_view) -> std::optional<T-ish>`, nullopt for a text it rejects);
    /// otherwise `load()`, stored encoded (`encode(const T&) -> std::optional<std::string>`,
    /// nullopt for nothing to store) under the token read before the load.
    template <class T, class Load, class Encode, class Decode>
    T read(Family& f, const std::string& token_key, const std::string& value_key, Load&& load, Encode&& encode,
           Decode&& decode) {
        auto seen = look(f, token_key, value_key);
        if (seen.payload) {
            if (auto value = decode(std::string_view(*seen.payload))) {
                f.hits.inc();
                return T(std::move(*value));
            }
            f.rejected.inc();
        }
        f.misses.inc();
        T loaded = load();  // after the token was read: a write committed since has replaced it
        if (!seen.answered) return loaded;
        if (auto text = encode(loaded)) fill(f, token_key, value_key, seen.token, *text);
        return loaded;
    }

    /// Whether a current value is under `value_key`, in one round trip: it neither applies
    /// pending invalidations nor fills anything, and answers false while any are pending or
    /// when the cache cannot be reached. Never throws.
    bool cached(const std::string& token_key, const std::string& value_key);

    /// Replaces the tokens under `counted` (each counted as an invalidation), then under
    /// `uncounted` (e.g. a generation replaced with entries already counted); what fails stays
    /// pending. Never throws.
    void bump(const std::vector<std::string>& counted, const std::vector<std::string>& uncounted = {});
    /// Applies pending invalidations; true when none remain (the cache may be used).
    bool flush_pending();
    /// Token keys whose invalidation has not reached the cache yet (while any: reads bypass it).
    std::size_t pending_invalidations();

private:
    /// What the cache holds for a read: whether it answered, the current token (nullopt when
    /// the key is missing) and the opened payload when it was stored under that token.
    struct Seen {
        bool answered = false;
        std::optional<std::string> token;
        std::optional<std::string> payload;
        bool rejected = false;  // a value that did not open
    };
    /// Applies pending invalidations, then reads the token and the value. Counts a value that
    /// did not open as rejected, a cache that did not answer as a fallback.
    Seen look(Family& f, const std::string& token_key, const std::string& value_key);
    /// Reads the token and the value, opened; throws what the cache throws.
    Seen peek(const std::string& token_key, const std::string& value_key);
    /// Stores `text` under `token`, or when there was no token, a new token for the next read.
    void fill(Family& f, const std::string& token_key, const std::string& value_key,
              const std::optional<std::string>& token, const std::string& text);

    Cache& cache_;
    crypto::SealedBox box_;
    SharedReadThroughOptions opt_;
    metrics::Registry& registry_;
    std::mutex mu_;
    std::map<std::string, std::uint64_t> pending_;  // token key → sequence of its last failure; under mu_
    std::uint64_t pending_seq_ = 0;                 // under mu_
    std::atomic<bool> has_pending_{false};
    metrics::Counter& invalidations_;
    metrics::Counter& invalidation_failures_;
    metrics::Counter& fallbacks_;
};

}  // namespace medisecure
