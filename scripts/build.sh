#!/bin/sh
# Installs what is missing, then configures and builds into build/ (warnings
# are errors here, as in CI: FORKSAFE_WERROR).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORKSAFE_WERROR=ON >/dev/null
cmake --build "$root/build" -j2
