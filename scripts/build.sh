#!/bin/sh
# Installs what is missing, then configures and builds into build/ (or
# FORKSAFE_BUILD_DIR), warnings as errors as in CI (FORKSAFE_WERROR). A
# directory configured before keeps its build type and flags: CI tests the
# Release build with Debian's flags that scripts/build_types.sh made.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${FORKSAFE_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
if [ -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$dir" -DFORKSAFE_WERROR=ON >/dev/null
else
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORKSAFE_WERROR=ON >/dev/null
fi
cmake --build "$dir" -j2
