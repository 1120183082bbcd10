# SPDX-License-Identifier: Apache-2.0
# medisecure_add_context(<name> DOMAIN ... APP ... ADAPTERS ... HTTP ... USES ... TESTS ...)
# creates ms_<name>_domain, ms_<name>_app, ms_<name>_adapters, ms_<name>_http and, with tests,
# ms_<name>_tests. Only the adapters target links SOCI, so a stray <soci/soci.h> in domain/ or
# app/ does not compile; only http links the HTTP types (never Beast).
function(medisecure_add_context name)
  cmake_parse_arguments(CTX "" "" "DOMAIN;APP;ADAPTERS;HTTP;USES;TESTS" ${ARGN})
  set(src_root ${CMAKE_SOURCE_DIR}/src)

  add_library(ms_${name}_domain STATIC ${CTX_DOMAIN})
  target_link_libraries(ms_${name}_domain PUBLIC ms_core PRIVATE ms_warnings ms_sanitizers)

  set(app_deps ms_${name}_domain ms_platform_base)
  foreach(dep IN LISTS CTX_USES)
    list(APPEND app_deps ms_${dep}_app)
  endforeach()
  add_library(ms_${name}_app STATIC ${CTX_APP})
  target_link_libraries(ms_${name}_app PUBLIC ${app_deps} PRIVATE ms_warnings ms_sanitizers)

  if(CTX_ADAPTERS)
    add_library(ms_${name}_adapters STATIC ${CTX_ADAPTERS})
    target_link_libraries(ms_${name}_adapters PUBLIC ms_${name}_app ms_platform_db
                          PRIVATE ms_warnings ms_sanitizers)
  endif()

  add_library(ms_${name}_http STATIC ${CTX_HTTP})
  target_link_libraries(ms_${name}_http PUBLIC ms_${name}_app ms_platform_http
                        PRIVATE ms_warnings ms_sanitizers)

  if(MEDISECURE_TESTS AND CTX_TESTS)
    add_executable(ms_${name}_tests ${CTX_TESTS})
    target_link_libraries(ms_${name}_tests PRIVATE ms_${name}_http ms_testing
                          GTest::gtest GTest::gmock GTest::gtest_main ms_warnings ms_sanitizers)
    if(CTX_ADAPTERS)
      target_link_libraries(ms_${name}_tests PRIVATE ms_${name}_adapters)
    endif()
    add_test(NAME ${name}.unit COMMAND ms_${name}_tests)
    set_tests_properties(${name}.unit PROPERTIES LABELS unit TIMEOUT 300)
  endif()
endfunction()
