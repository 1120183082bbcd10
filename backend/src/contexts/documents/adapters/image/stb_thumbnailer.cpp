// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/adapters/image/stb_thumbnailer.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

#include <memory>
#include <vector>

namespace medisecure::documents {

Result<std::string> StbThumbnailer::png_thumbnail(std::string_view image, int max_side) {
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
