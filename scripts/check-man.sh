#!/bin/sh
# SPDX-License-Identifier: MIT
# The manual pages are right:
# - mmapc(1) and mmapc(3) render with man and with groff without one warning;
# - every public function of the header appears in mmapc(3), and every mmapc_*() call that
#   mmapc(3) names is in the header (no stale name);
# - every command and long option of the tool's --help appears in mmapc(1), and every long
#   option mmapc(1) names is one the tool knows; so does every exit status the help lists;
# - the EXAMPLE of mmapc(3) compiles against the header and library, and runs (on x86-64).
# Usage: check-man.sh HEADER MAN1 MAN3 TOOL CC LIBRARY
set -u
[ $# -eq 6 ] || { echo "usage: check-man.sh HEADER MAN1 MAN3 TOOL CC LIBRARY" >&2; exit 2; }
header=$1 man1=$2 man3=$3 tool=$4 cc=$5 lib=$6
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

export LC_ALL=C.UTF-8
for page in "$man1" "$man3"; do
    name=$(basename "$page")
    # man as a reader runs it, with groff's warnings on; then groff itself with all warnings.
    MANWIDTH=80 man --warnings=w -E UTF-8 -l "$page" >"$work/out" 2>"$work/err"
    if [ $? -eq 0 ] && [ ! -s "$work/err" ] && [ "$(wc -l <"$work/out")" -gt 20 ]; then ok; else
        bad "man -l $name: $(cat "$work/err")"; fi
    groff -ww -z -man -Tutf8 "$page" 2>"$work/err"
    if [ $? -eq 0 ] && [ ! -s "$work/err" ]; then ok; else bad "groff -ww $name: $(cat "$work/err")"; fi
done

# Rendered text with no hyphenation and lines long enough that no name is broken.
render() { groff -man -Tutf8 -rHY=0 -rLL=2000n -P-cbou "$1" 2>/dev/null; }
render "$man1" >"$work/man1.txt"
render "$man3" >"$work/man3.txt"

# --- mmapc(3) against the header
python3 "$here/header-functions.py" "$header" >"$work/functions" || { bad "cannot read $header"; exit 1; }
n=$(wc -l <"$work/functions")
if [ "$n" -ge 40 ]; then ok; else bad "only $n functions read from $header"; fi
missing=
while read -r f; do
    grep -qw -- "$f" "$work/man3.txt" || missing="$missing $f"
done <"$work/functions"
if [ -z "$missing" ]; then ok; else bad "not in mmapc(3):$missing"; fi
stale=
for f in $(grep -oE 'mmapc_[a-z0-9_]+\(' "$work/man3.txt" | tr -d '(' | sort -u); do
    grep -qx -- "$f" "$work/functions" || stale="$stale $f"
done
if [ -z "$stale" ]; then ok; else bad "in mmapc(3) but not in the header:$stale"; fi
# Every error code of the header's list is described under ERRORS.
codes=$(sed -n 's/^ *X(\([A-Z_]*\), *-[0-9]*,.*/MMAPC_\1/p' "$header")
if [ "$(echo "$codes" | wc -w)" -ge 20 ]; then ok; else bad "cannot read the error codes of $header"; fi
sed -n '/^ERRORS/,/^[A-Z][A-Z ]*$/p' "$work/man3.txt" | sed '1d' >"$work/errors.txt"
missing=
for c in $codes; do
    grep -qw -- "$c" "$work/errors.txt" || missing="$missing $c"
done
if [ -z "$missing" ]; then ok; else bad "error codes not under ERRORS in mmapc(3):$missing"; fi

# --- mmapc(1) against the tool's own help
"$tool" --help >"$work/help" || bad "$tool --help failed"
commands=$(sed -n '/^commands:/,/^$/p' "$work/help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
options=$(sed -n '/^options:/,/^$/p' "$work/help" | grep -oE -- '--[a-z-]+' | sort -u)
statuses=$(sed -n 's/^exit status: //p' "$work/help" | grep -oE '(^|, )[0-9]+ ' | grep -oE '[0-9]+')
if [ "$(echo "$commands" | wc -w)" -ge 5 ] && [ "$(echo "$options" | wc -w)" -ge 4 ] &&
    [ "$(echo "$statuses" | wc -w)" -ge 3 ]; then ok; else
    bad "cannot read commands, options and exit statuses from --help"; fi
# Each section of mmapc(1) as its own file, to look for an item where it belongs.
awk -v dir="$work" '/^[A-Z][A-Z ]+$/ { f = dir "/sec-" $1 } f { print > f }' "$work/man1.txt"
for c in $commands; do
    grep -qE "^ +$c( |$)" "$work/sec-COMMANDS" 2>/dev/null || bad "command $c not described in mmapc(1)"
done
for o in $options; do
    grep -qE -- "^ +(-[a-zA-Z], )?$o( |$)" "$work/sec-OPTIONS" 2>/dev/null || bad "option $o not described in mmapc(1)"
done
for s in $statuses; do
    grep -qE "^ +$s$" "$work/sec-EXIT" 2>/dev/null || bad "exit status $s not described in mmapc(1)"
done
for o in $(grep -oE -- '(^|[^-a-z])--[a-z][a-z-]*' "$work/man1.txt" | grep -oE -- '--[a-z-]+' | sort -u); do
    echo "$options" | grep -qx -- "$o" || bad "mmapc(1) names $o, which the tool does not know"
done
ok

# --- the example of mmapc(3) builds and runs
sed -n "/^EXAMPLE/,/^SEE ALSO/p" "$work/man3.txt" | sed "1d;\$d" | sed -n "/#include/,\$p" >"$work/example.c"
if [ "$(wc -l <"$work/example.c")" -lt 10 ]; then
    bad "no example program in mmapc(3)"
elif $cc -std=c11 -Wall -Wextra -Werror -I"$(dirname "$header")" "$work/example.c" "$lib" -pthread \
    -o "$work/example" 2>"$work/err"; then
    ok
    if [ "$(uname -m)" = x86_64 ]; then
        out=$("$work/example")
        case $out in "42"*) ok ;; *) bad "the example printed: $out" ;; esac
    fi
else
    bad "the example of mmapc(3) does not compile: $(cat "$work/err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
