#!/bin/sh
# Memory and time of `forksafe report` and `forksafe merge` on one large
# SARIF log (a figure, never a pass/fail test): peak resident set size
# (/usr/bin/time -v) beside the input's size, and wall time.
#
# usage: bench/report_scale.sh [COUNT]   (default 100000 findings)
#   BUILD=path/to/build (default: build/ beside this script)
set -eu
count=${1:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$build/tests/reports/forksafe_make_findings" static "$count" big.sarif src >/dev/null
input_kb=$(( $(stat -c %s big.sarif) / 1024 ))
echo "input: $count findings, $((input_kb / 1024)) MB of SARIF"
measure() {
    what=$1; shift
    /usr/bin/time -v "$@" 2>time.txt >/dev/null || { echo "$what: failed: $(tail -1 time.txt)"; return; }
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
    echo "$what: peak $((kb / 1024)) MB ($(awk -v a="$kb" -v b="$input_kb" 'BEGIN { printf "%.2f", a / b }')x the input), $wall"
}
measure "report -o big.html" "$build/forksafe" report big.sarif -o big.html
measure "report --format text" "$build/forksafe" report big.sarif --format text -o /dev/null
measure "merge -o merged.sarif" "$build/forksafe" merge big.sarif -o merged.sarif
