#!/bin/sh
# A smoke test of an installed forksafe, as a user runs it: analyze a file,
# run a command under the injector, the scenario matrix (fixed cells, and one
# broken cell that fails fast), a report of it all. Usage: smoke_test.sh
# FORKSAFE (the installed binary, e.g. /usr/bin/forksafe or PREFIX/bin/forksafe).
set -u
forksafe=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
# expect STATUS WHAT COMMAND...: runs COMMAND in $work, checks its exit status.
expect() {
    want=$1 what=$2
    shift 2
    (cd "$work" && "$@") >"$work/log" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "smoke_test: $what: exit status $got, not $want"; sed 's/^/    /' "$work/log"; failed=1
    else
        echo "smoke_test: $what: ok"
    fi
}
cat >"$work/child_printf.c" <<'C'
#include <stdio.h>
#include <unistd.h>
int main(void) {
  if (fork() == 0) {
    printf("child\n");
    execl("/bin/true", "true", (char*)0);
    _exit(127);
  }
  return 0;
}
C
expect 0 "--version" "$forksafe" --version
expect 1 "analyze finds printf in the child" "$forksafe" analyze child_printf.c --format sarif -o static.sarif -- -std=c11
expect 0 "run -- sh -c true" "$forksafe" run -o runtime.sarif -- sh -c true
expect 0 "scenarios, fixed spawner" "$forksafe" scenarios --spawner fixed -o fixed.json
expect 0 "scenarios, exit-duplicate-output broken and fixed" "$forksafe" scenarios --only exit-duplicate-output -o dup.json
expect 0 "report" "$forksafe" report static.sarif runtime.sarif fixed.json dup.json -o report.html
[ -s "$work/report.html" ] || { echo "smoke_test: no report.html"; failed=1; }
exit $failed
