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
