// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/domain/patient.hpp"

#include <algorithm>

#include "contexts/patients/domain/nir.hpp"
#include "core/text.hpp"

namespace medisecure::patients {

std::string_view to_string(Sex s) {
    switch (s) {
    case Sex::female: return "female";
    case Sex::male: return "male";
    case Sex::other: return "other";
    case Sex::unknown: return "unknown";
    }
    return "unknown";
}

std::optional<Sex> parse_sex(std::string_view s) {
    for (auto v : {Sex::female, Sex::male, Sex::other, Sex::unknown})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::string_view to_string(IdentityStatus s) {
    switch (s) {
    case IdentityStatus::provisional: return "provisional";
    case IdentityStatus::recovered: return "recovered";
    case IdentityStatus::validated: return "validated";
    case IdentityStatus::qualified: return "qualified";
    }
    return "provisional";
}

std::optional<IdentityStatus> parse_identity_status(std::string_view s) {
    for (auto v : {IdentityStatus::provisional, IdentityStatus::recovered, IdentityStatus::validated,
                   IdentityStatus::qualified})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

const std::vector<std::string>& ins_oids() {
    static const std::vector<std::string> all = {"1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9",
                                                 "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"};
    return all;
}

std::string name_key(std::string_view name) {
    std::string f = fold(name);
    f.erase(std::remove(f.begin(), f.end(), ' '), f.end());
    return f;
}

namespace {
bool has_letter(std::string_view s) {
    std::string f = fold(s);
    return std::any_of(f.begin(), f.end(), [](unsigned char c) { return (c >= 'a' && c <= 'z') || c >= 0x80; });
}
bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::vector<FieldIssue> validate(const Patient& p, const Date& today) {
    std::vector<FieldIssue> out;
    for (auto [field, value] : {std::pair{"/first_name", &p.first_name}, std::pair{"/last_name", &p.last_name}}) {
        if (!has_letter(*value)) out.push_back({field, "no_letters", "must contain letters"});
    }
    if (!p.birth_name.empty() && !has_letter(p.birth_name))
        out.push_back({"/birth_name", "no_letters", "must contain letters"});
    if (std::chrono::sys_days{p.birth_date} > std::chrono::sys_days{today})
        out.push_back({"/birth_date", "in_future", "must not be in the future"});
    else if (p.birth_date.year() < std::chrono::year{1880})
        out.push_back({"/birth_date", "too_old", "must be after 1880"});

    if (!p.nir.empty()) {
        NirError why{};
        auto nir = parse_nir(p.nir, &why);
        if (!nir) {
            out.push_back({"/nir", why == NirError::key ? "invalid_nir_key" : "invalid_nir_format",
                           why == NirError::key ? "has a wrong control key"
                                                : "must be 13 characters and a 2-digit key (Corsica: 2A/2B)"});
        } else {
            int sex = nir->sex_digit();
            bool nir_male = sex == 1 || sex == 3 || sex == 7;
            if ((p.sex == Sex::male && !nir_male) || (p.sex == Sex::female && nir_male))
                out.push_back({"/nir", "nir_sex_mismatch", "does not match the patient's sex"});
            int month = nir->birth_month();
            if (nir->birth_year_2() != static_cast<int>(p.birth_date.year()) % 100 ||
                (month >= 1 && month <= 12 && month != static_cast<int>(static_cast<unsigned>(p.birth_date.month()))))
                out.push_back({"/nir", "nir_birth_mismatch", "does not match the date of birth"});
        }
    }
    if (!p.ins_oid.empty() && p.nir.empty())
        out.push_back({"/nir", "required", "is required with an INS OID"});
    if (!p.birth_place_code.empty()) {
        const auto& c = p.birth_place_code;
        bool ok = c.size() == 5 && (all_digits(c) || (c[0] == '2' && (c[1] == 'A' || c[1] == 'B') && all_digits(c.substr(2))));
        if (!ok) out.push_back({"/birth_place_code", "invalid_insee_code", "must be a 5-character INSEE code"});
    }
    if (p.identity_status == IdentityStatus::qualified && (p.nir.empty() || p.ins_oid.empty()))
        out.push_back({"/identity_status", "ins_missing", "a qualified identity needs the INS (NIR and OID)"});
    if ((p.address.country.empty() || p.address.country == "FR") && !p.address.postal_code.empty() &&
        !(p.address.postal_code.size() == 5 && all_digits(p.address.postal_code)))
        out.push_back({"/address/postal_code", "invalid_postal_code", "must be 5 digits for a French address"});
    return out;
}

}  // namespace medisecure::patients
