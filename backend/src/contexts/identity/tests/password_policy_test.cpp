// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "contexts/identity/domain/password_policy.hpp"
#include "contexts/identity/domain/user.hpp"

using namespace medisecure;
using namespace medisecure::identity;

namespace {
std::string first_code(std::string_view pw, std::string_view email = "a@b.fr", std::string_view name = "Zoé Dupont") {
    auto issues = check_password(pw, email, name);
    return issues.empty() ? "" : issues.front().code;
}
}  // namespace

TEST(PasswordPolicy, LengthRulesCountCharacters) {
    EXPECT_EQ(first_code("short"), "too_short");
    EXPECT_EQ(first_code("ééééééééééé"), "too_short");  // 11 characters, 22 bytes
    EXPECT_EQ(first_code(std::string(129, 'x') + "y"), "too_long");
    EXPECT_EQ(first_code("a sentence of several words"), "");
    EXPECT_EQ(first_code("\xff\xfe invalid utf8 bytes"), "encoding");
}

TEST(PasswordPolicy, RefusesCommonAndTrivialPasswords) {
    EXPECT_EQ(first_code("motdepasse123"), "too_common");
    EXPECT_EQ(first_code("AZERTYUIOP123"), "too_common");
    EXPECT_EQ(first_code("aaaaaaaaaaaaaa"), "too_common");
    EXPECT_EQ(first_code("abcdefghijklmnop"), "too_common");
    EXPECT_EQ(first_code("987654321098"), "");  // not a single run: allowed
}

TEST(PasswordPolicy, RefusesTheUsersOwnIdentity) {
    EXPECT_EQ(first_code("helene.martin-2024!", "helene.martin@cabinet.fr", "Hélène Martin"), "contains_identity");
    EXPECT_EQ(first_code("ilove-dupont-forever", "zoe@cabinet.fr", "Zoé Dupont"), "contains_identity");
}

TEST(User, ValidationAndEmailNormalisation) {
    EXPECT_EQ(normalise_email("  Dr.Lefevre@Cabinet.FR "), "dr.lefevre@cabinet.fr");
    User u;
    u.display_name = "x";
    u.role = Role::patient;
    EXPECT_EQ(validate_user(u).at(0).code, "required");
    u.role = Role::doctor;
    u.patient_id = "p";
    EXPECT_EQ(validate_user(u).at(0).code, "not_allowed");
}
