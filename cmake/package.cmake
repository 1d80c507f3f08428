# What `cmake --install` gives other projects: the CMake package
# (find_package(forksafe) -> forksafe::spawn, forksafe::spawn_static) and the
# pkg-config file forksafe-spawn.pc, both in the "spawn" component with the
# library, its headers and the Python module.
include(CMakePackageConfigHelpers)

set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/forksafe)
install(EXPORT forksafe-targets NAMESPACE forksafe:: DESTINATION ${cmake_dir} COMPONENT spawn)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/forksafe-config.cmake.in
  ${CMAKE_BINARY_DIR}/forksafe-config.cmake INSTALL_DESTINATION ${cmake_dir})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/forksafe-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/forksafe-config.cmake ${CMAKE_BINARY_DIR}/forksafe-config-version.cmake
  DESTINATION ${cmake_dir} COMPONENT spawn)

# The .pc file finds the prefix from its own place, so that
# `cmake --install --prefix DIR` gives a working one too.
set(pkgconfig_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH pc_to_prefix /prefix/${pkgconfig_dir} /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/forksafe-spawn.pc.in ${CMAKE_BINARY_DIR}/forksafe-spawn.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/forksafe-spawn.pc DESTINATION ${pkgconfig_dir} COMPONENT spawn)

# forksafe_add_test_launcher() for projects that run their tests under
# forksafe run; forksafe-config.cmake includes it.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/ForksafeTest.cmake DESTINATION ${cmake_dir} COMPONENT spawn)
