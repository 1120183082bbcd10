// SPDX-License-Identifier: Apache-2.0
#include "platform/cache/shared_read_through.hpp"

#include "platform/crypto/digest.hpp"

namespace medisecure {

namespace {
std::string cache_label(const std::string& name) { return "cache=\"" + metrics::label_value(name) + "\""; }
std::string new_token() { return crypto::random_token(16); }
}  // namespace

SharedReadThrough::SharedReadThrough(Cache& cache, std::string seal_key32, metrics::Registry& registry,
                                     SharedReadThroughOptions opt)
    : cache_(cache), box_(std::move(seal_key32)), opt_(std::move(opt)), registry_(registry),
      invalidations_(registry.counter("medisecure_cache_invalidations_total",
                                      "Entries dropped because a write changed them", cache_label(opt_.label))),
      invalidation_failures_(registry.counter("medisecure_cache_invalidation_failures_total",
                                              "Writes whose invalidation could not reach the shared cache (retried)",
                                              cache_label(opt_.label))),
      fallbacks_(registry.counter("medisecure_cache_fallbacks_total",
                                  "Shared cache calls that could not reach it and went without it",
                                  "use=\"" + metrics::label_value(opt_.use) + "\"")) {
    registry.gauge_fn("medisecure_cache_pending_invalidations",
                      "Invalidations not applied to the shared cache yet (reads bypass it meanwhile)",
                      [this] { return static_cast<double>(pending_invalidations()); }, cache_label(opt_.label));
}

SharedReadThrough::Family SharedReadThrough::family(const std::string& label, std::chrono::seconds ttl) {
    auto labels = cache_label(label);
    return Family{ttl, registry_.counter("medisecure_cache_hits_total", "Reads answered from a cache", labels),
                  registry_.counter("medisecure_cache_misses_total", "Reads that went to the database", labels),
                  registry_.counter("medisecure_cache_rejected_total",
                                    "Cached values that did not open or decode (read as misses)", labels)};
}

bool SharedReadThrough::cached(const std::string& token_key, const std::string& value_key) {
    if (has_pending_.load()) return false;
    try {
        return peek(token_key, value_key).payload.has_value();
    } catch (const std::exception&) {
        return false;
    }
}

std::size_t SharedReadThrough::pending_invalidations() {
    std::lock_guard lock(mu_);
    return pending_.size();
}

SharedReadThrough::Seen SharedReadThrough::peek(const std::string& token_key, const std::string& value_key) {
    auto got = cache_.get_many({token_key, value_key});
    Seen out;
    out.answered = true;
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

SharedReadThrough::Seen SharedReadThrough::look(Family& f, const std::string& token_key, const std::string& value_key) {
    if (!flush_pending()) return {};
    try {
        auto seen = peek(token_key, value_key);
        if (seen.rejected) f.rejected.inc();
        return seen;
    } catch (const std::exception&) {  // CacheUnavailable, or anything else from the cache
        fallbacks_.inc();
        return {};
    }
}

void SharedReadThrough::fill(Family& f, const std::string& token_key, const std::string& value_key,
                             const std::optional<std::string>& token, const std::string& text) {
    try {
        if (token) cache_.put(value_key, box_.seal(*token + '\n' + text, value_key), f.ttl);
        // No token (expired or evicted): a new one, for the next read to fill under. This read
        // fills nothing: a token put after its database read does not vouch for what it read.
        else cache_.put(token_key, new_token(), opt_.token_ttl);
    } catch (const std::exception&) {
        fallbacks_.inc();
    }
}

void SharedReadThrough::bump(const std::vector<std::string>& counted, const std::vector<std::string>& uncounted) {
    std::vector<std::string> keys(counted);
    keys.insert(keys.end(), uncounted.begin(), uncounted.end());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        try {
            cache_.put(keys[i], new_token(), opt_.token_ttl);
            if (i < counted.size()) invalidations_.inc();
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

bool SharedReadThrough::flush_pending() {
    if (!has_pending_.load()) return true;
    std::vector<std::pair<std::string, std::uint64_t>> todo;
    {
        std::lock_guard lock(mu_);
        todo.assign(pending_.begin(), pending_.end());
    }
    for (const auto& [key, seq] : todo) {
        try {
            cache_.put(key, new_token(), opt_.token_ttl);
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

}  // namespace medisecure
