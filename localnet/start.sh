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
p2p_port="${P2P_PORT:-26656}"
grpc_port="${GRPC_PORT:-9090}"
api_port="${API_PORT:-1317}"
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
  # Fast blocks, loopback only, every port from the environment so that several nodes (the demo's,
  # the tests') can run side by side.
  python3 - "$cfg" "$app" "$rpc_port" "$p2p_port" "$grpc_port" "$api_port" "$fee_denom" <<'PY'
import re, sys
cfg, app, rpc, p2p, grpc, api, denom = sys.argv[1:]
def edit(path, fn):
    text = open(path).read()
    open(path, 'w').write(fn(text))
def section(text, name, fn):
    return re.sub(r'(^\[' + re.escape(name) + r'\]\n)(.*?)(?=^\[|\Z)', lambda m: m.group(1) + fn(m.group(2)), text, count=1, flags=re.S | re.M)
def set_key(body, key, value):
    return re.sub(r'^' + re.escape(key) + r' = .*$', key + ' = ' + value, body, count=1, flags=re.M)
def config(text):
    text = section(text, 'rpc', lambda b: set_key(set_key(set_key(b, 'laddr', '"tcp://127.0.0.1:%s"' % rpc),
        'cors_allowed_origins', '["*"]'), 'pprof_laddr', '""'))
    text = section(text, 'p2p', lambda b: set_key(b, 'laddr', '"tcp://127.0.0.1:%s"' % p2p))
    text = section(text, 'consensus', lambda b: set_key(set_key(b, 'timeout_commit', '"300ms"'), 'timeout_propose', '"300ms"'))
    return text
def appcfg(text):
    text = set_key(text, 'minimum-gas-prices', '"0.025%s"' % denom)
    text = section(text, 'api', lambda b: set_key(set_key(set_key(b, 'enable', 'true'), 'address', '"tcp://127.0.0.1:%s"' % api), 'enabled-unsafe-cors', 'true'))
    text = section(text, 'grpc', lambda b: set_key(set_key(b, 'enable', 'true'), 'address', '"127.0.0.1:%s"' % grpc))
    return text
edit(cfg, config)
edit(app, appcfg)
PY
fi

echo "==> starting wasmd (log: $log)"
nohup "$bin" start --home "$home" >>"$log" 2>&1 &
echo $! > "$pidfile"

# Up means a block made by this run: a resumed node answers at once with its stored height, and
# until it commits a new block its block time is empty, so simulations against it fail.
first=""
for _ in $(seq 1 120); do
  height="$(curl -s "http://127.0.0.1:$rpc_port/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["sync_info"]["latest_block_height"])' 2>/dev/null || echo 0)"
  [[ -z "$first" && "$height" -gt 0 ]] && first="$height"
  if [[ -n "$first" && "$height" -gt "$first" && "$height" -ge 2 ]]; then
    echo "localnet up: chain $chain_id, height $height, RPC http://127.0.0.1:$rpc_port, REST http://127.0.0.1:$api_port, gRPC 127.0.0.1:$grpc_port"
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
