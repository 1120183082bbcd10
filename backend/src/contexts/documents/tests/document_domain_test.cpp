// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "contexts/documents/domain/document.hpp"

using namespace medisecure::documents;

TEST(Sniff, RecognisesTheAllowList) {
    EXPECT_EQ(sniff("%PDF-1.7\n..."), Kind::pdf);
    EXPECT_EQ(sniff("\xff\xd8\xff\xe0\x00\x10JFIF"), Kind::jpeg);
    EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), Kind::png);
    std::string dicom(128, '\0');
    dicom += "DICM";
    EXPECT_EQ(sniff(dicom), Kind::dicom);
    EXPECT_EQ(sniff("Compte rendu : glycémie à jeun 5,4 mmol/L\r\n"), Kind::text);
}

TEST(Sniff, RefusesEverythingElse) {
    EXPECT_FALSE(sniff(""));
    EXPECT_FALSE(sniff("MZ\x90\x00\x03"));                         // a Windows executable
    EXPECT_FALSE(sniff(std::string("PK\x03\x04\x14\x00", 6)));     // a ZIP (or an Office file)
    EXPECT_FALSE(sniff(std::string("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13)));  // not on the list
    EXPECT_FALSE(sniff(std::string("text with a NUL\0 inside", 24)));
    EXPECT_FALSE(sniff("\xc3\x28 broken utf-8"));
    EXPECT_FALSE(sniff("<script>\x01</script>"));
}

TEST(Sniff, TextCutInTheMiddleOfACharacterIsStillText) {
    std::string text(8190, 'a');
    text += "\xc3";  // the first byte of "é", the rest beyond the sample
    text += "\xa9 suite";
    EXPECT_EQ(sniff(text.substr(0, 8191)), Kind::text);
}

TEST(Filename, SafeNamesKeepAccentsAndForceTheExtension) {
    EXPECT_EQ(safe_filename("Résultats biologie.pdf", Kind::pdf), "Résultats biologie.pdf");
    EXPECT_EQ(safe_filename("../../etc/passwd", Kind::text), "passwd.txt");
    EXPECT_EQ(safe_filename("C:\\Users\\zoé\\scan.pdf", Kind::pdf), "scan.pdf");
    EXPECT_EQ(safe_filename("scan.exe", Kind::jpeg), "scan.jpg");
    EXPECT_EQ(safe_filename("a\"b;c<d>.pdf", Kind::pdf), "a_b_c_d_.pdf");
    EXPECT_EQ(safe_filename("", Kind::png), "document.png");
    EXPECT_EQ(safe_filename(std::string(300, 'x') + ".pdf", Kind::pdf).size(), 124u);
}

TEST(Category, ClinicalCategories) {
    EXPECT_TRUE(is_clinical(Category::lab_result));
    EXPECT_TRUE(is_clinical(Category::prescription));
    EXPECT_FALSE(is_clinical(Category::consent));
    EXPECT_FALSE(is_clinical(Category::administrative));
    EXPECT_EQ(parse_category("imaging"), Category::imaging);
    EXPECT_FALSE(parse_category("x-ray"));
}
