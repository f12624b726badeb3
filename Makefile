# cibgraph: the two commands a newcomer needs are `make demo` and `make test`; both set up the machine first.
BUILD    ?= build
JOBS     ?= 2
PYTHON   := /usr/bin/python3
DEMO_DIR ?= $(BUILD)/demo
DEMO_EVENTS ?= 1000000
DEMO_SEED   ?= 1
CMAKE_FLAGS ?=
# make bench: the full run (41-50 min), results in $(BUILD)/bench-results/<UTC time>-full/ (untracked, JSON and
# Markdown); QUICK=1 (or make bench-quick): small sizes, a few minutes; PUBLISH=1: also rewrite the tracked tables in
# bench/compare (full runs only); BENCH_OUT=DIR: another results folder. docs/performance.md says more.
QUICK    ?=
PUBLISH  ?=
BENCH_OUT ?=
yes = $(filter 1 yes true,$(1))
BENCH_FLAGS = $(if $(call yes,$(QUICK)),--quick) $(if $(call yes,$(PUBLISH)),--publish) $(if $(BENCH_OUT),--out $(BENCH_OUT))

.PHONY: all bootstrap configure build demo test test-cpp test-python bench bench-quick clean

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$(PYTHON) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS) -- --no-print-directory

demo: build
	@scripts/demo $(BUILD) $(DEMO_DIR) $(DEMO_EVENTS) $(DEMO_SEED)

test: build
	@scripts/run-tests $(BUILD)

bench: configure
	@cmake --build $(BUILD) -j$(JOBS) --target cibgraph _core benchmarks -- --no-print-directory
	@scripts/bench $(BUILD) $(BENCH_FLAGS)

bench-quick:
	@$(MAKE) --no-print-directory bench QUICK=1

clean:
	rm -rf $(BUILD)
