// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/app/access_log_export_source.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace medisecure::audit {
namespace json = boost::json;

json::value AccessLogExportSource::export_json(const std::string& patient_id) {
    json::array out;
    std::optional<std::int64_t> before;
    std::vector<AuditRecord> all;
    for (;;) {
        AuditFilter f;
        f.patient_id = patient_id;
        f.before_seq = before;
        f.limit = 1000;
        auto page = repo_.search(f);
        if (page.empty()) break;
        before = page.back().seq;
        for (auto& r : page) all.push_back(std::move(r));
    }
    std::set<std::string> ids;
    for (const auto& r : all) ids.insert(r.actor_id);
    auto names = names_ ? names_(ids) : std::map<std::string, std::string>{};
    for (const auto& r : all) {
        auto n = names.find(r.actor_id);
        out.push_back(json::object{{"at", format_instant(r.at)},
                                   {"actor", n == names.end() ? json::value(nullptr) : json::value(n->second)},
                                   {"actor_role", r.actor_role},
                                   {"action", r.action},
                                   {"outcome", to_string(r.outcome)}});
    }
    return out;
}

}  // namespace medisecure::audit
