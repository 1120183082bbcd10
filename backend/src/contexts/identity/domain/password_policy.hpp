// SPDX-License-Identifier: Apache-2.0
// Password rules after NIST SP 800-63B: length matters, composition rules do not; known and
// context-derived passwords are refused.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace medisecure::identity {

inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 128;

/// Issues for `field` (a JSON pointer); empty when acceptable.
std::vector<FieldIssue> check_password(std::string_view password, std::string_view email,
                                       std::string_view display_name, std::string_view field = "/password");

}  // namespace medisecure::identity
