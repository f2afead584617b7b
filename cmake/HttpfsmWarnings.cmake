# httpfsm_warnings: the warning set every target of ours links. Ragel's output is the one
# file allowed to drop some of them (see src/CMakeLists.txt).
add_library(httpfsm_warnings INTERFACE)
target_compile_options(httpfsm_warnings INTERFACE
  $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wsign-conversion -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual
    -Wimplicit-fallthrough>
  $<$<COMPILE_LANG_AND_ID:C,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wsign-conversion -Wstrict-prototypes>)
if(HTTPFSM_WERROR)
  target_compile_options(httpfsm_warnings INTERFACE -Werror)
endif()
# GCC 12 at -O3 (Release: the release preset) reports -Wrestrict overlaps of 2^63 bytes
# inside libstdc++'s own std::string concatenation (GCC PR 105329): a false positive in
# the library's code, not ours, which -Werror turns into a failed build. Dropped for that
# compiler and configuration only; the dev and asan builds, clang and later GCCs keep it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(httpfsm_warnings INTERFACE
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CONFIG:Release>>:-Wno-restrict>)
endif()
