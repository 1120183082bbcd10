// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/domain/password_policy.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace medisecure::identity {
namespace {

// The most common passwords of at least 12 characters in public breach corpora, with the
// French ones a practice's staff would reach for first.
constexpr std::array<std::string_view, 40> kCommon = {
    "123456789012", "1234567890123", "12345678901234", "123456789123", "password1234",
    "password123!", "passwordpassword", "qwertyuiop123", "qwertyuiopasdf", "azertyuiop123",
    "azertyuiopqsd", "motdepasse123", "motdepasse1234", "motdepassemotdepasse", "iloveyou1234",
    "administrator", "administrateur", "medisecure123", "medisecure2024", "medisecure2025",
    "medisecure2026", "changeme1234", "welcome12345", "bienvenue123", "bienvenue1234",
    "soleil123456", "doudou123456", "chocolat1234", "football1234", "111111111111",
    "000000000000", "aaaaaaaaaaaa", "abcdefghijkl", "abc123abc123", "letmein12345",
    "trustno1trustno1", "secret123456", "password12345", "qwerty123456", "azerty123456"};

bool is_common(const std::string& folded) {
    return std::find(kCommon.begin(), kCommon.end(), folded) != kCommon.end();
}

bool one_repeated_char(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return c == s[0]; });
}

bool simple_sequence(std::string_view s) {
    if (s.size() < 3) return false;
    int step = s[1] - s[0];
    if (step != 1 && step != -1) return false;
    for (std::size_t i = 2; i < s.size(); ++i)
        if (s[i] - s[i - 1] != step) return false;
    return true;
}

}  // namespace

std::vector<FieldIssue> check_password(std::string_view password, std::string_view email,
                                       std::string_view display_name, std::string_view field) {
    std::vector<FieldIssue> out;
    std::string f(field);
    if (!is_valid_utf8(password)) {
        out.push_back({f, "encoding", "must be valid UTF-8"});
        return out;
    }
    auto len = utf8_length(password);
    if (len < kMinPasswordLength) {
        out.push_back({f, "too_short", "must be at least " + std::to_string(kMinPasswordLength) + " characters"});
        return out;
    }
    if (len > kMaxPasswordLength) {
        out.push_back({f, "too_long", "must be at most " + std::to_string(kMaxPasswordLength) + " characters"});
        return out;
    }
    std::string lower = to_lower_ascii(password);
    if (is_common(lower) || one_repeated_char(password) || simple_sequence(password)) {
        out.push_back({f, "too_common", "is too easy to guess; choose a longer phrase"});
        return out;
    }
    auto local = to_lower_ascii(email.substr(0, email.find('@')));
    if (local.size() >= 4 && lower.find(local) != std::string::npos)
        out.push_back({f, "contains_identity", "must not contain the e-mail address"});
    for (const auto& word : name_tokens(display_name))
        if (word.size() >= 4 && fold(password).find(word) != std::string::npos) {
            out.push_back({f, "contains_identity", "must not contain the user's name"});
            break;
        }
    return out;
}

}  // namespace medisecure::identity
