// SPDX-License-Identifier: Apache-2.0
// Response bodies serialised once and served again while what they were made from is unchanged.
// Each entry holds a stamp: a string naming exactly the data the body shows (record versions,
// update instants, the day when the body shows an age). A body is served only when the caller
// presents the same stamp for data it has just read through its service, which checked access
// and recorded the audit entry: the cache holds no authorisation decision and serves nothing
// older than that read. Bounded (least recently used out). Thread safety: safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/lru.hpp"

namespace medisecure::http {

class RenderedBodies {
public:
    explicit RenderedBodies(std::size_t capacity) : bodies_(capacity) {}

    /// The body stored under `key` when its stamp is `stamp`; otherwise `make()`, stored.
    template <class Make>
    std::string body(const std::string& key, const std::string& stamp, Make&& make) {
        {
            std::lock_guard lock(mu_);
            if (auto* e = bodies_.get(key); e && e->stamp == stamp) return *e->body;
        }
        auto made = std::make_shared<const std::string>(make());
        std::lock_guard lock(mu_);
        bodies_.put(key, {stamp, made});
        return *made;
    }

private:
    struct Entry {
        std::string stamp;
        std::shared_ptr<const std::string> body;
    };
    std::mutex mu_;
    Lru<Entry> bodies_;
};

}  // namespace medisecure::http
