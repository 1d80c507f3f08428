#!/bin/sh
# `cmake --install` of the spawner (component spawn) into a fresh prefix, then
# other people's programs against that copy only: a C and a C++ program built
# with the CMake package (shared and static) and with pkg-config, and the
# Python module's tests with Debian's python3.
# Usage: install_test.sh BUILD_DIR PYTHON
set -eu
build=$1 python=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
step() { echo "install_test: $*"; }

cmake --install "$build" --prefix "$prefix" --component spawn >"$work/install.log" || {
    cat "$work/install.log"; exit 1; }
library=$(find "$prefix" -name 'libforksafe_spawn.so.0' | head -n 1)
[ -n "$library" ] || { echo "install_test: no libforksafe_spawn.so.0 under $prefix"; exit 1; }
libdir=$(dirname "$library")
if readelf -d "$library" | grep -q 'libstdc++'; then
    echo "install_test: $library needs libstdc++"; exit 1
fi

step "CMake package"
cmake -S "$here/consumer" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log" 2>&1 &&
    cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 1; }
for program in consumer-c consumer-c-static consumer-cxx; do
    [ "$("$work/cmake/$program")" = ok ] || { echo "install_test: $program failed"; exit 1; }
done
if readelf -d "$work/cmake/consumer-c-static" | grep -q forksafe_spawn; then
    echo "install_test: consumer-c-static loads the shared library"; exit 1
fi

step "pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs forksafe-spawn)
# shellcheck disable=SC2086 # the flags are words
cc -std=c11 -Wall -Wextra -Werror "$here/consumer/consumer.c" $flags -o "$work/pc-c"
# shellcheck disable=SC2086
c++ -std=c++20 -Wall -Wextra -Werror "$here/consumer/consumer.cc" $flags -o "$work/pc-cxx"
for program in pc-c pc-cxx; do
    [ "$(LD_LIBRARY_PATH="$libdir" "$work/$program")" = ok ] || { echo "install_test: $program failed"; exit 1; }
done

step "Python module"
package=$(find "$prefix" -path '*/dist-packages/forksafe/__init__.py' | head -n 1)
[ -n "$package" ] || { echo "install_test: no forksafe package in a dist-packages folder under $prefix"; exit 1; }
site=$(dirname "$(dirname "$package")")
# The same folder under the build's own prefix (/usr/local by default, /usr
# for the package) is one that Debian's python3 searches.
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
"$python" -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' "$configured/${site#"$prefix"/}" ||
    { echo "install_test: $python does not search $configured/${site#"$prefix"/}"; exit 1; }
PYTHONPATH=$site PYTHONDONTWRITEBYTECODE=1 "$python" "$here/python_module_test.py"
echo "install_test: ok"
