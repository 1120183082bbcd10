// SPDX-License-Identifier: Apache-2.0
// Writes a ZIP archive (deflate, UTF-8 names, data descriptors) to a byte sink as entries
// come, so an export never has to fit in memory. Opens with every system's built-in tools.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace medisecure::archive {

class ZipWriter {
public:
    using Sink = std::function<void(const char*, std::size_t)>;
    ZipWriter(Sink sink, Timestamp modified);
    /// Adds one file; names use '/' and must not start with '/' or contain "..".
    void add(std::string_view name, std::string_view content);
    /// Writes the central directory. Nothing may be added afterwards.
    void finish();

private:
    struct Entry {
        std::string name;
        std::uint32_t crc = 0;
        std::uint64_t compressed = 0, size = 0, offset = 0;
    };
    void put(const std::string& bytes);
    Sink sink_;
    std::uint16_t dos_time_ = 0, dos_date_ = 0;
    std::uint64_t offset_ = 0;
    std::vector<Entry> entries_;
    bool finished_ = false;
};

}  // namespace medisecure::archive
