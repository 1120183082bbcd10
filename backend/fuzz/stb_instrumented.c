/* SPDX-License-Identifier: Apache-2.0 */
/* stb_image, stb_image_resize and stb_image_write compiled from the headers of the Debian
 * package the server links (libstb-dev), so that the fuzzer instruments them: the shared
 * libstb.so it would otherwise use is neither covered nor checked by AddressSanitizer. */
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>
