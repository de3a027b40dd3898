# The two commands of the README:
#   make review   install what is missing, build, run the quarterly review on
#                 the committed sample (notebooks-data/) into reports/
#   make test     install, build, run every test, then again under
#                 AddressSanitizer + UndefinedBehaviorSanitizer, check format
#                 and the layer map of libcore
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: deps build review test unit-tests asan-tests format-check layers-check format clean

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

format-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

# No libcore file includes a layer above its own (libcore/README.md).
layers-check:
	tools/check-layers.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

test: unit-tests asan-tests format-check layers-check

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
