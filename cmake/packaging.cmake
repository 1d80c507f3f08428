# Man pages (help2man, from each command's --help), bash completion and the
# Debian package: `cpack -G DEB` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr (scripts/package.sh).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_dir ${CMAKE_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${man_dir}/forksafe.1
    COMMAND ${CMAKE_COMMAND} -DFORKSAFE=$<TARGET_FILE:forksafe> -DOUT=${man_dir} -DVERSION=${PROJECT_VERSION}
            -P ${CMAKE_CURRENT_LIST_DIR}/man_pages.cmake
    DEPENDS forksafe forksafe-analyze ${CMAKE_CURRENT_LIST_DIR}/man_pages.cmake
    COMMENT "Writing the man pages with help2man" VERBATIM)
  add_custom_target(man_pages ALL DEPENDS ${man_dir}/forksafe.1)
  install(DIRECTORY ${man_dir}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (scripts/setup.sh installs it)")
endif()
install(FILES ${CMAKE_CURRENT_LIST_DIR}/forksafe.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME forksafe)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME forksafe)
set(CPACK_PACKAGE_CONTACT "forksafe developers <forksafe@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "finds, proves and fixes bugs between fork() and exec()")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Library dependencies from the binaries (dpkg-shlibdeps); python3 for the
# module; clang's own headers (stddef.h, stdarg.h: libclang1-14 has none),
# without which `forksafe analyze` parses no file that includes the C
# library's headers, and those (libc6-dev) recommended: on a fresh Debian 12
# both were missing (scripts/fresh_install.sh).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, libclang-common-14-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libc6-dev | libc-dev")
include(CPack)
