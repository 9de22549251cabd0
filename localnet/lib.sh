# Shared by the scripts that run GridShare on a local chain (demo.sh, the TypeScript client's tests):
# keeper configs for the development accounts and starting a keeper. Source it; it defines functions
# only.

# The mnemonic of a development account in localnet/dev-accounts.txt.
dev_mnemonic() {
  awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print }' "$(dirname "${BASH_SOURCE[0]}")/dev-accounts.txt"
}

# write_keeper_config DIR ACCOUNT RPC CHAIN_ID DEPLOYMENT_FILE [LISTEN_PORT]
# With a port, the config is a provider's: bond, price, CPU-or-GPU executor, HTTP on the port.
write_keeper_config() {
  local dir="$1" account="$2" rpc="$3" chain_id="$4" deployment="$5" port="${6:-}"
  mkdir -p "$dir"
  dev_mnemonic "$account" > "$dir/key.mnemonic"
  chmod 600 "$dir/key.mnemonic"
  cat > "$dir/keeper.toml" <<TOML
[chain]
rpc = "$rpc"
chain_id = "$chain_id"

[contracts]
deployment = "$deployment"

[key]
mnemonic_file = "key.mnemonic"
TOML
  if [[ -n "$port" ]]; then
    cat >> "$dir/keeper.toml" <<TOML

[provider]
name = "local-$account"
region = "local"
bond = 2000000
default_price = 3600000000

[executor]
kind = "auto"

[keeper]
work_dir = "work"
listen = "127.0.0.1:$port"
reconcile_secs = 2
# The demo serves job inputs from this machine.
allow_private_inputs = true
TOML
  fi
}

# start_keeper KEEPER_BIN CONFIG LOG: starts `run` in the background, sets KEEPER_PID and waits
# until it reports that it is running (or fails, printing its log).
start_keeper() {
  local bin="$1" config="$2" log="$3"
  "$bin" --config "$config" run > "$log" 2>&1 &
  KEEPER_PID=$!
  for _ in $(seq 1 120); do
    grep -q "keeper running" "$log" 2>/dev/null && return 0
    if ! kill -0 "$KEEPER_PID" 2>/dev/null; then
      echo "the keeper exited:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "the keeper did not start within 60 s:" >&2
  cat "$log" >&2
  return 1
}

# stop_pid PID: SIGTERM and wait, if it is still running.
stop_pid() {
  if [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
