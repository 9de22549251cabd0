// Posting a job: the budget the marketplace requires, attached as funds, a fresh dispute salt whose
// hash the order commits to, and the new order's id.

import type { Coin } from "@cosmjs/amino";
import type { GridShare } from "./client.js";
import { disputeSaltHash, newDisputeSalt, saltBytes, toHex } from "./dispute.js";
import { InvalidRequestError } from "./errors.js";
import { wasmId } from "./events.js";
import type { JobSpec, Requirements } from "./generated/Marketplace.types.js";

export interface JobRequest {
  spec: JobSpec;
  requirements?: Requirements;
  /** GPUs per replica. Default 1. */
  gpuCount?: number;
  /** Most the renter pays per GPU-hour, in base units of `denom`. */
  maxPrice: bigint | string | number;
  /** Seconds each replica may run (and be billed) at most. */
  maxDuration: number;
  /**
   * Independent providers that run the job; results must agree (a majority of them). Default 1.
   * From 2 on, the order also funds one referee, which settles replicas that disagree.
   */
  replication?: number;
  /** Seconds from now (chain time) until an unmatched order expires. Default 600. */
  deadlineSeconds?: number;
  /** The payment denom, e.g. `uusdc`. */
  denom: string;
  /**
   * The dispute salt to commit to (hex of 16 to 32 bytes), e.g. one you stored before posting so
   * that it cannot be lost between signing and the answer. Default: a fresh random 32-byte salt.
   */
  disputeSalt?: string;
}

export interface PostedOrder {
  orderId: number;
  /** What was attached and is held in escrow until settlement. */
  budget: bigint;
  /**
   * The secret dispute salt (64 hex digits) whose sha256 the order committed as
   * `dispute_salt_hash`. Keep it, and keep it secret: disputing the order's result
   * (`disputeLease`) needs it, it is not on chain, and nobody can recover it. Only a
   * single-replica order can be disputed; a replicated one is verified by quorum instead.
   */
  disputeSalt: string;
  txHash: string;
  height: number;
}

const SECONDS_PER_HOUR = 3600n;
const U128_MAX = (1n << 128n) - 1n;

function positiveInt(name: string, value: number, max: number): bigint {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidRequestError(`${name} must be an integer in 1..=${max}, got ${value}`);
  }
  return BigInt(value);
}

function amount(name: string, value: bigint | string | number): bigint {
  let parsed: bigint;
  try {
    parsed = BigInt(value);
  } catch {
    throw new InvalidRequestError(`${name} must be an integer amount, got ${String(value)}`);
  }
  if (parsed < 0n || parsed > U128_MAX) throw new InvalidRequestError(`${name} is out of range: ${parsed}`);
  return parsed;
}

/**
 * Replica budgets an order of replication `k` attaches: `k`, plus one for a referee when `k ≥ 2`
 * (unused, the referee's share is refunded). Mirrors `gridshare_types::marketplace::funded_replicas`.
 */
export function fundedReplicas(replication: number): number {
  return replication >= 2 ? replication + 1 : replication;
}

/**
 * The escrow the marketplace requires: `fundedReplicas(k) × gpus × maxPrice × maxDuration / 3600`,
 * rounded up (the contract rounds against the caller, so must we), where `fundedReplicas(k)` is
 * `k + 1` for `k ≥ 2` (the referee's budget) and `k` otherwise. This is the one definition in the
 * TypeScript client; it mirrors `gridshare_types::marketplace::required_budget`. The estimated cost
 * a frontend shows before signing is this figure: the most the order can cost; the unused part is
 * refunded.
 */
export function orderBudget(request: Pick<JobRequest, "gpuCount" | "maxPrice" | "maxDuration" | "replication">): bigint {
  const replication = positiveInt("replication", request.replication ?? 1, 255);
  const replicas = BigInt(fundedReplicas(Number(replication)));
  const gpus = positiveInt("gpuCount", request.gpuCount ?? 1, 0xffff_ffff);
  const duration = positiveInt("maxDuration", request.maxDuration, Number.MAX_SAFE_INTEGER);
  const price = amount("maxPrice", request.maxPrice);
  const product = replicas * gpus * price * duration;
  const budget = (product + SECONDS_PER_HOUR - 1n) / SECONDS_PER_HOUR;
  if (budget > U128_MAX) throw new InvalidRequestError(`the budget overflows a Uint128: ${budget}`);
  return budget;
}


/**
 * Posts the order with its budget attached and a fresh secret dispute salt committed (its sha256
 * as `dispute_salt_hash`); returns the order id the marketplace assigned and the salt, which the
 * caller must keep to dispute the result (see `PostedOrder.disputeSalt`).
 */
export async function postOrder(gs: GridShare, request: JobRequest): Promise<PostedOrder> {
  const budget = orderBudget(request);
  const disputeSalt = request.disputeSalt === undefined ? newDisputeSalt() : toHex(saltBytes(request.disputeSalt));
  const disputeSaltHashHex = await disputeSaltHash(disputeSalt);
  const deadline = (await gs.chainTimeSeconds()) + (request.deadlineSeconds ?? 600);
  const funds: Coin[] = [{ denom: request.denom, amount: budget.toString() }];
  const result = await gs.tx.marketplace.postOrder(
    {
      spec: request.spec,
      requirements: request.requirements ?? {},
      gpuCount: request.gpuCount ?? 1,
      maxPrice: amount("maxPrice", request.maxPrice).toString(),
      maxDuration: request.maxDuration,
      replication: request.replication ?? 1,
      deadline: Math.floor(deadline),
      disputeSaltHash: disputeSaltHashHex,
    },
    "auto",
    undefined,
    funds,
  );
  return {
    orderId: wasmId(result, "order_id", gs.contracts.marketplace),
    budget,
    disputeSalt,
    txHash: result.transactionHash,
    height: result.height,
  };
}

/** Inline job input: bytes go on chain, base64 encoded (small inputs only, see `max_inline_bytes`). */
export function inlineInput(bytes: Uint8Array): JobSpec["inputs"] {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { inline: { data: btoa(binary) } };
}
