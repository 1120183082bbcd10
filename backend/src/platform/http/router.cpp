// SPDX-License-Identifier: Apache-2.0
#include "platform/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace medisecure::http {

bool Access::allows(Role r) const {
    return roles.empty() || std::find(roles.begin(), roles.end(), r) != roles.end();
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        if (path[start] == '/') {
            ++start;
            continue;
        }
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.emplace_back(path.substr(start, end - start));
        start = end;
    }
    return out;
}

void Router::add(Route r) {
    if (frozen_) throw std::logic_error("route added after the router was frozen");
    auto segs = split_path(r.path);
    for (const auto& s : segs)
        if (s.front() == '{' && (s.back() != '}' || s.size() < 3))
            throw std::logic_error("malformed route template: " + r.path);
    auto shape = [](const std::vector<std::string>& v) {
        std::vector<std::string> out;
        for (const auto& s : v) out.push_back(s.front() == '{' ? "{}" : s);
        return out;
    };
    for (std::size_t i = 0; i < routes_.size(); ++i)
        if (routes_[i].method == r.method && shape(segments_[i]) == shape(segs))
            throw std::logic_error("duplicate route: " + r.path);
    if (!r.handler) throw std::logic_error("route without handler: " + r.path);
    routes_.push_back(std::move(r));
    segments_.push_back(std::move(segs));
}

Match Router::match(Method m, std::string_view path) const {
    auto segs = split_path(path);
    Match best;
    int best_score = -1;
    std::vector<Method> allowed;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& tpl = segments_[i];
        if (tpl.size() != segs.size()) continue;
        int score = 0;
        bool ok = true;
        for (std::size_t k = 0; k < tpl.size() && ok; ++k) {
            if (tpl[k].front() == '{') continue;
            if (tpl[k] != segs[k]) ok = false;
            else score += 1 << (tpl.size() - k);  // literal segments win over parameters
        }
        if (!ok) continue;
        bool method_ok = routes_[i].method == m || (m == Method::head && routes_[i].method == Method::get);
        if (!method_ok) {
            allowed.push_back(routes_[i].method);
            continue;
        }
        if (score > best_score) {
            best_score = score;
            best.route = &routes_[i];
            best.params.clear();
            for (std::size_t k = 0; k < tpl.size(); ++k)
                if (tpl[k].front() == '{')
                    best.params.emplace_back(tpl[k].substr(1, tpl[k].size() - 2), segs[k]);
        }
    }
    if (!best.route) best.allowed = std::move(allowed);
    return best;
}

}  // namespace medisecure::http
