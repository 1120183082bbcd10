// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "platform/http/router.hpp"

namespace medisecure::appointments {

struct RouteOptions {
    std::string
        public_url;  // e.g. https://cabinet.example.fr; empty: calendar links are paths only
};

/// /api/v1/practitioners/..., /api/v1/appointments/... and the public /api/v1/calendar feed.
void add_routes(http::Router& router, ScheduleService& schedules, AppointmentService& appointments,
                const TimeZone& tz, RouteOptions options);

}  // namespace medisecure::appointments
