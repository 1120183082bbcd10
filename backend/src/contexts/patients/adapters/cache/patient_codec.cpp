// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/cache/patient_codec.hpp"

#include <boost/json.hpp>

#include "platform/json/json_util.hpp"

namespace medisecure::patients {

namespace json = boost::json;

namespace {

json::object to_json(const Patient& p) {
    return json::object{
        {"id", p.id},
        {"mrn", p.mrn},
        {"first_name", p.first_name},
        {"last_name", p.last_name},
        {"birth_name", p.birth_name},
        {"sex", to_string(p.sex)},
        {"birth_date", json::array{static_cast<std::int64_t>(static_cast<int>(p.birth_date.year())),
                                   static_cast<std::int64_t>(static_cast<unsigned>(p.birth_date.month())),
                                   static_cast<std::int64_t>(static_cast<unsigned>(p.birth_date.day()))}},
        {"birth_place_code", p.birth_place_code},
        {"nir", p.nir},
        {"ins_oid", p.ins_oid},
        {"identity_status", to_string(p.identity_status)},
        {"email", p.email},
        {"phone", p.phone},
        {"address", json::array{p.address.line1, p.address.line2, p.address.postal_code, p.address.city,
                                p.address.country}},
        {"emergency_contact",
         json::array{p.emergency_contact.name, p.emergency_contact.relationship, p.emergency_contact.phone}},
        {"insurance", json::array{p.insurance.amo_number, p.insurance.amo_fund, p.insurance.amc_name,
                                  p.insurance.amc_number}},
        {"preferred_language", p.preferred_language},
        {"primary_practitioner_id", p.primary_practitioner_id},
        {"archived", p.archived},
        {"created_at", to_micros(p.created_at)},
        {"updated_at", to_micros(p.updated_at)},
        {"version", p.version},
    };
}

/// Reads fields strictly: any mismatch throws (boost::json's accessors throw on a wrong kind).
struct Reader {
    const json::object& o;
    const json::value& at(std::string_view k) const { return o.at(k); }
    std::string str(std::string_view k) const { return jsonu::string_at(o, k); }
    const json::array& arr(std::string_view k, std::size_t n) const {
        const auto& a = at(k).as_array();
        if (a.size() != n) throw std::invalid_argument("length");
        return a;
    }
};

std::string str_at(const json::array& a, std::size_t i) { return std::string(a.at(i).as_string()); }

using jsonu::required;

Patient from_json(const json::value& v) {
    Reader r{jsonu::exact_object(v, 22)};
    Patient p;
    p.id = r.str("id");
    p.mrn = r.str("mrn");
    p.first_name = r.str("first_name");
    p.last_name = r.str("last_name");
    p.birth_name = r.str("birth_name");
    p.sex = required(parse_sex(r.at("sex").as_string()));
    const auto& d = r.arr("birth_date", 3);
    p.birth_date = Date{std::chrono::year{d.at(0).to_number<int>()}, std::chrono::month{d.at(1).to_number<unsigned>()},
                        std::chrono::day{d.at(2).to_number<unsigned>()}};
    p.birth_place_code = r.str("birth_place_code");
    p.nir = r.str("nir");
    p.ins_oid = r.str("ins_oid");
    p.identity_status = required(parse_identity_status(r.at("identity_status").as_string()));
    p.email = r.str("email");
    p.phone = r.str("phone");
    const auto& a = r.arr("address", 5);
    p.address = Address{str_at(a, 0), str_at(a, 1), str_at(a, 2), str_at(a, 3), str_at(a, 4)};
    const auto& e = r.arr("emergency_contact", 3);
    p.emergency_contact = EmergencyContact{str_at(e, 0), str_at(e, 1), str_at(e, 2)};
    const auto& i = r.arr("insurance", 4);
    p.insurance = Insurance{str_at(i, 0), str_at(i, 1), str_at(i, 2), str_at(i, 3)};
    p.preferred_language = r.str("preferred_language");
    p.primary_practitioner_id = r.str("primary_practitioner_id");
    p.archived = r.at("archived").as_bool();
    p.created_at = from_micros(r.at("created_at").as_int64());
    p.updated_at = from_micros(r.at("updated_at").as_int64());
    p.version = r.at("version").as_int64();
    return p;
}

}  // namespace

std::string encode_patient(const Patient& p) { return json::serialize(to_json(p)); }

std::string encode_patients(const std::vector<Patient>& ps) {
    json::array a;
    a.reserve(ps.size());
    for (const auto& p : ps) a.push_back(to_json(p));
    return json::serialize(a);
}

std::optional<Patient> decode_patient(std::string_view text) {
    return jsonu::decode_exact<Patient>(text, [](const json::value& v) { return from_json(v); });
}

std::optional<std::vector<Patient>> decode_patients(std::string_view text) {
    return jsonu::decode_exact<std::vector<Patient>>(text, [](const json::value& v) {
        std::vector<Patient> out;
        for (const auto& p : v.as_array()) out.push_back(from_json(p));
        return out;
    });
}

}  // namespace medisecure::patients
