#!/usr/bin/env bash
# `make ts-test`: the TypeScript client's tests against a real chain. Starts a fresh wasmd node on
# its own ports, deploys the suite (short voting period, so a proposal can pass within the test),
# starts provider1's keeper, runs `npm test` with the endpoints in the environment, and stops
# everything it started. Expects the artifacts, the keeper binary and wasmd to be built (Makefile).
#
#   localchain-test.sh          set up, run `npm test`, tear down
#   localchain-test.sh --up     set up and leave it running; prints the environment for `npm test`
#   localchain-test.sh --down   stop what --up left running
set -euo pipefail

ts="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$ts/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
keeper="$target/debug/gridshare-keeper"
work="$root/.localnet-ts"
export LOCALNET_HOME="$work/node" CHAIN_ID=gridshare-ts RPC_PORT=26957 P2P_PORT=26956 GRPC_PORT=9390 API_PORT=1617
rpc="http://127.0.0.1:$RPC_PORT"
keeper_port=18291
deployment="$work/deployments/$CHAIN_ID.json"

mode="${1:-test}"
source "$root/localnet/lib.sh"
KEEPER_PID=""
cleanup() {
  stop_pid "$KEEPER_PID"
  [[ -f "$work/keeper.pid" ]] && stop_pid "$(cat "$work/keeper.pid")"
  "$root/localnet/stop.sh" >/dev/null 2>&1 || true
}
if [[ "$mode" == --down ]]; then
  cleanup
  exit 0
fi
[[ "$mode" == --up ]] || trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work"
RESET=1 "$root/localnet/start.sh"

for account in validator renter2; do
  write_keeper_config "$work/$account" "$account" "$rpc" "$CHAIN_ID" "$deployment"
done
write_keeper_config "$work/provider1" provider1 "$rpc" "$CHAIN_ID" "$deployment" "$keeper_port"
address() { "$keeper" --config "$work/$1/keeper.toml" address; }

# Governance decides within seconds here; everything else is the development plan.
cat > "$work/plan.toml" <<'TOML'
voting_period = 6
timelock = 1
TOML
"$keeper" --config "$work/validator/keeper.toml" deploy --artifacts "$root/artifacts" --out "$work/deployments" \
  --plan "$work/plan.toml" --grant "$(address provider1)=10000000" --grant "$(address renter2)=50000000"

start_keeper "$keeper" "$work/provider1/keeper.toml" "$work/provider1/keeper.log"
echo "provider1's keeper is running (log: $work/provider1/keeper.log)"

env=(GRIDSHARE_RPC="$rpc" GRIDSHARE_DEPLOYMENT="$deployment" GRIDSHARE_KEEPER="http://127.0.0.1:$keeper_port")
if [[ "$mode" == --up ]]; then
  echo "$KEEPER_PID" > "$work/keeper.pid"
  echo "running; for the tests: export ${env[*]}"
  exit 0
fi
status=0
GRIDSHARE_RPC="$rpc" GRIDSHARE_DEPLOYMENT="$deployment" GRIDSHARE_KEEPER="http://127.0.0.1:$keeper_port" \
  npm test --prefix "$ts" || status=$?
if [[ $status -ne 0 ]]; then
  echo "==> TypeScript tests failed; the keeper's last lines:"
  tail -n 30 "$work/provider1/keeper.log"
fi
exit $status
