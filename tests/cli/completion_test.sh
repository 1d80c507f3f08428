#!/bin/bash
# The bash completion (cmake/forksafe.bash-completion) against the real
# forksafe: commands, and each command's options from its --help.
# Usage: completion_test.sh COMPLETION_SCRIPT FORKSAFE
set -u
# shellcheck source=/dev/null
source "$1"
forksafe=$2
failed=0
# expect "WORD..." "COMPLETIONS": completing the last word gives exactly COMPLETIONS.
expect() {
    read -r -a words <<<"$1"
    COMP_WORDS=("$forksafe" "${words[@]}")
    COMP_CWORD=${#words[@]}
    COMPREPLY=()
    _forksafe
    if [ "${COMPREPLY[*]}" != "$2" ]; then
        echo "completion_test: 'forksafe $1' completed to '${COMPREPLY[*]}', not '$2'"; failed=1
    fi
}
expect "sc" "scenarios"
expect "an" "analyze"
expect "--v" "--version"
expect "scenarios --sp" "--spawner"
expect "report --fo" "--format"
expect "bench --frob" ""
[ "$failed" -eq 0 ] && echo "completion_test: ok"
exit "$failed"
