#!/usr/bin/env bash
# The integrator's test: deploys a fresh suite and runs one paid GPU job through it with nothing
# but the `wasmd` CLI, `jq` and coreutils, using the JSON of the README's worked deployment
# ("Deploy to a chain", the ```json deploy:… and job:… blocks) with only the <placeholders>
# filled in. Every uusdc balance the job touches is checked to the base unit, and each
# transaction's gas is reported against a cw20 transfer on the same chain.
#
#   WASMD=.tools/wasmd/wasmd NODE=http://127.0.0.1:26657 CHAIN_ID=gridshare-local \
#   FUNDER_HOME=.localnet FUNDER=validator localnet/integrator.sh
#
# FUNDER (a key in FUNDER_HOME's test keyring) pays the fresh accounts' fees and stablecoin.
# GAS_TABLE=path writes the gas table (markdown) there as well; INTEGRATOR_DEBUG=1 names each
# transaction and its gas as it lands.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
: "${WASMD:=$root/.tools/wasmd/wasmd}" "${NODE:?}" "${CHAIN_ID:?}" "${FUNDER_HOME:?}"
: "${FUNDER:=validator}" "${ARTIFACTS:=$root/artifacts}" "${README:=$root/README.md}"
export LD_LIBRARY_PATH="$(dirname "$WASMD")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
keys=(--keyring-backend test --home "$work/keys")
fees=(--gas auto --gas-adjustment 1.5 --gas-prices 0.025ugrid --node "$NODE" --chain-id "$CHAIN_ID" -y --output json)
declare -A gas=()

fail() { echo "integrator: $*" >&2; exit 1; }
addr() { "$WASMD" keys show "$1" -a "${keys[@]}"; }

# The README block tagged `tag`, placeholders filled from the named variables (lowercase names).
block() {
  local tag="$1" json name
  json="$(awk -v tag="$tag" '$0 == "```json " tag {on=1; next} on && /^```/ {exit} on {print}' "$README")"
  [[ -n "$json" ]] || fail "README has no \`\`\`json $tag block"
  for name in deployer provider renter grid staking escrow marketplace deadline commitment \
      output_sha256 salt lease_id offer_id order_id proposal_id; do
    [[ -n "${!name:-}" ]] && json="${json//<$name>/${!name}}"
  done
  [[ "$json" != *"<"*">"* ]] || fail "$tag: unfilled placeholder in $json"
  jq -c . <<<"$json" || fail "$tag: not JSON: $json"
}

# Broadcasts `wasmd tx ARGS…` (signed in the fresh keyring unless --home is given), waits until it
# is in a block, fails unless it succeeded, and prints the result.
tx() {
  local out hash result
  # wasmd prints its gas estimate on stderr: kept for a failure, quiet otherwise.
  out="$("$WASMD" tx "$@" "${fees[@]}" 2>"$work/stderr")" || fail "wasmd tx $*: $(cat "$work/stderr")"
  [[ "$(jq -r .code <<<"$out")" == 0 ]] || fail "tx $* refused: $(jq -r .raw_log <<<"$out")"
  hash="$(jq -r .txhash <<<"$out")"
  for _ in $(seq 1 60); do
    if result="$("$WASMD" q tx --type=hash "$hash" --node "$NODE" --output json 2>/dev/null)"; then
      [[ "$(jq -r .code <<<"$result")" == 0 ]] || fail "tx $* failed: $(jq -r .raw_log <<<"$result")"
      echo "$result"
      return
    fi
    sleep 0.5
  done
  fail "tx $hash not in a block after 30 s"
}
event_attr() { jq -r --arg t "$2" --arg k "$3" '[.events[] | select(.type == $t) | .attributes[] | select(.key == $k) | .value][0]' <<<"$1"; }
# `name from contract json [funds]`: the result goes to $last, its gas to gas[name].
last="$work/last.json"
execute() {
  local name="$1" from="$2" contract="$3" msg="$4" funds="${5:-}"
  tx wasm execute "$contract" "$msg" --from "$from" ${funds:+--amount "$funds"} "${keys[@]}" > "$last"
  gas[$name]="$(jq -r .gas_used "$last")"
  [[ -z "${INTEGRATOR_DEBUG:-}" ]] || echo "    $name: tx $(jq -r .txhash "$last") gas ${gas[$name]}" >&2
}
smart() { "$WASMD" q wasm contract-state smart "$1" "$2" --node "$NODE" --output json | jq -c .data; }
usdc() { "$WASMD" q bank balance "$1" uusdc --node "$NODE" --output json | jq -r '.balance.amount // "0"'; }

echo "==> fresh accounts, funded by $FUNDER"
for k in deployer provider renter; do "$WASMD" keys add "$k" "${keys[@]}" >/dev/null 2>&1; done
deployer="$(addr deployer)" provider="$(addr provider)" renter="$(addr renter)"
tx bank multi-send "$FUNDER" "$deployer" "$provider" "$renter" 50000000ugrid,10000000uusdc \
  --keyring-backend test --home "$FUNDER_HOME" >/dev/null

echo "==> store the five contracts"
declare -A code=()
for c in access-token staking escrow marketplace governance; do
  result="$(tx wasm store "$ARTIFACTS/$c.wasm" --from deployer "${keys[@]}")"
  code[$c]="$(event_attr "$result" store_code code_id)"
  stored="$(event_attr "$result" store_code code_checksum)"
  expected="$(awk -v f="$c.wasm" '$2 == f {print $1}' "$ARTIFACTS/checksums.txt")"
  [[ "$stored" == "$expected" ]] || fail "$c: stored checksum $stored, artifacts/checksums.txt says $expected"
done

instantiate() { # contract label json
  local result
  result="$(tx wasm instantiate "${code[$1]}" "$3" --label "integrator-$2" --admin "$deployer" \
    --from deployer "${keys[@]}")"
  event_attr "$result" instantiate _contract_address
}
echo "==> instantiate and wire (README, Deploy to a chain)"
grid="$(instantiate access-token grid "$(block deploy:grid)")"
staking="$(instantiate staking staking "$(block deploy:staking)")"
escrow="$(instantiate escrow escrow "$(block deploy:escrow)")"
marketplace="$(instantiate marketplace marketplace "$(block deploy:marketplace)")"
execute wire deployer "$escrow" "$(block deploy:wire-escrow)"
execute wire deployer "$staking" "$(block deploy:wire-staking)"
execute add_model deployer "$marketplace" "$(block deploy:add-model)"
governance="$(instantiate governance governance "$(block deploy:governance)")"
[[ -n "$governance" ]] || fail "governance has no address"

echo "==> a provider bonds, registers and lists a GPU"
execute transfer deployer "$grid" "$(block job:grant-grid)"
execute bond provider "$grid" "$(block job:bond)"
execute register_provider provider "$marketplace" "$(block job:register)"
execute post_offer provider "$marketplace" "$(block job:offer)"
offer_id="$(event_attr "$(cat "$last")" wasm offer_id)"
execute heartbeat provider "$marketplace" "$(block job:heartbeat)"

renter_before="$(usdc "$renter")" provider_before="$(usdc "$provider")" staking_before="$(usdc "$staking")"
echo "==> the renter posts an order: matched in the same transaction"
deadline="$(( $(date +%s) + 600 ))"
execute post_order renter "$marketplace" "$(block job:order)" 600000uusdc
lease_id="$(event_attr "$(cat "$last")" wasm lease_ids)"
[[ "$lease_id" =~ ^[0-9]+$ ]] || fail "the order was not matched to one lease: lease_ids=$lease_id"

echo "==> the provider commits to its output, then reveals it"
sleep 3
output_sha256="$(printf 'hello GPU' | sha256sum | cut -d' ' -f1)"
salt="0123456789abcdef0123456789abcdef"
commitment="$({ printf '%s' "$output_sha256" | xxd -r -p; printf '%016x' "$lease_id" | xxd -r -p;
  printf '%s' "$provider"; printf '%s' "$salt" | xxd -r -p; } | sha256sum | cut -d' ' -f1)"
execute commit_result provider "$marketplace" "$(block job:commit)"
execute reveal_result provider "$marketplace" "$(block job:reveal)"

echo "==> after the dispute window anyone finalizes"
lease="$(smart "$marketplace" "$(block job:lease-query)")"
wait_until=$(( $(jq -r .finalizable_at <<<"$lease") + 1 ))
while (( $(date +%s) < wait_until )); do sleep 1; done
sleep 2
execute finalize renter "$marketplace" "$(block job:finalize)"

echo "==> every balance, to the base unit"
lease="$(smart "$marketplace" "$(block job:lease-query)")"
payment="$(smart "$escrow" "{\"payment\":{\"lease_id\":$lease_id}}")"
[[ "$(jq -r .state <<<"$lease")" == accepted ]] || fail "lease not accepted: $lease"
# Escrow's own figures reconcile: what it released is its rate over its settled seconds.
start_s="$(jq -r .start <<<"$payment")"
paid_s="$(jq -r .settled_until <<<"$payment")"
[[ "$paid_s" == "$(jq -r .paid_until <<<"$lease")" ]] || fail "escrow settled to $paid_s, the lease says $(jq -r .paid_until <<<"$lease")"
gross=$(( $(jq -r .rate.amount <<<"$payment") * (paid_s - start_s) / $(jq -r .rate.per_seconds <<<"$payment") ))
fee=$(( gross * $(jq -r .fee_bps <<<"$payment") / 10000 ))
(( gross > 0 )) || fail "nothing was billed: $lease $payment"
check() { [[ "$2" == "$3" ]] || fail "$1: expected $3, got $2"; echo "    $1: $2"; }
check "escrow released" "$(jq -r .released <<<"$payment")" "$gross"
check "renter paid" "$(( renter_before - $(usdc "$renter") ))" "$gross"
check "provider earned" "$(( $(usdc "$provider") - provider_before ))" "$(( gross - fee ))"
check "staking received the fee" "$(( $(usdc "$staking") - staking_before ))" "$fee"
check "escrow holds" "$(usdc "$escrow")" 0

echo "==> the rest of a user's life"
execute update_offer provider "$marketplace" "$(block job:update-offer)"
check "the offer's new price" "$(smart "$marketplace" "{\"offer\":{\"offer_id\":$offer_id}}" | jq -r .price)" 3000000
renter_before="$(usdc "$renter")"
deadline="$(( $(date +%s) + 600 ))"
execute post_order_resting renter "$marketplace" "$(block job:order-resting)" 1200000uusdc
order_id="$(event_attr "$(cat "$last")" wasm order_id)"
check "a 2-GPU order rests" "$(event_attr "$(cat "$last")" wasm status)" open
execute cancel_order renter "$marketplace" "$(block job:cancel)"
check "renter refunded in full" "$(usdc "$renter")" "$renter_before"
execute withdraw_offer provider "$marketplace" "$(block job:withdraw-offer)"
check "the offer is withdrawn" "$(smart "$marketplace" "{\"offer\":{\"offer_id\":$offer_id}}" | jq -r .withdrawn)" true
execute deactivate_provider provider "$marketplace" "$(block job:deactivate)"
check "the provider's active flag" "$(smart "$marketplace" "{\"provider\":{\"address\":\"$provider\"}}" | jq -r .active)" false
execute unbond provider "$staking" "$(block job:unbond)"
execute propose provider "$governance" "$(block job:propose)"
proposal_id="$(event_attr "$(cat "$last")" wasm proposal_id)"
execute vote provider "$governance" "$(block job:vote)"
check "the proposal's yes votes" "$(smart "$governance" "{\"proposal\":{\"proposal_id\":$proposal_id}}" | jq -r '.tally.yes')" 9000000
execute transfer deployer "$grid" "$(block job:grant-grid-renter)"
execute subscribe renter "$grid" "$(block job:subscribe)"
check "the renter's tier" "$(smart "$grid" "{\"access\":{\"address\":\"$renter\"}}" | jq -r .tier.tier)" pro

echo "==> gas on this chain against a cw20 transfer"
table="| action | gas used | ÷ cw20 transfer |
|---|---:|---:|"
for name in transfer bond register_provider post_offer heartbeat post_order commit_result \
    reveal_result finalize update_offer post_order_resting cancel_order withdraw_offer \
    deactivate_provider unbond propose vote subscribe; do
  ratio="$(awk -v a="${gas[$name]}" -v b="${gas[transfer]}" 'BEGIN {printf "%.2f", a / b}')"
  table+=$'\n'"| $name | ${gas[$name]} | ${ratio}× |"
done
echo "$table"
[[ -n "${GAS_TABLE:-}" ]] && echo "$table" > "$GAS_TABLE"
echo "integrator: ok"
