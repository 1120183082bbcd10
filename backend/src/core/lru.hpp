// SPDX-License-Identifier: Apache-2.0
// A map of bounded size that drops its least recently used entry first. Not synchronised: the
// owner holds its own lock around every call.
#pragma once

#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace medisecure {

template <class V> class Lru {
public:
    explicit Lru(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    /// The value under `key` (now the most recently used), or null.
    V* get(const std::string& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &it->second->second;
    }
    void put(const std::string& key, V value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return;
        }
        order_.emplace_front(key, std::move(value));
        index_.emplace(key, order_.begin());
        while (index_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }
    bool erase(const std::string& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return false;
        order_.erase(it->second);
        index_.erase(it);
        return true;
    }
    bool contains(const std::string& key) const { return index_.find(key) != index_.end(); }
    void clear() {
        index_.clear();
        order_.clear();
    }
    std::size_t size() const { return index_.size(); }

private:
    std::size_t capacity_;
    std::list<std::pair<std::string, V>> order_;  // most recently used first
    std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

}  // namespace medisecure
