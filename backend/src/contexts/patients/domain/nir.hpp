// SPDX-License-Identifier: Apache-2.0
// The French NIR ("numéro de sécurité sociale", also the INS matricule): 13 characters and a
// 2-digit key, key = 97 - (number mod 97), with Corsica's 2A/2B counted as 19/18.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace medisecure::patients {

struct Nir {
    std::string value;  // 15 characters, no spaces, upper case (2A/2B)
    int sex_digit() const { return value[0] - '0'; }
    int birth_year_2() const { return (value[1] - '0') * 10 + (value[2] - '0'); }
    int birth_month() const { return (value[3] - '0') * 10 + (value[4] - '0'); }
};

enum class NirError { format, key };

/// Accepts spaces and dots as separators and lower-case 2a/2b.
std::optional<Nir> parse_nir(std::string_view text, NirError* why = nullptr);
/// The key the first 13 characters call for (for building test data).
int nir_key(std::string_view first13);

}  // namespace medisecure::patients
