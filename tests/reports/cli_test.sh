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
# $run_as prefixes the command (e.g. another user); $stdout_to is where its output goes.
run_as="" stdout_to=out.txt
expect_error() {
    want=$1; shift
    $run_as "$forksafe" report "$@" >"$stdout_to" 2>err.txt
    code=$?
    [ "$code" -eq 2 ] || fail "report $*: exit $code, wanted 2"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "report $*: stderr is not one line: $(cat err.txt)"
    grep -q "^forksafe report: .*$want" err.txt || fail "report $*: stderr lacks '$want': $(cat err.txt)"
    [ ! -s out.txt ] || fail "report $*: wrote to stdout on error"
}

# expect_input_error FILE CONTENT WHAT-IN-MESSAGE: an input holding CONTENT is refused.
expect_input_error() {
    printf '%s' "$2" >"$1"
    expect_error "$1: $3" "$1"
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
expect_input_error empty.json "" "is empty"
# A named pipe nobody writes to reads as empty; it must not wait for a writer.
mkfifo quiet.fifo
expect_error "quiet.fifo: is empty" quiet.fifo
rm -f quiet.fifo
bench='"strategy": "fixed", "ensurestart": null, "runs": 1'
expect_input_error overflow.json "[{$bench, \"size_gib\": 1e999, \"ms_median\": 1, \"ms_min\": 1, \"ms_max\": 1}]" \
    "invalid JSON: number overflow"
expect_input_error zero-ms.json "[{$bench, \"size_gib\": 0, \"ms_median\": 0, \"ms_min\": 0, \"ms_max\": 1}]" \
    'measurement 1: "ms_median" must be above 0'
expect_input_error negative-size.json "[{$bench, \"size_gib\": -1, \"ms_median\": 1, \"ms_min\": 1, \"ms_max\": 1}]" \
    'measurement 1: "size_gib" must not be negative'
expect_input_error negative-seconds.json \
    '[{"scenario": "s", "spawner": "fixed", "expected": "ok", "outcome": "ok", "passed": true, "seconds": -2}]' \
    'scenario result 1: "seconds" must not be negative'
# Very large but finite numbers are measurements like any other.
printf '[{%s, "size_gib": 1e300, "ms_median": 1e300, "ms_min": 1e-300, "ms_max": 1e308}]' "$bench" >huge.json
"$forksafe" report huge.json --format json >huge-report.json 2>err.txt || fail "huge numbers: exit $?: $(cat err.txt)"
# SARIF results missing their fields, or fields of the wrong type.
sarif() { printf '{"version": "2.1.0", "runs": [{"results": %s}]}' "$1"; }
expect_input_error no-message.sarif "$(sarif '[{"ruleId": "fork-exit", "message": {"text": "m"}}, {"ruleId": "fork-exit"}]')" \
    'run 1, result 2: needs a "message" with a "text"'
expect_input_error empty-result.sarif "$(sarif '[{}]')" 'run 1, result 1: needs a "message"'
expect_input_error results-object.sarif "$(sarif '{}')" 'run 1: "results" must be an array'
expect_input_error numeric-rule.sarif "$(sarif '[{"ruleId": 5, "message": {"text": "m"}}]')" \
    "malformed sarif: type must be string, but is number"
expect_input_error bad-flow.sarif "$(sarif '[{"message": {"text": "m"}, "codeFlows": [5]}]')" "malformed sarif"
cp static.sarif unreadable.sarif && chmod 000 unreadable.sarif
if [ "$(id -u)" -eq 0 ]; then run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
expect_error "unreadable.sarif: cannot read: Permission denied$" unreadable.sarif
run_as="" stdout_to=/dev/full
expect_error "cannot write standard output: No space left on device$" static.sarif
stdout_to=out.txt
"$forksafe" report --help >help.txt 2>err.txt || fail "--help exited $?"
grep -q "^usage: forksafe report" help.txt || fail "--help prints no usage"
[ ! -s err.txt ] || fail "--help wrote to stderr"

expect_error "cannot write no/such/dir/report.html" static.sarif -o no/such/dir/report.html
mkdir -p report-dir
expect_error "cannot write report-dir" static.sarif -o report-dir
[ -z "$(ls -A report-dir)" ] && [ -z "$(ls -A . | grep forksafe-)" ] || fail "a failed write left a temporary behind"

cp static.sarif before.sarif
expect_error "-o static.sarif is the input static.sarif" static.sarif -o static.sarif
expect_error "-o ./src/../static.sarif is the input static.sarif" static.sarif -o ./src/../static.sarif
cmp -s static.sarif before.sarif || fail "-o over an input changed the input"

"$forksafe" report static.sarif >text.txt 2>err.txt || fail "text report exited $?: $(cat err.txt)"
grep -Eq '^/.*/spawner_0\.c:[0-9]+:[0-9]+: (warning|note): malloc\(\) is not async-signal-safe .* \[fork-unsafe-call\]$' text.txt ||
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
