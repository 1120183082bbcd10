// SPDX-License-Identifier: Apache-2.0
// What the fuzz targets share: slicing one input into several values, and invariants whose
// failure is reported to libFuzzer as a crash (with the input kept as a reproducer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace medisecure::fuzz {

/// Reads values off the front of the input; `rest()` takes what is left.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : text_(reinterpret_cast<const char*>(data), size) {}
    std::uint8_t byte() {
        if (text_.empty()) return 0;
        auto b = static_cast<std::uint8_t>(text_.front());
        text_.remove_prefix(1);
        return b;
    }
    /// Up to the next occurrence of `sep` (dropped), or everything left.
    std::string_view until(char sep) {
        auto pos = text_.find(sep);
        auto out = text_.substr(0, pos);
        text_.remove_prefix(pos == std::string_view::npos ? text_.size() : pos + 1);
        return out;
    }
    std::string_view rest() {
        auto out = text_;
        text_ = {};
        return out;
    }
    bool empty() const { return text_.empty(); }

private:
    std::string_view text_;
};

/// A property of the code under test that must hold for every input.
inline void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
}

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
inline bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

}  // namespace medisecure::fuzz
