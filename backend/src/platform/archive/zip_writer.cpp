// SPDX-License-Identifier: Apache-2.0
#include "platform/archive/zip_writer.hpp"

#include <zlib.h>

#include <stdexcept>

#include "core/time.hpp"

namespace medisecure::archive {

namespace {
void le16(std::string& s, std::uint16_t v) {
    s += static_cast<char>(v & 0xff);
    s += static_cast<char>(v >> 8);
}
void le32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
constexpr std::uint16_t kFlags = (1 << 3) | (1 << 11);  // data descriptor, UTF-8 names
}  // namespace

ZipWriter::ZipWriter(Sink sink, Timestamp modified) : sink_(std::move(sink)) {
    auto days = std::chrono::floor<std::chrono::days>(modified);
    Date d{days};
    std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(modified - days)};
    int year = std::max(1980, static_cast<int>(d.year()));
    dos_date_ = static_cast<std::uint16_t>(((year - 1980) << 9) | (static_cast<unsigned>(d.month()) << 5) |
                                           static_cast<unsigned>(d.day()));
    dos_time_ = static_cast<std::uint16_t>((hms.hours().count() << 11) | (hms.minutes().count() << 5) |
                                           (hms.seconds().count() / 2));
}

void ZipWriter::put(const std::string& bytes) {
    sink_(bytes.data(), bytes.size());
    offset_ += bytes.size();
}

void ZipWriter::add(std::string_view name, std::string_view content) {
    if (finished_) throw std::logic_error("zip: add after finish");
    if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos || name.size() > 0xffff)
        throw std::invalid_argument("zip: bad entry name");
    if (content.size() > 0xfffffffeu) throw std::invalid_argument("zip: entry too large");
    Entry e;
    e.name = std::string(name);
    e.offset = offset_;
    e.size = content.size();
    e.crc = static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())));

    std::string h;
    le32(h, 0x04034b50);
    le16(h, 20);
    le16(h, kFlags);
    le16(h, 8);  // deflate
    le16(h, dos_time_);
    le16(h, dos_date_);
    le32(h, 0);  // crc and sizes follow in the data descriptor
    le32(h, 0);
    le32(h, 0);
    le16(h, static_cast<std::uint16_t>(e.name.size()));
    le16(h, 0);
    h += e.name;
    put(h);

    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zip: deflate init failed");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
    z.avail_in = static_cast<uInt>(content.size());
    std::string out(64 * 1024, '\0');
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        rc = deflate(&z, Z_FINISH);
        if (rc == Z_STREAM_ERROR) {
            deflateEnd(&z);
            throw std::runtime_error("zip: deflate failed");
        }
        std::size_t n = out.size() - z.avail_out;
        sink_(out.data(), n);
        offset_ += n;
        e.compressed += n;
    } while (rc != Z_STREAM_END);
    deflateEnd(&z);

    std::string dd;
    le32(dd, 0x08074b50);
    le32(dd, e.crc);
    le32(dd, static_cast<std::uint32_t>(e.compressed));
    le32(dd, static_cast<std::uint32_t>(e.size));
    put(dd);
    entries_.push_back(std::move(e));
}

void ZipWriter::finish() {
    if (finished_) return;
    finished_ = true;
    std::uint64_t cd_start = offset_;
    for (const auto& e : entries_) {
        std::string c;
        le32(c, 0x02014b50);
        le16(c, (3 << 8) | 20);  // made by Unix, version 2.0
        le16(c, 20);
        le16(c, kFlags);
        le16(c, 8);
        le16(c, dos_time_);
        le16(c, dos_date_);
        le32(c, e.crc);
        le32(c, static_cast<std::uint32_t>(e.compressed));
        le32(c, static_cast<std::uint32_t>(e.size));
        le16(c, static_cast<std::uint16_t>(e.name.size()));
        le16(c, 0);
        le16(c, 0);
        le16(c, 0);
        le16(c, 0);
        le32(c, 0100600u << 16);  // -rw-------
        le32(c, static_cast<std::uint32_t>(e.offset));
        c += e.name;
        put(c);
    }
    std::string end;
    le32(end, 0x06054b50);
    le16(end, 0);
    le16(end, 0);
    le16(end, static_cast<std::uint16_t>(entries_.size()));
    le16(end, static_cast<std::uint16_t>(entries_.size()));
    le32(end, static_cast<std::uint32_t>(offset_ - cd_start));
    le32(end, static_cast<std::uint32_t>(cd_start));
    le16(end, 0);
    put(end);
}

}  // namespace medisecure::archive
