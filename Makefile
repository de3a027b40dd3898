# The two commands of the README:
#   make review   install what is missing, build, run the quarterly review on
#                 the committed sample (notebooks-data/) into reports/
#   make test     install, build, run every test, then again under
#                 AddressSanitizer + UndefinedBehaviorSanitizer with gcc and
#                 with clang (make clang-tests), check format and the layer
#                 map of libcore
# and beside them:
#   make fuzz     build the libFuzzer targets of fuzz/ with clang and run
#                 each on FUZZ_RUNS (400000) inputs from seeds of
#                 tests/fixtures and a fixed random seed: the same campaign
#                 on every machine (CI runs it)
#   make fuzz-explore  the same for FUZZ_SECONDS (300) each from a new seed
# cmake --build runs make below this one: no "Entering directory" lines.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
CLANG_BUILD ?= build-clang
FUZZ_BUILD ?= build-fuzz
FUZZ_RUNS ?= 400000
FUZZ_SECONDS ?= 300
CLANG ?= clang

.PHONY: deps build review test unit-tests asan-tests clang-tests fuzz fuzz-build fuzz-explore format-check layers-check format clean

deps:
	@tools/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMQL_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

review: build
	tools/mql-review.sh --bin $(BUILD)/bin --data notebooks-data --out reports

# A test skips itself (exit 77) when a tool it needs is missing; in the
# normal build none may, so a machine without python3, jq or R fails here.
unit-tests: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) >ctest.log 2>&1; \
		status=$$?; cat ctest.log; test $$status -eq 0 || exit $$status; \
		if grep -q '(Skipped)' ctest.log; then \
			echo "tests skipped: a dependency is missing" >&2; exit 1; fi

asan-tests: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMQL_SANITIZE=ON -DMQL_WERROR=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# The same suite built by clang under its own sanitizers, which see what
# gcc's do not (arithmetic on a null pointer, for one).  Its one warning
# not in gcc, about a split string literal the tests mean, is off.
clang-tests: deps
	CC=$(CLANG) cmake -S . -B $(CLANG_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMQL_SANITIZE=ON \
		-DMQL_WERROR=ON >/dev/null
	cmake --build $(CLANG_BUILD) -j $(JOBS)
	cd $(CLANG_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# libFuzzer: the CSV, rule file and model readers and the time parser, seeded
# from tests/fixtures and fuzz/regressions (fuzz/run.sh says how).
fuzz-build: deps
	CC=$(CLANG) cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMQL_FUZZ=ON \
		-DMQL_TESTS=OFF -DMQL_WERROR=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target \
		$(basename $(notdir $(wildcard fuzz/fuzz_*.c)))

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_RUNS)

fuzz-explore: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)s

format-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# No libcore file includes a layer above its own (libcore/README.md).
layers-check:
	tools/check-layers.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

test: unit-tests asan-tests clang-tests format-check layers-check

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(CLANG_BUILD) $(FUZZ_BUILD)
