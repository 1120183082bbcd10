// SPDX-License-Identifier: Apache-2.0
// Reading an act catalogue from CSV: the starter list shipped in backend/data and the full
// CCAM/NGAP lists a practice obtains (`medisecure codes import`). No I/O: the caller reads
// the file. The accepted format is documented in docs/billing.md:
//   - UTF-8 (a BOM is skipped) or, when the text is not valid UTF-8, Windows-1252;
//   - separator ';', ',' or tab, detected on the header line; RFC 4180 quoting;
//   - blank lines and lines starting with '#' are ignored;
//   - the first other line is a header; columns are recognised by name, ignoring case,
//     accents and punctuation: code (code, code acte...), label (libellé, texte,
//     désignation...), price in euros (tarif, prix, price... — "tarif secteur 1 / OPTAM" is
//     preferred when there are several) or price_cents, and optionally system (NGAP, CCAM,
//     OTHER), vat_rate_percent (tva), activity (activité: rows of an activity other than 1
//     are skipped) and active (1/0, oui/non, true/false).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contexts/billing/domain/act.hpp"

namespace medisecure::billing {

struct CsvAct {
    int line = 0;  // where the record starts in the file (1-based)
    Act act;
    bool sets_active = false;  // the file has an `active` column
};

struct CsvSkip {
    int line = 0;
    std::string code;
    std::string reason;  // safe to print: describes the problem, not the row
};

struct ParsedActCsv {
    std::vector<CsvAct> acts;
    std::vector<CsvSkip> skipped;
    std::string error;  // fatal: no header, no code/label/price column; acts is then empty
};

inline constexpr std::size_t kMaxCsvRows = 200000;

/// Parses `content`; rows without a `system` column belong to `default_system`.
ParsedActCsv parse_act_csv(std::string_view content, ActSystem default_system);

/// Windows-1252 bytes to UTF-8.
std::string cp1252_to_utf8(std::string_view bytes);

}  // namespace medisecure::billing
