# The connection logic's property test (RapidCheck rc::state, labelled `property`), with the
# same fixed seed and case count as the library's (src/properties.cmake, HTTPFSM_RC_PARAMS).
# Included from server/CMakeLists.txt.
find_package(rapidcheck CONFIG REQUIRED)

add_executable(httpfsm_server_property_tests connection_prop_test.cc file_store_prop_test.cc
  testing/test_site.cc)
# As in src/properties.cmake: generation is slow at -O0 under ASan.
target_compile_options(httpfsm_server_property_tests PRIVATE $<$<CONFIG:Debug>:-O1>)
target_link_libraries(httpfsm_server_property_tests PRIVATE
  httpfsm_server_core httpfsm_response_reader httpfsm_request_model httpfsm_warnings
  rapidcheck_gtest GTest::gtest GTest::gtest_main)
gtest_discover_tests(httpfsm_server_property_tests
  PROPERTIES LABELS property ENVIRONMENT "RC_PARAMS=${HTTPFSM_RC_PARAMS}"
  DISCOVERY_TIMEOUT 60)
