// SPDX-License-Identifier: Apache-2.0
// Live notifications across instances: a notification created by any process (a `serve`
// instance or a `worker`) reaches the browser whose event stream any instance holds. Each one is
// broadcast (Redis publish/subscribe in the composition root); every instance's listener hands
// what it hears to its own streams through deliver(). When the broadcast fails, the notification
// is delivered to this process's streams only; it is stored either way, and the web application
// lists it on its next load.
// Blocking: published() waits for the broadcast (bounded by its timeouts); it runs on job
// threads. Thread safety: safe. PHI: notification payloads hold ids and display fields.
#pragma once

#include <string_view>

#include "contexts/notifications/app/notification_service.hpp"

namespace medisecure::notifications {

class FanoutPublisher final : public Publisher {
public:
    /// `broadcast` sends one serialised notification to every instance; throws when it cannot.
    FanoutPublisher(Publisher& local, std::function<void(const std::string&)> broadcast);
    void published(const Notification& n) override;
    /// A broadcast notification heard by this instance: to its own streams. Ignores what it
    /// cannot read.
    void deliver(std::string_view message);

    static std::string serialise(const Notification& n);
    static std::optional<Notification> parse(std::string_view message);

private:
    Publisher& local_;
    std::function<void(const std::string&)> broadcast_;
};

}  // namespace medisecure::notifications
