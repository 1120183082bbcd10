// SPDX-License-Identifier: Apache-2.0
// `medisecure demo seed` as an operator runs it: every role gets an account, the clinical
// contexts get their data through the real use cases (so it is audited and encrypted like any
// other), and a second run changes nothing and shows the same credentials.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <sys/stat.h>

#include "test_app.hpp"

using namespace medisecure::testkit;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

int number_before(const std::string& text, const std::string& words) {
    std::smatch m;
    std::regex re("([0-9]+) " + words);
    if (!std::regex_search(text, m, re)) return -1;
    return std::stoi(m[1]);
}

}  // namespace

TEST(DemoSeed, APracticeOfEveryRoleWithItsClinicalDayOnce) {
    TempDir dir;
    const std::string data = dir.path().string();
    auto first = run_cli("demo seed", data);
    ASSERT_EQ(first.status, 0) << first.out;
    for (const char* role : {"admin", "doctor", "nurse", "secretary", "accountant", "patient"})
        EXPECT_TRUE(std::regex_search(first.out, std::regex(std::string("\\n  ") + role + " +\\S+@\\S+ +\\S{20,}")))
            << role << " missing in:\n" << first.out;
    EXPECT_GE(number_before(first.out, "patients registered"), 50);
    EXPECT_GE(number_before(first.out, "appointments booked"), 50);
    EXPECT_GE(number_before(first.out, "signed consultations"), 10);
    EXPECT_GE(number_before(first.out, "invoices issued"), 50);
    const int documents = number_before(first.out, "documents filed");
    EXPECT_GE(documents, 8);

    struct stat st {};
    ASSERT_EQ(::stat((dir.path() / "demo-credentials.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // Documents are encrypted at rest: one blob each, none of them readable as what was filed.
    int blobs = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() / "blobs")) {
        if (!e.is_regular_file()) continue;
        ++blobs;
        const auto bytes = slurp(e.path());
        EXPECT_EQ(bytes.find("%PDF-1."), std::string::npos) << e.path();
        EXPECT_EQ(bytes.find(std::string("\x89PNG\r\n\x1a\n", 8)), std::string::npos) << e.path();
        EXPECT_EQ(bytes.find("Cher confr"), std::string::npos) << e.path();
    }
    EXPECT_EQ(blobs, documents);

    // All of it went through the audited use cases, and the chain is whole.
    auto verify = run_cli("audit verify", data);
    EXPECT_EQ(verify.status, 0) << verify.out;

    auto again = run_cli("demo seed", data);
    ASSERT_EQ(again.status, 0) << again.out;
    EXPECT_NE(again.out.find(slurp(dir.path() / "demo-credentials.txt")), std::string::npos)
        << "the second run shows the first run's credentials";
    int blobs_after = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() / "blobs")) blobs_after += e.is_regular_file();
    EXPECT_EQ(blobs_after, blobs);
}

TEST(DemoGenerate, AddsAPopulationAndRefusesABadCountBeforeWritingAnything) {
    TempDir dir;
    const std::string data = (dir.path() / "practice").string();
    for (const char* bad : {"--patients 12x", "--patients -5", "--appointments 99999999999"}) {
        auto refused = run_cli(std::string("demo generate ") + bad, data);
        EXPECT_EQ(refused.status, 2) << bad << ": " << refused.out;
        EXPECT_NE(refused.out.find("must be a whole number"), std::string::npos) << refused.out;
        EXPECT_FALSE(std::filesystem::exists(data)) << bad;
    }
    auto made = run_cli("demo generate --patients 250 --appointments 7", data);
    ASSERT_EQ(made.status, 0) << made.out;
    EXPECT_NE(made.out.find("250 patients and 7 appointments generated."), std::string::npos) << made.out;
    auto verify = run_cli("audit verify", data);  // every imported patient was audited, in one chain
    EXPECT_EQ(verify.status, 0) << verify.out;
    EXPECT_NE(verify.out.find("intact"), std::string::npos) << verify.out;
}
