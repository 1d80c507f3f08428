#!/bin/bash
# Benchmark of `forksafe analyze` (a figure, never a pass/fail test): the same
# translation units, with the same flags, through
#   parse-only   clang -fsyntax-only, one process per TU
#   clang-tidy   clang-tidy -checks='-*,bugprone-signal-handler'
#   full         forksafe analyze --all (every TU parsed and analysed)
#   demand       forksafe analyze (default: only TUs with windows and what they reach)
# each with -j JOBS (xargs -P for the per-TU tools), plus forksafe --all -j1
# for the scaling figure. Prints the median of RUNS runs of wall time and of
# CPU time (user+sys, children included), and ratios to parse-only. On a
# shared machine CPU time is the steadier figure.
#
# usage: bench/analyze_bench.sh BUILD_DIR [JOBS] [RUNS]
#   BUILD_DIR holds compile_commands.json (e.g. made with `bear -- make`).
#   FORKSAFE=path/to/forksafe (default: build/forksafe beside this script)
set -eu
build_dir=$(cd "${1:?usage: analyze_bench.sh BUILD_DIR [JOBS] [RUNS]}" && pwd)
jobs=${2:-2}
runs=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
forksafe=${FORKSAFE:-$here/build/forksafe}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One shell line per TU: cd DIR && clang ARGS -fsyntax-only (no -c, no -o).
# Flags clang does not know (gcc's, from a gcc build) are dropped: the clang
# driver stops at them without parsing, which would make parse-only look free
# (forksafe and clang-tidy go on with a diagnostic).
python3 - "$build_dir/compile_commands.json" "$work" <<'PY'
import json, shlex, subprocess, sys
db = json.load(open(sys.argv[1]))
flags = {a for e in db for a in (e.get("arguments") or shlex.split(e["command"]))[1:] if a.startswith(("-f", "-m"))}
unknown = {f for f in flags
           if "unknown argument" in subprocess.run(["clang-14", "-fsyntax-only", f, "-x", "c", "/dev/null"],
                                                   capture_output=True, text=True).stderr}
if unknown:
    print("parse-only: dropped flags clang does not know:", " ".join(sorted(unknown)), file=sys.stderr)
with open(sys.argv[2] + "/syntax.txt", "w") as syntax, open(sys.argv[2] + "/files.txt", "w") as files:
    for e in db:
        args = e.get("arguments") or shlex.split(e["command"])
        out, skip = [], False
        for a in args[1:]:
            if skip:
                skip = False
                continue
            if a == "-o":
                skip = True
                continue
            if a == "-c" or a.startswith("-o") or a in unknown:
                continue
            out.append(a)
        cxx = e["file"].endswith((".cc", ".cpp", ".cxx", ".C"))
        compiler = "clang++-14" if cxx else "clang-14"
        syntax.write("cd %s && %s -fsyntax-only -w %s\n" % (shlex.quote(e["directory"]), compiler,
                                                          " ".join(map(shlex.quote, out))))
        files.write(e["file"] + "\n")
PY
tus=$(wc -l < "$work/files.txt")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# "WALL CPU": median wall and CPU (user+sys) seconds of running "$@" $runs times.
time_it() {
  local walls=() cpus=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1 || true
    read -r wall user sys < <(tail -1 "$work/time")
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}

parse_only() { xargs -P "$jobs" -d '\n' -I{} sh -c '{}' < "$work/syntax.txt"; }
tidy() { xargs -P "$jobs" -d '\n' -n 1 clang-tidy-14 -p "$build_dir" --quiet "-checks=-*,bugprone-signal-handler" < "$work/files.txt"; }
full() { "$forksafe" analyze -p "$build_dir" --all -j "$jobs" --format json; }
demand() { "$forksafe" analyze -p "$build_dir" -j "$jobs" --format json; }
full_j1() { "$forksafe" analyze -p "$build_dir" --all -j 1 --format json; }
export -f parse_only tidy full demand full_j1

# The demand-driven run must report exactly what the full run reports.
"$forksafe" analyze -p "$build_dir" --all -j "$jobs" --format json > "$work/full.json" 2>/dev/null || true
"$forksafe" analyze -p "$build_dir" -j "$jobs" --format json > "$work/demand.json" 2>/dev/null || true
if cmp -s "$work/full.json" "$work/demand.json"; then same=yes; else same=NO; fi
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$work/full.json")

export work jobs build_dir forksafe
read -r w_parse c_parse < <(time_it bash -c parse_only)
read -r w_tidy c_tidy < <(time_it bash -c tidy)
read -r w_full c_full < <(time_it bash -c full)
read -r w_demand c_demand < <(time_it bash -c demand)
read -r w_full1 c_full1 < <(time_it bash -c full_j1)

ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }
row() { printf '%-36s %8.2f %6s %8.2f %6s\n' "$1" "$2" "$(ratio "$2" "$w_parse")" "$3" "$(ratio "$3" "$c_parse")"; }
echo "translation units: $tus, jobs: $jobs, runs: $runs (medians)"
echo "findings (full): $findings, demand-driven findings identical to full: $same"
printf '%-36s %8s %6s %8s %6s\n' "tool" "wall s" "ratio" "CPU s" "ratio"
row "clang -fsyntax-only" "$w_parse" "$c_parse"
row "clang-tidy bugprone-signal-handler" "$w_tidy" "$c_tidy"
row "forksafe analyze --all" "$w_full" "$c_full"
row "forksafe analyze (demand-driven)" "$w_demand" "$c_demand"
row "forksafe analyze --all -j1" "$w_full1" "$c_full1"
echo "scaling: wall -j1 / -j$jobs = $(ratio "$w_full1" "$w_full")"
