#!/bin/sh
# The builds a packager or user makes, with warnings as errors: Release with
# Debian's own flags (dpkg-buildflags: -O2 -g, _FORTIFY_SOURCE=2, relro, ...)
# tests included (built, not run), and Debug without tests
# (-DBUILD_TESTING=OFF), in build-release/ and build-debug/.
# FORKSAFE_BUILD_TYPES picks them (default "Release Debug"): CI builds Release
# here and Debug as its sanitizer build (.ci/run). Extra arguments go to both
# configures, e.g.
# -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14; BUILD_TYPES_DIR
# puts the two build directories elsewhere (default: the source tree).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dirs=${BUILD_TYPES_DIR:-$root}
configure() {
    dir=$1
    shift
    cmake -S "$root" -B "$dirs/$dir" -G Ninja -DFORKSAFE_WERROR=ON "$@" >/dev/null
    cmake --build "$dirs/$dir" -j2
}
started=$(date +%s)
types=${FORKSAFE_BUILD_TYPES:-Release Debug}
case " $types " in *" Release "*)
configure build-release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    "-DCMAKE_C_FLAGS=$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)" \
    "-DCMAKE_CXX_FLAGS=$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
    "-DCMAKE_EXE_LINKER_FLAGS=$(dpkg-buildflags --get LDFLAGS)" \
    "-DCMAKE_SHARED_LINKER_FLAGS=$(dpkg-buildflags --get LDFLAGS)" "$@" ;;
esac
case " $types " in *" Debug "*) configure build-debug -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=OFF "$@" ;; esac
echo "build_types: $types built in $(( $(date +%s) - started ))s (Release: dpkg-buildflags, tests built; Debug: no tests)"
