# Thin wrapper over CMake presets. `make run` and `make test` are the two README commands.
PRESET ?= gcc
BUILD := build/$(PRESET)

.PHONY: all build run test clean format

all: build

build:
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j 2

run: build
	$(BUILD)/examples/example_tour

test: build
	ctest --preset $(PRESET)

format:
	clang-format -i include/*.h src/*.c src/*.h src/os/*.c src/os/*.h tests/*.c tests/*.h examples/*.c

clean:
	rm -rf build

# Every CMake preset one after another (native, musl, i686, aarch64, armv7, sanitizers, valgrind,
# windows), one summary table; see scripts/test-all.sh.
.PHONY: test-all
test-all:
	sh scripts/test-all.sh
