# SPDX-License-Identifier: MIT
# Thin wrapper over CMake presets. `make run` and `make test` are the two README commands.
PRESET ?= gcc
BUILD := build/$(PRESET)
# Each target that needs a Debian package checks for it first: installed as root, otherwise the
# apt-get line to run is printed.
NEED := sh scripts/need.sh
# No "Entering directory" lines from the make that `cmake --build` runs.
MAKEFLAGS += --no-print-directory

.PHONY: all build run test clean format

all: build

# Configure quietly, but not silently: --log-level=NOTICE keeps the tests left out for a missing
# tool (cmake/left_out.cmake) and every warning and error.
build:
	$(NEED) --preset $(PRESET)
	cmake --preset $(PRESET) --log-level=NOTICE
	cmake --build --preset $(PRESET) -j 2

# The tour of the API, then the tool mapping one area of each kind and listing its own areas:
# only these two programs are built (the tests and the benchmark are `make test`'s and `make bench`'s).
run:
	$(NEED) --preset $(PRESET)
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j 2 --target example_tour mmapc_tool
	$(BUILD)/examples/example_tour
	@echo
	$(BUILD)/tools/mmapc demo

# The tools some tests need beyond the build (manual pages, API reference, the install check):
# installed as root; otherwise the apt-get line is printed, and the tests they would run are
# listed as left out after the run. The python3-* packages are the Python package's tests
# (python/: the extension's headers and build, pytest, psutil to compare with, venv and pip);
# chromium and librsvg2-bin the browser test of `mmapc report` (tests/linux/test_tool_report.sh).
TEST_TOOLS := scdoc doxygen groff man-db python3 pkg-config binutils bash jq procps \
	python3-dev python3-setuptools python3-pytest python3-psutil python3-venv python3-pip \
	chromium librsvg2-bin

test:
	$(NEED) --optional $(TEST_TOOLS)
	@$(MAKE) build
	@ctest --preset $(PRESET); rc=$$?; sh scripts/left-out.sh $(BUILD); exit $$rc

format:
	$(NEED) clang-format
	clang-format -i include/*.h include/*.hpp src/*.c src/*.h src/os/*.c src/os/*.h tests/*.c tests/*.h tests/cxx/*.cpp tests/cxx/*.hpp examples/*.c examples/*.cpp bench/*.cpp

clean:
	rm -rf build

# Every CMake preset one after another (native, musl, i686, aarch64, armv7, sanitizers, valgrind,
# windows, generic POSIX), one summary table; see scripts/test-all.sh.
.PHONY: test-all
test-all:
	sh scripts/test-all.sh

# ---- benchmark (bench/): `make bench` prints the table and writes CSV and a plot under
# build/bench/results; `make bench-quick` is the short run CI makes so the program cannot rot
# (no timing decides whether it passes).
BENCH_BUILD := build/bench
.PHONY: bench bench-quick bench-build
bench-build:
	$(NEED) cmake make gcc
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" \
	  "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
	  -DMMAPC_BUILD_TESTS=OFF -DMMAPC_BUILD_EXAMPLES=OFF -DMMAPC_BUILD_TOOLS=ON --log-level=NOTICE
	cmake --build $(BENCH_BUILD) --target mmapc_bench mmapc -j 2

# The Python rows (bench/python_bench.py) need the package's build and psutil: optional too.
BENCH_TOOLS := gnuplot-nox python3-dev python3-setuptools python3-psutil
bench: bench-build
	$(NEED) --optional $(BENCH_TOOLS)
	bench/run.sh $(BENCH_BUILD)

bench-quick: bench-build
	$(NEED) --optional $(BENCH_TOOLS)
	bench/run.sh $(BENCH_BUILD) --quick

# The instruction budgets (bench/icount.sh, bench/icount.budgets): user-space instructions per
# call counted by callgrind, which do not move from run to run; fails when a row passes its
# ceiling. CI runs it.
.PHONY: bench-instructions
bench-instructions:
	$(NEED) cmake make gcc valgrind
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" \
	  -DMMAPC_BUILD_TESTS=OFF -DMMAPC_BUILD_EXAMPLES=OFF -DMMAPC_BUILD_TOOLS=ON --log-level=NOTICE
	cmake --build $(BENCH_BUILD) --target mmapc_icount -j 2
	bench/icount.sh $(BENCH_BUILD)

# Fuzz the maps line parser with libFuzzer (clang) for FUZZ_SECONDS; fails on any crash.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	$(NEED) cmake make clang libclang-rt-14-dev
	fuzz/run.sh $(FUZZ_SECONDS)

# Fault injection (tests/faults): the driver of every public call, run once per failure point of
# every C library call the library makes (failed with a realistic errno), under ASan and UBSan.
# FAULTS_BUDGET seconds (0: no limit, every point) samples the points to fit; see run.sh.
FAULTS_BUILD := build/test-faults
FAULTS_BUDGET ?= 0
.PHONY: test-faults
test-faults:
	$(NEED) --preset asan-ubsan binutils
	cmake --preset asan-ubsan -B $(FAULTS_BUILD) -DMMAPC_BUILD_EXAMPLES=OFF -DMMAPC_BUILD_TOOLS=OFF \
	  -DMMAPC_BUILD_BENCH=OFF --log-level=NOTICE
	cmake --build $(FAULTS_BUILD) --target fault_driver -j 2
	tests/faults/run.sh $(FAULTS_BUILD) $(FAULTS_BUDGET)

# ---- documentation: the manual pages and the API reference (Doxygen) in $(BUILD)/docs/api/html.
.PHONY: docs
docs:
	$(NEED) --preset $(PRESET) scdoc doxygen
	cmake --preset $(PRESET) --log-level=NOTICE
	cmake --build --preset $(PRESET) --target docs

# ---- Debian packages (cmake/packaging.cmake): `make package` builds libmmapc0, libmmapc-dev and
# mmapc into $(PKG_BUILD)/packages with Debian's hardening flags; `make test-packages` (root)
# installs them with dpkg, builds and runs programs against them, and removes them again.
PKG_BUILD ?= build/package
.PHONY: package test-packages
package:
	$(NEED) cmake make gcc dpkg-dev file scdoc
	CFLAGS="$$(dpkg-buildflags --get CPPFLAGS) $$(dpkg-buildflags --get CFLAGS)" \
	LDFLAGS="$$(dpkg-buildflags --get LDFLAGS)" \
	cmake -S . -B $(PKG_BUILD) -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-DNDEBUG" \
	  -DCMAKE_INSTALL_PREFIX=/usr -DMMAPC_WERROR=ON -DMMAPC_BUILD_TESTS=OFF \
	  -DMMAPC_BUILD_EXAMPLES=OFF -DMMAPC_BUILD_BENCH=OFF --log-level=NOTICE
	cmake --build $(PKG_BUILD) -j 2
	cd $(PKG_BUILD) && cpack -G DEB

test-packages: package
	$(NEED) pkg-config man-db bash-completion lintian jq
	scripts/test-packages.sh $(PKG_BUILD)

# ---- Windows x86-64: cross-built with mingw-w64, every test run under wine (a wine prefix of
# its own in build/windows/wineprefix, made on the first run).
.PHONY: test-windows
test-windows:
	$(NEED) --preset windows
	cmake --preset windows --log-level=NOTICE
	cmake --build --preset windows -j 2
	ctest --preset windows

# ---- the Linux kernels Debian packages (6.1, 6.12), each booted in qemu-system-x86_64 with the
# native suite run inside; one row per kernel (scripts/test-kernels.sh, scripts/PLATFORMS.md).
.PHONY: test-kernels
test-kernels:
	$(NEED) --preset gcc qemu-system-x86 busybox-static cpio kmod xz-utils
	sh scripts/test-kernels.sh
