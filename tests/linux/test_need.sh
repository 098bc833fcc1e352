#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/need.sh, which every make target that needs a Debian package runs first: as root it
# installs what is missing, otherwise it prints the apt-get line and fails; and the make targets
# do call it with what they need. dpkg-query, apt-get and id are stubs here, so nothing is
# installed. Usage: test_need.sh SOURCE_DIR
set -u
src=${1:?usage: test_need.sh SOURCE_DIR}
need="$src/scripts/need.sh"
. "$(dirname "$0")/shcheck.sh"

mkdir "$work/bin"
cat >"$work/bin/dpkg-query" <<'EOF'
#!/bin/sh
# dpkg-query -W -f=FORMAT PKG: installed when PKG is in STUB_INSTALLED
for p in $STUB_INSTALLED; do [ "$p" = "$3" ] && { printf 'install ok installed'; exit 0; }; done
exit 1
EOF
cat >"$work/bin/apt-get" <<'EOF'
#!/bin/sh
echo "$*" >>"$STUB_LOG"
exit "${STUB_APT_RC:-0}"
EOF
printf '#!/bin/sh\necho "$STUB_UID"\n' >"$work/bin/id"
chmod +x "$work/bin/"*
export STUB_LOG="$work/apt.log" STUB_INSTALLED="cmake make" STUB_UID=1000 STUB_APT_RC=0

# run [ENV=VALUE...] -- ARGS...: need.sh with the stubs first on PATH
run() {
    : >"$STUB_LOG"
    envs=
    while [ "$1" != "--" ]; do
        envs="$envs $1"
        shift
    done
    shift
    # shellcheck disable=SC2086 # one word per assignment
    env PATH="$work/bin:$PATH" $envs sh "$need" "$@" >"$work/out" 2>&1
}
status() { [ "$got" -eq "$1" ] && ok || bad "$2: exit $got, expected $1: $(cat "$work/out")"; }

run -- cmake make
got=$?
status 0 "everything installed"
[ -s "$STUB_LOG" ] && bad "apt-get ran with nothing missing" || ok

set -- cmake wine64
run -- "$@"
got=$?
status 2 "missing, not root"
grep -q "apt-get install --no-install-recommends wine64$" "$work/out" && ok || bad "the apt-get line: $(cat "$work/out")"
[ -s "$STUB_LOG" ] && bad "apt-get ran without root" || ok

run STUB_UID=0 -- "$@"
got=$?
status 0 "missing, root"
grep -q "^install -y -qq --no-install-recommends wine64$" "$STUB_LOG" && ok || bad "apt-get install: $(cat "$STUB_LOG")"

run STUB_UID=0 STUB_APT_RC=100 -- "$@"
got=$?
status 2 "apt-get fails"

run -- --optional gnuplot-nox
got=$?
status 0 "--optional, missing"
grep -q "apt-get install --no-install-recommends gnuplot-nox$" "$work/out" && ok || bad "--optional prints the line"

run -- --preset windows
got=$?
status 2 "--preset windows"
grep -q "gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix wine wine64" "$work/out" && ok || bad "--preset windows lists mingw-w64 and wine: $(cat "$work/out")"
run -- --preset nonesuch
got=$?
status 2 "unknown preset"

# Every make target that needs a package checks for it first (make -n prints the commands).
check_target() {
    target=$1
    shift
    # Not the make variables of a make that runs this test (make test PRESET=clang).
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u PRESET make -n -C "$src" "$target" >"$work/make" 2>&1
    for want in "$@"; do
        grep "scripts/need.sh" "$work/make" | grep -q -- "$want" && ok ||
            bad "make $target does not run need.sh with $want"
    done
}
check_target test-windows "--preset windows"
check_target test "--preset gcc"
check_target build "--preset gcc"
# make test gets the tools of the tests that need more than the build (or says what it left out)
check_target test "scdoc" "doxygen" "pkg-config"
check_target test-kernels "qemu-system-x86" "busybox-static"
check_target fuzz "clang" "libclang-rt-14-dev"
check_target bench "gnuplot-nox"
check_target bench-quick "gnuplot-nox"
check_target format "clang-format"
check_target docs "doxygen" "scdoc"
check_target package "dpkg-dev"
grep -q "need.sh" "$src/scripts/test-all.sh" && ok || bad "test-all.sh uses need.sh"
check_target run "--preset gcc"

# make run builds what it runs, not the tests and the benchmark: every `cmake --build` names its
# targets, and each program it runs is one of them.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u PRESET make -n -C "$src" run >"$work/make" 2>&1
builds=$(grep "cmake --build" "$work/make")
[ -n "$builds" ] && ok || bad "make run builds nothing: $(cat "$work/make")"
if printf '%s\n' "$builds" | grep -qv -- "--target "; then
    bad "make run builds every target: $builds"
else
    ok
fi
for program in $(sed -n 's|^build/gcc/[a-z]*/\([a-z_]*\).*|\1|p' "$work/make"); do
    case $program in mmapc) target=mmapc_tool ;; *) target=$program ;; esac
    printf '%s\n' "$builds" | grep -q -- " $target\( \|$\)" && ok || bad "make run runs $program, which it does not build"
done

# After ctest, make test names the tests left out for a missing tool, or says none was.
mkdir "$work/b"
printf 'man_pages: scdoc not found (apt-get install scdoc)\n' >"$work/b/tests-left-out.txt"
sh "$src/scripts/left-out.sh" "$work/b" >"$work/out" 2>&1
grep -q "^  man_pages: scdoc not found" "$work/out" && ok || bad "left-out.sh: $(cat "$work/out")"
: >"$work/b/tests-left-out.txt"
sh "$src/scripts/left-out.sh" "$work/b" >"$work/out" 2>&1
grep -q "^No test left out" "$work/out" && ok || bad "left-out.sh, none: $(cat "$work/out")"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u PRESET make -n -C "$src" test >"$work/make" 2>&1
grep -q "scripts/left-out.sh" "$work/make" && ok || bad "make test does not run left-out.sh"

sh_done
