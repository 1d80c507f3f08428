#!/bin/sh
# The test suite on a build of the C++ code with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-sanitize/). The injector library (C,
# preloaded into other programs) is left uninstrumented: a sanitizer runtime
# cannot be preloaded after a program's own libraries.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORKSAFE_SANITIZE=ON >/dev/null
cmake --build "$root/build-sanitize" -j2
cd "$root/build-sanitize"
# verify_asan_link_order=0: instrumented test programs run under forksafe run,
# with libforksafe_inject.so preloaded ahead of the ASan runtime.
ASAN_OPTIONS=verify_asan_link_order=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -j2 --output-on-failure --timeout 600 "$@"
