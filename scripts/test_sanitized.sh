#!/bin/sh
# The test suite on a Debug build of the C++ code with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-sanitize/): CI's Debug build. The injector library (C,
# preloaded into other programs) is left uninstrumented: a sanitizer runtime
# cannot be preloaded after a program's own libraries. FORKSAFE_UNITY_BUILD=ON
# (CI) compiles it as a unity build.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build-sanitize" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFORKSAFE_SANITIZE=ON -DFORKSAFE_WERROR=ON \
    "-DFORKSAFE_UNITY_BUILD=${FORKSAFE_UNITY_BUILD:-OFF}" >/dev/null
cmake --build "$root/build-sanitize" -j2
cd "$root/build-sanitize"
# verify_asan_link_order=0: the sanitized forksafe starts programs with
# libforksafe_inject.so preloaded. Left out: the tests that preload the
# injector into a C++ program (then sanitized too: ssh_stderr_gc, the
# scenario programs and the scenarios under --wrap 'forksafe run --', the
# programs of the noise, coverage and GitHub runtime SARIF tests, forksafe
# itself), where the injector comes before the
# ASan runtime and its malloc is ASan's: they abort in free(). The fuzz
# targets are sanitized on their own (tests/fuzz).
ASAN_OPTIONS=verify_asan_link_order=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -j2 --output-on-failure --timeout 600 \
    -E 'injector\.SshStderr|injector\.Scenarios|Launcher\.SarifValidatesWithTheSarifMultitool|Launcher\.AppendsToAnExistingLdPreload|Injected|injector\.Noise|injector\.Coverage|Scenarios\.WrappedInForksafeRun|Scenarios\.InjectorsWatchdog|GitHubSarif\.RuntimeLogs' "$@"
