// SPDX-License-Identifier: Apache-2.0
// A patient's administrative record: identity (names, sex, birth, NIR/INS), contacts,
// insurance, preferences. Clinical data lives in other contexts and refers to the id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace medisecure::patients {

enum class Sex { female, male, other, unknown };
std::string_view to_string(Sex s);
std::optional<Sex> parse_sex(std::string_view s);

/// INS identity status (référentiel INS): provisional until checked against ID documents and
/// the national teleservice.
enum class IdentityStatus { provisional, recovered, validated, qualified };
std::string_view to_string(IdentityStatus s);
std::optional<IdentityStatus> parse_identity_status(std::string_view s);

struct Address {
    std::string line1, line2, postal_code, city, country;  // country: ISO 3166-1 alpha-2
    bool empty() const { return line1.empty() && line2.empty() && postal_code.empty() && city.empty(); }
};

struct EmergencyContact {
    std::string name, relationship, phone;
    bool empty() const { return name.empty() && relationship.empty() && phone.empty(); }
};

struct Insurance {
    std::string amo_number;  // régime obligatoire: beneficiary number
    std::string amo_fund;    // caisse (e.g. CPAM code)
    std::string amc_name;    // complémentaire (mutuelle)
    std::string amc_number;
    bool empty() const { return amo_number.empty() && amo_fund.empty() && amc_name.empty() && amc_number.empty(); }
};

struct Patient {
    std::string id;
    std::string mrn;
    std::string first_name;  // prénoms (all given names, first one first)
    std::string last_name;   // nom d'usage
    std::string birth_name;  // nom de naissance
    Sex sex = Sex::unknown;
    Date birth_date{};
    std::string birth_place_code;  // INSEE code of the birth commune (INS); 99xxx abroad
    std::string nir;               // INS matricule when ins_oid names the NIR
    std::string ins_oid;
    IdentityStatus identity_status = IdentityStatus::provisional;
    std::string email;
    std::string phone;
    Address address;
    EmergencyContact emergency_contact;
    Insurance insurance;
    std::string preferred_language = "fr";
    std::string primary_practitioner_id;
    bool archived = false;
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

/// Known INS OIDs: NIR, NIA, and their test ranges.
const std::vector<std::string>& ins_oids();

/// Domain rules the schema cannot express: NIR key and consistency with sex and birth date,
/// birth date not in the future, INSEE code, French postal codes. `today` is the practice's
/// current date.
std::vector<FieldIssue> validate(const Patient& p, const Date& today);

/// Normalised forms for duplicates and search.
std::string name_key(std::string_view name);

}  // namespace medisecure::patients
