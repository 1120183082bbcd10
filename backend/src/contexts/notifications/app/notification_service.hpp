// SPDX-License-Identifier: Apache-2.0
// In-app notifications: created by the `notifications.in_app` job from any context's outbox,
// stored per user, and handed to a Publisher that delivers them live (server-sent events).
// A user reads and acknowledges only their own.
#pragma once

#include <functional>

#include "contexts/notifications/ports/stores.hpp"
#include "core/caller.hpp"
#include "core/error.hpp"

namespace medisecure::notifications {

/// Live delivery (implemented by the HTTP layer's hub). Must not block.
class Publisher {
public:
    virtual ~Publisher() = default;
    virtual void published(const Notification& n) = 0;
};

/// Turns a recipient ("user:<id>", "patient:<patient id>", "role:<role>") into user ids.
using RecipientResolver = std::function<std::vector<std::string>(const std::string& recipient)>;

struct NotificationPage {
    std::vector<Notification> items;
    std::int64_t unread = 0;
    std::optional<Timestamp> next_before;
};

class NotificationService {
public:
    NotificationService(NotificationStore& store, Publisher& publisher, const Clock& clock);
    /// Stores one notification per user and publishes it.
    void create(const std::vector<std::string>& user_ids, const std::string& kind, const std::string& data_json,
                const std::string& link);
    Result<NotificationPage> list(const Caller& caller, bool unread_only, std::optional<Timestamp> before, int limit);
    Result<void> mark_read(const Caller& caller, const std::string& id);
    Result<void> mark_all_read(const Caller& caller);

private:
    NotificationStore& store_;
    Publisher& publisher_;
    const Clock& clock_;
};

/// The handler of jobs::kInAppNotification.
class InAppHandler final : public jobs::Handler {
public:
    InAppHandler(NotificationService& service, RecipientResolver resolve) : service_(service), resolve_(std::move(resolve)) {}
    jobs::Outcome run(const jobs::Job& job) override;

private:
    NotificationService& service_;
    RecipientResolver resolve_;
};

}  // namespace medisecure::notifications
