#!/bin/sh
# The .deb on a fresh Debian 12: debootstrap a minimal bookworm into a
# temporary folder (from Debian's own archive), install the package there
# with apt (its dependencies and recommendations from the archive), and run
# the smoke test (tests/cli/smoke_test.sh) and the module's import inside it.
# Needs root, debootstrap and the network to Debian's archive; takes about
# two minutes. Not part of CI (it depends on the archive being reachable).
# Usage: scripts/fresh_install.sh [PACKAGE.deb]  (default: build-release's)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "${BUILD_TYPES_DIR:-$root}"/build-release/forksafe_*.deb 2>/dev/null | head -n 1)}
[ -f "$deb" ] || { echo "fresh_install: no .deb: run scripts/package.sh first" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh_install: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
system=$(mktemp -d /tmp/forksafe-fresh-XXXXXX)
cleanup() {
    umount "$system/proc" 2>/dev/null || true
    rm -rf "$system"
}
trap cleanup EXIT INT TERM
debootstrap --variant=minbase bookworm "$system" http://deb.debian.org/debian >"$system.log" 2>&1 ||
    { tail -n 5 "$system.log"; rm -f "$system.log"; exit 1; }
rm -f "$system.log"
cp /etc/resolv.conf "$system/etc/resolv.conf"
cp "$deb" "$root/tests/cli/smoke_test.sh" "$system/tmp/"
mount -t proc proc "$system/proc"
chroot "$system" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$(basename "$deb")" \
    >"$system/tmp/install.log" 2>&1 || { tail -n 20 "$system/tmp/install.log"; exit 1; }
echo "fresh_install: $(basename "$deb") installed on a fresh bookworm"
chroot "$system" sh /tmp/smoke_test.sh /usr/bin/forksafe
chroot "$system" python3 -c 'import forksafe, os; os.waitpid(forksafe.spawn(["true"]), 0); print("fresh_install: python3 -c \"import forksafe\": ok")'
