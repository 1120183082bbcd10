// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "platform/pdf/pdf_document.hpp"

using namespace medisecure::pdf;

TEST(Pdf, Cp1252CoversFrench) {
    EXPECT_EQ(to_cp1252("Hélène Lebœuf 12 €"), "H\xe9l\xe8ne Leb\x9c" "uf 12 \x80");
    EXPECT_EQ(to_cp1252("Ελένη"), "?????");
}

TEST(Pdf, BuildsAValidMultiPageDocument) {
    PdfDocument doc("Ordonnance", "Dr Hélène Lefèvre");
    doc.text(18, 20, "Dr Hélène Lefèvre — Médecine générale", 14, true);
    std::string long_text;
    for (int i = 0; i < 400; ++i) long_text += "Paracétamol 1 g, trois fois par jour pendant cinq jours. ";
    double y = doc.paragraph(18, 40, 170, long_text);
    EXPECT_GT(y, 18.0);
    std::vector<std::vector<std::string>> rows(80, {"Consultation", "1", "26,50 €"});
    doc.table(18, 40, {{"Acte", 100}, {"Qté", 20, true}, {"Montant", 40, true}}, rows);
    EXPECT_GE(doc.page_count(), 3);
    auto bytes = doc.bytes();
    ASSERT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
    EXPECT_NE(bytes.find("%%EOF"), std::string::npos);
}
