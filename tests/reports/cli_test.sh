#!/bin/sh
# `forksafe report` from the command line: formats, exit codes, and the one
# clear line for every bad input.
# usage: cli_test.sh FORKSAFE MAKE_FINDINGS FIXTURES WORK_DIR
set -u
forksafe=$1 make_findings=$2 fixtures=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error WHAT-IN-MESSAGE ARGS...: exit 2 and exactly one line on stderr naming the problem.
expect_error() {
    want=$1; shift
    "$forksafe" report "$@" >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 2 ] || fail "report $*: exit $code, wanted 2"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "report $*: stderr is not one line: $(cat err.txt)"
    grep -q "^forksafe report: .*$want" err.txt || fail "report $*: stderr lacks '$want': $(cat err.txt)"
    [ ! -s out.txt ] || fail "report $*: wrote to stdout on error"
}

"$make_findings" static 12 static.sarif src || exit 1
printf '{"runs": [' >broken.json
printf '{"hello": "world"}' >unknown.json
printf 'not json at all' >text.sarif

expect_error "missing.sarif: cannot read" missing.sarif
expect_error "broken.json: invalid JSON" static.sarif broken.json
expect_error "unknown.json: unknown input" unknown.json
expect_error "text.sarif: invalid JSON" text.sarif
expect_error "no inputs"
expect_error "unknown --format 'pdf'" static.sarif --format pdf
expect_error "unknown --fail-on" static.sarif --fail-on sometimes
expect_error "unrecognised option" static.sarif --colour

expect_error "cannot write no/such/dir/report.html" static.sarif -o no/such/dir/report.html
mkdir -p report-dir
expect_error "cannot write report-dir" static.sarif -o report-dir
[ ! -e report-dir.partial ] || fail "a failed write left report-dir.partial behind"

cp static.sarif before.sarif
expect_error "refusing to write the report over its input" static.sarif -o static.sarif
expect_error "refusing to write the report over its input" static.sarif -o ./src/../static.sarif
cmp -s static.sarif before.sarif || fail "-o over an input changed the input"

"$forksafe" report static.sarif >text.txt 2>err.txt || fail "text report exited $?: $(cat err.txt)"
grep -Eq '^/.*/spawner_0\.c:[0-9]+:3: (warning|note): malloc\(\) is not async-signal-safe .* \[fork-unsafe-call\]$' text.txt ||
    fail "text report has no compiler-style finding line: $(head -3 text.txt)"
grep -q '^  .*: note: 1\. child side of fork() starts here (in spawn_0)$' text.txt || fail "text report has no numbered chain"
grep -q '^12 findings (' text.txt || fail "text report summary: $(tail -1 text.txt)"

"$forksafe" report static.sarif "$fixtures/scenarios.json" "$fixtures/bench.json" --format json >report.json ||
    fail "json report exited $?"
python3 - report.json <<'PY' || fail "json report content"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["summary"]["findings"] == 12, report["summary"]
assert len(report["findings"]) == 12
assert report["summary"]["scenario_cells"] == 16
assert [i["format"] for i in report["inputs"]] == ["sarif", "scenarios", "bench"]
assert report["findings"][0]["chain"][0]["message"] == "child side of fork() starts here"
PY

"$forksafe" report static.sarif --fail-on warning >/dev/null
[ $? -eq 1 ] || fail "--fail-on warning with warnings should exit 1"
"$forksafe" report static.sarif --fail-on error >/dev/null
[ $? -eq 0 ] || fail "--fail-on error without errors should exit 0"

"$forksafe" report static.sarif -o report.html || fail "html report exited $?"
head -c 15 report.html | grep -q '<!DOCTYPE html>' || fail "-o FILE without --format is not HTML"
[ ! -e report.html.partial ] || fail "left report.html.partial behind"

[ "$failures" -eq 0 ] && echo "all report CLI checks passed"
exit "$failures"
