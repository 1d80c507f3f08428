# forksafe_add_test_launcher(TARGET... [OUTPUT_DIR DIR] [TIMEOUT SECONDS]
#                            [SOURCE_ROOT DIR] [FAIL_ON LEVEL] [RUN_ARGS ARG...])
#
# Runs every test whose command is one of these executable targets under
# `forksafe run`: each forked child is watched until it execs, and a test
# whose children call unsafe code before exec fails (FAIL_ON, default
# warning). Each test process writes its own SARIF log,
# OUTPUT_DIR/TARGET-%p.sarif (%p: the run's pid), for `forksafe merge` and
# `forksafe report` after ctest. Defaults: OUTPUT_DIR ${CMAKE_BINARY_DIR}/forksafe,
# TIMEOUT 60. With SOURCE_ROOT, findings with no stack frame in files under
# it become notes (the frames need debug information, -g, to have files).
#
# forksafe is FORKSAFE_EXECUTABLE (set by find_package(forksafe), or found on
# PATH). CMake 3.29 and later run it as the TEST_LAUNCHER; older versions as
# the CROSSCOMPILING_EMULATOR, which also prefixes custom commands that run
# the target.
include_guard(GLOBAL)

function(forksafe_add_test_launcher)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT_DIR;TIMEOUT;SOURCE_ROOT;FAIL_ON" "RUN_ARGS")
  if(NOT arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "forksafe_add_test_launcher: name at least one executable target")
  endif()
  if(NOT FORKSAFE_EXECUTABLE)
    find_program(FORKSAFE_EXECUTABLE forksafe)
    if(NOT FORKSAFE_EXECUTABLE)
      message(FATAL_ERROR "forksafe_add_test_launcher: forksafe not found (set FORKSAFE_EXECUTABLE or PATH)")
    endif()
  endif()
  if(NOT DEFINED arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR ${CMAKE_BINARY_DIR}/forksafe)
  endif()
  if(NOT DEFINED arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()
  if(NOT DEFINED arg_FAIL_ON)
    set(arg_FAIL_ON warning)
  endif()
  file(MAKE_DIRECTORY ${arg_OUTPUT_DIR})
  foreach(target IN LISTS arg_UNPARSED_ARGUMENTS)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "forksafe_add_test_launcher: ${target} is not a target")
    endif()
    set(launcher ${FORKSAFE_EXECUTABLE} run --timeout ${arg_TIMEOUT} --fail-on ${arg_FAIL_ON}
                 -o ${arg_OUTPUT_DIR}/${target}-%p.sarif ${arg_RUN_ARGS} --)
    if(DEFINED arg_SOURCE_ROOT)
      list(INSERT launcher 2 --source-root ${arg_SOURCE_ROOT})
    endif()
    if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29)
      set_property(TARGET ${target} PROPERTY TEST_LAUNCHER ${launcher})
    else()
      set_property(TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR ${launcher})
    endif()
  endforeach()
endfunction()
