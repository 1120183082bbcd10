// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "contexts/patients/domain/mrn.hpp"
#include "contexts/patients/domain/nir.hpp"

using namespace medisecure::patients;

TEST(Nir, ValidKeysIncludingCorsica) {
    // Keys checked independently (97 - n mod 97, 2A -> 19, 2B -> 18).
    EXPECT_TRUE(parse_nir("2 55 08 14 168 025 38"));  // the textbook example
    EXPECT_TRUE(parse_nir("184057511500537"));
    EXPECT_TRUE(parse_nir("2 84 05 2A 004 123 55"));
    EXPECT_TRUE(parse_nir("1 84 05 2b 033 123 38"));  // lower case accepted
    EXPECT_EQ(parse_nir("2.84.05.2a.004.123.55")->value, "284052A004123" "55");
    EXPECT_EQ(nir_key("284052A004123"), 55);
    EXPECT_EQ(nir_key("2550814168025"), 38);
}

TEST(Nir, WrongKeyIsAKeyError) {
    NirError why{};
    EXPECT_FALSE(parse_nir("2 55 08 14 168 025 39", &why));
    EXPECT_EQ(why, NirError::key);
    EXPECT_FALSE(parse_nir("2 84 05 2A 004 123 56", &why));
    EXPECT_EQ(why, NirError::key);
}

TEST(Nir, MalformedNumbersAreFormatErrors) {
    NirError why{};
    for (const char* bad : {"", "2550814168025", "25508141680253", "9 55 08 14 168 025 38", "2 55 13 14 168 025 38",
                            "2 55 08 2C 168 025 38", "2 55 08 3A 168 025 38", "2 55 08 14 16A 025 38"}) {
        EXPECT_FALSE(parse_nir(bad, &why)) << bad;
        EXPECT_EQ(why, NirError::format) << bad;
    }
}

TEST(Mrn, CheckDigitCatchesTypos) {
    auto m = make_mrn(42);
    EXPECT_EQ(m.size(), 10u);
    EXPECT_EQ(m.substr(0, 9), "MS0000042");
    EXPECT_TRUE(valid_mrn(m));
    std::string typo = m;
    typo[8] = typo[8] == '2' ? '3' : '2';
    EXPECT_FALSE(valid_mrn(typo));
    std::string swapped = m;
    std::swap(swapped[7], swapped[8]);
    EXPECT_FALSE(valid_mrn(swapped));  // adjacent transposition
    EXPECT_EQ(luhn_digit("7992739871"), 3);  // the classic Luhn example
}
