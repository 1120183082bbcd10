// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/http/dto.hpp"

#include "platform/json/json_util.hpp"

namespace medisecure::appointments::dto {

using schema::opt;
using schema::req;

namespace {

Schema instant_s() {
    return Schema::string().format("date-time");
}
Schema clock_s() {
    return Schema::string()
        .pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")
        .describe("Local wall-clock time HH:MM")
        .example("08:30");
}
Schema color_s() {
    return Schema::string().pattern("^#[0-9A-Fa-f]{6}$").describe("#RRGGBB").example("#2563EB");
}
Schema label_s(std::size_t max) {
    return Schema::string().min_length(1).max_length(max);
}

json::value instant_or_null(const std::optional<Timestamp>& t) {
    return t ? json::value(format_instant(*t)) : json::value(nullptr);
}

std::vector<std::string> status_names() {
    std::vector<std::string> out;
    for (auto s : all_statuses())
        out.emplace_back(to_string(s));
    return out;
}

std::vector<schema::Property> appointment_properties() {
    return {
        req("id", uuid_s()),
        req("practitioner_id", uuid_s()),
        req("patient_id", uuid_s()),
        req("type",
            Schema::named("AppointmentTypeRef",
                          Schema::object({req("id", uuid_s()), req("label", Schema::string()),
                                          req("color", Schema::string())}))
                .describe("The type as it was when booked")),
        req("start", instant_s()),
        req("end", instant_s()),
        req("duration_minutes", Schema::integer()),
        req("status", Schema::string().enumeration(status_names())),
        req("booked_via", Schema::string().enumeration({"staff", "portal"})),
        req("booked_by", Schema::string().describe("User id of whoever booked")),
        // Not a named schema: a reference loses `nullable` (platform/json/schema.cpp resolves it
        // away).
        req("cancellation",
            Schema::object({req("reason", Schema::string()), req("by", Schema::string()),
                            req("by_role", Schema::string()), req("at", instant_s())})
                .nullable()
                .describe("Who cancelled, when and why; null unless cancelled")),
        req("checked_in_at", instant_s().nullable()),
        req("completed_at", instant_s().nullable()),
        req("created_at", instant_s()),
        req("updated_at", instant_s()),
        req("version", Schema::integer()),
    };
}

}  // namespace

const Schema& uuid_s() {
    static const Schema s = Schema::string().format("uuid");
    return s;
}

const Schema& appointment_s() {
    static const Schema s = Schema::named("Appointment", Schema::object(appointment_properties()));
    return s;
}

const Schema& appointment_written_s() {
    static const Schema s = [] {
        auto props = appointment_properties();
        props.push_back(req(
            "warnings",
            Schema::array(Schema::named(
                "AppointmentWarning",
                Schema::object(
                    {req("code", Schema::string().enumeration(
                                     {"patient_overlap", "outside_opening_hours"})),
                     req("message", Schema::string()),
                     req("appointment_id", uuid_s().nullable().describe(
                                               "The other appointment (patient_overlap)"))})))));
        return Schema::named(
            "AppointmentWritten",
            Schema::object(std::move(props))
                .describe("The appointment, with what the caller should know although "
                          "the change went through"));
    }();
    return s;
}

const Schema& appointment_list_s() {
    static const Schema s = [] {
        auto props = appointment_properties();
        props.push_back(
            req("practitioner",
                Schema::object({req("id", uuid_s()), req("display_name", Schema::string())})));
        props.push_back(
            opt("patient",
                Schema::named("AppointmentPatient",
                              Schema::object({req("id", uuid_s()), req("mrn", Schema::string()),
                                              req("first_name", Schema::string()),
                                              req("last_name", Schema::string()),
                                              req("birth_date", Schema::string().format("date"))}))
                    .describe("Staff only")));
        auto item = Schema::named("ListedAppointment", Schema::object(std::move(props)));
        return Schema::named(
            "AppointmentList",
            Schema::object({req("time_zone",
                                Schema::string().describe("IANA name of the practice's time zone")),
                            req("from", instant_s().nullable()), req("to", instant_s().nullable()),
                            req("items", Schema::array(item))}));
    }();
    return s;
}

const Schema& type_s() {
    static const Schema s = Schema::named(
        "AppointmentType",
        Schema::object({req("id", uuid_s()), req("practitioner_id", uuid_s()),
                        req("label", Schema::string()), req("duration_minutes", Schema::integer()),
                        req("color", Schema::string()), req("active", Schema::boolean()),
                        req("portal_bookable", Schema::boolean()), req("created_at", instant_s()),
                        req("updated_at", instant_s()), req("version", Schema::integer())}));
    return s;
}

const Schema& type_list_s() {
    static const Schema s = Schema::named("AppointmentTypeList",
                                          Schema::object({req("items", Schema::array(type_s()))}));
    return s;
}

const Schema& type_input_s() {
    static const Schema s = Schema::named(
        "AppointmentTypeInput",
        Schema::object(
            {req("label", label_s(80)),
             req("duration_minutes",
                 Schema::integer().minimum(5).maximum(480).describe("A multiple of 5")),
             opt("color", color_s()), opt("active", Schema::boolean()),
             opt("portal_bookable",
                 Schema::boolean().describe("Patients may book it online (default false)"))}));
    return s;
}

const Schema& type_patch_s() {
    static const Schema s = Schema::named(
        "AppointmentTypePatch",
        Schema::object({opt("label", label_s(80)),
                        opt("duration_minutes", Schema::integer().minimum(5).maximum(480)),
                        opt("color", color_s()), opt("active", Schema::boolean()),
                        opt("portal_bookable", Schema::boolean())})
            .min_items(1));
    return s;
}

const Schema& practitioner_list_s() {
    static const Schema s = Schema::named(
        "PractitionerList",
        Schema::object({req(
            "items",
            Schema::array(Schema::named(
                "Practitioner",
                Schema::object(
                    {req("id", uuid_s()), req("display_name", Schema::string()),
                     req("appointment_types",
                         Schema::array(Schema::named(
                             "OfferedType",
                             Schema::object({req("id", uuid_s()), req("label", Schema::string()),
                                             req("duration_minutes", Schema::integer()),
                                             req("color", Schema::string()),
                                             req("portal_bookable", Schema::boolean())}))))}))))}));
    return s;
}

namespace {
Schema range_s() {
    return Schema::named(
        "OpeningRange",
        Schema::object({req("weekday", Schema::integer().minimum(1).maximum(7).describe(
                                           "1 = Monday ... 7 = Sunday")),
                        req("start", clock_s()), req("end", clock_s())}));
}
}  // namespace

const Schema& opening_hours_s() {
    static const Schema s = Schema::named(
        "OpeningHours",
        Schema::object({req("practitioner_id", uuid_s()), req("time_zone", Schema::string()),
                        req("ranges", Schema::array(range_s())),
                        req("version", Schema::integer().describe("0: never set")),
                        req("updated_at", instant_s().nullable())})
            .describe("Weekly opening hours in the practice's local time"));
    return s;
}

const Schema& opening_hours_input_s() {
    static const Schema s = Schema::named(
        "OpeningHoursInput",
        Schema::object({req("ranges", Schema::array(range_s()).max_items(7 * kMaxRangesPerDay))}));
    return s;
}

const Schema& absence_s() {
    static const Schema s = Schema::named(
        "Absence",
        Schema::object({req("id", uuid_s()), req("practitioner_id", uuid_s()),
                        req("start", instant_s()), req("end", instant_s()),
                        req("reason", Schema::string()), req("created_by", Schema::string()),
                        req("created_at", instant_s())}));
    return s;
}

const Schema& absence_list_s() {
    static const Schema s =
        Schema::named("AbsenceList", Schema::object({req("items", Schema::array(absence_s()))}));
    return s;
}

const Schema& absence_input_s() {
    static const Schema s = Schema::named(
        "AbsenceInput",
        Schema::object(
            {req("start", instant_s()), req("end", instant_s()),
             req("reason", label_s(100).describe("A short label: Congés, Formation..."))}));
    return s;
}

const Schema& absence_added_s() {
    static const Schema s = Schema::named(
        "AbsenceAdded",
        Schema::object(
            {req("absence", absence_s()),
             req("conflicting_appointments",
                 Schema::array(Schema::object({req("id", uuid_s()), req("patient_id", uuid_s()),
                                               req("start", instant_s()), req("end", instant_s())}))
                     .describe("Booked appointments inside the absence, still to be moved or "
                               "cancelled"))}));
    return s;
}

const Schema& availability_s() {
    static const Schema s = Schema::named(
        "Availability",
        Schema::object(
            {req("practitioner_id", uuid_s()), req("type_id", uuid_s()),
             req("duration_minutes", Schema::integer()), req("time_zone", Schema::string()),
             req("from", instant_s()), req("to", instant_s()),
             req("slots", Schema::array(
                              Schema::named("Slot", Schema::object({req("start", instant_s()),
                                                                    req("end", instant_s())}))))}));
    return s;
}

const Schema& booking_input_s() {
    static const Schema s = Schema::named(
        "BookingInput",
        Schema::object({req("practitioner_id", uuid_s()),
                        opt("patient_id",
                            uuid_s().describe("Required for staff; a patient books for themself")),
                        req("type_id", uuid_s()),
                        req("start", instant_s().describe("A whole minute"))}));
    return s;
}

const Schema& reschedule_input_s() {
    static const Schema s =
        Schema::named("RescheduleInput", Schema::object({req("start", instant_s())}));
    return s;
}

const Schema& cancel_input_s() {
    static const Schema s = Schema::named(
        "CancelInput",
        Schema::object(
            {opt("reason", Schema::string().max_length(200).describe("Required for staff"))}));
    return s;
}

const Schema& calendar_token_s() {
    static const Schema s = Schema::named(
        "CalendarLink",
        Schema::object({req("path", Schema::string().describe(
                                        "The feed's path; keep it secret, it opens the calendar")),
                        req("url", Schema::string().nullable().describe(
                                       "The full URL, when the server knows its public URL"))}));
    return s;
}

json::object appointment_json(const Appointment& a) {
    json::value cancellation = nullptr;
    if (a.status == Status::cancelled)
        cancellation = json::object{{"reason", a.cancel_reason},
                                    {"by", a.cancelled_by},
                                    {"by_role", a.cancelled_by_role},
                                    {"at", a.cancelled_at ? format_instant(*a.cancelled_at)
                                                          : format_instant(a.updated_at)}};
    return {
        {"id", a.id},
        {"practitioner_id", a.practitioner_id},
        {"patient_id", a.patient_id},
        {"type", json::object{{"id", a.type_id}, {"label", a.type_label}, {"color", a.type_color}}},
        {"start", format_instant(a.start)},
        {"end", format_instant(a.end)},
        {"duration_minutes", a.duration().count()},
        {"status", to_string(a.status)},
        {"booked_via", to_string(a.booked_via)},
        {"booked_by", a.booked_by},
        {"cancellation", std::move(cancellation)},
        {"checked_in_at", instant_or_null(a.checked_in_at)},
        {"completed_at", instant_or_null(a.completed_at)},
        {"created_at", format_instant(a.created_at)},
        {"updated_at", format_instant(a.updated_at)},
        {"version", a.version}};
}

json::object written_json(const Booking& b) {
    auto o = appointment_json(b.appointment);
    json::array warnings;
    for (const auto& w : b.warnings)
        warnings.push_back(
            json::object{{"code", w.code},
                         {"message", w.message},
                         {"appointment_id", jsonu::nullable_if_empty(w.appointment_id)}});
    o["warnings"] = std::move(warnings);
    return o;
}

json::object listed_json(const ListedAppointment& item) {
    auto o = appointment_json(item.appointment);
    o["practitioner"] = json::object{{"id", item.appointment.practitioner_id},
                                     {"display_name", item.practitioner_name}};
    if (item.patient)
        o["patient"] = json::object{{"id", item.patient->id},
                                    {"mrn", item.patient->mrn},
                                    {"first_name", item.patient->first_name},
                                    {"last_name", item.patient->last_name},
                                    {"birth_date", format_date(item.patient->birth_date)}};
    return o;
}

json::object opening_hours_json(const WeeklyHours& h, const std::string& time_zone) {
    json::array ranges;
    for (const auto& r : h.ranges)
        ranges.push_back(json::object{{"weekday", r.weekday},
                                      {"start", format_clock(r.start_minute)},
                                      {"end", format_clock(r.end_minute)}});
    return {{"practitioner_id", h.practitioner_id},
            {"time_zone", time_zone},
            {"ranges", std::move(ranges)},
            {"version", h.version},
            {"updated_at",
             h.version == 0 ? json::value(nullptr) : json::value(format_instant(h.updated_at))}};
}

json::object absence_json(const Absence& a) {
    return {{"id", a.id},
            {"practitioner_id", a.practitioner_id},
            {"start", format_instant(a.start)},
            {"end", format_instant(a.end)},
            {"reason", a.reason},
            {"created_by", a.created_by},
            {"created_at", format_instant(a.created_at)}};
}

json::object type_json(const AppointmentType& t) {
    return {{"id", t.id},
            {"practitioner_id", t.practitioner_id},
            {"label", t.label},
            {"duration_minutes", t.duration_minutes},
            {"color", t.color},
            {"active", t.active},
            {"portal_bookable", t.portal_bookable},
            {"created_at", format_instant(t.created_at)},
            {"updated_at", format_instant(t.updated_at)},
            {"version", t.version}};
}

std::vector<OpeningRange> ranges_from(const json::object& body) {
    std::vector<OpeningRange> out;
    for (const auto& v : body.at("ranges").as_array()) {
        const auto& o = v.as_object();
        out.push_back({static_cast<int>(jsonu::opt_int(o, "weekday").value_or(0)),
                       parse_clock(jsonu::string_or(o, "start")),
                       parse_clock(jsonu::string_or(o, "end"))});
    }
    return out;
}

AppointmentType type_from(const json::object& b) {
    AppointmentType t;
    t.label = jsonu::string_or(b, "label");
    t.duration_minutes = static_cast<int>(jsonu::opt_int(b, "duration_minutes").value_or(0));
    t.color = jsonu::string_or(b, "color", "#2563EB");
    t.active = jsonu::opt_bool(b, "active").value_or(true);
    t.portal_bookable = jsonu::opt_bool(b, "portal_bookable").value_or(false);
    return t;
}

TypePatch type_patch_from(const json::object& b) {
    TypePatch p;
    p.label = jsonu::opt_string(b, "label");
    p.color = jsonu::opt_string(b, "color");
    if (auto d = jsonu::opt_int(b, "duration_minutes")) p.duration_minutes = static_cast<int>(*d);
    p.active = jsonu::opt_bool(b, "active");
    p.portal_bookable = jsonu::opt_bool(b, "portal_bookable");
    return p;
}

}  // namespace medisecure::appointments::dto
