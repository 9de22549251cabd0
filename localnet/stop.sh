#!/usr/bin/env bash
# Stops the node started by localnet/start.sh; its data stays for the next start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pidfile="${LOCALNET_HOME:-$root/.localnet}/node.pid"
if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid="$(cat "$pidfile")"
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  echo "localnet stopped"
else
  echo "localnet not running"
fi
rm -f "$pidfile"
