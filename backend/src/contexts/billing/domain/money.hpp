// SPDX-License-Identifier: Apache-2.0
// Money as integer euro cents, never floating point: the rounding rule the invoices use, and
// the French text forms (input "26,50" / "26.50", output "1 234,56 €"). No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medisecure::billing {

using Cents = std::int64_t;

/// A VAT rate in basis points: 2000 = 20 %, 550 = 5.5 %, 0 = exempt.
using BasisPoints = std::int32_t;
inline constexpr BasisPoints kMaxVatRate = 10000;

/// numerator / denominator rounded to the nearest integer, halves away from zero
/// ("arrondi commercial"): 0.5 → 1, -0.5 → -1. Symmetric, so a credit note's amounts are
/// exactly the opposite of its invoice's. `denominator` > 0.
std::int64_t divide_rounded(std::int64_t numerator, std::int64_t denominator);

/// VAT on a base amount at `rate`, rounded to the cent as above.
Cents vat_on(Cents base, BasisPoints rate);

/// Parses a euro amount as written in France or in CSV exports: "26,50", "26.50", "26",
/// "1 234,56", "1.234,56", "26,50 €", "EUR 26.5". At most two decimals; nullopt otherwise.
std::optional<Cents> parse_euros(std::string_view text);
/// Parses a percentage such as "20", "5,5", "5.5 %" into basis points (at most two decimals).
std::optional<BasisPoints> parse_percent(std::string_view text);

/// "1 234,56 €" with a narrow no-break space as thousands separator and before the sign.
std::string format_euros(Cents cents);
/// "20 %", "5,5 %", "0 %".
std::string format_percent(BasisPoints rate);

}  // namespace medisecure::billing
