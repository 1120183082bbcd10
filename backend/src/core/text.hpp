// SPDX-License-Identifier: Apache-2.0
// Text rules shared by every context: UTF-8 validity, and the accent- and case-insensitive
// folding used to search names ("Hélène" and "HELENE" both fold to "helene").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace medisecure {

bool is_valid_utf8(std::string_view s);
/// Number of code points of valid UTF-8 (the unit for length limits shown to users).
std::size_t utf8_length(std::string_view s);
/// True when `s` holds C0/C1 control characters other than tab, CR and LF (or any of those
/// when `allow_newlines` is false).
bool has_control_chars(std::string_view s, bool allow_newlines = false);
std::string trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);

/// Lower-cases and removes diacritics of Latin letters (é→e, ß→ss, Œ→oe); every run of other
/// separators (space, hyphen, apostrophe, punctuation) becomes one space; letters of other
/// scripts are kept as they are.
std::string fold(std::string_view s);
/// Search tokens of a name: its folded words, plus the words of a compound joined
/// ("Jean-Pierre" → jean, pierre, jeanpierre). Sorted, unique.
std::vector<std::string> name_tokens(std::string_view name);
/// Words of a folded search query, in order, duplicates removed.
std::vector<std::string> query_terms(std::string_view query);

}  // namespace medisecure
