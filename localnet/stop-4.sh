#!/usr/bin/env bash
# Stops the validators started by localnet/start-4.sh (or one of them: stop-4.sh 2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
home="${LOCALNET4_HOME:-$root/.localnet-4}"
for i in "${@:-0 1 2 3}"; do
  for n in $i; do
    pidfile="$home/node$n.pid"
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      kill "$(cat "$pidfile")"
      echo "validator $n stopped"
    fi
    rm -f "$pidfile"
  done
done
