// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/http/io.hpp"

#include "contexts/records/http/schemas.hpp"

#include <boost/json.hpp>

#include "platform/crypto/digest.hpp"
#include "platform/http/conditional.hpp"
#include "platform/json/json_util.hpp"

namespace medisecure::records::io {

namespace json = boost::json;

http::Access clinical_readers() { return http::Access::roles_of({Role::doctor, Role::nurse, Role::patient}); }
http::Access doctors() { return http::Access::roles_of({Role::doctor}); }
http::Access care_staff() { return http::Access::roles_of({Role::doctor, Role::nurse}); }

http::Param id_param(const char* what) { return {"id", http::ParamIn::path, schemas::uuid(), true, what}; }
http::Param if_match_param() {
    return {"If-Match", http::ParamIn::header, schema::Schema::string(), true, "The ETag of the version being changed"};
}

Result<std::int64_t> required_version(const http::Request& r) {
    auto v = http::if_match_version(r, true);
    if (!v) return v.error();
    if (!*v)
        return Error{ErrorKind::precondition_required, "if_match_required",
                     "Send the ETag you read (not *) in an If-Match header."};
    return **v;
}

std::vector<Diagnosis> diagnoses_from(const json::value* v) {
    std::vector<Diagnosis> out;
    if (!v || !v->is_array()) return out;
    for (const auto& item : v->get_array()) {
        const auto& o = item.as_object();
        out.push_back({jsonu::string_or(o, "code"), jsonu::string_or(o, "label"), jsonu::opt_bool(o, "primary").value_or(false)});
    }
    return out;
}

std::vector<Prescription> prescriptions_from(const json::value* v) {
    std::vector<Prescription> out;
    if (!v || !v->is_array()) return out;
    for (const auto& item : v->get_array()) {
        const auto& o = item.as_object();
        Prescription p;
        p.drug = jsonu::string_or(o, "drug");
        p.dose = jsonu::string_or(o, "dose");
        p.route = parse_drug_route(jsonu::string_or(o, "route", "oral")).value_or(DrugRoute::oral);
        p.frequency = jsonu::string_or(o, "frequency");
        p.duration = jsonu::string_or(o, "duration");
        p.instructions = jsonu::string_or(o, "instructions");
        out.push_back(std::move(p));
    }
    return out;
}

std::optional<Timestamp> instant_of(const json::object& body, std::string_view key) {
    auto s = jsonu::opt_string(body, key);
    return s ? parse_instant(*s) : std::nullopt;
}

std::string encode_cursor(const TimeCursor& c) {
    return crypto::base64url_encode(std::to_string(to_micros(c.at)) + "\n" + c.id);
}

std::optional<TimeCursor> decode_cursor(std::string_view text) {
    auto raw = crypto::base64url_decode(text);
    if (!raw) return std::nullopt;
    auto nl = raw->find('\n');
    if (nl == 0 || nl == std::string::npos || nl > 18) return std::nullopt;
    std::int64_t us = 0;
    for (char c : raw->substr(0, nl)) {
        if (c < '0' || c > '9') return std::nullopt;
        us = us * 10 + (c - '0');
    }
    return TimeCursor{from_micros(us), raw->substr(nl + 1)};
}

Result<std::pair<std::optional<TimeCursor>, int>> page_params(const http::Request& r, int default_limit) {
    std::optional<TimeCursor> cursor;
    if (auto c = r.query("cursor")) {
        cursor = decode_cursor(*c);
        if (!cursor) return invalid_field("cursor", "invalid", "is not a cursor from this API");
    }
    int limit = default_limit;
    limit = http::query_limit(r, limit, 1000000);
    return std::make_pair(cursor, limit);
}

}  // namespace medisecure::records::io
