#!/usr/bin/env bash
# `make app`: serves the built app against the chain localnet/suite.sh started, until Ctrl-C.
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)"
port="${APP_PORT:-5173}"
node "$web/scripts/write-config.mjs" "$web/dist"
echo
echo "  GridShare is at http://127.0.0.1:$port/  (dev accounts: ?account=renter1, provider1, renter2 …)"
echo "  Ctrl-C stops the app, the keeper and the chain."
echo
cd "$web" && exec npx vite preview --port "$port" --strictPort
