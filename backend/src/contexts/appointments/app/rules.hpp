// SPDX-License-Identifier: Apache-2.0
// The settings the appointments use cases follow (from Config, by the composition root), and
// who may do what with a practitioner's schedule.
#pragma once

#include "core/caller.hpp"

#include <string>

namespace medisecure::appointments {

struct AppointmentRules {
    int portal_min_notice_hours = 24;     // patients book at least this long ahead
    int portal_cancel_notice_hours = 24;  // and cancel at least this long ahead
    int portal_max_days_ahead = 90;
    int reminder_hours_before = 24;  // 0: no reminders
    int max_window_days = 31;        // availability and list windows
};

/// The practice as the e-mails present it.
struct PracticeInfo {
    std::string name;
    std::string address;
    std::string phone;
    std::string email;
};

/// Staff who book and manage appointments (DESIGN §1: admin, doctor, nurse, secretary), and
/// the system caller of operator commands.
inline bool manages_appointments(const Caller& c) {
    return c.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::system});
}

/// Opening hours, absences and appointment types: administrators and secretaries for every
/// practitioner, a doctor for themselves. Nurses read them.
inline bool manages_schedule_of(const Caller& c, const std::string& practitioner_id) {
    if (c.any_of({Role::admin, Role::secretary, Role::system})) return true;
    return c.is(Role::doctor) && c.user_id == practitioner_id;
}

}  // namespace medisecure::appointments
