# cmake -DBUILD_DIR=... -DPREFIX=... -DCONFIG=... -P stage_package.cmake
# Installs the library's components (not the tools) of BUILD_DIR into PREFIX, quietly.
foreach(component Development Runtime)
  execute_process(
    COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --config ${CONFIG}
            --component ${component}
    OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "staging component ${component} failed:\n${output}")
  endif()
endforeach()
