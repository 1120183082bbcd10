// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/cache/shared_patient_store.hpp"

#include <algorithm>

#include "contexts/patients/adapters/cache/patient_cache_support.hpp"
#include "contexts/patients/adapters/cache/patient_codec.hpp"
#include "platform/crypto/digest.hpp"

namespace medisecure::patients {

namespace {
const std::string kLabel = "cache=\"patients_shared\"", kSearchLabel = "cache=\"patient_search_shared\"";
const std::string kGeneration = "pt:g";

std::string version_key(const std::string& id) { return "pt:v:" + id; }
std::string new_token() { return crypto::random_token(16); }
}  // namespace

SharedPatientStore::SharedPatientStore(PatientStore& inner, Cache& cache, std::string seal_key32,
                                       metrics::Registry& registry, SharedCacheOptions opt)
    : inner_(inner), cache_(cache), box_(std::move(seal_key32)), opt_(opt),
      records_{opt.record_ttl, registry.counter("medisecure_cache_hits_total", "Reads answered from a cache", kLabel),
               registry.counter("medisecure_cache_misses_total", "Reads that went to the database", kLabel),
               registry.counter("medisecure_cache_rejected_total",
                                "Cached values that did not open or decode (read as misses)", kLabel)},
      searches_{opt.search_ttl,
                registry.counter("medisecure_cache_hits_total", "Reads answered from a cache", kSearchLabel),
                registry.counter("medisecure_cache_misses_total", "Reads that went to the database", kSearchLabel),
                registry.counter("medisecure_cache_rejected_total",
                                 "Cached values that did not open or decode (read as misses)", kSearchLabel)},
      invalidations_(registry.counter("medisecure_cache_invalidations_total",
                                      "Entries dropped because a write changed them", kLabel)),
      invalidation_failures_(registry.counter("medisecure_cache_invalidation_failures_total",
                                              "Writes whose invalidation could not reach the shared cache (retried)",
                                              kLabel)),
      fallbacks_(registry.counter("medisecure_cache_fallbacks_total",
                                  "Shared cache calls that could not reach it and went without it",
                                  "use=\"patients\"")) {
    registry.gauge_fn("medisecure_cache_pending_invalidations",
                      "Invalidations not applied to the shared cache yet (reads bypass it meanwhile)",
                      [this] { return static_cast<double>(pending_invalidations()); }, kLabel);
}

Result<Patient> SharedPatientStore::write(const std::function<Result<Patient>(PatientUnit&)>& fn) {
    flush_pending();
    return write_then_invalidate(inner_, fn, [this](std::vector<std::string>& ids) {
        if (ids.empty()) return;  // nothing changed
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        std::vector<std::string> keys;
        keys.reserve(ids.size() + 1);
        if (opt_.records)
            for (const auto& id : ids) keys.push_back(version_key(id));
        keys.push_back(kGeneration);  // a new or changed patient may enter or leave any result
        bump(keys);
    });
}

std::optional<Patient> SharedPatientStore::find(const std::string& id) {
    if (!opt_.records) return inner_.find(id);
    return read_through<std::optional<Patient>>(
        records_, version_key(id), "pt:r:" + id, [&] { return inner_.find(id); },
        [](const std::optional<Patient>& p) { return p ? std::optional(encode_patient(*p)) : std::nullopt; },
        [](std::string_view text) { return decode_patient(text); });
}

std::vector<Patient> SharedPatientStore::search(const PatientQuery& q) {
    return read_through<std::vector<Patient>>(
        searches_, kGeneration, "pt:s:" + crypto::sha256_hex(search_key(q)), [&] { return inner_.search(q); },
        [](const std::vector<Patient>& ps) { return std::optional(encode_patients(ps)); },
        [](std::string_view text) { return decode_patients(text); });
}

bool SharedPatientStore::search_cached(const PatientQuery& q) {
    if (has_pending_.load()) return false;
    try {
        return peek(kGeneration, "pt:s:" + crypto::sha256_hex(search_key(q))).payload.has_value();
    } catch (const std::exception&) {
        return false;
    }
}

std::size_t SharedPatientStore::pending_invalidations() {
    std::lock_guard lock(mu_);
    return pending_.size();
}

SharedPatientStore::Peek SharedPatientStore::peek(const std::string& token_key, const std::string& value_key) {
    auto got = cache_.get_many({token_key, value_key});
    Peek out;
    out.token = std::move(got.at(0));
    if (!got.at(1)) return out;
    auto opened = box_.open(*got[1], value_key);  // bound to its key: a value moved elsewhere does not open
    auto nl = opened ? opened->find('\n') : std::string::npos;
    if (nl == std::string::npos) {
        out.rejected = true;
    } else if (out.token && std::string_view(*opened).substr(0, nl) == *out.token) {
        out.payload = opened->substr(nl + 1);
    }
    return out;
}

template <class T, class Load, class Encode, class Decode>
T SharedPatientStore::read_through(Family& f, const std::string& token_key, const std::string& value_key, Load&& load,
                                   Encode&& encode, Decode&& decode) {
    bool answered = false;
    std::optional<std::string> token;  // current when the cache answered
    if (flush_pending()) {
        try {
            auto seen = peek(token_key, value_key);
            if (seen.payload) {
                if (auto value = decode(*seen.payload)) {
                    f.hits.inc();
                    return T(std::move(*value));
                }
                seen.rejected = true;
            }
            if (seen.rejected) f.rejected.inc();
            token = std::move(seen.token);
            answered = true;
        } catch (const std::exception&) {  // CacheUnavailable, or anything else from the cache
            fallbacks_.inc();
        }
    }
    f.misses.inc();
    T loaded = load();  // after the token was read: a write committed since has replaced it
    auto text = answered ? encode(loaded) : std::nullopt;
    if (!text) return loaded;
    try {
        if (token) cache_.put(value_key, box_.seal(*token + '\n' + *text, value_key), f.ttl);
        // No token (expired or evicted): a new one, for the next read to fill under. This read
        // fills nothing: a token put after its database read does not vouch for what it read.
        else cache_.put(token_key, new_token(), opt_.version_ttl);
    } catch (const std::exception&) {
        fallbacks_.inc();
    }
    return loaded;
}

void SharedPatientStore::bump(const std::vector<std::string>& keys) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
        try {
            cache_.put(keys[i], new_token(), opt_.version_ttl);
            if (keys[i] != kGeneration) invalidations_.inc();
        } catch (const std::exception&) {
            invalidation_failures_.inc();
            std::lock_guard lock(mu_);
            ++pending_seq_;
            for (std::size_t j = i; j < keys.size(); ++j) pending_[keys[j]] = pending_seq_;
            has_pending_.store(true);
            return;
        }
    }
}

bool SharedPatientStore::flush_pending() {
    if (!has_pending_.load()) return true;
    std::vector<std::pair<std::string, std::uint64_t>> todo;
    {
        std::lock_guard lock(mu_);
        todo.assign(pending_.begin(), pending_.end());
    }
    for (const auto& [key, seq] : todo) {
        try {
            cache_.put(key, new_token(), opt_.version_ttl);
        } catch (const std::exception&) {
            fallbacks_.inc();
            return false;
        }
        std::lock_guard lock(mu_);
        // A write that failed again meanwhile may have committed after this put: keep it then.
        if (auto it = pending_.find(key); it != pending_.end() && it->second == seq) pending_.erase(it);
        has_pending_.store(!pending_.empty());
    }
    std::lock_guard lock(mu_);
    return pending_.empty();
}

}  // namespace medisecure::patients
