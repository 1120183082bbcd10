// SPDX-License-Identifier: Apache-2.0
// Cryptographically secure random bytes from the kernel (getrandom), and the ids built on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace medisecure {

void random_bytes(void* out, std::size_t n);
std::uint64_t random_u64();
/// A UUIDv7 (RFC 9562): 48-bit Unix milliseconds then random bits, so ids sort by creation time
/// and index well, yet cannot be guessed. Lower-case canonical text form.
std::string new_uuid_v7(Timestamp now);
/// True for a canonical lower- or upper-case UUID text form (any version).
bool is_uuid(std::string_view s);
std::string to_hex(const void* data, std::size_t n);

}  // namespace medisecure
