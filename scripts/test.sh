#!/bin/sh
# The test command: installs what is missing, builds, runs every test.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root/build"
ctest -j2 --output-on-failure --timeout 600 "$@"
