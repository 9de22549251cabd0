#!/usr/bin/env bash
# Starts a single-validator wasmd node on 127.0.0.1 for tests and the demo: fast blocks, REST and
# gRPC on, the development accounts of dev-accounts.txt funded. Idempotent: a running node is left
# alone; a stopped one resumes from its data. `localnet/stop.sh` stops it; `RESET=1` starts afresh.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/wasmd/wasmd"
export LD_LIBRARY_PATH="$root/.tools/wasmd${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
home="${LOCALNET_HOME:-$root/.localnet}"
chain_id="${CHAIN_ID:-gridshare-local}"
rpc_port="${RPC_PORT:-26657}"
log="$home/node.log"
pidfile="$home/node.pid"
# Gas-price denom and bond denom of the local chain; USDC stands in for renters' stablecoin.
fee_denom="ugrid"

[[ -x "$bin" ]] || "$root/localnet/build-wasmd.sh"

if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  if [[ "${RESET:-0}" != 1 ]]; then
    echo "localnet already running (pid $(cat "$pidfile")), RPC http://127.0.0.1:$rpc_port"
    exit 0
  fi
  "$root/localnet/stop.sh"
fi
[[ "${RESET:-0}" == 1 ]] && rm -rf "$home"

if [[ ! -f "$home/config/genesis.json" ]]; then
  echo "==> initialising $chain_id in $home"
  "$bin" init gridshare-local --chain-id "$chain_id" --default-denom "$fee_denom" --home "$home" >/dev/null 2>&1
  grep -v '^#' "$root/localnet/dev-accounts.txt" | while read -r name mnemonic; do
    [[ -n "$name" ]] || continue
    echo "$mnemonic" | "$bin" keys add "$name" --recover --keyring-backend test --home "$home" >/dev/null 2>&1
    "$bin" genesis add-genesis-account "$name" \
      "1000000000000ugrid,1000000000000uusdc" --keyring-backend test --home "$home"
  done
  "$bin" genesis gentx validator 100000000000ugrid --chain-id "$chain_id" \
    --keyring-backend test --home "$home" >/dev/null 2>&1
  "$bin" genesis collect-gentxs --home "$home" >/dev/null 2>&1

  cfg="$home/config/config.toml"
  app="$home/config/app.toml"
  # Fast blocks, loopback only.
  sed -i -e 's/^timeout_commit = .*/timeout_commit = "300ms"/' \
         -e 's/^timeout_propose = .*/timeout_propose = "300ms"/' \
         -e "s#^laddr = \"tcp://127.0.0.1:26657\"#laddr = \"tcp://127.0.0.1:$rpc_port\"#" \
         -e 's#^laddr = "tcp://0.0.0.0:26656"#laddr = "tcp://127.0.0.1:26656"#' \
         -e 's/^cors_allowed_origins = .*/cors_allowed_origins = ["*"]/' "$cfg"
  sed -i -e "s/^minimum-gas-prices = .*/minimum-gas-prices = \"0.025$fee_denom\"/" "$app"
  # REST and gRPC on loopback.
  python3 - "$app" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
def section(name, body):
    global text
    text = re.sub(r'(\[' + re.escape(name) + r'\][^\[]*)', lambda m: body(m.group(1)), text, count=1)
section('api', lambda s: re.sub(r'enable = false', 'enable = true', s, count=1)
        .replace('tcp://0.0.0.0:1317', 'tcp://127.0.0.1:1317')
        .replace('enabled-unsafe-cors = false', 'enabled-unsafe-cors = true'))
section('grpc', lambda s: s.replace('0.0.0.0:9090', '127.0.0.1:9090').replace('localhost:9090', '127.0.0.1:9090'))
open(path, 'w').write(text)
PY
fi

echo "==> starting wasmd (log: $log)"
nohup "$bin" start --home "$home" >>"$log" 2>&1 &
echo $! > "$pidfile"

for _ in $(seq 1 120); do
  height="$(curl -s "http://127.0.0.1:$rpc_port/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["sync_info"]["latest_block_height"])' 2>/dev/null || echo 0)"
  if [[ "$height" -ge 2 ]]; then
    echo "localnet up: chain $chain_id, height $height, RPC http://127.0.0.1:$rpc_port, REST http://127.0.0.1:1317, gRPC 127.0.0.1:9090"
    exit 0
  fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "error: wasmd exited; last lines of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "error: no blocks after 60 s; see $log" >&2
exit 1
