// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/documents/ports/ports.hpp"

namespace medisecure::documents {

/// Decodes JPEG and PNG with stb_image, refusing images over 50 megapixels before decoding
/// them (decompression bombs), and writes a PNG thumbnail.
class StbThumbnailer final : public Thumbnailer {
public:
    Result<std::string> png_thumbnail(std::string_view image, int max_side) override;
};

}  // namespace medisecure::documents
