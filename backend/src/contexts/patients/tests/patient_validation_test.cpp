// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "contexts/patients/domain/patient.hpp"

using namespace medisecure;
using namespace medisecure::patients;

namespace {
Patient base() {
    Patient p;
    p.first_name = "Hélène";
    p.last_name = "Dupont";
    p.sex = Sex::female;
    p.birth_date = *parse_date("1984-05-12");
    return p;
}
std::vector<std::string> codes(const Patient& p) {
    std::vector<std::string> out;
    for (const auto& i : validate(p, *parse_date("2026-11-24"))) out.push_back(i.field + ":" + i.code);
    return out;
}
}  // namespace

TEST(PatientValidation, AcceptsAConsistentRecord) {
    auto p = base();
    p.nir = "284052A00412355";
    p.ins_oid = "1.2.250.1.213.1.4.8";
    p.identity_status = IdentityStatus::qualified;
    p.birth_place_code = "2A004";
    p.address.postal_code = "20000";
    p.address.country = "FR";
    EXPECT_TRUE(codes(p).empty());
}

TEST(PatientValidation, NirMustMatchSexAndBirth) {
    auto p = base();
    p.nir = "184052B03312338";  // a man's NIR
    EXPECT_EQ(codes(p), (std::vector<std::string>{"/nir:nir_sex_mismatch"}));
    p.sex = Sex::male;
    p.birth_date = *parse_date("1985-05-12");
    EXPECT_EQ(codes(p), (std::vector<std::string>{"/nir:nir_birth_mismatch"}));
    p.nir = "184052B03312339";
    EXPECT_EQ(codes(p), (std::vector<std::string>{"/nir:invalid_nir_key"}));
}

TEST(PatientValidation, DatesNamesCodes) {
    auto p = base();
    p.birth_date = *parse_date("2027-01-01");
    p.first_name = "123";
    p.birth_place_code = "7511";
    p.address.postal_code = "7500";
    p.identity_status = IdentityStatus::qualified;
    auto c = codes(p);
    EXPECT_EQ(c.size(), 5u);
    EXPECT_NE(std::find(c.begin(), c.end(), "/birth_date:in_future"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "/first_name:no_letters"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "/birth_place_code:invalid_insee_code"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "/address/postal_code:invalid_postal_code"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "/identity_status:ins_missing"), c.end());
    p = base();
    p.address.country = "BE";
    p.address.postal_code = "1000";  // Belgian codes are not French ones
    EXPECT_TRUE(codes(p).empty());
}

TEST(PatientValidation, NameKeysIgnoreAccentsSpacesAndHyphens) {
    EXPECT_EQ(name_key("Lefèvre"), "lefevre");
    EXPECT_EQ(name_key("Jean-Pierre"), "jeanpierre");
    EXPECT_EQ(name_key("Jean Pierre"), "jeanpierre");
    EXPECT_EQ(name_key("N’Diaye"), "ndiaye");
}
