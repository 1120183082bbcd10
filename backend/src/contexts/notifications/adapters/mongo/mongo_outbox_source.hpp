// SPDX-License-Identifier: Apache-2.0
// The outbox of a context whose database is on MongoDB (appointments), as the relay sees it:
// the `outbox` collection of that database (platform/mongo/outbox.hpp).
#pragma once

#include "contexts/notifications/ports/stores.hpp"
#include "platform/mongo/mongo.hpp"

namespace medisecure::notifications {

class MongoOutboxSource final : public OutboxSource {
public:
    explicit MongoOutboxSource(mongo::Pool& pool) : pool_(pool) {}
    std::vector<jobs::QueuedRequest> peek(int limit) override;
    void remove(const std::vector<std::string>& ids) override;
    std::int64_t depth() override;

private:
    mongo::Pool& pool_;
};

}  // namespace medisecure::notifications
