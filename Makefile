# GridShare build pipeline. `make test` is the whole check a fresh machine (and CI) runs.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO      ?= cargo
CONTRACTS  := $(notdir $(wildcard contracts/*))
ARTIFACTS  := artifacts
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
WASM_OPT   := tools/binaryen/node_modules/.bin/wasm-opt
WASM_TARGET := wasm32-unknown-unknown
# Rust 1.95 emits bulk-memory and sign-extension instructions that chains reject; lower them.
optimize = $(WASM_OPT) --enable-bulk-memory --enable-sign-ext -Oz --signext-lowering \
  --llvm-memory-copy-fill-lowering $(1) -o $(2)
# Contracts are size-bound (a chain caps uploads) and storage dominates their gas, so they are
# built for size: "z" measured 834 KB -> 693 KB for the marketplace (README, "Sizes").
CONTRACT_OPT_LEVEL ?= z
CARGO_HOME ?= $(HOME)/.cargo
# Contract builds only (native builds keep their flags and their cache): strip symbols, and drop
# this machine's paths from panic locations so the same source gives the same checksum anywhere.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS ?= -C link-arg=-s \
  --remap-path-prefix=$(CURDIR)=/gridshare --remap-path-prefix=$(CARGO_HOME)=/cargo

.PHONY: help setup wasm check schema schema-check lint unit test bench bench-baseline gas-chain wasmd localnet localnet-stop \
  localnet-4 localnet-4-stop keeper gpu-check e2e demo ts-codegen ts-codegen-check ts-test \
  ts-build chromium app-build app app-test clean

help:
	@echo "make test          lint, unit + integration + property tests, schema check, wasm build, chain validation"
	@echo "make wasm          build and optimize every contract into $(ARTIFACTS)/"
	@echo "make check         validate $(ARTIFACTS)/*.wasm the way a chain does on store-code, sizes against the budget"
	@echo "make schema        regenerate schema/<contract>/"
	@echo "make lint          rustfmt check + clippy -D warnings"
	@echo "make bench         gas of every GridShare operation in cosmwasm-vm, next to a cw20-base transfer"
	@echo "make setup         install the toolchain pieces (wasm32 target, rustfmt, clippy, wasm-opt)"
	@echo "make localnet      build wasmd (once) and start a local single-validator chain on 127.0.0.1"
	@echo "make localnet-stop stop it"
	@echo "make localnet-4    a four-validator local chain (fault tests); make localnet-4-stop"
	@echo "make gas-chain     gas of each action on a real node against a cw20 transfer there"
	@echo "make keeper        build the optimized keeper binary (target/tools/gridshare-keeper)"
	@echo "make gpu-check     on a GPU machine: the CUDA suite (byte-identity with the CPU) and throughput"
	@echo "make e2e           end-to-end tests: real wasmd node, deployed suite, keeper processes"
	@echo "make demo          the whole flow on a fresh local chain: deploy, keeper, a renter's job, summary"
	@echo "make ts-codegen    regenerate the TypeScript client (clients/ts/src/generated) from schema/"
	@echo "make ts-test       the TypeScript client's tests against a fresh local chain and a real keeper"
	@echo "make app           the web app on http://127.0.0.1:5173 against a fresh local chain and a keeper"
	@echo "make app-test      browser tests of the web app (Debian chromium + playwright-core)"

# ---- installs: everything a fresh machine needs, idempotent -------------------------------------

setup: .tools/rust.stamp $(WASM_OPT)

.tools/rust.stamp:
	rustup target add $(WASM_TARGET)
	rustup component add rustfmt clippy
	@mkdir -p .tools && touch $@

$(WASM_OPT): tools/binaryen/package.json tools/binaryen/package-lock.json
	npm ci --prefix tools/binaryen --no-audit --no-fund
	@touch $@

# ---- contracts -----------------------------------------------------------------------------------

# Each contract is built on its own: building several in one cargo invocation would unify the
# `library` feature one contract enables on another and strip that one's entry points.
wasm: setup
	@mkdir -p $(ARTIFACTS)
	@for c in $(CONTRACTS); do \
	  echo "==> $$c"; \
	  CARGO_PROFILE_RELEASE_OPT_LEVEL=$(CONTRACT_OPT_LEVEL) \
	    $(CARGO) build --release --locked --lib --target $(WASM_TARGET) -p $$c; \
	  raw=$(TARGET_DIR)/$(WASM_TARGET)/release/$${c//-/_}.wasm; \
	  if [[ ! -f $(ARTIFACTS)/$$c.wasm || $$raw -nt $(ARTIFACTS)/$$c.wasm || $(WASM_OPT) -nt $(ARTIFACTS)/$$c.wasm ]]; then \
	    $(call optimize,$$raw,$(ARTIFACTS)/$$c.wasm); \
	  else echo "    $$c.wasm is up to date"; fi; \
	done
	@cd $(ARTIFACTS) && sha256sum $(addsuffix .wasm,$(CONTRACTS)) > checksums.txt && cat checksums.txt

# Every optimized contract must fit the size budget (goal: 400 KiB). The marketplace is held to
# its own allowance, a ratchet it may not grow past, until it is split (see README, "Sizes").
SIZE_BUDGET_KIB ?= 560
SIZE_GOAL_KIB   ?= 400
SIZE_ALLOWANCES ?= marketplace=680

check: setup
	@test -n "$$(ls $(ARTIFACTS)/*.wasm 2>/dev/null)" || { echo "no artifacts: run 'make wasm' first"; exit 1; }
	SIZE_BUDGET_KIB=$(SIZE_BUDGET_KIB) SIZE_GOAL_KIB=$(SIZE_GOAL_KIB) SIZE_ALLOWANCES=$(SIZE_ALLOWANCES) \
	  $(CARGO) run --locked -q -p gridshare-vm -- check $(addprefix $(ARTIFACTS)/,$(addsuffix .wasm,$(CONTRACTS)))

schema:
	@for c in $(CONTRACTS); do \
	  rm -rf schema/$$c; \
	  $(CARGO) run --locked -q -p $$c --bin schema -- schema/$$c; \
	done

# The committed schema must be exactly what the code generates.
schema-check:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for c in $(CONTRACTS); do \
	  $(CARGO) run --locked -q -p $$c --bin schema -- "$$tmp/$$c" > /dev/null; \
	done; \
	if ! diff -ru schema "$$tmp"; then echo "schema/ is stale: run 'make schema' and commit"; exit 1; fi; \
	echo "schema/ is current"

# The baseline contract, built and optimized exactly like ours.
bench-baseline: setup
	@mkdir -p $(ARTIFACTS)/bench
	CARGO_PROFILE_RELEASE_OPT_LEVEL=$(CONTRACT_OPT_LEVEL) \
	  $(CARGO) build --release --locked --lib --target $(WASM_TARGET) -p cw20-baseline
	$(call optimize,$(TARGET_DIR)/$(WASM_TARGET)/release/cw20_baseline.wasm,$(ARTIFACTS)/bench/cw20_base.wasm)

bench: wasm bench-baseline
	$(CARGO) run --locked --profile tools -q -p gridshare-vm -- bench $(ARTIFACTS)
	@echo "==> keeper executor (CUDA where a GPU is present, else the CPU reference)"
	$(CARGO) run --locked --profile tools -q -p gridshare-keeper -- bench --executor auto --sizes 256,512,1024

# Gas of each user-facing action on a real node, against a cw20 transfer on the same chain: the
# README's worked deployment and job (localnet/integrator.sh) on a node of its own.
gas-chain: wasm wasmd
	@export LOCALNET_HOME=$(CURDIR)/.localnet-gas CHAIN_ID=gridshare-gas RPC_PORT=27357 \
	  P2P_PORT=27356 GRPC_PORT=9857 API_PORT=2057 RESET=1; \
	trap 'localnet/stop.sh > /dev/null 2>&1 || true' EXIT; \
	localnet/start.sh; \
	NODE=http://127.0.0.1:27357 FUNDER_HOME=$$LOCALNET_HOME localnet/integrator.sh

# ---- local chain ---------------------------------------------------------------------------------

wasmd:
	localnet/build-wasmd.sh

localnet: wasmd
	localnet/start.sh

localnet-stop:
	localnet/stop.sh

localnet-4: wasmd
	localnet/start-4.sh

localnet-4-stop:
	localnet/stop-4.sh

# ---- keeper --------------------------------------------------------------------------------------

# Optimized and unwinding on panic (the `tools` profile): cudarc turns a panic inside a driver
# call into an error only when panics unwind. The contracts' `release` profile aborts.
keeper:
	$(CARGO) build --locked --profile tools -p gridshare-keeper

# On a machine with a GPU: every workload byte for byte against the CPU reference, then the
# executor's throughput. Without a GPU the suite reports each check skipped. A GPU host without
# a Rust toolchain runs the two binaries built here (target/tools/deps/cuda-*, target/tools/
# gridshare-keeper bench).
gpu-check: keeper
	$(CARGO) test --locked --profile tools -p gridshare-keeper --test cuda
	$(TARGET_DIR)/tools/gridshare-keeper bench --executor auto --sizes 256,1024,2048

# The e2e harness starts its own node (ports 267xx) from the artifacts and the wasmd build.
e2e: wasm wasmd
	GRIDSHARE_E2E=1 $(CARGO) test --locked -p gridshare-keeper --test e2e

demo: setup
	localnet/demo.sh

# ---- TypeScript client (clients/ts) ----------------------------------------------------------------

TS := clients/ts

$(TS)/node_modules/.installed: $(TS)/package.json $(TS)/package-lock.json
	npm ci --prefix $(TS) --no-audit --no-fund
	@touch $@

ts-codegen: $(TS)/node_modules/.installed
	node $(TS)/scripts/codegen.mjs src/generated

# The checked-in client must be exactly what the committed schemas generate.
ts-codegen-check: $(TS)/node_modules/.installed
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	node $(TS)/scripts/codegen.mjs "$$tmp/generated" > /dev/null; \
	if ! diff -ru $(TS)/src/generated "$$tmp/generated"; then \
	  echo "clients/ts/src/generated is stale: run 'make ts-codegen' and commit"; exit 1; fi; \
	echo "clients/ts/src/generated is current"

ts-test: ts-codegen-check wasm wasmd keeper
	SUITE=ts RPC_PORT=26957 KEEPER_PORT=18291 localnet/suite.sh -- npm test --prefix $(TS)

ts-build: $(TS)/node_modules/.installed
	npm run build --prefix $(TS)

# ---- web app (apps/web) -------------------------------------------------------------------------

WEB := apps/web
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json $(TS)/node_modules/.installed
	npm ci --prefix $(WEB) --no-audit --no-fund
	@touch $@

# The browser tests drive Debian's chromium (playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

app-build: ts-build $(WEB)/node_modules/.installed
	npm run build --prefix $(WEB)

app: app-build wasm wasmd keeper
	SUITE=app RPC_PORT=27057 KEEPER_PORT=18391 localnet/suite.sh -- $(WEB)/scripts/serve.sh

app-test: app-build chromium wasm wasmd keeper
	SUITE=web RPC_PORT=27157 KEEPER_PORT=18491 VOTING_PERIOD=20 localnet/suite.sh -- npm test --prefix $(WEB)

# ---- checks --------------------------------------------------------------------------------------

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

unit: setup
	$(CARGO) test --locked --workspace

test: lint unit schema-check wasm check e2e ts-test app-test

clean:
	rm -rf $(ARTIFACTS) target $(TS)/dist $(WEB)/dist $(WEB)/dist-test
