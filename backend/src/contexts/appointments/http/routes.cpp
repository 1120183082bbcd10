// SPDX-License-Identifier: Apache-2.0
// Schedules under /api/v1/practitioners, appointments under /api/v1/appointments, and the
// practitioner's calendar feed at a secret URL. Changes of a versioned resource need If-Match.
#include "contexts/appointments/http/routes.hpp"

#include "contexts/appointments/http/dto.hpp"
#include "platform/http/conditional.hpp"
#include "platform/http/problem.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::appointments {

namespace json = boost::json;
using http::Access;
using http::Method;
using http::ParamIn;
using http::Request;
using http::Response;
using schema::Schema;

namespace {

const std::vector<Role> kStaff = {Role::admin, Role::doctor, Role::nurse, Role::secretary};
const std::vector<Role> kScheduleEditors = {Role::admin, Role::doctor, Role::secretary};
const std::vector<Role> kStaffAndPatients = {Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::patient};

http::Param path_id(const char* name, const char* what) { return {name, ParamIn::path, dto::uuid_s(), true, what}; }
http::Param if_match() {
    return {"If-Match", ParamIn::header, Schema::string(), true, "The ETag of the version being changed"};
}

Response fail(const Error& e, const Request& r) { return http::problem(e, r.request_id); }

/// The version named by a required If-Match (428 without it, 412 when malformed).
Result<std::int64_t> required_version(const Request& r) {
    auto v = http::if_match_version(r, true);
    if (!v) return v.error();
    if (!*v)
        return Error{ErrorKind::precondition_required, "if_match_required", "Send the ETag you read (not *) in an If-Match header."};
    return **v;
}

/// A query bound: an RFC 3339 instant, or a date meaning local midnight at its start.
Result<Timestamp> bound(const Request& r, const char* name, const TimeZone& tz) {
    auto text = r.query(name).value_or("");
    if (auto d = parse_date(text)) return tz.start_of_day(*d);
    if (auto t = parse_instant(text)) return *t;
    return invalid_field(name, "format", "must be an RFC 3339 instant or a date (YYYY-MM-DD)");
}

Response with_etag(Response r, std::int64_t version) {
    r.headers.set("ETag", http::etag_for(version));
    return r;
}

Response appointment_response(int status, const Appointment& a) {
    return with_etag(Response::json(status, dto::appointment_json(a)), a.version);
}

std::string path_param(const Request& r, const char* name) { return std::string(r.path_param(name)); }

}  // namespace

void add_routes(http::Router& router, ScheduleService& schedules, AppointmentService& appointments, const TimeZone& tz,
                RouteOptions options) {
    const TimeZone* zone = &tz;
    const auto practitioner = path_id("id", "Practitioner (user) id");
    const auto appointment = path_id("id", "Appointment id");

    // ----- practitioners and their schedules -----

    router.add({
        .method = Method::get,
        .path = "/api/v1/practitioners",
        .operation_id = "listPractitioners",
        .summary = "Practitioners who can be booked, with the appointment types they offer",
        .description = "Active doctors. Patients see only the types they may book online.",
        .tag = "appointments",
        .access = Access::roles_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::accountant, Role::patient}),
        .responses = {{200, "The practitioners", dto::practitioner_list_s()}},
        .handler = [&schedules](Request& r) {
            auto list = schedules.practitioners(r.caller());
            if (!list) return fail(list.error(), r);
            json::array items;
            for (const auto& offer : *list) {
                json::array types;
                for (const auto& t : offer.types)
                    types.push_back(json::object{{"id", t.id}, {"label", t.label}, {"duration_minutes", t.duration_minutes},
                                                 {"color", t.color}, {"portal_bookable", t.portal_bookable}});
                items.push_back(json::object{{"id", offer.practitioner.id},
                                             {"display_name", offer.practitioner.display_name},
                                             {"appointment_types", std::move(types)}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/practitioners/{id}/opening-hours",
        .operation_id = "getOpeningHours",
        .summary = "A practitioner's weekly opening hours (local time)",
        .tag = "appointments",
        .access = Access::roles_of(kStaff),
        .params = {practitioner},
        .responses = {{200, "The opening hours", dto::opening_hours_s(), "application/json", {"ETag"}}},
        .handler = [&schedules, zone](Request& r) {
            auto h = schedules.hours(r.caller(), path_param(r, "id"));
            if (!h) return fail(h.error(), r);
            return with_etag(Response::json(200, dto::opening_hours_json(*h, zone->name())), h->version);
        }});

    router.add({
        .method = Method::put,
        .path = "/api/v1/practitioners/{id}/opening-hours",
        .operation_id = "setOpeningHours",
        .summary = "Replace a practitioner's weekly opening hours",
        .description = "Ranges are local wall-clock times (HH:MM, up to 24:00) per ISO weekday, in steps of 5 minutes, "
                       "at most 8 a day, not overlapping. Send the ETag you read in If-Match (\"v0\" the first time). "
                       "Administrators and secretaries edit anyone's; a doctor their own.",
        .tag = "appointments",
        .access = Access::roles_of(kScheduleEditors),
        .params = {practitioner, if_match()},
        .body = http::BodyDoc{dto::opening_hours_input_s()},
        .responses = {{200, "Saved", dto::opening_hours_s(), "application/json", {"ETag"}}},
        .errors = {403, 412, 428},
        .handler = [&schedules, zone](Request& r) {
            auto version = required_version(r);
            if (!version) return fail(version.error(), r);
            auto h = schedules.set_hours(r.caller(), path_param(r, "id"), *version, dto::ranges_from(r.json.as_object()));
            if (!h) return fail(h.error(), r);
            return with_etag(Response::json(200, dto::opening_hours_json(*h, zone->name())), h->version);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/practitioners/{id}/absences",
        .operation_id = "listAbsences",
        .summary = "A practitioner's absences that meet a window",
        .tag = "appointments",
        .access = Access::roles_of(kStaff),
        .params = {practitioner,
                   {"from", ParamIn::query, Schema::string().max_length(40), true, "RFC 3339 instant, or a date (local midnight)"},
                   {"to", ParamIn::query, Schema::string().max_length(40), true, "End of the window (exclusive), same forms"}},
        .responses = {{200, "The absences, by start", dto::absence_list_s()}},
        .handler = [&schedules, zone](Request& r) {
            auto from = bound(r, "from", *zone);
            if (!from) return fail(from.error(), r);
            auto to = bound(r, "to", *zone);
            if (!to) return fail(to.error(), r);
            auto list = schedules.absences(r.caller(), path_param(r, "id"), *from, *to);
            if (!list) return fail(list.error(), r);
            json::array items;
            for (const auto& a : *list) items.push_back(dto::absence_json(a));
            return Response::json(200, json::object{{"items", std::move(items)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/practitioners/{id}/absences",
        .operation_id = "addAbsence",
        .summary = "Record an absence (holiday, training...)",
        .description = "No booking can be made inside it. Appointments already booked inside are listed in "
                       "`conflicting_appointments` so they can be moved; they are not cancelled automatically.",
        .tag = "appointments",
        .access = Access::roles_of(kScheduleEditors),
        .params = {practitioner},
        .body = http::BodyDoc{dto::absence_input_s()},
        .responses = {{201, "Recorded", dto::absence_added_s()}},
        .errors = {403, 409},
        .handler = [&schedules](Request& r) {
            const auto& b = r.json.as_object();
            Absence a;
            a.start = *parse_instant(jsonu::string_or(b, "start"));
            a.end = *parse_instant(jsonu::string_or(b, "end"));
            a.reason = jsonu::string_or(b, "reason");
            auto added = schedules.add_absence(r.caller(), path_param(r, "id"), a);
            if (!added) return fail(added.error(), r);
            json::array conflicts;
            for (const auto& c : added->conflicts)
                conflicts.push_back(json::object{{"id", c.id}, {"patient_id", c.patient_id},
                                                 {"start", format_instant(c.start)}, {"end", format_instant(c.end)}});
            return Response::json(201, json::object{{"absence", dto::absence_json(added->absence)},
                                                    {"conflicting_appointments", std::move(conflicts)}});
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/practitioners/{id}/absences/{absence_id}",
        .operation_id = "removeAbsence",
        .summary = "Remove an absence",
        .tag = "appointments",
        .access = Access::roles_of(kScheduleEditors),
        .params = {practitioner, path_id("absence_id", "Absence id")},
        .responses = {{204, "Removed", std::nullopt, ""}},
        .errors = {403},
        .handler = [&schedules](Request& r) {
            auto done = schedules.remove_absence(r.caller(), path_param(r, "id"), path_param(r, "absence_id"));
            if (!done) return fail(done.error(), r);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/practitioners/{id}/appointment-types",
        .operation_id = "listAppointmentTypes",
        .summary = "A practitioner's appointment types, inactive ones included",
        .tag = "appointments",
        .access = Access::roles_of(kStaff),
        .params = {practitioner},
        .responses = {{200, "The types, by label", dto::type_list_s()}},
        .handler = [&schedules](Request& r) {
            auto list = schedules.types(r.caller(), path_param(r, "id"));
            if (!list) return fail(list.error(), r);
            json::array items;
            for (const auto& t : *list) items.push_back(dto::type_json(t));
            return Response::json(200, json::object{{"items", std::move(items)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/practitioners/{id}/appointment-types",
        .operation_id = "addAppointmentType",
        .summary = "Create an appointment type",
        .tag = "appointments",
        .access = Access::roles_of(kScheduleEditors),
        .params = {practitioner},
        .body = http::BodyDoc{dto::type_input_s()},
        .responses = {{201, "Created", dto::type_s(), "application/json", {"ETag"}}},
        .errors = {403},
        .handler = [&schedules](Request& r) {
            auto t = schedules.add_type(r.caller(), path_param(r, "id"), dto::type_from(r.json.as_object()));
            if (!t) return fail(t.error(), r);
            return with_etag(Response::json(201, dto::type_json(*t)), t->version);
        }});

    router.add({
        .method = Method::patch,
        .path = "/api/v1/practitioners/{id}/appointment-types/{type_id}",
        .operation_id = "updateAppointmentType",
        .summary = "Change an appointment type (deactivate it with active=false)",
        .description = "Types are never deleted: appointments keep the label they were booked with.",
        .tag = "appointments",
        .access = Access::roles_of(kScheduleEditors),
        .params = {practitioner, path_id("type_id", "Appointment type id"), if_match()},
        .body = http::BodyDoc{dto::type_patch_s()},
        .responses = {{200, "Changed", dto::type_s(), "application/json", {"ETag"}}},
        .errors = {403, 412, 428},
        .handler = [&schedules](Request& r) {
            auto version = required_version(r);
            if (!version) return fail(version.error(), r);
            auto t = schedules.update_type(r.caller(), path_param(r, "id"), path_param(r, "type_id"), *version,
                                           dto::type_patch_from(r.json.as_object()));
            if (!t) return fail(t.error(), r);
            return with_etag(Response::json(200, dto::type_json(*t)), t->version);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/practitioners/{id}/availability",
        .operation_id = "getAvailability",
        .summary = "Free slots of an appointment type",
        .description = "Opening hours laid out in the practice's time zone (daylight saving included), minus absences "
                       "and booked appointments. Slots step by the type's duration from the start of each opening "
                       "range. The window is at most 31 days; slots in the past are left out. Patients see only "
                       "types bookable online, from the portal's minimum notice to its booking horizon.",
        .tag = "appointments",
        .access = Access::roles_of(kStaffAndPatients),
        .params = {practitioner,
                   {"from", ParamIn::query, Schema::string().max_length(40), true, "RFC 3339 instant, or a date (local midnight)"},
                   {"to", ParamIn::query, Schema::string().max_length(40), true, "End of the window (exclusive), same forms"},
                   {"type", ParamIn::query, dto::uuid_s(), true, "Appointment type id"}},
        .responses = {{200, "The free slots, in order", dto::availability_s()}},
        .handler = [&schedules, zone](Request& r) {
            auto from = bound(r, "from", *zone);
            if (!from) return fail(from.error(), r);
            auto to = bound(r, "to", *zone);
            if (!to) return fail(to.error(), r);
            std::string id = path_param(r, "id");
            auto a = schedules.availability(r.caller(), id, r.query("type").value_or(""), *from, *to);
            if (!a) return fail(a.error(), r);
            json::array slots;
            for (const auto& s : a->slots)
                slots.push_back(json::object{{"start", format_instant(s.start)}, {"end", format_instant(s.end)}});
            return Response::json(200, json::object{{"practitioner_id", id},
                                                    {"type_id", a->type.id},
                                                    {"duration_minutes", a->type.duration_minutes},
                                                    {"time_zone", zone->name()},
                                                    {"from", format_instant(a->from)},
                                                    {"to", format_instant(a->to)},
                                                    {"slots", std::move(slots)}});
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/practitioners/{id}/calendar-token",
        .operation_id = "rotateCalendarToken",
        .summary = "Create (or replace) the secret link to a doctor's calendar feed",
        .description = "For subscribing from a calendar application (iCalendar, RFC 5545). The link is shown once; a "
                       "new one replaces the previous, which stops working. Events show the appointment type and "
                       "the patient's initials only. The doctor themself only.",
        .tag = "appointments",
        .access = Access::roles_of({Role::doctor}),
        .params = {practitioner},
        .responses = {{201, "The new link", dto::calendar_token_s()}},
        .errors = {403},
        .handler = [&schedules, options](Request& r) {
            auto token = schedules.rotate_calendar_token(r.caller(), path_param(r, "id"));
            if (!token) return fail(token.error(), r);
            std::string path = "/api/v1/calendar/" + *token + ".ics";
            json::value url = nullptr;
            if (!options.public_url.empty()) {
                std::string base = options.public_url;
                while (!base.empty() && base.back() == '/') base.pop_back();
                url = base + path;
            }
            return Response::json(201, json::object{{"path", path}, {"url", url}});
        }});

    router.add({
        .method = Method::delete_,
        .path = "/api/v1/practitioners/{id}/calendar-token",
        .operation_id = "revokeCalendarToken",
        .summary = "Turn a doctor's calendar feed off",
        .tag = "appointments",
        .access = Access::roles_of({Role::doctor, Role::admin}),
        .params = {practitioner},
        .responses = {{204, "The link no longer works", std::nullopt, ""}},
        .errors = {403},
        .handler = [&schedules](Request& r) {
            auto done = schedules.revoke_calendar_token(r.caller(), path_param(r, "id"));
            if (!done) return fail(done.error(), r);
            return Response::empty(204);
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/calendar/{file}",
        .operation_id = "getCalendarFeed",
        .summary = "A doctor's calendar feed (iCalendar), at its secret link",
        .description = "No sign-in: the link itself is the credential, so calendar applications can subscribe. From 30 "
                       "days ago to a year ahead, in UTC; cancelled appointments stay with STATUS:CANCELLED.",
        .tag = "appointments",
        .access = Access::anyone(),
        .params = {{"file", ParamIn::path, Schema::string().pattern("^[A-Za-z0-9_-]{43}\\.ics$"), true, "<token>.ics"}},
        .responses = {{200, "The calendar", std::nullopt, "text/calendar"}},
        .handler = [&appointments](Request& r) {
            std::string file = path_param(r, "file");
            Caller feed = Caller::system("calendar_feed");
            feed.request_id = r.request_id;
            feed.client_ip = r.client_ip;
            feed.audit_ticket = r.audit_ticket;
            auto ics = appointments.calendar_feed(feed, file.substr(0, file.size() - 4));
            if (!ics) return fail(ics.error(), r);
            Response resp = Response::text(200, std::move(*ics), "text/calendar; charset=utf-8");
            resp.headers.set("Content-Disposition", "inline; filename=\"agenda.ics\"");
            return resp;
        }});

    // ----- appointments -----

    router.add({
        .method = Method::post,
        .path = "/api/v1/appointments",
        .operation_id = "bookAppointment",
        .summary = "Book an appointment",
        .description = "The slot must be free: 409 `appointment.slot_taken` otherwise (also when another booking of it "
                       "won a race), 409 `appointment.practitioner_absent` during an absence. Staff may book outside "
                       "opening hours (warning `outside_opening_hours`), from today on; patients book their own, only "
                       "types bookable online, on an offered slot within the portal's notice and horizon. A patient "
                       "who already has an appointment at that time gets warning `patient_overlap`.",
        .tag = "appointments",
        .access = Access::roles_of(kStaffAndPatients),
        .body = http::BodyDoc{dto::booking_input_s()},
        .responses = {{201, "Booked", dto::appointment_written_s(), "application/json", {"Location", "ETag"}}},
        .errors = {409},
        .handler = [&appointments](Request& r) {
            const auto& b = r.json.as_object();
            BookingRequest req;
            req.practitioner_id = jsonu::string_or(b, "practitioner_id");
            req.patient_id = jsonu::string_or(b, "patient_id");
            req.type_id = jsonu::string_or(b, "type_id");
            req.start = *parse_instant(jsonu::string_or(b, "start"));
            Caller caller = r.caller();
            if (req.patient_id.empty() && !caller.is(Role::patient))
                return fail(invalid_field("/patient_id", "required", "is required"), r);
            auto booked = appointments.book(caller, req);
            if (!booked) return fail(booked.error(), r);
            Response resp = with_etag(Response::json(201, dto::written_json(*booked)), booked->appointment.version);
            resp.headers.set("Location", "/api/v1/appointments/" + booked->appointment.id);
            return resp;
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/appointments",
        .operation_id = "listAppointments",
        .summary = "A practitioner's or a patient's appointments by local day or week",
        .description = "`date` picks the local day (view=day) or the ISO week containing it, Monday to Sunday "
                       "(view=week), in the practice's time zone. Without `date`, a patient's appointments, all of "
                       "them. Staff give practitioner_id and/or patient_id; items carry the patient's identity for "
                       "staff. A patient sees their own appointments only.",
        .tag = "appointments",
        .access = Access::roles_of(kStaffAndPatients),
        .params = {{"practitioner_id", ParamIn::query, dto::uuid_s(), false, "Practitioner id"},
                   {"patient_id", ParamIn::query, dto::uuid_s(), false, "Patient id"},
                   {"date", ParamIn::query, Schema::string().format("date"), false, "A local day"},
                   {"view", ParamIn::query, Schema::string().enumeration({"day", "week"}), false, "day (default) or week"}},
        .responses = {{200, "The appointments, by start", dto::appointment_list_s()}},
        .handler = [&appointments, zone](Request& r) {
            ListQuery q;
            q.practitioner_id = r.query("practitioner_id").value_or("");
            q.patient_id = r.query("patient_id").value_or("");
            if (auto d = r.query("date")) q.date = parse_date(*d);
            q.view = r.query("view").value_or("day") == "week" ? View::week : View::day;
            auto list = appointments.list(r.caller(), q);
            if (!list) return fail(list.error(), r);
            json::array items;
            for (const auto& item : list->items) items.push_back(dto::listed_json(item));
            auto when = [](const std::optional<Timestamp>& t) { return t ? json::value(format_instant(*t)) : json::value(nullptr); };
            return Response::json(200, json::object{{"time_zone", zone->name()},
                                                    {"from", when(list->from)},
                                                    {"to", when(list->to)},
                                                    {"items", std::move(items)}});
        }});

    router.add({
        .method = Method::get,
        .path = "/api/v1/appointments/{id}",
        .operation_id = "getAppointment",
        .summary = "Read an appointment",
        .description = "A patient reaches only their own; any other id answers 404.",
        .tag = "appointments",
        .access = Access::roles_of(kStaffAndPatients),
        .params = {appointment},
        .responses = {{200, "The appointment", dto::appointment_s(), "application/json", {"ETag"}}},
        .handler = [&appointments](Request& r) {
            auto a = appointments.get(r.caller(), path_param(r, "id"));
            if (!a) return fail(a.error(), r);
            return appointment_response(200, *a);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/appointments/{id}/reschedule",
        .operation_id = "rescheduleAppointment",
        .summary = "Move a booked appointment to another start (same practitioner, same length)",
        .description = "Checked like a booking (409 when the new slot is taken). Staff only; patients cancel and book "
                       "again.",
        .tag = "appointments",
        .access = Access::roles_of(kStaff),
        .params = {appointment, if_match()},
        .body = http::BodyDoc{dto::reschedule_input_s()},
        .responses = {{200, "Moved", dto::appointment_written_s(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&appointments](Request& r) {
            auto version = required_version(r);
            if (!version) return fail(version.error(), r);
            auto start = *parse_instant(jsonu::string_or(r.json.as_object(), "start"));
            auto moved = appointments.reschedule(r.caller(), path_param(r, "id"), *version, start);
            if (!moved) return fail(moved.error(), r);
            return with_etag(Response::json(200, dto::written_json(*moved)), moved->appointment.version);
        }});

    router.add({
        .method = Method::post,
        .path = "/api/v1/appointments/{id}/cancel",
        .operation_id = "cancelAppointment",
        .summary = "Cancel an appointment",
        .description = "Staff give a reason. A patient cancels their own, up to the portal's cancellation notice before "
                       "the start (409 `appointment.cancel_too_late` after).",
        .tag = "appointments",
        .access = Access::roles_of(kStaffAndPatients),
        .params = {appointment, if_match()},
        .body = http::BodyDoc{dto::cancel_input_s(), "", "application/json", false},
        .responses = {{200, "Cancelled", dto::appointment_s(), "application/json", {"ETag"}}},
        .errors = {409, 412, 428},
        .handler = [&appointments](Request& r) {
            auto version = required_version(r);
            if (!version) return fail(version.error(), r);
            std::string reason = r.json.is_object() ? jsonu::string_or(r.json.as_object(), "reason") : "";
            auto a = appointments.cancel(r.caller(), path_param(r, "id"), *version, reason);
            if (!a) return fail(a.error(), r);
            return appointment_response(200, *a);
        }});

    struct Step {
        const char* path;
        const char* operation;
        const char* summary;
        Transition transition;
    };
    for (const Step& s : {Step{"check-in", "checkInAppointment", "The patient has arrived (booked → checked_in)", Transition::check_in},
                          Step{"complete", "completeAppointment", "The appointment took place (checked_in → completed)", Transition::complete},
                          Step{"no-show", "markNoShow", "The patient did not come (booked → no_show, once the start has passed)",
                               Transition::no_show}}) {
        Transition t = s.transition;
        router.add({
            .method = Method::post,
            .path = std::string("/api/v1/appointments/{id}/") + s.path,
            .operation_id = s.operation,
            .summary = s.summary,
            .description = "409 `appointment.invalid_transition` when the appointment's status does not allow it.",
            .tag = "appointments",
            .access = Access::roles_of(kStaff),
            .params = {appointment, if_match()},
            .responses = {{200, "Done", dto::appointment_s(), "application/json", {"ETag"}}},
            .errors = {409, 412, 428},
            .handler = [&appointments, t](Request& r) {
                auto version = required_version(r);
                if (!version) return fail(version.error(), r);
                auto a = appointments.transition(r.caller(), path_param(r, "id"), *version, t);
                if (!a) return fail(a.error(), r);
                return appointment_response(200, *a);
            }});
    }
}

}  // namespace medisecure::appointments
