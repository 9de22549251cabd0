#!/usr/bin/env bash
# `make demo`: the whole of GridShare on this machine. Starts a fresh local chain, deploys the
# suite, starts a provider's keeper (CPU executor), submits a job as a renter, follows it to a
# verified result and prints what everyone paid and earned. Stops everything it started.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
keeper="$target/tools/gridshare-keeper"
demo="$root/.localnet-demo"
export LOCALNET_HOME="$demo/node" CHAIN_ID=gridshare-demo RPC_PORT=26857 P2P_PORT=26856 GRPC_PORT=9290 API_PORT=1517
rpc="http://127.0.0.1:$RPC_PORT"
started=$(date +%s)
step() { printf '\n\033[1m==> [%3ss] %s\033[0m\n' "$(( $(date +%s) - started ))" "$*"; }

source "$root/localnet/lib.sh"
keeper_pid=""
web_pid=""
cleanup() {
  [[ -n "$web_pid" ]] && kill "$web_pid" 2>/dev/null || true
  stop_pid "$keeper_pid"
  "$root/localnet/stop.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT

address() { "$keeper" --config "$demo/$1/keeper.toml" address; }
write_config() { write_keeper_config "$demo/$1" "$1" "$rpc" "$CHAIN_ID" "$demo/deployments/$CHAIN_ID.json" "${2:-}"; }

step "building what is missing (contracts, keeper, wasmd)"
make --no-print-directory wasm >/dev/null
cargo build --locked -q --profile tools -p gridshare-keeper
"$root/localnet/build-wasmd.sh"

step "starting a fresh local chain ($CHAIN_ID, 300 ms blocks)"
rm -rf "$demo"
mkdir -p "$demo"
RESET=1 "$root/localnet/start.sh"

write_config validator
write_config provider1 18191
write_config renter1
provider="$(address provider1)"

step "deploying the suite (access-token, staking, escrow, marketplace, governance)"
"$keeper" --config "$demo/validator/keeper.toml" deploy --artifacts "$root/artifacts" --out "$demo/deployments" \
  --grant "$provider=10000000"

step "starting provider1's keeper (log: $demo/provider1/keeper.log)"
start_keeper "$keeper" "$demo/provider1/keeper.toml" "$demo/provider1/keeper.log"
keeper_pid=$KEEPER_PID
grep -E "bonding|registering|offering|keeper running" "$demo/provider1/keeper.log" | sed 's/^/  keeper: /'

step "market before the job"
"$keeper" --config "$demo/renter1/keeper.toml" market

step "renter1 publishes a job input (two 640×640 f32 matrices) on a local web server"
python3 - "$demo/input.bin" <<'PY'
import struct, sys
n = 640 * 640 * 2
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<%df" % n, *[float((i * 7919) % 13 - 6) for i in range(n)]))
PY
input_sha="$(sha256sum "$demo/input.bin" | cut -d' ' -f1)"
python3 -m http.server 18190 --bind 127.0.0.1 --directory "$demo" >/dev/null 2>&1 &
web_pid=$!
echo "  http://127.0.0.1:18190/input.bin  sha256 $input_sha"

step "renter1 submits the job: f32 matrix product on 1 GPU, up to 3600 USDC per GPU-hour (1 USDC a second)"
"$keeper" --config "$demo/renter1/keeper.toml" job submit --workload matmul-f32 --dims 640,640,640 \
  --input-url "http://127.0.0.1:18190/input.bin" --input-sha256 "$input_sha" \
  --max-price 3600000000 --max-duration 300 --wait --timeout 180 --out "$demo/result.bin"
kill "$web_pid" 2>/dev/null || true

step "renter1 submits a job with a 256 MiB output (an 8192×1 by 1×8192 f32 product)"
python3 - "$demo/wide.bin" <<'PY'
import struct, sys
n = 8192 * 2
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<%df" % n, *[float(i % 7 - 3) for i in range(n)]))
PY
wide_sha="$(sha256sum "$demo/wide.bin" | cut -d' ' -f1)"
python3 -m http.server 18190 --bind 127.0.0.1 --directory "$demo" >/dev/null 2>&1 &
web_pid=$!
"$keeper" --config "$demo/renter1/keeper.toml" job submit --workload matmul-f32 --dims 8192,8192,1 \
  --input-url "http://127.0.0.1:18190/wide.bin" --input-sha256 "$wide_sha" \
  --max-price 3600000000 --max-duration 300 --wait --timeout 180 | tee "$demo/wide.log"
kill "$web_pid" 2>/dev/null || true
wide_lease="$(sed -nE 's/.*lease ([0-9]+) matched.*/\1/p' "$demo/wide.log" | head -n 1)"

step "six clients download lease $wide_lease's 256 MiB output at once"
clients=()
for i in 1 2 3 4 5 6; do
  curl -sf -o /dev/null -w "  client $i: %{size_download} bytes in %{time_total} s\n" \
    "http://127.0.0.1:18191/outputs/$wide_lease" &
  clients+=("$!")
done
for pid in "${clients[@]}"; do wait "$pid" || echo "  a download failed"; done

step "keeper metrics"
curl -s http://127.0.0.1:18191/metrics | grep -E '^gridshare_keeper_(jobs_succeeded|results_submitted|leases_finalized|heartbeats)_total|^gridshare_keeper_(outputs_bytes|signer_last_milliseconds)'
peak_kib="$(awk '/VmHWM/ {print $2}' "/proc/$keeper_pid/status")"
# The keeper never holds an output in memory: jobs write it to a file, it is hashed and served
# from disk in pieces. Its peak stays under 64 MiB whatever the output size.
verdict="within the 64 MiB budget"
(( peak_kib <= 64 * 1024 )) || verdict="OVER the 64 MiB budget"
echo "keeper peak RSS: $(( peak_kib / 1024 )) MiB over the whole demo ($verdict)"

step "stopping the keeper and the chain"
kill -TERM "$keeper_pid"
wait "$keeper_pid" || true
keeper_pid=""
tail -n 1 "$demo/provider1/keeper.log" | sed 's/^/  keeper: /'
echo "demo finished in $(( $(date +%s) - started )) s"
