#!/bin/sh
# The cost of running under the injector: each workload bare and under
# `forksafe run`, alternately, RUNS times; prints medians and the median of
# the pairwise ratios (injected / bare). A benchmark, never a test.
#
# usage: bench/inject_bench.sh [BUILD_DIR] [RUNS] [SPAWNS]
#   workloads: SPAWNS x /bin/true from a shell loop (sh, bash), from C++ with
#   fork + execv and with posix_spawn, and `make -j2` of a small C project;
#   then the launcher's fixed cost, the library preloaded without the
#   launcher, and the floor: the same with an empty library preloaded instead.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-5}
spawns=${3:-2000}
forksafe=$build/forksafe
spawn_true=$build/tests/injector/programs/spawn_true
for tool in "$forksafe" "$spawn_true"; do
    [ -x "$tool" ] || { echo "inject_bench: $tool not built (cmake --build $build)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/forksafe-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# A small real build: seven C files and a link.
mkdir "$work/project"
for i in 1 2 3 4 5 6; do
    printf '#include <stdio.h>\nint f%d(int x) { return x * %d; }\n' "$i" "$i" > "$work/project/f$i.c"
done
printf 'int main(void) { return 0; }\n' > "$work/project/main.c"
printf 'OBJS = main.o f1.o f2.o f3.o f4.o f5.o f6.o\nprog: $(OBJS)\n\tgcc -o $@ $(OBJS)\n%%.o: %%.c\n\tgcc -O2 -c $< -o $@\n' \
    > "$work/project/Makefile"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Runs "$@" once, with only descriptors 0-2 open (what this script inherited
# would show up as a leak in every child), from a clean build tree; prints
# milliseconds.
time_ms() {
    rm -f "$work"/project/*.o "$work/project/prog"
    start=$(now_ms)
    bash -c 'for fd in $(ls /proc/$$/fd); do if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done; exec "$@"' \
        bash "$@" >/dev/null 2>>"$work/stderr" || true
    echo $(( $(now_ms) - start ))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench() {
    name=$1
    shift
    : > "$work/bare"
    : > "$work/injected"
    : > "$work/ratios"
    i=0
    while [ "$i" -lt "$runs" ]; do
        b=$(time_ms "$@")
        : > "$work/stderr"
        # shellcheck disable=SC2086 # $inject is a command prefix, split on purpose
        j=$(time_ms $inject "$@")
        echo "$b" >> "$work/bare"
        echo "$j" >> "$work/injected"
        awk -v b="$b" -v j="$j" 'BEGIN { printf "%.4f\n", (b > 0) ? j / b : 0 }' >> "$work/ratios"
        i=$((i + 1))
    done
    findings=$(sed -n 's/^forksafe run: \([0-9]*\) finding.*/\1/p' "$work/stderr" | tail -1)
    printf '%-34s %10s %12s %8s %9s\n' "$name" "$(median < "$work/bare")" "$(median < "$work/injected")" \
        "$(median < "$work/ratios")" "${findings:--}"
}

# The floor: what loading any preloaded library into every process costs.
printf 'int forksafe_bench_empty;\n' > "$work/empty.c"
cc -shared -fPIC -o "$work/empty.so" "$work/empty.c"

loop="i=0; while [ \$i -lt $spawns ]; do /bin/true; i=\$((i + 1)); done"
inject="$forksafe run --timeout 30 --"
echo "inject_bench: $runs runs each, alternating bare and injected; $spawns spawns per loop"
printf '%-34s %10s %12s %8s %9s\n' "workload" "bare ms" "injected ms" "ratio" "findings"
bench "sh loop: $spawns x /bin/true" sh -c "$loop"
bench "bash loop: $spawns x /bin/true" bash -c "$loop"
bench "C++ fork+execv: $spawns x /bin/true" "$spawn_true" "$spawns" fork
bench "C++ posix_spawn: $spawns x /bin/true" "$spawn_true" "$spawns" posix_spawn
bench "make -j2: 7 C files + link" make -s -j2 -C "$work/project"
# The launcher's own fixed cost (start, wait, read the log), once per command.
bench "forksafe run alone: 1 x /bin/true" /bin/true
# The library alone, as `forksafe run` sets it up, without the launcher.
inject="env LD_PRELOAD=$build/libforksafe_inject.so FORKSAFE_LOG=$work/log FORKSAFE_TIMEOUT=30"
bench "library only: C++ fork+execv" "$spawn_true" "$spawns" fork
bench "library only: C++ posix_spawn" "$spawn_true" "$spawns" posix_spawn
bench "library only: make -j2" make -s -j2 -C "$work/project"
inject="env LD_PRELOAD=$work/empty.so"
bench "floor: empty LD_PRELOAD, C++ fork" "$spawn_true" "$spawns" fork
bench "floor: empty LD_PRELOAD, C++ spawn" "$spawn_true" "$spawns" posix_spawn
bench "floor: empty LD_PRELOAD, make -j2" make -s -j2 -C "$work/project"
bench "floor: empty LD_PRELOAD, sh loop" sh -c "$loop"
echo "(medians; ratio = median of injected/bare pairs; findings = what forksafe run reported;"
echo " library only: libforksafe_inject.so preloaded with the environment forksafe run sets;"
echo " floor rows: an empty library preloaded instead)"
