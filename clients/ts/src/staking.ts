// Staking GRID: the collateral providers bond and the power token holders vote with. The stake token
// may be a cw20 (GRID on the reference deployment) or a native denom; `bond` handles both.

import { toBinary } from "@cosmjs/cosmwasm-stargate";
import type { GridShare } from "./client.js";
import { InvalidRequestError } from "./errors.js";

/** Bonds `amount` of the stake token for the sender; returns the transaction hash. */
export async function bond(gs: GridShare, amount: bigint | string): Promise<string> {
  const value = BigInt(amount);
  if (value <= 0n) throw new InvalidRequestError(`bond amount must be positive, got ${value}`);
  const config = await gs.query.staking.config();
  const denom = config.stake_denom;
  const result =
    "cw20" in denom
      ? await gs.signingClient.execute(
          gs.address,
          denom.cw20,
          { send: { contract: gs.contracts.staking, amount: value.toString(), msg: toBinary({ bond: {} }) } },
          "auto",
        )
      : await gs.tx.staking.bond("auto", undefined, [{ denom: denom.native, amount: value.toString() }]);
  return result.transactionHash;
}

/** Voting power of `address` at `height` (default: the latest block). */
export async function votingPower(gs: GridShare, address: string, height?: number): Promise<bigint> {
  const { power } = await gs.query.staking.votingPowerAtHeight({ address, height });
  return BigInt(power);
}
