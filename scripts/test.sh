#!/bin/sh
# The test command: installs what is missing, builds (scripts/build.sh: build/
# or FORKSAFE_BUILD_DIR), runs every test.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "${FORKSAFE_BUILD_DIR:-$root/build}"
ctest -j2 --output-on-failure --timeout 600 "$@"
