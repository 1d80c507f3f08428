#!/bin/sh
# Side by side: spawn_true COUNT MODE bare and with each given library
# preloaded (as `forksafe run` sets it up: FORKSAFE_LOG, FORKSAFE_TIMEOUT=30),
# in turn, ROUNDS times; prints per-spawn medians and the medians of the
# ratios to bare, wall and CPU. "floor" stands for the cheapest library to
# load (nothing in it). Compare builds of libforksafe_inject.so, or a change
# against the floor. A benchmark, never a test.
#
# usage: bench/preload_compare.sh BUILD_DIR ROUNDS COUNT fork|posix_spawn LIB|floor...
set -eu
. "$(dirname "$0")/preload_common.sh"
[ $# -ge 5 ] || { echo "usage: bench/preload_compare.sh BUILD_DIR ROUNDS COUNT fork|posix_spawn LIB|floor..." >&2; exit 2; }
build=$1 rounds=$2 count=$3 mode=$4
shift 4
run_timed=$build/bench/run_timed
spawn_true=$build/tests/injector/programs/spawn_true
for tool in "$run_timed" "$spawn_true"; do
    [ -x "$tool" ] || { echo "preload_compare: $tool not built (cmake --build $build)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/forksafe-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
build_floor_library "$work"

i=0
while [ "$i" -lt "$rounds" ]; do
    "$run_timed" "$work/times.0" "$spawn_true" "$count" "$mode"
    n=1
    for lib in "$@"; do
        [ "$lib" = floor ] && lib=$work/floor.so
        "$run_timed" "$work/times.$n" env LD_PRELOAD="$lib" FORKSAFE_LOG="$work/log" FORKSAFE_TIMEOUT=30 \
            "$spawn_true" "$count" "$mode"
        n=$((n + 1))
    done
    i=$((i + 1))
done

echo "preload_compare: $rounds rounds of spawn_true $count $mode, in turn; medians"
printf '%-40s %9s %9s %7s %7s\n' "preloaded" "wall us" "cpu us" "wall" "cpu"
n=0
for lib in bare "$@"; do
    printf '%-40s %9s %9s %7s %7s\n' "$lib" \
        "$(awk -v c="$count" '{ print $1 / c }' "$work/times.$n" | median)" \
        "$(awk -v c="$count" '{ print $2 / c }' "$work/times.$n" | median)" \
        "$(paste -d' ' "$work/times.$n" "$work/times.0" | awk '{ printf "%.3f\n", $1 / $3 }' | median)" \
        "$(paste -d' ' "$work/times.$n" "$work/times.0" | awk '{ printf "%.3f\n", ($4 > 0) ? $2 / $4 : 0 }' | median)"
    n=$((n + 1))
done
# A finding in the workload would make this a measure of recording instead.
if [ -s "$work/log" ] && grep -qv '"event":"process"' "$work/log"; then
    echo "preload_compare: the workload recorded findings; the figures include recording them" >&2
fi
