// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <mutex>

#include "contexts/notifications/app/jobs_service.hpp"
#include "contexts/notifications/app/reports.hpp"
#include "contexts/notifications/app/notification_service.hpp"
#include "contexts/notifications/app/patient_export.hpp"
#include "platform/http/router.hpp"

namespace medisecure::notifications {

/// Delivers notifications to the browsers of their user over server-sent events.
class NotificationHub final : public Publisher {
public:
    static constexpr std::size_t kMaxStreamsPerUser = 8;
    /// A new stream for `user_id`; the oldest is closed beyond kMaxStreamsPerUser.
    std::shared_ptr<http::EventStream> subscribe(const std::string& user_id);
    void published(const Notification& n) override;
    std::size_t subscribers();

private:
    std::mutex mu_;
    std::map<std::string, std::vector<std::weak_ptr<http::EventStream>>> streams_;
};

void add_routes(http::Router& router, JobsService& jobs, NotificationService& notifications, ExportService& exports,
                ReportService& reports, NotificationHub& hub);

}  // namespace medisecure::notifications
