// SPDX-License-Identifier: Apache-2.0
// An appointment and its life cycle. Times are UTC instants; the practice's local time is a
// matter of display and of opening hours. The transition table is the one place that says
// which change is allowed from which status; anything else is a conflict (409).
//
//   booked ──check_in──▶ checked_in ──complete──▶ completed
//     │ ├──cancel──▶ cancelled
//     │ └──no_show──▶ no_show        (only once the start time has passed)
//     └──reschedule──▶ booked
//
// completed, cancelled and no_show are final.
#pragma once

#include "core/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medisecure::appointments {

enum class Status { booked, checked_in, completed, cancelled, no_show };
enum class Transition { check_in, complete, no_show, cancel, reschedule };

std::string_view to_string(Status s);
std::optional<Status> parse_status(std::string_view s);
std::string_view to_string(Transition t);
const std::vector<Status>& all_statuses();

/// The status after `t` from `from`, or nullopt when the table refuses it.
std::optional<Status> next_status(Status from, Transition t);
/// Whether an appointment in this status keeps its time slot (everything but cancelled).
inline bool occupies_slot(Status s) {
    return s != Status::cancelled;
}
inline bool is_final(Status s) {
    return s == Status::completed || s == Status::cancelled || s == Status::no_show;
}

/// Who made the booking: practice staff, or the patient through the portal.
enum class Channel { staff, portal };
std::string_view to_string(Channel c);
std::optional<Channel> parse_channel(std::string_view s);

struct Appointment {
    std::string id;
    std::string practitioner_id;
    std::string patient_id;
    std::string type_id;
    std::string type_label;  // as it was at booking time (types may be renamed later)
    std::string type_color;
    Timestamp start{};
    Timestamp end{};
    Status status = Status::booked;
    Channel booked_via = Channel::staff;
    std::string booked_by;  // user id
    std::string cancel_reason;
    std::string cancelled_by;       // user id
    std::string cancelled_by_role;  // admin, secretary, patient...
    std::optional<Timestamp> cancelled_at, checked_in_at, completed_at;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;

    std::chrono::minutes duration() const {
        return std::chrono::duration_cast<std::chrono::minutes>(end - start);
    }
};

/// Half-open intervals [a_start, a_end) and [b_start, b_end) share at least one instant.
inline bool overlaps(Timestamp a_start, Timestamp a_end, Timestamp b_start, Timestamp b_end) {
    return a_start < b_end && b_start < a_end;
}

/// "H.D." from "Hélène" "Dupont": what the calendar feed shows of a patient.
std::string initials(std::string_view first_name, std::string_view last_name);

}  // namespace medisecure::appointments
