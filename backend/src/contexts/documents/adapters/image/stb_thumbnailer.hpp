// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/documents/ports/ports.hpp"

namespace medisecure::documents {

/// Decodes JPEG and PNG with stb_image, refusing images over 50 megapixels before decoding
/// them (decompression bombs) and JPEGs stb 2.27 would mishandle (jpeg_tables_safe_for_stb),
/// and writes a PNG thumbnail.
class StbThumbnailer final : public Thumbnailer {
public:
    Result<std::string> png_thumbnail(std::string_view image, int max_side) override;
};

/// False when `image` is a JPEG with a Huffman table (DHT) declaring more than 256 codes, read
/// the way stb_image reads it. stb_image 2.27 (Debian 12's libstb) does not check that count and
/// writes past its 256-entry tables (found by fuzz_thumbnail; later stb versions refuse it).
/// True for anything else, JPEG or not.
bool jpeg_tables_safe_for_stb(std::string_view image);

}  // namespace medisecure::documents
