# Property tests (RapidCheck, labelled `property`): generators under src/testing/, one
# *_prop_test.cc beside each piece of code under test. Included from src/CMakeLists.txt.
#
# ctest runs every property with a fixed seed and 1000 cases, so a run is reproducible; the
# seed is printed by RapidCheck ("Using configuration: ...") and a failure prints the
# RC_PARAMS that replays it. ci/props.sh runs a longer soak with a random seed.
find_package(rapidcheck CONFIG REQUIRED)

set(HTTPFSM_RC_PARAMS "seed=1 max_success=1000" CACHE STRING
    "RapidCheck parameters of the property tests under ctest")

# The request model: generators, serializer and reference parse (test-only).
add_library(httpfsm_request_model STATIC
  testing/request_model.cc testing/request_stream.cc testing/response_head_reader.cc
  testing/chunked_reference.cc test_support.cc)
target_link_libraries(httpfsm_request_model PUBLIC httpfsm rapidcheck PRIVATE httpfsm_warnings)
target_include_directories(httpfsm_request_model PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})

# Generation is template-heavy RapidCheck code, a hundred times slower at -O0 under ASan; the
# test side gets -O1 in Debug builds (the library under test keeps the preset's flags).
set(HTTPFSM_PROPERTY_DEBUG_OPTIMIZATION $<$<CONFIG:Debug>:-O1>)
target_compile_options(httpfsm_request_model PRIVATE ${HTTPFSM_PROPERTY_DEBUG_OPTIMIZATION})

add_executable(httpfsm_property_tests
  head_parser_prop_test.cc
  body_decoder_prop_test.cc
  path_prop_test.cc
  accept_encoding_prop_test.cc
  response_writer_prop_test.cc
  request_writer_prop_test.cc
  http_date_prop_test.cc
  proxy_protocol_prop_test.cc
  response_reader_prop_test.cc)
target_compile_options(httpfsm_property_tests PRIVATE ${HTTPFSM_PROPERTY_DEBUG_OPTIMIZATION})
target_link_libraries(httpfsm_property_tests PRIVATE
  httpfsm_request_model httpfsm_warnings rapidcheck_gtest GTest::gtest GTest::gtest_main)
gtest_discover_tests(httpfsm_property_tests
  PROPERTIES LABELS property ENVIRONMENT "RC_PARAMS=${HTTPFSM_RC_PARAMS}"
  DISCOVERY_TIMEOUT 60)
