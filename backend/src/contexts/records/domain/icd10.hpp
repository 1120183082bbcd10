// SPDX-License-Identifier: Apache-2.0
// ICD-10 (CIM-10) codes: their normal form, the search tokens of their labels, and the parser
// of the code files a practice imports. No I/O here: files arrive as bytes.
//
// Accepted files (`medisecure codes import icd10 FILE`):
// - text encoded in UTF-8 (a byte-order mark is ignored) or, when it is not valid UTF-8,
//   Windows-1252 / Latin-1 (the encoding of ATIH's distributions);
// - one code per line, fields separated by `;`, a tab, `|` or `,` (the first of these found
//   in the first line), fields optionally in double quotes;
// - an optional header line naming the columns: the code column is `code` (or `cim10`,
//   `icd10`), the label column `label`, `libelle`, `libelle_long`, `lib_long`, `description`...
//   (a long label is preferred to a short one); without a header the first column is the code
//   and the last non-empty column the label (ATIH's LIBCIM10 layout);
// - codes with or without their dot ("J459" or "J45.9"); dagger, asterisk and other marks
//   after a code are dropped; lines that hold no valid code (chapter and block titles such as
//   "A00-A09") are skipped and counted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace medisecure::records {

struct Icd10Code {
    std::string code;  // normal form: "J45.9", "I10"
    std::string label;
};

/// The normal form of a code written by a person or a file ("j459", " J45.9† "); nullopt when
/// it is not an ICD-10 code.
std::optional<std::string> normalise_code(std::string_view raw);

/// When a search query looks like the beginning of a code ("e", "E1", "e11.", "J459"), the
/// normalised prefix; nullopt otherwise.
std::optional<std::string> code_prefix(std::string_view query);

/// Folded words of a label for accent-insensitive prefix search ("Diabète sucré de type 2" →
/// 2, de, diabete, sucre, type); single letters are dropped. Sorted, unique.
std::vector<std::string> label_tokens(std::string_view label);

/// Windows-1252 (a superset of Latin-1's printable range) to UTF-8.
std::string cp1252_to_utf8(std::string_view bytes);

struct CodeFile {
    std::vector<Icd10Code> codes;       // in file order, first occurrence of each code
    std::size_t skipped = 0;            // lines without a valid code or label, and repeats
    std::vector<std::string> problems;  // the first few skipped lines and why ("line 3: ...")
    std::string encoding;               // "UTF-8" or "Windows-1252"
    char delimiter = ';';
    bool header = false;
};

inline constexpr std::size_t kMaxLabelBytes = 1000;

/// @return invalid_input when nothing in the file can be read as codes.
Result<CodeFile> parse_code_file(std::string_view bytes);

}  // namespace medisecure::records
