# cts - TorchScript in C.
#   make run    build and run the bundled example (examples/mycell.pt)
#   make test   install what the tests need, build, run every test, the model zoo
#               included (then the C tests again under ASan+UBSan)

BUILD     ?= build
BUILD_SAN ?= build-san
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build run test test-main test-san test-models deps-core deps-test clean

all: build

deps-core:
	@sh scripts/install-deps.sh core

deps-test:
	@sh scripts/install-deps.sh test

build: deps-core
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cts run examples/mycell.pt --args examples/mycell_args.pt

# The main build with -Werror, every test, the model zoo included (generated
# into $(BUILD)/models, about 3 GB, cached across runs); then the C tests and
# the bad-input tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps-test test-main test-san

test-main:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCTS_WERROR=ON -DCTS_MODELS=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && CTS_REQUIRE_TORCH=1 ctest --output-on-failure -j $(JOBS)

test-san:
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DCTS_SANITIZE=ON -DCTS_WERROR=ON >/dev/null
	cmake --build $(BUILD_SAN) -j $(JOBS)
	cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE slow

# Only the model zoo (tests/models, docs/models.md): 20 torchvision/nn
# models, scripted and traced, against PyTorch (about 3 GB in $(BUILD)/models).
test-models: deps-test
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCTS_WERROR=ON -DCTS_MODELS=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && CTS_REQUIRE_TORCH=1 ctest --output-on-failure -j $(JOBS) -L models

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
