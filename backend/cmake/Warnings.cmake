# SPDX-License-Identifier: Apache-2.0
# Warning and sanitizer settings as INTERFACE targets; every project target links ms_warnings.
add_library(ms_warnings INTERFACE)
target_compile_options(ms_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Werror=switch -Werror=return-type -Werror=unused-result
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s string concatenation.
  -Wno-restrict
  # Routes and options are built with designated initializers that leave defaults out.
  -Wno-missing-field-initializers)
if(MEDISECURE_WERROR)
  target_compile_options(ms_warnings INTERFACE -Werror)
endif()

add_library(ms_sanitizers INTERFACE)
if(MEDISECURE_SANITIZE)
  # Undefined behaviour stops the program (a test or a fuzz run fails) instead of printing and
  # going on; the sanitizers' runtime options are set by scripts/sanitize.sh and scripts/fuzz.sh.
  target_compile_options(ms_sanitizers INTERFACE -fsanitize=${MEDISECURE_SANITIZE} -fno-omit-frame-pointer
                         -fno-sanitize-recover=all)
  target_link_options(ms_sanitizers INTERFACE -fsanitize=${MEDISECURE_SANITIZE})
  if(MEDISECURE_SANITIZE MATCHES "undefined" AND NOT MEDISECURE_FUZZ)
    # Debian's SOCI libraries do not export the typeinfo of their backends that UBSan's vptr
    # check refers to: the tests would not link. (The fuzz targets link no SOCI and keep it.)
    target_compile_options(ms_sanitizers INTERFACE -fno-sanitize=vptr)
  endif()
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # GCC-only spellings above (-Wshadow=local, -Wno-restrict) are unknown to clang (fuzz preset).
  target_compile_options(ms_warnings INTERFACE -Wno-unknown-warning-option)
endif()
