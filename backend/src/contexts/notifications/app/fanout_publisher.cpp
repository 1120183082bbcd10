// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/app/fanout_publisher.hpp"

#include <boost/json.hpp>

#include "platform/log/log.hpp"

namespace medisecure::notifications {
namespace json = boost::json;

FanoutPublisher::FanoutPublisher(Publisher& local, std::function<void(const std::string&)> broadcast)
    : local_(local), broadcast_(std::move(broadcast)) {}

std::string FanoutPublisher::serialise(const Notification& n) {
    return json::serialize(json::object{{"id", n.id},
                                        {"user_id", n.user_id},
                                        {"kind", n.kind},
                                        {"data", n.data_json},
                                        {"link", n.link},
                                        {"created_at_us", to_micros(n.created_at)}});
}

std::optional<Notification> FanoutPublisher::parse(std::string_view message) {
    boost::system::error_code ec;
    auto v = json::parse(message, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.get_object();
    auto str = [&](const char* k) -> std::optional<std::string> {
        auto* x = o.if_contains(k);
        if (!x || !x->is_string()) return std::nullopt;
        return std::string(x->get_string());
    };
    auto id = str("id"), user = str("user_id"), kind = str("kind"), data = str("data"), link = str("link");
    auto* at = o.if_contains("created_at_us");
    if (!id || !user || !kind || !data || !link || !at || !at->is_int64()) return std::nullopt;
    Notification n;
    n.id = *id;
    n.user_id = *user;
    n.kind = *kind;
    n.data_json = *data;
    n.link = *link;
    n.created_at = from_micros(at->get_int64());
    return n;
}

void FanoutPublisher::published(const Notification& n) {
    try {
        broadcast_(serialise(n));  // this instance hears it too, and delivers it then
    } catch (const std::exception& e) {
        log::warn("notifications.broadcast_failed", {{"error", e.what()}});
        local_.published(n);
    }
}

void FanoutPublisher::deliver(std::string_view message) {
    if (auto n = parse(message)) local_.published(*n);
    else log::warn("notifications.broadcast_unreadable");
}

}  // namespace medisecure::notifications
