// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/domain/appointment.hpp"

#include "core/text.hpp"

#include <cctype>

namespace medisecure::appointments {

std::string_view to_string(Status s) {
    switch (s) {
    case Status::booked:
        return "booked";
    case Status::checked_in:
        return "checked_in";
    case Status::completed:
        return "completed";
    case Status::cancelled:
        return "cancelled";
    case Status::no_show:
        return "no_show";
    }
    return "booked";
}

const std::vector<Status>& all_statuses() {
    static const std::vector<Status> all = {Status::booked, Status::checked_in, Status::completed,
                                            Status::cancelled, Status::no_show};
    return all;
}

std::optional<Status> parse_status(std::string_view s) {
    for (auto st : all_statuses())
        if (to_string(st) == s) return st;
    return std::nullopt;
}

std::string_view to_string(Transition t) {
    switch (t) {
    case Transition::check_in:
        return "check_in";
    case Transition::complete:
        return "complete";
    case Transition::no_show:
        return "no_show";
    case Transition::cancel:
        return "cancel";
    case Transition::reschedule:
        return "reschedule";
    }
    return "check_in";
}

std::optional<Status> next_status(Status from, Transition t) {
    switch (from) {
    case Status::booked:
        switch (t) {
        case Transition::check_in:
            return Status::checked_in;
        case Transition::cancel:
            return Status::cancelled;
        case Transition::no_show:
            return Status::no_show;
        case Transition::reschedule:
            return Status::booked;
        case Transition::complete:
            return std::nullopt;  // check the patient in first
        }
        return std::nullopt;
    case Status::checked_in:
        if (t == Transition::complete) return Status::completed;
        return std::nullopt;
    case Status::completed:
    case Status::cancelled:
    case Status::no_show:
        return std::nullopt;
    }
    return std::nullopt;
}

std::string_view to_string(Channel c) {
    return c == Channel::portal ? "portal" : "staff";
}

std::optional<Channel> parse_channel(std::string_view s) {
    if (s == "staff") return Channel::staff;
    if (s == "portal") return Channel::portal;
    return std::nullopt;
}

namespace {

/// The first letter of a name, upper-case without diacritics when it is Latin ("é" → "E"),
/// or the first character as it is otherwise.
std::string initial(std::string_view name) {
    std::string folded = fold(name);
    if (!folded.empty() && std::isalnum(static_cast<unsigned char>(folded[0])))
        return std::string(1,
                           static_cast<char>(std::toupper(static_cast<unsigned char>(folded[0]))));
    std::string t = trim(name);
    if (t.empty()) return "";
    std::size_t len = 1;
    auto lead = static_cast<unsigned char>(t[0]);
    if (lead >= 0xF0)
        len = 4;
    else if (lead >= 0xE0)
        len = 3;
    else if (lead >= 0xC0)
        len = 2;
    return t.substr(0, std::min(len, t.size()));
}

}  // namespace

std::string initials(std::string_view first_name, std::string_view last_name) {
    std::string out;
    for (auto part : {first_name, last_name}) {
        auto i = initial(part);
        if (!i.empty()) out += i + ".";
    }
    return out;
}

}  // namespace medisecure::appointments
