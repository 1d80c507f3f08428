#!/bin/sh
# The builds a packager or user makes, with warnings as errors: Release with
# Debian's own flags (dpkg-buildflags: -O2, _FORTIFY_SOURCE=2, relro, ...)
# and Debug, each without tests (-DBUILD_TESTING=OFF), in build-release/ and
# build-debug/. CI runs it after the tests (.ci/run). Extra arguments go to
# every configure, e.g. -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
configure() {
    dir=$1
    shift
    cmake -S "$root" -B "$root/$dir" -G Ninja -DBUILD_TESTING=OFF -DFORKSAFE_WERROR=ON "$@" >/dev/null
    cmake --build "$root/$dir" -j2
}
started=$(date +%s)
configure build-release -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_C_FLAGS=$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)" \
    "-DCMAKE_CXX_FLAGS=$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
    "-DCMAKE_EXE_LINKER_FLAGS=$(dpkg-buildflags --get LDFLAGS)" \
    "-DCMAKE_SHARED_LINKER_FLAGS=$(dpkg-buildflags --get LDFLAGS)" "$@"
configure build-debug -DCMAKE_BUILD_TYPE=Debug "$@"
echo "build_types: Release (dpkg-buildflags) and Debug built in $(( $(date +%s) - started ))s"
