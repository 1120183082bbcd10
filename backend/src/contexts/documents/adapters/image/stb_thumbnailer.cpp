// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/adapters/image/stb_thumbnailer.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

#include <memory>
#include <vector>

namespace medisecure::documents {

bool jpeg_tables_safe_for_stb(std::string_view image) {
    auto byte = [&](std::size_t i) -> unsigned { return i < image.size() ? static_cast<unsigned char>(image[i]) : 0u; };
    if (byte(0) != 0xFF || byte(1) != 0xD8) return true;
    // Markers as a decoder finds them: segments are skipped by their length, and between them
    // (entropy-coded data, fill bytes) every 0xFF followed by a marker code is a marker.
    std::size_t i = 2;
    while (i + 1 < image.size()) {
        unsigned m = byte(i + 1);
        if (byte(i) != 0xFF || m == 0xFF || m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7)) {
            ++i;
            continue;
        }
        if (m == 0xD9) break;  // end of image
        long length = static_cast<long>(byte(i + 2) << 8 | byte(i + 3));
        if (m == 0xC4) {
            // As stb_image reads a DHT: tables while the length lasts, each a class/id byte,
            // 16 code counts and their symbols, read even past the segment's end.
            long left = length - 2;
            std::size_t p = i + 4;
            while (left > 0) {
                unsigned n = 0;
                for (std::size_t k = 1; k <= 16; ++k) n += byte(p + k);
                if (n > 256) return false;
                p += 17 + n;
                left -= 17 + static_cast<long>(n);
            }
        }
        i += 2 + static_cast<std::size_t>(length);
    }
    return true;
}

Result<std::string> StbThumbnailer::png_thumbnail(std::string_view image, int max_side) {
    if (!jpeg_tables_safe_for_stb(image)) return invalid_input("image_unreadable", "The image cannot be decoded.");
    const auto* data = reinterpret_cast<const stbi_uc*>(image.data());
    int len = static_cast<int>(std::min<std::size_t>(image.size(), 0x7fffffff));
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(data, len, &w, &h, &channels))
        return invalid_input("image_unreadable", "The image cannot be decoded.");
    if (static_cast<long long>(w) * h > 50'000'000LL)
        return invalid_input("image_too_large", "The image has too many pixels for a thumbnail.");
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, len, &w, &h, &channels, 3), stbi_image_free);
    if (!pixels) return invalid_input("image_unreadable", "The image cannot be decoded.");
    double scale = std::min(1.0, static_cast<double>(max_side) / std::max(w, h));
    int tw = std::max(1, static_cast<int>(w * scale)), th = std::max(1, static_cast<int>(h * scale));
    std::vector<unsigned char> out(static_cast<std::size_t>(tw) * th * 3);
    if (!stbir_resize_uint8(pixels.get(), w, h, 0, out.data(), tw, th, 0, 3))
        return invalid_input("image_unreadable", "The image cannot be resized.");
    std::string png;
    stbi_write_png_to_func(
        [](void* ctx, void* p, int n) { static_cast<std::string*>(ctx)->append(static_cast<const char*>(p), static_cast<std::size_t>(n)); },
        &png, tw, th, 3, out.data(), tw * 3);
    if (png.empty()) return invalid_input("image_unreadable", "The thumbnail cannot be written.");
    return png;
}

}  // namespace medisecure::documents
