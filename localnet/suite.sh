#!/usr/bin/env bash
# A fresh local chain with the suite deployed and provider1's keeper running, for the TypeScript
# client's tests, the web app's browser tests and `make app`. Each user picks its own name and
# ports so they never share a node:
#
#   SUITE=ts  RPC_PORT=26957 KEEPER_PORT=18291 localnet/suite.sh -- CMD...   set up, run CMD, tear down
#   localnet/suite.sh --up      set up and leave it running (prints the environment for tests)
#   localnet/suite.sh --down    stop what --up left running
#
# CMD runs with GRIDSHARE_RPC, GRIDSHARE_CHAIN_ID, GRIDSHARE_DEPLOYMENT and GRIDSHARE_KEEPER set.
# The deployment has a short voting period (VOTING_PERIOD, default 6 s), so a proposal passes
# within a test. renter2 holds
# 50 GRID to bond and vote with. Expects the artifacts, the keeper binary and wasmd to be built.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
keeper="$target/debug/gridshare-keeper"
suite="${SUITE:-ts}"
work="$root/.localnet-$suite"
rpc_port="${RPC_PORT:-26957}"
keeper_port="${KEEPER_PORT:-18291}"
# P2P, gRPC and REST sit next to the RPC port, out of the way of the other local chains.
export LOCALNET_HOME="$work/node" CHAIN_ID="${CHAIN_ID:-gridshare-$suite}" RPC_PORT="$rpc_port" \
  P2P_PORT=$((rpc_port - 1)) GRPC_PORT=$((rpc_port - 17500)) API_PORT=$((rpc_port - 25300))
rpc="http://127.0.0.1:$rpc_port"
deployment="$work/deployments/$CHAIN_ID.json"

mode="${1:---}"
[[ "$mode" == -- && $# -gt 0 ]] && shift
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
if [[ "$mode" != --up ]]; then
  trap cleanup EXIT
  trap 'exit 130' INT TERM
fi

rm -rf "$work"
mkdir -p "$work"
RESET=1 "$root/localnet/start.sh"

for account in validator renter2; do
  write_keeper_config "$work/$account" "$account" "$rpc" "$CHAIN_ID" "$deployment"
done
write_keeper_config "$work/provider1" provider1 "$rpc" "$CHAIN_ID" "$deployment" "$keeper_port"
address() { "$keeper" --config "$work/$1/keeper.toml" address; }

# Governance decides within seconds here; everything else is the development plan.
cat > "$work/plan.toml" <<TOML
voting_period = ${VOTING_PERIOD:-6}
timelock = 1
min_timelock = 1
TOML
"$keeper" --config "$work/validator/keeper.toml" deploy --artifacts "$root/artifacts" --out "$work/deployments" \
  --plan "$work/plan.toml" --grant "$(address provider1)=10000000" --grant "$(address renter2)=50000000"

start_keeper "$keeper" "$work/provider1/keeper.toml" "$work/provider1/keeper.log"
echo "provider1's keeper is running (log: $work/provider1/keeper.log)"

export GRIDSHARE_RPC="$rpc" GRIDSHARE_CHAIN_ID="$CHAIN_ID" GRIDSHARE_DEPLOYMENT="$deployment" \
  GRIDSHARE_KEEPER="http://127.0.0.1:$keeper_port"
if [[ "$mode" == --up ]]; then
  echo "$KEEPER_PID" > "$work/keeper.pid"
  echo "running; for the tests: export GRIDSHARE_RPC=$rpc GRIDSHARE_CHAIN_ID=$CHAIN_ID GRIDSHARE_DEPLOYMENT=$deployment"
  exit 0
fi
status=0
"$@" || status=$?
if [[ $status -ne 0 ]]; then
  echo "==> '$*' failed; the keeper's last lines:"
  tail -n 30 "$work/provider1/keeper.log"
fi
exit $status
