// SPDX-License-Identifier: Apache-2.0
// `medisecure demo seed`: a realistic practice to explore (staff of every role, patients with
// French names, portal accounts). Passwords are generated, printed, and kept in
// <data_dir>/demo-credentials.txt (mode 0600) so later runs can show them again.
#pragma once

#include <string>

#include "main/application.hpp"

namespace medisecure {

/// Seeds once; returns the credentials text (new or previously generated).
std::string seed_demo(Application& app);

}  // namespace medisecure
