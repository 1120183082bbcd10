// SPDX-License-Identifier: Apache-2.0
#include "core/text.hpp"

#include <algorithm>
#include <cstdint>

namespace medisecure {
namespace {

// Decodes one code point; returns false on invalid UTF-8 (overlong, surrogate, out of range).
bool decode(std::string_view s, std::size_t& i, char32_t& cp) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    }
    int n = 0;
    char32_t min = 0;
    if ((b0 & 0xe0) == 0xc0) {
        n = 1;
        cp = b0 & 0x1f;
        min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
        n = 2;
        cp = b0 & 0x0f;
        min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
        n = 3;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return false;
    }
    for (int k = 1; k <= n; ++k) {
        if (i + k >= s.size()) return false;
        auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xc0) != 0x80) return false;
        cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += static_cast<std::size_t>(n) + 1;
    return true;
}

// ASCII folding of U+00C0..U+017F; "" marks a non-letter (×, ÷).
const char* const kLatin[] = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00D0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // U+0110
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // U+0130
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // U+0150
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // U+0170
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

bool is_combining_mark(char32_t cp) { return cp >= 0x300 && cp <= 0x36f; }

}  // namespace

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    char32_t cp;
    while (i < s.size())
        if (!decode(s, i, cp)) return false;
    return true;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

bool has_control_chars(std::string_view s, bool allow_newlines) {
    std::size_t i = 0;
    char32_t cp;
    while (i < s.size()) {
        if (!decode(s, i, cp)) return true;
        if (allow_newlines && (cp == '\n' || cp == '\r' || cp == '\t')) continue;
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) return true;
    }
    return false;
}

std::string trim(std::string_view s) {
    auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t b = 0, e = s.size();
    while (b < e && space(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && space(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    auto emit = [&](std::string_view piece) {
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        out += piece;
    };
    std::size_t i = 0;
    while (i < s.size()) {
        char32_t cp;
        if (!decode(s, i, cp)) {
            ++i;  // invalid bytes are dropped; inputs are validated before they are stored
            continue;
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            char c = static_cast<char>(cp);
            emit(std::string_view(&c, 1));
        } else if (cp >= 'A' && cp <= 'Z') {
            char c = static_cast<char>(cp - 'A' + 'a');
            emit(std::string_view(&c, 1));
        } else if (cp >= 0xc0 && cp <= 0x17f) {
            const char* f = kLatin[cp - 0xc0];
            if (*f) emit(f);
            else pending_space = true;
        } else if (cp == 0x1e9e) {
            emit("ss");
        } else if (is_combining_mark(cp)) {
            // decomposed accents (NFD input): dropped like precomposed ones
        } else if (cp < 0x80 || (cp >= 0x2000 && cp <= 0x206f) || cp == 0xa0 || cp < 0xc0) {
            pending_space = true;  // ASCII punctuation, general punctuation, Latin-1 symbols
        } else {
            std::string piece;
            append_utf8(piece, cp);
            emit(piece);
        }
    }
    return out;
}

std::vector<std::string> name_tokens(std::string_view name) {
    std::vector<std::string> tokens;
    std::string folded = fold(name);
    std::string joined;
    std::size_t start = 0, words = 0;
    while (start <= folded.size()) {
        auto end = folded.find(' ', start);
        if (end == std::string::npos) end = folded.size();
        if (end > start) {
            tokens.emplace_back(folded.substr(start, end - start));
            joined += tokens.back();
            ++words;
        }
        start = end + 1;
    }
    if (words > 1) tokens.push_back(joined);
    std::sort(tokens.begin(), tokens.end());
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    return tokens;
}

std::vector<std::string> query_terms(std::string_view query) {
    std::vector<std::string> terms;
    std::string folded = fold(query);
    std::size_t start = 0;
    while (start <= folded.size()) {
        auto end = folded.find(' ', start);
        if (end == std::string::npos) end = folded.size();
        if (end > start) {
            auto t = folded.substr(start, end - start);
            if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
        }
        start = end + 1;
    }
    return terms;
}

}  // namespace medisecure
