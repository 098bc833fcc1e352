#!/bin/bash
# SPDX-License-Identifier: MIT
# The Debian packages, as a user gets them: checks what each .deb holds and declares, installs
# them with dpkg -i, builds tests/consumer against the installed headers and library (CMake
# find_package, pkg-config, and the static library; in C and, with mmapc.hpp, in C++), runs it
# and the tool, finds the manual pages and the bash completion, then purges the packages and
# checks that nothing of them is left.
# Run as root (`make test-packages` builds the packages first). Usage: test-packages.sh BUILD-DIR
set -u
[ $# -eq 1 ] || { echo "usage: test-packages.sh BUILD-DIR (where make package left packages/)" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
src=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test-packages.sh installs packages: run it as root" >&2; exit 2; }
packages=(libmmapc0 libmmapc-dev mmapc)
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
# check WHAT COMMAND...: one check, passed when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then ok; else bad "$what"; fi
}

for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
        echo "$p is installed already; remove it first (dpkg -P ${packages[*]})" >&2
        exit 2
    fi
done
version=$(sed -n 's/^#define MMAPC_VERSION_STRING "\(.*\)"$/\1/p' "$src/include/mmapc.h")
major=${version%%.*}
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
work=$(mktemp -d)
installed=0
cleanup() {
    [ "$installed" = 1 ] && dpkg -P "${packages[@]}" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
echo "packages of mmapc $version for $arch ($multiarch)"

# ---- what each package holds and declares
declare -A deb
for p in "${packages[@]}"; do
    deb[$p]=$build/packages/${p}_${version}_${arch}.deb
    check "no ${deb[$p]}" test -f "${deb[$p]}"
    [ -f "${deb[$p]}" ] || { echo "$p: no package; run make package" >&2; exit 1; }
    check "$p: Package/Version" test "$(dpkg-deb -f "${deb[$p]}" Package Version | tr '\n' ' ')" = \
        "Package: $p Version: $version "
    dpkg-deb -c "${deb[$p]}" | awk '{ print $6 }' | sed 's|^\./|/|' >"$work/$p.contents"
    check "$p: no /usr/share/doc/$p/copyright" grep -qx "/usr/share/doc/$p/copyright" "$work/$p.contents"
    dpkg-deb -x "${deb[$p]}" "$work/root-$p"
    check "$p: the copyright file is not the MIT licence" \
        grep -q '^License: MIT' "$work/root-$p/usr/share/doc/$p/copyright"
    check "$p: no /usr/share/doc/$p/changelog.gz of $version" \
        bash -c "zcat '$work/root-$p/usr/share/doc/$p/changelog.gz' | head -1 | grep -q '^mmapc ($version)'"
done
lib=/usr/lib/$multiarch
has() { grep -qx "$2" "$work/$1.contents" || { echo "  $1 lacks $2" >&2; return 1; }; }
check "libmmapc0 contents" has libmmapc0 "$lib/libmmapc.so.$major"
check "libmmapc0 contents" has libmmapc0 "$lib/libmmapc.so.$version"
check "libmmapc0 holds a development file" \
    bash -c "! grep -E 'include|\\.a$|\\.so$|pkgconfig|cmake|/man/' '$work/libmmapc0.contents'"
for f in /usr/include/mmapc.h /usr/include/mmapc.hpp "$lib/libmmapc.a" "$lib/libmmapc.so" "$lib/pkgconfig/mmapc.pc" \
    "$lib/cmake/mmapc/mmapcConfig.cmake" "$lib/cmake/mmapc/mmapcConfigVersion.cmake" \
    "$lib/cmake/mmapc/mmapcTargets.cmake" /usr/share/man/man3/mmapc.3.gz; do
    check "libmmapc-dev contents" has libmmapc-dev "$f"
done
for f in /usr/bin/mmapc /usr/share/man/man1/mmapc.1.gz /usr/share/bash-completion/completions/mmapc; do
    check "mmapc contents" has mmapc "$f"
done
soname=$(readelf -d "$work/root-libmmapc0$lib/libmmapc.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check "SONAME is '$soname', not libmmapc.so.$major" test "$soname" = "libmmapc.so.$major"
check "the libmmapc.so link of libmmapc-dev does not point at the SONAME" \
    test "$(readlink "$work/root-libmmapc-dev$lib/libmmapc.so")" = "libmmapc.so.$major"
# Dependencies: the library on libc (dpkg-shlibdeps); -dev on exactly this libmmapc0; the tool,
# linked with the static library, on libc and not on libmmapc0.
check "libmmapc0 Depends lacks libc6: $(dpkg-deb -f "${deb[libmmapc0]}" Depends)" \
    grep -q 'libc6 (>=' <<<"$(dpkg-deb -f "${deb[libmmapc0]}" Depends)"
check "libmmapc-dev Depends: $(dpkg-deb -f "${deb[libmmapc-dev]}" Depends)" \
    grep -qx "libmmapc$major (= $version)" <<<"$(dpkg-deb -f "${deb[libmmapc-dev]}" Depends)"
check "mmapc Depends: $(dpkg-deb -f "${deb[mmapc]}" Depends)" \
    bash -c "grep -q 'libc6 (>=' <<<'$(dpkg-deb -f "${deb[mmapc]}" Depends)' && ! grep -q libmmapc <<<'$(dpkg-deb -f "${deb[mmapc]}" Depends)'"
# shlibs (what packages built against it will depend on), and the ldconfig trigger (the maintainer
# scripts leave ldconfig to it).
dpkg-deb -e "${deb[libmmapc0]}" "$work/control-lib"
check "libmmapc0 shlibs: $(cat "$work/control-lib/shlibs" 2>/dev/null)" \
    grep -qx "libmmapc $major libmmapc$major (>= $version)" "$work/control-lib/shlibs"
check "libmmapc0 has no ldconfig trigger" grep -qx "activate-noawait ldconfig" "$work/control-lib/triggers"
check "libmmapc0 has maintainer scripts: $(ls "$work/control-lib")" \
    bash -c "! ls '$work/control-lib' | grep -qE '^(pre|post)(inst|rm)$'"
# Debian's own checker: no error, no warning.
if lintian --fail-on error,warning --tag-display-limit 0 "${deb[@]}" >"$work/lintian" 2>&1; then ok; else
    bad "lintian (exit status $?): $(cat "$work/lintian")"
fi

# ---- install; what was under /usr with mmapc in its name before, to compare after the purge
find /usr /etc -name '*mmapc*' 2>/dev/null | sort >"$work/before"
installed=1
if dpkg -i "${deb[@]}" >"$work/dpkg.log" 2>&1; then ok; else bad "dpkg -i: $(cat "$work/dpkg.log")"; fi
for p in "${packages[@]}"; do
    check "$p not installed" test "$(dpkg-query -W -f='${Status} ${Version}' "$p")" = "install ok installed $version"
    dpkg -L "$p" >"$work/$p.files"
done
check "the ldconfig cache lacks libmmapc.so.$major" bash -c "ldconfig -p | grep -q 'libmmapc.so.$major '"

# ---- build against the installed packages: nothing of the source tree but the consumer's code
export PKG_CONFIG_PATH= CMAKE_PREFIX_PATH=
check "pkg-config --modversion mmapc" test "$(pkg-config --modversion mmapc)" = "$version"
# the system's include and library directories, which the compiler searches anyway, left out
check "pkg-config --cflags --libs mmapc: $(pkg-config --cflags --libs mmapc)" \
    test "$(echo $(pkg-config --cflags --libs mmapc))" = "-lmmapc"
if cmake -S "$src/tests/consumer" -B "$work/consumer" >"$work/log" 2>&1 &&
    cmake --build "$work/consumer" >>"$work/log" 2>&1; then ok; else bad "find_package consumer: $(cat "$work/log")"; fi
cc -std=c11 -Wall -Werror "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs mmapc) \
    -o "$work/pc-consumer" 2>"$work/log" && ok || bad "pkg-config consumer: $(cat "$work/log")"
c++ -std=c++17 -Wall -Wextra -Werror "$src/tests/consumer/consumer.cpp" $(pkg-config --cflags --libs mmapc) \
    -o "$work/pc-consumer-cxx" 2>"$work/log" && ok || bad "pkg-config C++ consumer: $(cat "$work/log")"
cc -std=c11 -Wall -Werror -DMMAPC_STATIC "$src/tests/consumer/consumer.c" \
    "$(pkg-config --variable=libdir mmapc)/libmmapc.a" -pthread -o "$work/static-consumer" 2>"$work/log" &&
    ok || bad "static consumer: $(cat "$work/log")"
for exe in consumer/consumer consumer/consumer_cxx pc-consumer pc-consumer-cxx static-consumer; do
    out=$(env -u LD_LIBRARY_PATH "$work/$exe" 2>&1)
    check "$exe printed: $out" test "$out" = "consumer ok (mmapc $version)"
done
# The shared consumers load the installed library through the ldconfig cache (/lib is /usr/lib
# on a merged-/usr system); the static one needs none.
for exe in consumer/consumer consumer/consumer_cxx pc-consumer pc-consumer-cxx; do
    check "$exe does not load $lib/libmmapc.so.$major" \
        bash -c "ldd '$work/$exe' | grep -qE '=> (/usr)?/lib/$multiarch/libmmapc.so.$major '"
done
check "static-consumer loads libmmapc" bash -c "! ldd '$work/static-consumer' | grep -q libmmapc"

# ---- the tool, its manual pages, its completion
check "mmapc is not /usr/bin/mmapc" test "$(command -v mmapc)" = /usr/bin/mmapc
out=$(mmapc --version)
check "mmapc --version: $out" test "$out" = "mmapc $version (library $version)"
mmapc areas >"$work/areas" 2>&1
check "mmapc areas failed: $(head -3 "$work/areas")" grep -q ' /usr/bin/mmapc$' "$work/areas"
check "mmapc --json areas does not list /usr/bin/mmapc as a file" \
    bash -c "mmapc --json areas | jq -e 'any(.[]; .kind == \"file\" and .path == \"/usr/bin/mmapc\")' >/dev/null"
check "man -w mmapc: $(man -w mmapc 2>&1)" test "$(man -w mmapc 2>&1)" = /usr/share/man/man1/mmapc.1.gz
check "man -w 3 mmapc: $(man -w 3 mmapc 2>&1)" test "$(man -w 3 mmapc 2>&1)" = /usr/share/man/man3/mmapc.3.gz
check "man 3 mmapc does not render mmapc_map_anon" bash -c 'MANPAGER=cat man 3 mmapc 2>&1 | grep -q mmapc_map_anon'
# bash-completion loads the installed file on demand, as for any command.
if [ -f /usr/share/bash-completion/bash_completion ]; then
    spec=$(bash -c 'source /usr/share/bash-completion/bash_completion; __load_completion mmapc; complete -p mmapc' 2>&1)
    check "bash-completion does not load the mmapc completion: $spec" test "$spec" = "complete -F _mmapc mmapc"
fi

# ---- purge; nothing of the packages may remain
installed=0
if dpkg -P "${packages[@]}" >"$work/dpkg.log" 2>&1; then ok; else bad "dpkg -P: $(cat "$work/dpkg.log")"; fi
for p in "${packages[@]}"; do
    check "$p is still known to dpkg" bash -c "! dpkg-query -W -f='\${Status}' '$p' 2>/dev/null | grep -q installed"
    left=
    while read -r f; do
        # directories such as /usr/share/man/man1 belong to others too; files and links must go
        if [ -e "$f" ] || [ -L "$f" ]; then [ -d "$f" ] && [ ! -L "$f" ] || left="$left $f"; fi
    done <"$work/$p.files"
    check "left behind by $p:$left" test -z "$left"
    check "/usr/share/doc/$p left behind" test ! -e "/usr/share/doc/$p"
done
check "the ldconfig cache still lists libmmapc" bash -c "! ldconfig -p | grep -q libmmapc"
find /usr /etc -name '*mmapc*' 2>/dev/null | sort >"$work/after"
check "left under /usr or /etc: $(comm -13 "$work/before" "$work/after" | tr '\n' ' ')" \
    cmp -s "$work/before" "$work/after"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
