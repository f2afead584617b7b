# Makes the library usable from other projects once installed (GNUInstallDirs layout):
#   include/httpfsm/*.hpp, httpfsm.h, version.hpp    headers (version.hpp generated)
#   lib/libhttpfsm.a                                   always
#   lib/libhttpfsm.so*                                 with HTTPFSM_BUILD_SHARED=ON
#   lib/cmake/httpfsm/                                 find_package(httpfsm CONFIG) -> httpfsm::httpfsm
#   lib/pkgconfig/httpfsm.pc                           pkg-config --cflags --libs httpfsm
# Install components: Development (headers, static library, package files, .so link),
# Runtime (the versioned .so) and Tools (httpfsm-inspect, see tools/CMakeLists.txt).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(HTTPFSM_BUILD_SHARED "Also build and install libhttpfsm.so (target httpfsm::httpfsm_shared)" OFF)

# httpfsm/version.hpp from project(VERSION): generated into the build tree, then installed.
set(HTTPFSM_GENERATED_INCLUDE_DIR ${PROJECT_BINARY_DIR}/generated/include)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in
  ${HTTPFSM_GENERATED_INCLUDE_DIR}/httpfsm/version.hpp @ONLY)
target_include_directories(httpfsm PUBLIC $<BUILD_INTERFACE:${HTTPFSM_GENERATED_INCLUDE_DIR}>)

set(HTTPFSM_INSTALLED_TARGETS httpfsm)
if(HTTPFSM_BUILD_SHARED)
  # The same objects as the static library (compiled position-independent), linked again.
  add_library(httpfsm_shared SHARED $<TARGET_OBJECTS:httpfsm>)
  add_library(httpfsm::httpfsm_shared ALIAS httpfsm_shared)
  target_compile_features(httpfsm_shared PUBLIC cxx_std_20)
  target_include_directories(httpfsm_shared PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src/include>
    $<BUILD_INTERFACE:${HTTPFSM_GENERATED_INCLUDE_DIR}>)
  target_link_libraries(httpfsm_shared PRIVATE $<BUILD_INTERFACE:httpfsm_warnings>)
  # SOVERSION is the major version: SameMajorVersion promises the ABI within it.
  set_target_properties(httpfsm_shared PROPERTIES
    OUTPUT_NAME httpfsm
    EXPORT_NAME httpfsm_shared
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}
    LINKER_LANGUAGE CXX)
  list(APPEND HTTPFSM_INSTALLED_TARGETS httpfsm_shared)
endif()

install(TARGETS ${HTTPFSM_INSTALLED_TARGETS} EXPORT httpfsmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Runtime NAMELINK_COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/include/httpfsm
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(FILES ${HTTPFSM_GENERATED_INCLUDE_DIR}/httpfsm/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/httpfsm COMPONENT Development)

# The CMake package.
set(HTTPFSM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/httpfsm)
install(EXPORT httpfsmTargets NAMESPACE httpfsm:: DESTINATION ${HTTPFSM_CMAKE_DIR}
  COMPONENT Development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/httpfsmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/httpfsmConfig.cmake
  INSTALL_DESTINATION ${HTTPFSM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/httpfsmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/httpfsmConfig.cmake
  ${PROJECT_BINARY_DIR}/package/httpfsmConfigVersion.cmake
  DESTINATION ${HTTPFSM_CMAKE_DIR} COMPONENT Development)

# httpfsm.pc. The prefix is only known at install time (cmake --install --prefix), so the
# file is configured in two passes: now for everything else, at install time for the prefix.
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(HTTPFSM_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(HTTPFSM_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(HTTPFSM_PC_PREFIX "@HTTPFSM_PC_PREFIX@")  # left for the install-time pass
configure_file(${CMAKE_CURRENT_LIST_DIR}/httpfsm.pc.in ${PROJECT_BINARY_DIR}/package/httpfsm.pc.in
  @ONLY)
install(CODE "
  set(HTTPFSM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/package/httpfsm.pc.in\"
    \"${PROJECT_BINARY_DIR}/package/httpfsm.pc\" @ONLY)" COMPONENT Development)
install(FILES ${PROJECT_BINARY_DIR}/package/httpfsm.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT Development)
