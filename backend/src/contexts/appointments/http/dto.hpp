// SPDX-License-Identifier: Apache-2.0
// The JSON of the appointments API and the schemas that validate and document it. Instants
// are RFC 3339 in UTC; lists also name the practice's time zone.
#pragma once

#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "platform/json/schema.hpp"

#include <boost/json.hpp>

namespace medisecure::appointments::dto {

namespace json = boost::json;
using schema::Schema;

const Schema& uuid_s();
const Schema& appointment_s();
const Schema& appointment_written_s();  // book and reschedule: the appointment and its warnings
const Schema& appointment_list_s();
const Schema& practitioner_list_s();
const Schema& opening_hours_s();
const Schema& opening_hours_input_s();
const Schema& absence_s();
const Schema& absence_list_s();
const Schema& absence_input_s();
const Schema& absence_added_s();
const Schema& type_s();
const Schema& type_list_s();
const Schema& type_input_s();
const Schema& type_patch_s();
const Schema& availability_s();
const Schema& booking_input_s();
const Schema& reschedule_input_s();
const Schema& cancel_input_s();
const Schema& calendar_token_s();

json::object appointment_json(const Appointment& a);
json::object written_json(const Booking& b);
json::object listed_json(const ListedAppointment& item);
json::object opening_hours_json(const WeeklyHours& h, const std::string& time_zone);
json::object absence_json(const Absence& a);
json::object type_json(const AppointmentType& t);

std::vector<OpeningRange> ranges_from(const json::object& body);
AppointmentType type_from(const json::object& body);
TypePatch type_patch_from(const json::object& body);

}  // namespace medisecure::appointments::dto
