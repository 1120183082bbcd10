// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/notification_service.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/random.hpp"

namespace medisecure::notifications {
namespace json = boost::json;

NotificationService::NotificationService(NotificationStore& store, Publisher& publisher, const Clock& clock)
    : store_(store), publisher_(publisher), clock_(clock) {}

void NotificationService::create(const std::vector<std::string>& user_ids, const std::string& kind,
                                 const std::string& data_json, const std::string& link) {
    for (const auto& user : user_ids) {
        Notification n;
        n.id = new_uuid_v7(clock_.now());
        n.user_id = user;
        n.kind = kind;
        n.data_json = data_json;
        n.link = link;
        n.created_at = clock_.now();
        store_.insert(n);
        publisher_.published(n);
    }
}

Result<NotificationPage> NotificationService::list(const Caller& caller, bool unread_only, std::optional<Timestamp> before,
                                                   int limit) {
    if (caller.user_id.empty() || caller.is(Role::system)) return forbidden("role_not_allowed", "Sign in to read notifications.");
    limit = std::clamp(limit, 1, 100);
    NotificationPage page;
    page.items = store_.list(caller.user_id, unread_only, before, limit + 1);
    if (static_cast<int>(page.items.size()) > limit) {
        page.items.resize(static_cast<std::size_t>(limit));
        page.next_before = page.items.back().created_at;
    }
    page.unread = store_.unread_count(caller.user_id);
    return page;
}

Result<void> NotificationService::mark_read(const Caller& caller, const std::string& id) {
    if (!store_.mark_read(caller.user_id, id, clock_.now()))
        return not_found("notification_not_found", "No such notification.");
    return {};
}

Result<void> NotificationService::mark_all_read(const Caller& caller) {
    store_.mark_all_read(caller.user_id, clock_.now());
    return {};
}

jobs::Outcome InAppHandler::run(const jobs::Job& job) {
    boost::system::error_code ec;
    auto v = json::parse(job.payload_json, ec);
    if (ec || !v.is_object()) return jobs::Outcome::fail("payload is not a JSON object");
    const auto& o = v.as_object();
    auto* kind = o.if_contains("kind");
    auto* recipients = o.if_contains("recipients");
    if (!kind || !kind->is_string() || !recipients || !recipients->is_array())
        return jobs::Outcome::fail("payload needs kind and recipients");
    std::set<std::string> users;
    for (const auto& r : recipients->as_array())
        if (r.is_string())
            for (auto& u : resolve_(std::string(r.as_string()))) users.insert(u);
    std::string data = "{}";
    if (auto* d = o.if_contains("data"); d && d->is_object()) data = json::serialize(*d);
    std::string link;
    if (auto* l = o.if_contains("link"); l && l->is_string()) link = std::string(l->as_string());
    // Idempotent enough: a retry after a partial run may notify some users twice, which a
    // reader tolerates better than a missed notification.
    service_.create(std::vector<std::string>(users.begin(), users.end()), std::string(kind->as_string()), data, link);
    return jobs::Outcome::ok(json::serialize(json::object{{"notified", users.size()}}));
}

}  // namespace medisecure::notifications
