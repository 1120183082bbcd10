// SPDX-License-Identifier: Apache-2.0
// An entry of the act catalogue: a French nomenclature code (NGAP letter key, CCAM technical
// act) or a practice-defined item, with its label, its fee in cents and its VAT rate. Codes
// are never reused for something else: a code that was invoiced is deactivated, not deleted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contexts/billing/domain/money.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace medisecure::billing {

/// NGAP: Nomenclature générale des actes professionnels (consultations, majorations, IK);
/// CCAM: Classification commune des actes médicaux (technical acts, AAAA999);
/// other: the practice's own items (certificates, expert reports: possibly subject to VAT).
enum class ActSystem { ngap, ccam, other };
std::string_view to_string(ActSystem s);  // "NGAP", "CCAM", "OTHER"
std::optional<ActSystem> parse_act_system(std::string_view s);  // case-insensitive

inline constexpr Cents kMaxUnitPrice = 10'000'000;  // 100 000 € for one unit
inline constexpr std::size_t kMaxLabelLength = 500;  // code points; CCAM labels run long

struct Act {
    std::string code;
    ActSystem system = ActSystem::ngap;
    std::string label;
    Cents price_cents = 0;         // the fee for one unit, excluding VAT
    BasisPoints vat_rate_bp = 0;   // 0: exempt (medical care, CGI art. 261-4-1°)
    bool active = true;            // inactive codes stay on past invoices, but no new line uses them
    Timestamp created_at{};
    Timestamp updated_at{};
    std::int64_t version = 1;
};

/// Trimmed and upper-cased, as codes are stored and compared.
std::string normalize_code(std::string_view code);
/// True when `code` (normalised) is well-formed for `system`: CCAM four letters and three
/// digits (DEQP003); NGAP a letter key of up to 10 letters and digits (G, APC, IK); other items
/// up to 16 letters, digits, '.', '_' or '-'.
bool valid_code(ActSystem system, std::string_view code);
/// Field issues of an act (JSON pointers as in the API: /code, /label, /price_cents...).
std::vector<FieldIssue> validate(const Act& act);

}  // namespace medisecure::billing
