#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the native test suite (the gcc preset's ctest, the tool's tests among them) inside the Linux
# kernels that Debian packages, each booted in qemu-system-x86_64, and print one row per kernel:
#   kernel 6.1.0-50-amd64: N passed, N failed, N skipped
# then the same last line as make test-all, "N passed, N failed, N skipped". A skip counts apart,
# and one that .ci/allowed-skips does not allow for the target "kernel-SERIES" (kernel-6.1,
# kernel-6.12) counts as failed (scripts/ctest-count.sh).
#   scripts/test-kernels.sh                 Debian 12's 6.1 and its 6.12 (the newest build of each)
#   KERNELS="6.12" scripts/test-kernels.sh
# Nothing is installed on the host's /boot: each kernel's .deb is fetched with apt-get download
# into build/kernels and unpacked there with dpkg-deb -x. The guest is a busybox initramfs that
# loads the kernel's own 9p and overlay modules, mounts the host's root read-only over virtio-9p,
# makes a root of its own with the host's usr, etc, opt and var and the project's folder (under a
# tmpfs overlay: the guest writes nothing to the host), and runs the suite of build/gcc in a
# chroot of it (scripts/guest/init, scripts/guest/job.sh). Each guest's full log is build/kernels/<version>/console.log and
# ctest.log. How it boots and which kernel exercises which path: scripts/PLATFORMS.md.
# The guest runs under TCG (-accel tcg -cpu max): on this kind of machine /dev/kvm exists, but a
# nested KVM guest aborts (-cpu host: a model-specific register it cannot set) or hangs at boot.
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)

sh scripts/need.sh --preset gcc qemu-system-x86 busybox-static cpio kmod xz-utils || exit 2
kernels=${KERNELS:-6.1 6.12}
# A hung guest ends here rather than at CI's limit (a TCG run of the suite takes 4 to 7 minutes).
limit=${GUEST_TIMEOUT:-1500}
work=$top/build/kernels
mkdir -p "$work"

echo "==== build (gcc preset)"
make -s build PRESET=gcc >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }

# The newest amd64 image package of a series: linux-image-6.1.0-N-amd64,
# linux-image-6.12.N+debN-amd64 (or its -unsigned build, which holds the same kernel and modules).
package_for() {
    apt-cache pkgnames linux-image- 2>/dev/null |
        grep -E "^linux-image-$(echo "$1" | sed 's/\./\\./g')[.-][0-9.+a-z-]*-amd64(-unsigned)?\$" |
        grep -Ev -- '-(cloud|rt|dbg)-' | sed 's/-unsigned$//' | sort -uV | tail -n 1
}

# The modules to insert, dependencies first (modules.dep lists a module's dependencies so that
# the last is loaded first), skipping what the kernel has built in.
modules_for() {
    dir=$1
    shift
    for m in "$@"; do
        line=$(grep -E "(^|/)$m\\.ko(\\.xz|\\.zst)?:" "$dir/modules.dep") || continue
        deps=${line#*:}
        for d in $(echo "$deps" | tr ' ' '\n' | sed '/^$/d' | sed -n '1!G;h;$p'); do echo "$d"; done
        echo "${line%%:*}"
    done | awk '!seen[$0]++'
}

# Boot one series; sets row.
run_kernel() {
    series=$1
    pkg=$(package_for "$series")
    if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then # package lists never fetched, or too old
        apt-get update -qq >/dev/null 2>&1
        pkg=$(package_for "$series")
    fi
    if [ -z "$pkg" ]; then
        row="kernel $series: no Debian package found (apt-get update?)"
        failed_total=$((failed_total + 1))
        return
    fi
    dir=$work/$series
    mkdir -p "$dir"
    if [ ! -f "$dir/$pkg.unpacked" ]; then
        echo "==== $series: apt-get download $pkg"
        rm -rf "$dir/root" "$dir"/*.deb "$dir"/*.unpacked
        (cd "$dir" && { apt-get download "$pkg" 2>/dev/null || apt-get download "$pkg-unsigned"; }) \
            >"$dir/download.log" 2>&1 || { cat "$dir/download.log"; row="kernel $series: download failed"; failed_total=$((failed_total + 1)); return; }
        dpkg-deb -x "$dir"/*.deb "$dir/root" && rm -f "$dir"/*.deb && touch "$dir/$pkg.unpacked"
    fi
    version=$(ls "$dir/root/lib/modules")
    vmlinuz=$dir/root/boot/vmlinuz-$version
    mods=$dir/root/lib/modules/$version
    [ -f "$mods/modules.dep" ] || depmod -b "$dir/root" "$version"

    echo "==== $series: initramfs for $version"
    ird=$dir/initramfs
    rm -rf "$ird"
    mkdir -p "$ird/bin" "$ird/modules" "$ird/proc" "$ird/sys" "$ird/dev"
    cp /bin/busybox "$ird/bin/busybox"
    ln -s busybox "$ird/bin/sh"
    cp scripts/guest/init "$ird/init"
    chmod +x "$ird/init"
    : >"$ird/modules.list"
    for m in $(modules_for "$mods" virtio_pci 9pnet_virtio 9p overlay); do
        name=$(basename "$m")
        case $name in
        *.xz) xz -dc "$mods/$m" >"$ird/modules/${name%.xz}" && name=${name%.xz} ;;
        *.zst) zstd -qdc "$mods/$m" >"$ird/modules/${name%.zst}" && name=${name%.zst} ;;
        *) cp "$mods/$m" "$ird/modules/$name" ;;
        esac
        echo "$name" >>"$ird/modules.list"
    done
    (cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.gz"

    out=$dir/out
    rm -rf "$out" "$dir/ctest.log"
    mkdir -p "$out"
    sed "s|@BUILD@|$top/build/gcc|" scripts/guest/job.sh >"$out/job.sh"
    echo "$top" >"$out/source"
    echo "==== $series: boot $version (TCG) and run the suite"
    start=$(date +%s)
    timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 4096 -nographic -no-reboot \
        -kernel "$vmlinuz" -initrd "$dir/initramfs.gz" \
        -append "console=ttyS0 panic=-1 quiet loglevel=3" \
        -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$out",mount_tag=out,security_model=none \
        </dev/null >"$dir/console.log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    cp "$out/ctest.log" "$dir/ctest.log" 2>/dev/null
    if [ ! -f "$out/status" ] || [ ! -f "$dir/ctest.log" ]; then
        tail -n 30 "$dir/console.log"
        row="kernel $version: the guest did not finish (qemu exit $rc after ${secs} s; see $dir/console.log)"
        failed_total=$((failed_total + 1))
        return
    fi
    counts=$(scripts/ctest-count.sh "kernel-$series" "$dir/ctest.log")
    echo "$counts" | sed '$d'
    # shellcheck disable=SC2086 # four numbers
    set -- $(echo "$counts" | tail -n 1)
    p=$1 f=$(($2 + $4)) s=$(($3 - $4))
    [ "$(cat "$out/status")" = 0 ] || [ "$f" -gt 0 ] || f=1
    grep -E '\*\*\*|Failed|Timeout' "$dir/ctest.log" | grep -v 'tests failed' | head -n 20
    passed_total=$((passed_total + p))
    failed_total=$((failed_total + f))
    skipped_total=$((skipped_total + s))
    row="kernel $version: $p passed, $f failed, $s skipped (${secs} s)"
}

passed_total=0
failed_total=0
skipped_total=0
rows=
for k in $kernels; do
    run_kernel "$k"
    echo "$row"
    rows="$rows$row
"
done
echo
printf '%s' "$rows"
echo "$passed_total passed, $failed_total failed, $skipped_total skipped"
[ "$failed_total" -eq 0 ]
