// SPDX-License-Identifier: Apache-2.0
#include "core/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace medisecure {

void random_bytes(void* out, std::size_t n) {
    auto* p = static_cast<unsigned char*>(out);
    while (n > 0) {
        ssize_t got = ::getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        p += got;
        n -= static_cast<std::size_t>(got);
    }
}

std::uint64_t random_u64() {
    std::uint64_t v;
    random_bytes(&v, sizeof v);
    return v;
}

std::string to_hex(const void* data, std::size_t n) {
    static const char* kHex = "0123456789abcdef";
    const auto* p = static_cast<const unsigned char*>(data);
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = kHex[p[i] >> 4];
        out[2 * i + 1] = kHex[p[i] & 0xf];
    }
    return out;
}

namespace {

/// Identifiers take their random bits from a block of 256 bytes per thread, filled by getrandom
/// and each byte handed out once: one system call per 16 identifiers instead of one each (a
/// request id per request, an id per new row). Keys and tokens call random_bytes directly.
void identifier_bytes(unsigned char* out, std::size_t n) {
    thread_local unsigned char block[256];
    thread_local std::size_t left = 0;
    if (left < n) {
        random_bytes(block, sizeof block);
        left = sizeof block;
    }
    std::memcpy(out, block + (sizeof block - left), n);
    left -= n;
}

}  // namespace

std::string new_uuid_v7(Timestamp now) {
    unsigned char b[16];
    identifier_bytes(b, sizeof b);
    auto ms = static_cast<std::uint64_t>(to_micros(now) / 1000);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));
    std::string out = to_hex(b, sizeof b);
    for (std::size_t dash : {8, 13, 18, 23}) out.insert(dash, 1, '-');  // 8-4-4-4-12
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

}  // namespace medisecure
