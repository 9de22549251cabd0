#!/usr/bin/env bash
# Builds the pinned wasmd once into .tools/wasmd/ (git-ignored) with the machine's Go and the Go
# module proxy, and ships libwasmvm beside the binary. Re-running with the binary present does
# nothing.
#
# Why not `go install github.com/CosmWasm/wasmd/cmd/wasmd@VERSION`: wasmd's go.mod has `replace`
# directives, which `go install pkg@version` refuses. So the module is downloaded, copied to a
# writable folder and built in place.
#
# Go 1.26 note: wasmd v0.61.x pins github.com/bytedance/sonic v1.14.x, whose runtime stubs do not
# compile on Go 1.26 ("undefined: GoMapIterator"); v1.15.5 does, so it is upgraded in the copy.
set -euo pipefail

WASMD_VERSION="${WASMD_VERSION:-v0.61.14}"
SONIC_VERSION="v1.15.5"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.tools/wasmd"
bin="$out/wasmd"

if [[ -x "$bin" ]] && LD_LIBRARY_PATH="$out" "$bin" version 2>/dev/null | grep -qx "${WASMD_VERSION#v}"; then
  echo "wasmd ${WASMD_VERSION} already built: $bin"
  exit 0
fi

command -v go >/dev/null || { echo "error: Go is required to build wasmd" >&2; exit 1; }
echo "==> downloading wasmd ${WASMD_VERSION} from the Go module proxy"
src_dir="$(go mod download -json "github.com/CosmWasm/wasmd@${WASMD_VERSION}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
work="$root/.tools/wasmd-src"
mkdir -p "$root/.tools"
rm -rf "$work"
cp -r "$src_dir" "$work"
chmod -R u+w "$work"

echo "==> building (cgo, no ledger)"
cd "$work"
go get "github.com/bytedance/sonic@${SONIC_VERSION}"
mkdir -p "$out"
CGO_ENABLED=1 go build -mod=mod -trimpath \
  -ldflags "-X github.com/cosmos/cosmos-sdk/version.Name=wasm \
            -X github.com/cosmos/cosmos-sdk/version.AppName=wasmd \
            -X github.com/cosmos/cosmos-sdk/version.Version=${WASMD_VERSION#v}" \
  -o "$bin" ./cmd/wasmd

# The binary links libwasmvm dynamically from the Go module cache; ship it beside the binary.
lib="$(ldd "$bin" | awk '/libwasmvm/ {print $3}')"
[[ -f "$lib" ]] || { echo "error: libwasmvm not found for $bin" >&2; exit 1; }
cp "$lib" "$out/"
rm -rf "$work"
echo "==> $(LD_LIBRARY_PATH="$out" "$bin" version) built at $bin"
