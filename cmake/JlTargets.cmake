# One helper per kind of target. Each makes `jl_<name>` and links through the alias `jl::<name>`.
include_guard(GLOBAL)

set(JL_PROTO_ROOT ${PROJECT_SOURCE_DIR}/proto)
set(JL_PROTO_OUT ${PROJECT_BINARY_DIR}/proto)

# Warnings for jobledger's own code (generated code is compiled without them).
function(_jl_own_code_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wimplicit-fallthrough)
  if(JL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# jl_cc_library(NAME name [SRCS ...] [DEPS ...] [PRIVATE_DEPS ...])
# Public headers live in <dir>/include, private sources in <dir>/src.
function(jl_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target jl_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS})
    target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                               PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    _jl_own_code_options(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(jl::${ARG_NAME} ALIAS ${target})
endfunction()

# jl_cc_binary(NAME name OUTPUT_NAME exe SRCS ... DEPS ...)
function(jl_cc_binary)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_NAME" "SRCS;DEPS" ${ARGN})
  add_executable(jl_${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(jl_${ARG_NAME} PRIVATE ${ARG_DEPS})
  if(ARG_OUTPUT_NAME)
    set_target_properties(jl_${ARG_NAME} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
  _jl_own_code_options(jl_${ARG_NAME})
endfunction()

# jl_cc_test(NAME name SRCS ... DEPS ... [LABELS unit|integration|e2e ...] [TIMEOUT s])
# Each GoogleTest case becomes its own CTest test carrying the labels.
function(jl_cc_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set(target jl_${ARG_NAME})
  add_executable(${target} ${ARG_SRCS})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  _jl_own_code_options(${target})
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    TEST_PREFIX "${ARG_NAME}."
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
endfunction()

# jl_proto_library(NAME name PROTOS a.proto ... [DEPS other_proto ...] [GRPC])
# Compiles one proto package once: C++ messages, and with GRPC the stubs and gmock mocks.
# PROTOS are paths relative to proto/, so imports read "jobledger/<domain>/v1/x.proto".
function(jl_proto_library)
  cmake_parse_arguments(ARG "GRPC" "NAME" "PROTOS;DEPS" ${ARGN})
  set(outputs)
  set(inputs)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    list(APPEND inputs ${JL_PROTO_ROOT}/${proto})
    list(APPEND outputs ${JL_PROTO_OUT}/${stem}.pb.h ${JL_PROTO_OUT}/${stem}.pb.cc)
    if(ARG_GRPC)
      list(APPEND outputs ${JL_PROTO_OUT}/${stem}.grpc.pb.h ${JL_PROTO_OUT}/${stem}.grpc.pb.cc
           ${JL_PROTO_OUT}/${stem}_mock.grpc.pb.h)
    endif()
  endforeach()
  set(grpc_args)
  if(ARG_GRPC)
    set(grpc_args --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>
        --grpc_out=generate_mock_code=true:${JL_PROTO_OUT})
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${JL_PROTO_OUT}
    COMMAND protobuf::protoc -I ${JL_PROTO_ROOT} -I /usr/share/grpc-proto
            --cpp_out=${JL_PROTO_OUT} ${grpc_args} ${ARG_PROTOS}
    WORKING_DIRECTORY ${JL_PROTO_ROOT}
    DEPENDS ${inputs} protobuf::protoc
    COMMENT "protoc ${ARG_NAME}"
    VERBATIM)
  set(target jl_${ARG_NAME})
  add_library(${target} STATIC ${outputs})
  if(JL_FUZZ)
    # Generated code is protobuf's: the fuzz build keeps its coverage (it guides the fuzzers through
    # the wire format) but not the sanitizers, which triple its compile time.
    target_compile_options(${target} PRIVATE -fno-sanitize=address,undefined)
  endif()
  target_include_directories(${target} SYSTEM PUBLIC ${JL_PROTO_OUT})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  if(ARG_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
  add_library(jl::${ARG_NAME} ALIAS ${target})
endfunction()

# jl_fuzz_target(NAME name SRCS ... DEPS ...)
# A libFuzzer binary named `name` (the fuzz preset only: clang, JL_FUZZ=ON). Every one is a
# dependency of jl_fuzz_all, the only target that preset builds.
function(jl_fuzz_target)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  set(target jl_${ARG_NAME})
  add_executable(${target} ${ARG_SRCS})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS})
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${ARG_NAME})
  _jl_own_code_options(${target})
  if(NOT TARGET jl_fuzz_all)
    add_custom_target(jl_fuzz_all)
  endif()
  add_dependencies(jl_fuzz_all ${target})
endfunction()
