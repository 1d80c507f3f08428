# cmake -DFORKSAFE=PROGRAM -DOUT=DIR -DVERSION=X.Y.Z -P man_pages.cmake
# Writes DIR/forksafe.1 and DIR/forksafe-COMMAND.1 for every command that
# `forksafe --help` lists, with help2man, from each one's --help.
execute_process(COMMAND ${FORKSAFE} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "man_pages: ${FORKSAFE} --help failed")
endif()
file(MAKE_DIRECTORY ${OUT})

function(man_page program file name)
  execute_process(COMMAND help2man --no-info --section=1 --version-string=${VERSION} "--name=${name}"
    "--output=${OUT}/${file}.1" "${program}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "man_pages: help2man failed for ${program}")
  endif()
endfunction()

man_page(${FORKSAFE} forksafe "find, prove and fix bugs between fork() and exec()")
string(REPLACE "\n" ";" lines "${help}")
set(in_commands FALSE)
foreach(line IN LISTS lines)
  if(line MATCHES "^commands:")
    set(in_commands TRUE)
  elseif(in_commands AND line MATCHES "^  ([a-z]+) +(.+)$")
    man_page("${FORKSAFE} ${CMAKE_MATCH_1}" forksafe-${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  elseif(in_commands)
    break()
  endif()
endforeach()
