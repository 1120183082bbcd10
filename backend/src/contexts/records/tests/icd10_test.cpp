// SPDX-License-Identifier: Apache-2.0
// ICD-10 codes: normal forms, search prefixes, label tokens, and the import file parser
// (encodings, delimiters, headers, ATIH's layout, bad lines).
#include <gtest/gtest.h>

#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/domain/icd10.hpp"

using namespace medisecure;
using namespace medisecure::records;

TEST(Icd10, CodesAreNormalised) {
    EXPECT_EQ(normalise_code("j459"), "J45.9");
    EXPECT_EQ(normalise_code(" J45.9 "), "J45.9");
    EXPECT_EQ(normalise_code("I10"), "I10");
    EXPECT_EQ(normalise_code("A17.0\xE2\x80\xA0"), "A17.0");  // dagger
    EXPECT_EQ(normalise_code("G01*"), "G01");
    EXPECT_EQ(normalise_code("A000  "), "A00.0");
    EXPECT_FALSE(normalise_code("A00-A09"));
    EXPECT_FALSE(normalise_code("Chapitre I"));
    EXPECT_FALSE(normalise_code(""));
}

TEST(Icd10, QueriesThatLookLikeCodes) {
    EXPECT_EQ(code_prefix("j45"), "J45");
    EXPECT_EQ(code_prefix("J459"), "J45.9");
    EXPECT_EQ(code_prefix("e11."), "E11");
    EXPECT_EQ(code_prefix("E1"), "E1");
    EXPECT_EQ(code_prefix("a"), "A");
    EXPECT_FALSE(code_prefix("asthme"));
    EXPECT_FALSE(code_prefix("diabète type 2"));
    EXPECT_FALSE(code_prefix("J4A"));
}

TEST(Icd10, LabelTokensFoldAccentsAndDropSingleLetters) {
    EXPECT_EQ(label_tokens("Diabète sucré de type 2, sans complication"),
              (std::vector<std::string>{"2", "complication", "de", "diabete", "sans", "sucre", "type"}));
    EXPECT_EQ(label_tokens("Œdème d'origine"), (std::vector<std::string>{"oedeme", "origine"}));
}

TEST(Icd10, ReadsTheStarterList) {
    auto file = parse_code_file(icd10_starter_csv());
    ASSERT_TRUE(file) << file.error().detail;
    EXPECT_TRUE(file->header);
    EXPECT_EQ(file->encoding, "UTF-8");
    EXPECT_EQ(file->skipped, 0u);
    EXPECT_GT(file->codes.size(), 300u);
    bool hta = false;
    for (const auto& c : file->codes) hta |= c.code == "I10" && c.label == "Hypertension essentielle (primitive)";
    EXPECT_TRUE(hta);
}

TEST(Icd10, ReadsSemicolonFilesWithHeaderInLatin1) {
    // "code;libellé" then two codes, in Windows-1252 (é = 0xE9, œ = 0x9C).
    std::string latin1 = "Code;Libell\xE9\r\nI10;Hypertension essentielle (primitive)\r\nR60.0;\x9C" "d\xE8me localis\xE9\r\n";
    auto file = parse_code_file(latin1);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->encoding, "Windows-1252");
    EXPECT_EQ(file->delimiter, ';');
    ASSERT_EQ(file->codes.size(), 2u);
    EXPECT_EQ(file->codes[1].code, "R60.0");
    EXPECT_EQ(file->codes[1].label, "\xC5\x93\x64\xC3\xA8me localis\xC3\xA9");  // "œdème localisé" in UTF-8
}

TEST(Icd10, ReadsAtihPipeLayoutWithoutHeader) {
    std::string atih = "A00 |0|3|Choléra|Choléra\nA000|0|0|Choléra à V. cholerae 01, biovar cholerae|Choléra à Vibrio "
                       "cholerae 01, biovar cholerae\nA00-A09||||Maladies intestinales infectieuses\n";
    auto file = parse_code_file(atih);
    ASSERT_TRUE(file);
    EXPECT_FALSE(file->header);
    EXPECT_EQ(file->delimiter, '|');
    ASSERT_EQ(file->codes.size(), 2u);
    EXPECT_EQ(file->codes[1].code, "A00.0");
    EXPECT_EQ(file->codes[1].label, "Choléra à Vibrio cholerae 01, biovar cholerae");  // the long label
    EXPECT_EQ(file->skipped, 1u);
    EXPECT_EQ(file->problems.at(0), "line 3: not an ICD-10 code");
}

TEST(Icd10, PicksNamedColumnsAndQuotedFields) {
    std::string csv = "\xEF\xBB\xBFlibelle_court,code_cim10,libelle_long\n"
                      "HTA,I10,\"Hypertension essentielle, primitive\"\n"
                      "Asthme,J45.9,\"Asthme, \"\"sans précision\"\"\"\n";
    auto file = parse_code_file(csv);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->encoding, "UTF-8");
    ASSERT_EQ(file->codes.size(), 2u);
    EXPECT_EQ(file->codes[0].label, "Hypertension essentielle, primitive");
    EXPECT_EQ(file->codes[1].label, "Asthme, \"sans précision\"");
}

TEST(Icd10, RefusesFilesWithoutCodes) {
    EXPECT_EQ(parse_code_file("").error().code, "empty_file");
    EXPECT_EQ(parse_code_file("just some text\n").error().code, "no_delimiter");
    EXPECT_EQ(parse_code_file("name;value\nfoo;bar\n").error().code, "no_code_column");
    EXPECT_EQ(parse_code_file("code;label\nfoo;bar\n").error().code, "no_codes");
    auto dup = parse_code_file("I10;HTA\nI10;Hypertension\nR05;Toux\nJ00;\n");
    ASSERT_TRUE(dup);
    EXPECT_EQ(dup->codes.size(), 2u);
    EXPECT_EQ(dup->codes[0].label, "HTA");  // the first occurrence wins
    EXPECT_EQ(dup->skipped, 2u);
}

TEST(Icd10, Cp1252CoversFrenchAndEuro) {
    EXPECT_EQ(cp1252_to_utf8("\x80 \xC9t\xE9 \x9C"), "€ Été œ");
    EXPECT_EQ(cp1252_to_utf8("\x81"), "\xEF\xBF\xBD");  // undefined byte
}
