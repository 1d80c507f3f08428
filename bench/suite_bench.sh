#!/bin/sh
# A real test suite under `forksafe run`: the same command in the suite's
# directory bare and under `forksafe run` of each build given, in turn, RUNS
# times; prints per run and build the wall time bare and under forksafe run
# and their ratio, the CPU time (user + system of the whole tree, from
# /usr/bin/time) under forksafe run and its ratio to bare (steadier than the
# wall time: a suite's own waits make that move by tens of per cent from one
# bare run to the next), the records written (count and bytes), the records counted
# at the source instead of written, the maximum RSS /usr/bin/time -v gives
# (the launcher or any descendant it reaped), the launcher's own (VmHWM) and
# the time from the command's end to the launcher's exit; then the medians per build and the last run's results. A benchmark,
# never a test: it neither builds nor fetches the suite.
#
# usage: bench/suite_bench.sh "BUILD_DIR..." SUITE_DIR RUNS CMD ARGS...
#   e.g. bench/suite_bench.sh "/tmp/before/build build" ~/src/git/t 3 make -k T="t000*.sh"
set -eu
[ $# -ge 4 ] || { echo "usage: suite_bench.sh \"BUILD_DIR...\" SUITE_DIR RUNS CMD ARGS..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/preload_common.sh"
builds=$1
suite=$2
runs=$3
shift 3
absolute=
for build in $builds; do
    [ -x "$build/forksafe" ] || { echo "suite_bench: $build/forksafe not built" >&2; exit 2; }
    absolute="$absolute $(cd "$build" && pwd)"  # the runs start in the suite's directory
done
builds=$absolute
[ -d "$suite" ] || { echo "suite_bench: $suite is not a directory" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "suite_bench: needs /usr/bin/time (Debian's time package)" >&2; exit 2; }

work=$(mktemp -d /tmp/forksafe-suite-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

printf '%-5s %-28s %8s %8s %6s %9s %6s %8s %10s %9s %7s %7s %11s\n' run build bare_s run_s ratio cpu_ratio cpu_s \
    records bytes at_source tree_mb own_mb end_to_exit
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    start=$(now)
    (cd "$suite" && /usr/bin/time -o "$work/bare_time.txt" -f '%U %S' "$@" > "$work/bare.out" 2>&1) || true
    bare_cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$work/bare_time.txt")
    bare=$(minus "$(now)" "$start")
    n=0
    for build in $builds; do
        n=$((n + 1))
        rm -f "$work/log.jsonl" "$work/mark"
        start=$(now)
        # The command, then the moment it ended: the launcher's own time after it shows.
        MARK="$work/mark" /usr/bin/time -v -o "$work/time.txt" env -C "$suite" "$build/forksafe" run \
            --log "$work/log.jsonl" -o "$work/out-$n.sarif" -- \
            sh -c '"$@"; status=$?; date +%s.%N > "$MARK"; exit $status' sh "$@" \
            > "$work/run.out" 2> "$work/run-$n.err" &
        timer=$!
        # The launcher's own peak (VmHWM; /usr/bin/time's maximum includes
        # every descendant it reaped, the suite's and the symbolizer's).
        own=0
        while kill -0 "$timer" 2>/dev/null; do
            launcher=$(pgrep -P "$timer" || true)
            [ -z "$launcher" ] || own=$(awk -v own="$own" '/^VmHWM/ { own = $2 > own ? $2 : own } END { print own }' \
                "/proc/$launcher/status" 2>/dev/null || echo "$own")
            sleep 0.1
        done
        wait "$timer" || true
        ended=$(now)
        injected=$(minus "$ended" "$start")
        records=$(wc -l < "$work/log.jsonl")
        bytes=$(wc -c < "$work/log.jsonl")
        at_source=$(sed -n 's/.* records read; \([0-9]*\) more made by other processes.*/\1/p' "$work/run-$n.err")
        rss=$(awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$work/time.txt")
        own_mb=$(awk -v kb="$own" 'BEGIN { printf "%.1f", kb / 1024 }')
        end_to_exit=$(minus "$ended" "$(cat "$work/mark")")
        ratio=$(awk -v a="$injected" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')
        cpu=$(awk -F': ' '/User time|System time/ { sum += $2 } END { printf "%.1f", sum }' "$work/time.txt")
        cpu_ratio=$(awk -v a="$cpu" -v b="$bare_cpu" 'BEGIN { printf "%.3f", a / b }')
        echo "$bare $injected $ratio $rss $end_to_exit $own_mb $cpu_ratio $cpu" >> "$work/rows-$n"
        printf '%-5s %-28s %8.1f %8.1f %6.3f %9.3f %6.1f %8s %10s %9s %7s %7s %11.2f\n' "$i" "$build" "$bare" "$injected" \
            "$ratio" "$cpu_ratio" "$cpu" \
            "$records" "$bytes" "${at_source:-0}" "$rss" "$own_mb" "$end_to_exit"
    done
done
n=0
for build in $builds; do
    n=$((n + 1))
    rows=$work/rows-$n
    printf '%-5s %-28s %8.1f %8.1f %6.3f %9.3f %6.1f %8s %10s %9s %7s %7s %11.2f\n' median "$build" \
        "$(cut -d' ' -f1 "$rows" | median)" "$(cut -d' ' -f2 "$rows" | median)" "$(cut -d' ' -f3 "$rows" | median)" \
        "$(cut -d' ' -f7 "$rows" | median)" "$(cut -d' ' -f8 "$rows" | median)" "" "" "" \
        "$(cut -d' ' -f4 "$rows" | median)" "$(cut -d' ' -f6 "$rows" | median)" "$(cut -d' ' -f5 "$rows" | median)"
    printf '%s: ' "$build"
    python3 -c 'import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
places = {(r["ruleId"], json.dumps(r["locations"][0], sort_keys=True)) for r in results}
print("%d SARIF results at %d places (rule, location), %d processes counted in them" %
      (len(results), len(places), sum(r["properties"].get("count", 1) for r in results)))' "$work/out-$n.sarif" || true
done
