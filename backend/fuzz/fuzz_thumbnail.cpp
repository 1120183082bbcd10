// SPDX-License-Identifier: Apache-2.0
// Image thumbnailing of uploaded JPEG and PNG documents (stb_image, in a background job): any
// bytes the upload's sniffer takes for a JPEG or a PNG (the only documents thumbnailed), through
// the production adapter and its pixel limit.
#include <string>

#include "contexts/documents/adapters/image/stb_thumbnailer.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::documents;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    StbThumbnailer thumbnailer;
    // The production size is 256; the input's first byte varies it a little (1..256).
    fuzz::Input in(data, size);
    int max_side = 1 + in.byte();
    std::string_view image = in.rest();
    auto kind = sniff(image);
    if (kind != Kind::jpeg && kind != Kind::png) return 0;
    auto png = thumbnailer.png_thumbnail(image, max_side);
    if (png) {
        fuzz::check(png->size() > 8 && png->compare(0, 8, "\x89PNG\r\n\x1a\n") == 0, "a thumbnail is a PNG");
        fuzz::check(sniff(*png) == Kind::png, "a thumbnail sniffs as PNG");
    }
    return 0;
}
