#!/bin/sh
# The main job: forksafe on its own material, on a fresh machine.
#   installs what is missing and builds (scripts/build.sh), analyzes the
#   scenarios' sources, runs the scenario matrix with and without
#   `forksafe run`, runs the spawn benchmarks (C++ and Python), and writes one report:
#   out/report.html (with out/report.json and each step's SARIF/JSON beside it).
# Each step's output goes to out/logs/STEP.log. A step that finds findings exits
# 1: that is expected and reported as such. Exit status: 0 when every step ran,
# 1 when one failed (the report is still written from the steps that worked).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/out"
forksafe="$root/build/forksafe"
results="static.sarif runtime.sarif scenarios.json scenarios-run.json bench.json bench-python.json"
mkdir -p "$out/logs"
# Results of an earlier run must not slip into this report.
for f in $results report.html report.json; do rm -f "$out/$f"; done
started=$(date +%s)
failed=""
running=""
trap '[ -n "$running" ] && kill "$running" 2>/dev/null; echo; echo "main: interrupted"; exit 130' INT TERM

# step NUMBER NAME COMMAND...: runs COMMAND with its output in out/logs/NAME.log,
# prints a line while it works, and records a failure (exit status above 1).
step() {
    number=$1 name=$2
    shift 2
    log="$out/logs/$name.log"
    printf '[%s] %s ... ' "$number" "$name"
    begin=$(date +%s)
    "$@" >"$log" 2>&1 &
    running=$!
    ticks=0
    while kill -0 "$running" 2>/dev/null; do
        sleep 1
        ticks=$((ticks + 1))
        [ $((ticks % 20)) -eq 0 ] && printf '%ss ... ' "$ticks"
    done
    wait "$running"
    code=$?
    running=""
    seconds=$(( $(date +%s) - begin ))
    case $code in
        0) echo "done (${seconds}s)" ;;
        1) echo "done, with findings (${seconds}s)" ;;
        *) echo "FAILED (exit $code, ${seconds}s); last lines of $log:"
           tail -n 5 "$log" | sed 's/^/    /'
           failed="$failed $name" ;;
    esac
    return $((code > 1))
}

echo "forksafe main job: results in $out"

if ! step 1/7 build "$root/scripts/build.sh"; then
    echo "main: the build failed, nothing else can run (see $out/logs/build.log)"
    exit 1
fi

# Static analysis of the scenarios (their broken spawners are real findings),
# through the build's compilation database.
sources=$(find "$root/scenarios" -name '*.c' -o -name '*.cc' | sort)
if [ -z "$sources" ]; then
    echo "[2/7] analyze ... FAILED: no C or C++ sources under $root/scenarios"
    failed="$failed analyze"
else
    # shellcheck disable=SC2086 # one argument per file; the paths have no spaces
    step 2/7 analyze "$forksafe" analyze -p "$root/build" $sources --source-root "$root" \
        --format sarif -o "$out/static.sarif"
fi

# The scenario matrix, then the same matrix under the injector, which also
# writes what it saw in the children as runtime findings. Its watchdog fires
# after 1 s and only reports, so a stuck child is a runtime-deadlock finding
# and still the runner's deadlock (after its own 2 s timeout).
step 3/7 scenarios "$forksafe" scenarios -o "$out/scenarios.json"
step 4/7 scenarios-under-run "$forksafe" run --timeout 1 --watchdog report -o "$out/runtime.sarif" -- \
    "$forksafe" scenarios -o "$out/scenarios-run.json"

# A quick spawn benchmark: extra arguments (e.g. fewer heap sizes) from FORKSAFE_BENCH_ARGS.
# shellcheck disable=SC2086
step 5/7 bench "$forksafe" bench spawn ${FORKSAFE_BENCH_ARGS:-} -o "$out/bench.json"
# The seed's own table, from Python: os.fork vs subprocess.Popen vs forksafe's runbgcommand.
step 6/7 bench-python /usr/bin/python3 "$root/bench/runbg_bench.py" -o "$out/bench-python.json"

# One report from whatever the steps produced.
inputs=""
for f in $results; do
    [ -s "$out/$f" ] && inputs="$inputs $out/$f"
done
if [ -z "$inputs" ]; then
    echo "main: no step produced results; nothing to report"
    exit 1
fi
# shellcheck disable=SC2086
step 7/7 report "$forksafe" report $inputs -o "$out/report.html" &&
    "$forksafe" report $inputs --format json -o "$out/report.json" >>"$out/logs/report.log" 2>&1

echo "forksafe main job finished in $(( $(date +%s) - started ))s"
[ -s "$out/report.html" ] && echo "report: $out/report.html"
if [ -n "$failed" ]; then
    echo "main: failed steps:$failed (logs in $out/logs)"
    exit 1
fi
