// SPDX-License-Identifier: Apache-2.0
// Upload checks on outside bytes: the content sniffer that decides a document's type from its
// first bytes (the declared type is never believed), and the download name made from the name
// the client sent. Input: a name byte count, the name, then the file's head.
#include <string>

#include "contexts/documents/domain/document.hpp"
#include "core/text.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::documents;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    std::size_t name_len = in.byte();
    std::string_view all = in.rest();
    std::string_view name = all.substr(0, std::min(name_len, all.size()));
    std::string_view head = all.substr(name.size());

    auto kind = sniff(head);
    if (kind) {
        fuzz::check(!mime_type(*kind).empty() && !extension(*kind).empty(), "a sniffed kind has a type and extension");
        fuzz::check(parse_category(to_string(Category::other)).has_value(), "categories parse back");
    }
    for (Kind k : {Kind::pdf, Kind::jpeg, Kind::png, Kind::dicom, Kind::text}) {
        std::string safe = safe_filename(name, k);
        std::string_view ext = extension(k);
        fuzz::check(fuzz::valid_utf8(safe), "a safe file name is valid UTF-8");
        fuzz::check(safe.size() > ext.size() && safe.ends_with(ext), "a safe file name ends with its extension");
        fuzz::check(safe.find_first_of("/\\\"\r\n") == std::string::npos, "a safe file name has no separator or quote");
        fuzz::check(safe.front() != '.', "a safe file name is not hidden");
        fuzz::check(utf8_length(safe) <= 120 + utf8_length(ext), "a safe file name holds at most 120 characters");
        for (unsigned char c : safe) fuzz::check(c >= 0x20 && c != 0x7f, "a safe file name has no control character");
    }
    (void)parse_category(name);
    return 0;
}
