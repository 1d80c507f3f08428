#!/bin/sh
# The Debian package, from build-release/ (scripts/build_types.sh configures
# it for /usr with Debian's flags): `cpack -G DEB`, then its contents tested
# as installed files: extracted with dpkg-deb -x (not installed on this
# machine), the smoke test on its forksafe (tests/cli/smoke_test.sh), the
# Python tests on its module, its man pages rendered.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BUILD_TYPES_DIR:-$root}/build-release
[ -f "$dir/CMakeCache.txt" ] || { echo "package: $dir is not configured: run scripts/build_types.sh first" >&2; exit 2; }
rm -f "$dir"/forksafe_*.deb
(cd "$dir" && cpack -G DEB >"$dir/cpack.log" 2>&1) || { cat "$dir/cpack.log"; exit 1; }
deb=$(ls "$dir"/forksafe_*.deb)
echo "package: $deb"
dpkg-deb -f "$deb" Package Version Architecture Depends
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work"
sh "$root/tests/cli/smoke_test.sh" "$work/usr/bin/forksafe"
PYTHONPATH="$work/usr/lib/python3/dist-packages" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 \
    "$root/tests/spawn/python_module_test.py" 2>"$work/python.log" || { cat "$work/python.log"; exit 1; }
echo "package: the Python module's tests pass on the package's copy"
for page in "$work"/usr/share/man/man1/*.1; do
    man -l "$page" >/dev/null 2>&1 || { echo "package: $page does not render"; exit 1; }
done
echo "package: $(ls "$work"/usr/share/man/man1 | wc -l) man pages render; ok"
