// SPDX-License-Identifier: Apache-2.0
// Medical record numbers: "MS" + a 7-digit sequence + a Luhn check digit (MS00000427), so a
// mistyped number is caught at the desk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace medisecure::patients {

std::string make_mrn(std::int64_t sequence);
bool valid_mrn(std::string_view mrn);
int luhn_digit(std::string_view digits);

}  // namespace medisecure::patients
