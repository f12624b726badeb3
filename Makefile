# cibgraph: the two commands a newcomer needs are `make demo` and `make test`; both set up the machine first.
BUILD    ?= build
JOBS     ?= 2
PYTHON   := /usr/bin/python3
DEMO_DIR ?= $(BUILD)/demo
DEMO_EVENTS ?= 1000000
DEMO_SEED   ?= 1
CMAKE_FLAGS ?=

.PHONY: all bootstrap configure build demo test test-cpp test-python bench clean

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

bench: build
	@cmake --build $(BUILD) -j$(JOBS) --target benchmarks -- --no-print-directory
	@scripts/bench $(BUILD)

clean:
	rm -rf $(BUILD)
