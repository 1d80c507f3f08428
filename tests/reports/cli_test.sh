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

expect_error "the required argument for option '--format' is missing" static.sarif --format
expect_error "-o needs a file name" static.sarif -o ''
mkdir -p input-dir
expect_error "input-dir: is a directory" input-dir
: >empty.json
expect_error "empty.json: is empty" empty.json
# A named pipe nobody writes to reads as empty; it must not wait for a writer.
mkfifo quiet.fifo
expect_error "quiet.fifo: is empty" quiet.fifo
rm -f quiet.fifo
printf '[{"strategy": "fixed", "size_gib": 1e999, "ms_median": 1, "ms_min": 1, "ms_max": 1, "runs": 1}]' >overflow.json
expect_error "overflow.json: invalid JSON: number overflow" overflow.json
printf '[{"strategy": "fixed", "size_gib": 0, "ms_median": 0, "ms_min": 0, "ms_max": 1, "runs": 1}]' >zero-ms.json
expect_error 'zero-ms.json: measurement 1: "ms_median" must be above 0' zero-ms.json
printf '[{"strategy": "fixed", "size_gib": -1, "ms_median": 1, "ms_min": 1, "ms_max": 1, "runs": 1}]' >negative-size.json
expect_error 'negative-size.json: measurement 1: "size_gib" must not be negative' negative-size.json
printf '[{"scenario": "s", "spawner": "fixed", "expected": "ok", "outcome": "ok", "passed": true, "seconds": -2}]' >negative-seconds.json
expect_error 'negative-seconds.json: scenario result 1: "seconds" must not be negative' negative-seconds.json
# Very large but finite numbers are measurements like any other.
printf '[{"strategy": "fixed", "size_gib": 1e300, "ms_median": 1e300, "ms_min": 1e-300, "ms_max": 1e308, "runs": 1e300}]' >huge.json
"$forksafe" report huge.json --format json >huge-report.json 2>err.txt || fail "huge numbers: exit $?: $(cat err.txt)"
# SARIF results missing their fields, or fields of the wrong type.
printf '{"version": "2.1.0", "runs": [{"results": [{"ruleId": "fork-exit", "message": {"text": "m"}}, {"ruleId": "fork-exit"}]}]}' >no-message.sarif
expect_error 'no-message.sarif: run 1, result 2: needs a "message" with a "text"' no-message.sarif
printf '{"version": "2.1.0", "runs": [{"results": [{}]}]}' >empty-result.sarif
expect_error 'empty-result.sarif: run 1, result 1: needs a "message"' empty-result.sarif
printf '{"version": "2.1.0", "runs": [{"results": {}}]}' >results-object.sarif
expect_error 'results-object.sarif: run 1: "results" must be an array' results-object.sarif
printf '{"version": "2.1.0", "runs": [{"results": [{"ruleId": 5, "message": {"text": "m"}}]}]}' >numeric-rule.sarif
expect_error "numeric-rule.sarif: malformed sarif: type must be string, but is number" numeric-rule.sarif
printf '{"version": "2.1.0", "runs": [{"results": [{"message": {"text": "m"}, "codeFlows": [5]}]}]}' >bad-flow.sarif
expect_error "bad-flow.sarif: malformed sarif" bad-flow.sarif
if [ "$(id -u)" -eq 0 ]; then as_other_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; else as_other_user=""; fi
cp static.sarif unreadable.sarif && chmod 000 unreadable.sarif
$as_other_user "$forksafe" report unreadable.sarif >out.txt 2>err.txt
code=$?
[ "$code" -eq 2 ] || fail "unreadable input: exit $code"
grep -q "^forksafe report: unreadable.sarif: cannot read: Permission denied$" err.txt || fail "unreadable input: $(cat err.txt)"
"$forksafe" report static.sarif >/dev/full 2>err.txt
code=$?
[ "$code" -eq 2 ] || fail "writing to a full device: exit $code, wanted 2"
grep -q "^forksafe report: cannot write the report to standard output$" err.txt || fail "full device: $(cat err.txt)"
"$forksafe" report --help >help.txt 2>err.txt || fail "--help exited $?"
grep -q "^usage: forksafe report" help.txt || fail "--help prints no usage"
[ ! -s err.txt ] || fail "--help wrote to stderr"

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
