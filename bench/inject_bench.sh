#!/bin/sh
# The cost of running under the injector: each workload bare and under
# `forksafe run`, alternately, RUNS times; prints medians and the medians of
# the pairwise ratios (injected / bare) of wall and CPU time. A benchmark,
# never a test.
#
# usage: bench/inject_bench.sh [BUILD_DIR] [RUNS] [SPAWNS] [ONLY]
#   ONLY: run just the rows whose name contains it (e.g. make)
#   workloads: SPAWNS x /bin/true from a shell loop (sh, bash), from C++ with
#   fork + execv and with posix_spawn, and `make -j2` of a small real build
#   (the injector's own C sources);
#   then the launcher's fixed cost, the library preloaded without the
#   launcher, and the floor: the same with the smallest possible library (no
#   code, no libc, one page of data) preloaded instead.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/preload_common.sh"
build=${1:-$root/build}
runs=${2:-5}
spawns=${3:-2000}
only=${4:-}
forksafe=$build/forksafe
spawn_true=$build/tests/injector/programs/spawn_true
run_timed=$build/bench/run_timed
for tool in "$forksafe" "$spawn_true" "$run_timed"; do
    [ -x "$tool" ] || { echo "inject_bench: $tool not built (cmake --build $build)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/forksafe-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# A small real build: the injector's own C sources (eleven files and a link
# into a shared library), as make -j2 runs it.
mkdir "$work/project"
cp "$root"/injector/lib/*.c "$root"/injector/lib/*.h "$root"/injector/lib/*.def "$work/project/"
cp -r "$root/injector/include" "$work/project/include"
printf 'OBJS = %s\nlib.so: $(OBJS)\n\tgcc -shared -o $@ $(OBJS) -ldl\n%%.o: %%.c\n\tgcc -O2 -g -fPIC -fvisibility=hidden -Iinclude -c $< -o $@\n' \
    "$(cd "$work/project" && ls *.c | sed 's/\.c$/.o/' | tr '\n' ' ')" > "$work/project/Makefile"

# Runs "$@" once from a clean build tree, with only descriptors 0-2 open;
# appends "wall_us cpu_us" to $work/times.
run_once() {
    rm -f "$work"/project/*.o "$work/project/lib.so"
    "$run_timed" "$work/times" "$@" >/dev/null 2>>"$work/stderr" || true
}

# Prints the workload's medians (ms) and the medians of the pairwise
# injected/bare ratios of wall and of CPU time.
bench() {
    name=$1
    shift
    case "$name" in *"$only"*) ;; *) return 0 ;; esac
    : > "$work/pairs"
    i=0
    while [ "$i" -lt "$runs" ]; do
        : > "$work/times"
        : > "$work/stderr"
        run_once "$@"
        # shellcheck disable=SC2086 # $inject is a command prefix, split on purpose
        run_once $inject "$@"
        tr '\n' ' ' < "$work/times" >> "$work/pairs"
        echo >> "$work/pairs"
        i=$((i + 1))
    done
    findings=$(sed -n 's/^forksafe run: \([0-9]*\) finding.*/\1/p' "$work/stderr" | tail -1)
    printf '%-36s %8s %9s %7s %7s %8s\n' "$name" \
        "$(awk '{ print $1 / 1000 }' "$work/pairs" | median | xargs printf "%.0f")" \
        "$(awk '{ print $3 / 1000 }' "$work/pairs" | median | xargs printf "%.0f")" \
        "$(awk '{ printf "%.3f\n", $3 / $1 }' "$work/pairs" | median)" \
        "$(awk '{ printf "%.3f\n", ($2 > 0) ? $4 / $2 : 0 }' "$work/pairs" | median)" \
        "${findings:--}"
}

build_floor_library "$work"

loop="i=0; while [ \$i -lt $spawns ]; do /bin/true; i=\$((i + 1)); done"
inject="$forksafe run --timeout 30 --"
echo "inject_bench: $runs runs each, alternating bare and injected; $spawns spawns per loop"
printf '%-36s %8s %9s %7s %7s %8s\n' "workload" "bare ms" "inj. ms" "wall" "cpu" "findings"
bench "sh loop: $spawns x /bin/true" sh -c "$loop"
bench "bash loop: $spawns x /bin/true" bash -c "$loop"
bench "C++ fork+execv: $spawns x /bin/true" "$spawn_true" "$spawns" fork
bench "C++ posix_spawn: $spawns x /bin/true" "$spawn_true" "$spawns" posix_spawn
bench "make -j2: 11 C files + link" make -s -j2 -C "$work/project"
# The launcher's own fixed cost (start, wait, read the log), once per command.
bench "forksafe run alone: 1 x /bin/true" /bin/true
# The library alone, as `forksafe run` sets it up, without the launcher.
inject="env LD_PRELOAD=$build/libforksafe_inject.so FORKSAFE_LOG=$work/log FORKSAFE_TIMEOUT=30"
bench "library only: C++ fork+execv" "$spawn_true" "$spawns" fork
bench "library only: C++ posix_spawn" "$spawn_true" "$spawns" posix_spawn
bench "library only: make -j2" make -s -j2 -C "$work/project"
inject="env LD_PRELOAD=$work/floor.so"
bench "floor: empty LD_PRELOAD, C++ fork" "$spawn_true" "$spawns" fork
bench "floor: empty LD_PRELOAD, C++ spawn" "$spawn_true" "$spawns" posix_spawn
bench "floor: empty LD_PRELOAD, make -j2" make -s -j2 -C "$work/project"
bench "floor: empty LD_PRELOAD, sh loop" sh -c "$loop"
echo "(medians; wall, cpu = medians of the injected/bare ratios of pairs run side by side, cpu being"
echo " user + system time of the whole process tree; findings = what forksafe run reported;"
echo " library only: libforksafe_inject.so preloaded with the environment forksafe run sets;"
echo " floor rows: an empty library preloaded instead)"
