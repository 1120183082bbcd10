// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/adapters/mongo/mongo_outbox_source.hpp"

#include "platform/mongo/outbox.hpp"

namespace medisecure::notifications {

std::vector<jobs::QueuedRequest> MongoOutboxSource::peek(int limit) {
    std::vector<jobs::QueuedRequest> out;
    pool_.read([&](mongo::Connection& c) { out = mongo::peek_outbox(c, limit); });
    return out;
}

void MongoOutboxSource::remove(const std::vector<std::string>& ids) {
    pool_.read([&](mongo::Connection& c) { mongo::remove_from_outbox(c, ids); });
}

std::int64_t MongoOutboxSource::depth() {
    std::int64_t n = 0;
    pool_.read([&](mongo::Connection& c) { n = c.count(mongo::kOutbox, mongo::Bson()); });
    return n;
}

}  // namespace medisecure::notifications
