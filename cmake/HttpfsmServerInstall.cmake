# Installs the embeddable server next to the parser library (included from server/, after
# HttpfsmInstall.cmake):
#   include/httpfsm/server.hpp, include/httpfsm/server/*.hpp   public headers
#   lib/libhttpfsm_server.a
#   lib/cmake/httpfsm/httpfsmServerTargets.cmake               httpfsm::server, loaded by
#                                                              find_package(httpfsm) when present
#   lib/pkgconfig/httpfsm-server.pc                            pkg-config httpfsm-server
# A second export set, so that the parser package stays free of dependencies when the server
# is not built; httpfsm::server needs zlib and threads, which the package config finds.
set_target_properties(httpfsm_server PROPERTIES OUTPUT_NAME httpfsm_server)
target_include_directories(httpfsm_server PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
install(TARGETS httpfsm_server EXPORT httpfsmServerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/server/include/httpfsm
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT httpfsmServerTargets NAMESPACE httpfsm:: DESTINATION ${HTTPFSM_CMAKE_DIR}
  COMPONENT Development)

configure_file(${CMAKE_CURRENT_LIST_DIR}/httpfsm-server.pc.in
  ${PROJECT_BINARY_DIR}/package/httpfsm-server.pc.in @ONLY)
install(CODE "
  set(HTTPFSM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/package/httpfsm-server.pc.in\"
    \"${PROJECT_BINARY_DIR}/package/httpfsm-server.pc\" @ONLY)" COMPONENT Development)
install(FILES ${PROJECT_BINARY_DIR}/package/httpfsm-server.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT Development)

# tools/ stages the Development component for httpfsm-inspect: the server library is part of it.
if(TARGET httpfsm_stage)
  add_dependencies(httpfsm_stage httpfsm_server)
endif()
