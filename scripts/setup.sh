#!/bin/sh
# Installs every build and test dependency from Debian packages (and npm for
# test tools). Idempotent: when everything is present it only checks and exits.
set -eu

PACKAGES="cmake g++ make ninja-build pkg-config
libclang-14-dev libclang-cpp14-dev clang-14 clang-tidy-14 clang-tools-14 llvm-14 libclang-rt-14-dev
zlib1g-dev
libgtest-dev libgmock-dev libboost-program-options-dev nlohmann-json3-dev libyaml-cpp-dev
binutils bear python3 python3-dev python3-yaml pre-commit git procps time dpkg-dev help2man
chromium chromium-driver"
# node and npm may come from another Debian-format source (nodesource ships npm
# inside nodejs and conflicts with Debian's npm): install Debian's only if absent.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
    echo "setup: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Test tools from npm, kept inside the project (tools/node_modules).
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "$here/tools/node_modules/.bin/sarif-multitool" ] || [ ! -d "$here/tools/node_modules/playwright-core" ]; then
    echo "setup: installing npm test tools"
    (cd "$here/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: all dependencies present"
