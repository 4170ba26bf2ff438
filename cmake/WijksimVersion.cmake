# The git revision is recorded in every manifest; it is read at configure time and again at
# build time so a rebuild after a commit reports the new revision.
set(WIJKSIM_VERSION_IN ${CMAKE_CURRENT_LIST_DIR}/version.hpp.in)
set(WIJKSIM_VERSION_OUT ${CMAKE_BINARY_DIR}/generated/wijksim/version.hpp)
add_custom_target(wijksim_version
  COMMAND ${CMAKE_COMMAND} -DIN=${WIJKSIM_VERSION_IN} -DOUT=${WIJKSIM_VERSION_OUT}
          -DSRC=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
          -DCOMPILER_ID=${CMAKE_CXX_COMPILER_ID} -DCOMPILER_VERSION=${CMAKE_CXX_COMPILER_VERSION}
          -P ${CMAKE_CURRENT_LIST_DIR}/WriteVersion.cmake
  BYPRODUCTS ${WIJKSIM_VERSION_OUT}
  COMMENT "Recording git revision")
