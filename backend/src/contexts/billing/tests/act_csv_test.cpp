// SPDX-License-Identifier: Apache-2.0
// Reading act lists: the shipped starter list, an export shaped like the CCAM's, encodings.
#include <gtest/gtest.h>

#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/domain/act_csv.hpp"

using namespace medisecure;
using namespace medisecure::billing;

TEST(ActCsv, TheStarterListIsCleanAndCoversCommonActs) {
    auto parsed = parse_act_csv(starter_acts_csv(), ActSystem::ngap);
    ASSERT_TRUE(parsed.error.empty()) << parsed.error;
    for (const auto& s : parsed.skipped) ADD_FAILURE() << "line " << s.line << ": " << s.reason;
    std::map<std::string, Act> by_code;
    for (const auto& a : parsed.acts) by_code[a.act.code] = a.act;
    for (const char* code : {"G", "GS", "VG", "APC", "MIC", "MEG", "COE", "IK", "MD", "DEQP003"})
        EXPECT_TRUE(by_code.count(code)) << code;
    EXPECT_EQ(by_code["G"].price_cents, 3000);
    EXPECT_EQ(by_code["IK"].price_cents, 61);
    EXPECT_EQ(by_code["DEQP003"].system, ActSystem::ccam);
    EXPECT_EQ(by_code["DEQP003"].price_cents, 1426);
    EXPECT_EQ(by_code["G"].vat_rate_bp, 0);
    EXPECT_EQ(by_code["HN-EXPERT"].system, ActSystem::other);
    EXPECT_EQ(by_code["HN-EXPERT"].vat_rate_bp, 2000);
    EXPECT_EQ(by_code["COE"].label, "Consultation obligatoire de l'enfant (8e jour, 9e ou 24e mois)");
}

TEST(ActCsv, ReadsACcamShapedExport) {
    // Comma-separated, quoted labels holding commas and quotes, a CRLF, the two tariff
    // columns of the CCAM (sector 1 preferred), an activity column, a non-reimbursed act.
    std::string csv =
        "Code,Texte,Activité,Phase,Tarif hors secteur 1 / hors OPTAM,Tarif secteur 1 / OPTAM,Regroupement\r\n"
        "DEQP003,\"Électrocardiographie sur au moins 12 dérivations\",1,0,\"14,26\",\"14,26\",ATM\r\n"
        "AHQB027,\"Électromyographie de 1 ou 2 muscles, par électrode \"\"aiguille\"\"\",1,0,45.80,51.84,ATM\n"
        "AHQB027,Électromyographie (anesthésie),4,0,10,10,ADA\n"
        "AHQP001,Électromyographie par électrode de surface,1,0,Non pris en charge,Non pris en charge,ATM\n"
        "BAD1,Code mal formé,1,0,10,10,ATM\n"
        "DEQP003,Doublon,1,0,1,1,ATM\n"
        "\n";
    auto parsed = parse_act_csv(csv, ActSystem::ccam);
    ASSERT_TRUE(parsed.error.empty()) << parsed.error;
    ASSERT_EQ(parsed.acts.size(), 2u);
    EXPECT_EQ(parsed.acts[0].act.code, "DEQP003");
    EXPECT_EQ(parsed.acts[0].act.price_cents, 1426);
    EXPECT_EQ(parsed.acts[0].act.system, ActSystem::ccam);
    EXPECT_EQ(parsed.acts[1].act.label, "Électromyographie de 1 ou 2 muscles, par électrode \"aiguille\"");
    EXPECT_EQ(parsed.acts[1].act.price_cents, 5184);  // the sector 1 / OPTAM column
    EXPECT_EQ(parsed.acts[1].line, 3);
    ASSERT_EQ(parsed.skipped.size(), 4u);
    EXPECT_EQ(parsed.skipped[0].line, 4);  // activity 4
    EXPECT_EQ(parsed.skipped[1].code, "AHQP001");  // no tariff
    EXPECT_EQ(parsed.skipped[2].code, "BAD1");
    EXPECT_EQ(parsed.skipped[3].reason, "duplicate code (the first row was kept)");
}

TEST(ActCsv, AcceptsWindows1252TabsAndComments) {
    std::string csv = "# exported by the practice software\n"
                      "code\tlibell\xe9\tprix\ttva\tactif\n"
                      "HN-CERT\tCertificat m\xe9\x64ical pour une assurance\t25,00 \x80\t20\toui\n"
                      "hn-old\tAncien forfait\t10\t0\tnon\n";
    auto parsed = parse_act_csv(csv, ActSystem::other);
    ASSERT_TRUE(parsed.error.empty()) << parsed.error;
    ASSERT_EQ(parsed.acts.size(), 2u);
    EXPECT_EQ(parsed.acts[0].act.label, "Certificat médical pour une assurance");
    EXPECT_EQ(parsed.acts[0].act.price_cents, 2500);
    EXPECT_EQ(parsed.acts[0].act.vat_rate_bp, 2000);
    EXPECT_TRUE(parsed.acts[0].sets_active);
    EXPECT_EQ(parsed.acts[1].act.code, "HN-OLD");
    EXPECT_FALSE(parsed.acts[1].act.active);
}

TEST(ActCsv, RefusesAFileWithoutTheNeededColumns) {
    EXPECT_EQ(parse_act_csv("", ActSystem::ccam).error, "the file has no header line");
    EXPECT_EQ(parse_act_csv("code;label\nG;Consultation\n", ActSystem::ngap).error, "the header names no price column");
    EXPECT_EQ(parse_act_csv("foo;bar\n1;2\n", ActSystem::ngap).error, "the header names no code, label, price column");
}

TEST(ActCsv, PriceInCentsAndSystemColumn) {
    auto parsed = parse_act_csv("code;system;label;price_cents\nG;NGAP;Consultation;3000\nDEQP003;ccam;ECG;1426\n"
                                "X;LOINC;Autre;1\nY;NGAP;Prix;12,5\n",
                                ActSystem::other);
    ASSERT_EQ(parsed.acts.size(), 2u);
    EXPECT_EQ(parsed.acts[1].act.system, ActSystem::ccam);
    ASSERT_EQ(parsed.skipped.size(), 2u);
    EXPECT_EQ(parsed.skipped[0].reason, "unknown system (NGAP, CCAM or OTHER)");
    EXPECT_EQ(parsed.skipped[1].reason, "price_cents is not a whole number of cents");
}

TEST(Acts, CodesPerSystem) {
    EXPECT_TRUE(valid_code(ActSystem::ccam, "DEQP003"));
    EXPECT_FALSE(valid_code(ActSystem::ccam, "DEQ0003"));
    EXPECT_FALSE(valid_code(ActSystem::ccam, "G"));
    EXPECT_TRUE(valid_code(ActSystem::ngap, "G"));
    EXPECT_TRUE(valid_code(ActSystem::ngap, "IKM"));
    EXPECT_FALSE(valid_code(ActSystem::ngap, "1G"));
    EXPECT_FALSE(valid_code(ActSystem::ngap, "HN-EXPERT"));
    EXPECT_TRUE(valid_code(ActSystem::other, "HN-EXPERT"));
    EXPECT_EQ(normalize_code(" deqp003 "), "DEQP003");
}
