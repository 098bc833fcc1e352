#!/bin/bash
# SPDX-License-Identifier: MIT
# The bash completion of the tool: it registers itself for mmapc, completes the commands the tool
# lists in its --help (no more, no fewer), the options, PIDs where a PID goes, and nothing where
# nothing goes. Usage: test_completion.sh COMPLETION-FILE PATH/TO/mmapc
set -u
[ $# -eq 2 ] || { echo "usage: test_completion.sh COMPLETION-FILE PATH/TO/mmapc" >&2; exit 2; }
completion=$1
tool=$2
passed=0
failed=0
bad() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# shellcheck source=/dev/null
source "$completion" || { echo "FAILED: cannot source $completion"; exit 1; }

spec=$(complete -p mmapc 2>&1)
if [[ $spec == "complete -F _mmapc mmapc" ]]; then passed=$((passed + 1)); else bad "complete -p mmapc: $spec"; fi

# complete WORDS...: the completions bash would offer for the command line WORDS (the last word
# is the one being completed), sorted, on one line.
complete_line() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _mmapc mmapc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect "WANT" WORDS...
expect() {
    local want=$1
    shift
    local got
    got=$(complete_line "$@")
    if [[ $got == "$want" ]]; then passed=$((passed + 1)); else bad "'$*': got '$got', want '$want'"; fi
}

# The commands are those the tool's help lists, no more, so the two cannot drift apart.
commands=$("$tool" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
commands=$(printf '%s\n' "$commands" | sort | tr '\n' ' ' | sed 's/ $//')
[[ $(wc -w <<<"$commands") -ge 6 ]] || bad "too few commands read from --help: '$commands'"
expect "$commands" mmapc ""
expect "$commands" mmapc --json ""
expect "$commands" mmapc --text --json ""
expect "areas" mmapc a
expect "page-sizes pages" mmapc p
expect "pages" mmapc pages
expect "page-sizes" mmapc page-
expect "query" mmapc --json q

# Options: every long option the help lists.
options=$("$tool" --help | sed -n '/^options:/,/^$/p' | grep -oE -- '--[a-z-]+' | sort | tr '\n' ' ' | sed 's/ $//')
[[ $(wc -w <<<"$options") -ge 4 ]] || bad "too few options read from --help: '$options'"
expect "$options" mmapc --
expect "--json" mmapc --j
expect "--text" mmapc areas --t

# PIDs: `self` and running processes, this shell among them, after areas and after query ADDR.
got=$(complete_line mmapc areas "")
if [[ " $got " == *" self "* && " $got " == *" $$ "* && " $got " == *" 1 "* ]]; then
    passed=$((passed + 1))
else
    bad "areas PID: '$got' lacks self, 1 or $$"
fi
expect "self" mmapc --json areas se
expect "self" mmapc query 0x1000 s
got=$(complete_line mmapc query 7f00 "")
if [[ " $got " == *" $$ "* ]]; then passed=$((passed + 1)); else bad "query ADDR PID: '$got' lacks $$"; fi

# summary and watch take a PID; diff takes files; --sort takes a column; a number takes nothing
expect "self" mmapc summary se
expect "self" mmapc watch --interval 2 se
got=$(complete_line mmapc diff "$(dirname "$completion")/mmapc.bash-")
[[ $got == "$(dirname "$completion")/mmapc.bash-completion" ]] && passed=$((passed + 1)) || bad "diff FILE: '$got'"
expect "rss" mmapc areas -x --sort rs
# every column --sort accepts, as the tool names them when it refuses one
columns=$("$tool" areas --sort no-such-column 2>&1 | sed -n 's/.*the columns are: //p' | tr -d ',' |
    tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
[[ $(wc -w <<<"$columns") -ge 20 ]] || bad "too few columns read from the tool: '$columns'"
expect "$columns" mmapc areas --sort ""
expect "" mmapc query 7f00 --context ""
expect "" mmapc watch 1 --count ""
expect "" mmapc watch 1 ""
expect "" mmapc diff a.json b.json ""
# report [PID | FILE.json], report --diff A.json B.json, -o FILE
expect "self" mmapc report se
expect "" mmapc report 1 ""
got=$(complete_line mmapc report --diff "$(dirname "$completion")/mmapc.bash-")
[[ $got == "$(dirname "$completion")/mmapc.bash-completion" ]] && passed=$((passed + 1)) || bad "report --diff FILE: '$got'"
got=$(complete_line mmapc report -o "$(dirname "$completion")/mmapc.bash-")
[[ $got == "$(dirname "$completion")/mmapc.bash-completion" ]] && passed=$((passed + 1)) || bad "report -o FILE: '$got'"
expect "" mmapc report --diff a.json b.json ""

# Nothing where nothing goes: an address, a second PID, arguments of argument-less commands,
# after --help, after an unknown command.
expect "" mmapc query ""
expect "" mmapc areas 1 ""
expect "" mmapc query 7f00 1 ""
expect "" mmapc info ""
expect "" mmapc page-sizes ""
expect "" mmapc --help ""
expect "" mmapc frobnicate ""

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
