#!/usr/bin/env bash
# A four-validator chain on this host (`wasmd testnet init-files --single-host`), for fault tests:
# with one validator down the other three (over 2/3 of the power) keep producing blocks.
# RPC of node i on 127.0.0.1:$((BASE_RPC_PORT + i)); the accounts of dev-accounts.txt are funded. `localnet/stop-4.sh` stops it.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/wasmd/wasmd"
export LD_LIBRARY_PATH="$root/.tools/wasmd${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
home="${LOCALNET4_HOME:-$root/.localnet-4}"
chain_id="${CHAIN_ID:-gridshare-4}"
rpc_base="${BASE_RPC_PORT:-27657}"
p2p_base="${BASE_P2P_PORT:-27757}"
grpc_base="${BASE_GRPC_PORT:-9490}"

[[ -x "$bin" ]] || "$root/localnet/build-wasmd.sh"
"$root/localnet/stop-4.sh" >/dev/null 2>&1 || true
rm -rf "$home"
echo "==> initialising 4 validators of $chain_id in $home"
"$bin" testnet init-files --v 4 -o "$home" --single-host --chain-id "$chain_id" \
  --keyring-backend test --commit-timeout 300ms --minimum-gas-prices 0.025ugrid >/dev/null 2>&1

# The development accounts, funded as on the single-node chain (fees in ugrid), in node0's
# genesis, which every node then shares.
node0="$home/node0/wasmd"
grep -v '^#' "$root/localnet/dev-accounts.txt" | while read -r name mnemonic; do
  [[ -n "$name" ]] || continue
  echo "$mnemonic" | "$bin" keys add "dev-$name" --recover --keyring-backend test --home "$home/dev-keys" >/dev/null 2>&1
  address="$("$bin" keys show "dev-$name" -a --keyring-backend test --home "$home/dev-keys")"
  "$bin" genesis add-genesis-account "$address" "1000000000000ugrid,1000000000000uusdc" --home "$node0" >/dev/null
done
for i in 1 2 3; do cp "$node0/config/genesis.json" "$home/node$i/wasmd/config/genesis.json"; done

python3 - "$home" "$rpc_base" "$p2p_base" "$grpc_base" <<'PY'
import re, sys
home, rpc, p2p, grpc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def set_key(text, key, value, section=None):
    if section:
        return re.sub(r'(^\[' + re.escape(section) + r'\]\n)(.*?)(?=^\[|\Z)',
                      lambda m: m.group(1) + set_key(m.group(2), key, value), text, count=1, flags=re.S | re.M)
    return re.sub(r'^' + re.escape(key) + r' = .*$', key + ' = ' + value, text, count=1, flags=re.M)
for i in range(4):
    path = f'{home}/node{i}/wasmd/config/config.toml'
    cfg = open(path).read()
    # Peers: the generated addresses are 192.168.0.x with per-node ports; here all are loopback.
    peers = re.search(r'^persistent_peers = "(.*)"$', cfg, re.M).group(1).split(',')
    fixed = []
    for p in peers:
        node_id, addr = p.split('@')
        j = int(addr.split(':')[0].split('.')[-1]) - 1
        fixed.append(f'{node_id}@127.0.0.1:{p2p + j}')
    cfg = set_key(cfg, 'persistent_peers', '"' + ','.join(fixed) + '"')
    cfg = set_key(cfg, 'laddr', f'"tcp://127.0.0.1:{rpc + i}"', 'rpc')
    cfg = set_key(cfg, 'pprof_laddr', '""', 'rpc')
    cfg = set_key(cfg, 'laddr', f'"tcp://127.0.0.1:{p2p + i}"', 'p2p')
    cfg = set_key(cfg, 'allow_duplicate_ip', 'true', 'p2p')
    cfg = set_key(cfg, 'timeout_propose', '"300ms"', 'consensus')
    open(path, 'w').write(cfg)
    path = f'{home}/node{i}/wasmd/config/app.toml'
    app = open(path).read()
    app = set_key(app, 'enable', 'false', 'api')
    app = set_key(app, 'address', f'"127.0.0.1:{grpc + i}"', 'grpc')
    open(path, 'w').write(app)
PY

for i in 0 1 2 3; do
  nohup "$bin" start --home "$home/node$i/wasmd" >>"$home/node$i.log" 2>&1 &
  echo $! > "$home/node$i.pid"
done
for _ in $(seq 1 120); do
  height="$(curl -s "http://127.0.0.1:$rpc_base/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["sync_info"]["latest_block_height"])' 2>/dev/null || echo 0)"
  if [[ "$height" -ge 2 ]]; then
    echo "4 validators up: chain $chain_id, height $height, RPC http://127.0.0.1:$rpc_base..$((rpc_base + 3))"
    exit 0
  fi
  sleep 0.5
done
echo "error: no blocks after 60 s; see $home/node*.log" >&2
exit 1
