// SPDX-License-Identifier: Apache-2.0
// The ICD-10 (CIM-10) code file importer (`medisecure codes import icd10 FILE`, and the admin
// upload): any bytes, any encoding, any delimiter. Also the code normaliser and the search
// tokeniser, which see what users type.
#include <set>
#include <string>

#include "contexts/records/domain/icd10.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::records;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto file = parse_code_file(bytes);
    if (file) {
        std::set<std::string> seen;
        for (const auto& c : file->codes) {
            fuzz::check(fuzz::valid_utf8(c.code) && fuzz::valid_utf8(c.label), "imported codes and labels are UTF-8");
            fuzz::check(!c.label.empty() && c.label.size() <= kMaxLabelBytes, "an imported label is bounded");
            auto again = normalise_code(c.code);
            fuzz::check(again && *again == c.code, "an imported code is in normal form");
            fuzz::check(seen.insert(c.code).second, "an imported code appears once");
        }
    }
    fuzz::check(fuzz::valid_utf8(cp1252_to_utf8(bytes)), "Windows-1252 converts to valid UTF-8");
    std::string_view first_line = bytes.substr(0, bytes.find('\n'));
    if (auto n = normalise_code(first_line)) {
        auto again = normalise_code(*n);
        fuzz::check(again && *again == *n, "normalising a code twice changes nothing");
    }
    (void)code_prefix(first_line);
    auto tokens = label_tokens(first_line);
    for (std::size_t i = 1; i < tokens.size(); ++i) fuzz::check(tokens[i - 1] < tokens[i], "label tokens are sorted and unique");
    return 0;
}
