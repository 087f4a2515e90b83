# Uses ccache for every compile when it is installed.
find_program(JL_CCACHE ccache)
if(JL_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${JL_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${JL_CCACHE})
endif()
