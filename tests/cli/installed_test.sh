#!/bin/sh
# `cmake --install` of the whole project into a fresh prefix, then the smoke
# test on that copy alone (no build tree on its way). Usage: installed_test.sh BUILD_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$1" --prefix "$prefix" >"$prefix/install.log" || { cat "$prefix/install.log"; exit 1; }
sh "$here/smoke_test.sh" "$prefix/bin/forksafe"
