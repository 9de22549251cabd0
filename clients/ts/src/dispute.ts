// Disputing a single-replica result. A renter commits, when posting an order, to the sha256 of a
// secret salt (`dispute_salt_hash`); disputing reveals the salt and attaches the order's
// `dispute_bond`, which funds a referee. The salt is mixed into the referee's selection, so the
// provider, which chose its own commitment salt before seeing this one, cannot steer who judges it.
// The rules mirror `gridshare_types::verification::salt_hash` and the marketplace's `Dispute`.

import { toBinary } from "@cosmjs/cosmwasm-stargate";
import type { GridShare } from "./client.js";
import { InvalidRequestError } from "./errors.js";
import { wasmAttributes } from "./events.js";
import type { Denom, LeaseResponse, OrderResponse } from "./generated/Marketplace.types.js";
import { sha256Hex } from "./output.js";

/** Shortest dispute salt the marketplace accepts, in bytes (`MIN_SALT_BYTES`). */
export const MIN_SALT_BYTES = 16;
/** Longest dispute salt the marketplace accepts, in bytes (`MAX_SALT_BYTES`). */
export const MAX_SALT_BYTES = 32;

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of a dispute salt (hex of 16 to 32 bytes, either case); `InvalidRequestError` otherwise. */
export function saltBytes(salt: string): Uint8Array {
  if (typeof salt !== "string" || !/^(?:[0-9a-fA-F]{2})+$/.test(salt)) {
    throw new InvalidRequestError("a dispute salt must be hex digits, two per byte");
  }
  const bytes = Uint8Array.from(salt.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  if (bytes.length < MIN_SALT_BYTES || bytes.length > MAX_SALT_BYTES) {
    throw new InvalidRequestError(
      `a dispute salt must be ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}

/**
 * A fresh dispute salt: 32 random bytes from WebCrypto (`crypto.getRandomValues`, in browsers and
 * Node ≥ 20), as 64 lowercase hex digits. Keep it secret until you dispute.
 */
export function newDisputeSalt(): string {
  const bytes = new Uint8Array(MAX_SALT_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return toHex(bytes);
}

/**
 * The order's `dispute_salt_hash`: sha256 of the salt's bytes (not of its hex text), as 64
 * lowercase hex digits, exactly as `gridshare_types::verification::salt_hash` computes it.
 */
export async function disputeSaltHash(salt: string): Promise<string> {
  return sha256Hex(saltBytes(salt));
}

/**
 * Whether the renter may dispute `lease` at `nowSeconds` (chain time): a revealed result of a
 * single-replica order, not a referee's, not yet disputed, before its `dispute_deadline`. The
 * contract checks all of this again (and the salt and the bond); this is for deciding what to
 * offer, e.g. when to show a Dispute button.
 */
export function canDispute(order: OrderResponse, lease: LeaseResponse, nowSeconds: number): boolean {
  if (order.replication !== 1 || order.disputed) return false;
  if (lease.state !== "revealed" || lease.disputed || lease.referee) return false;
  if (lease.dispute_deadline == null) return false;
  return Math.floor(nowSeconds) < lease.dispute_deadline;
}

export interface DisputeRequest {
  leaseId: number;
  /** The salt whose sha256 the order committed (`PostedOrder.disputeSalt`). */
  salt: string;
}

export interface DisputeResult {
  /** What was attached: the order's `dispute_bond`, in `denom`. */
  bond: bigint;
  denom: Denom;
  /** The referee's lease the dispute opened, when the transaction names it. */
  refereeLease: number | undefined;
  txHash: string;
  height: number;
}

/**
 * Disputes a revealed single-replica result: reads the order's `dispute_bond` and denom and sends
 * `Dispute { lease_id, salt }` with exactly that bond attached: as funds for a native denom, or as
 * a cw20 `send` to the marketplace with the hook `{"dispute":{"lease_id":..,"salt":".."}}` for a
 * cw20 order. The bond funds a referee; the contract refuses (and nothing changes) outside the
 * dispute window, with the wrong salt, or when no referee can be matched (`NoReferee`).
 */
export async function disputeLease(gs: GridShare, request: DisputeRequest): Promise<DisputeResult> {
  const salt = toHex(saltBytes(request.salt));
  const leaseId = request.leaseId;
  if (!Number.isSafeInteger(leaseId) || leaseId < 0) {
    throw new InvalidRequestError(`leaseId must be a non-negative integer, got ${leaseId}`);
  }
  const lease = await gs.query.marketplace.lease({ leaseId });
  const order = await gs.query.marketplace.order({ orderId: lease.order_id });
  const bond = BigInt(order.dispute_bond);
  const denom = order.denom;
  const result =
    "cw20" in denom
      ? await gs.signingClient.execute(
          gs.address,
          denom.cw20,
          {
            send: {
              contract: gs.contracts.marketplace,
              amount: bond.toString(),
              msg: toBinary({ dispute: { lease_id: leaseId, salt } }),
            },
          },
          "auto",
        )
      : await gs.tx.marketplace.dispute({ leaseId, salt }, "auto", undefined, [
          { denom: denom.native, amount: bond.toString() },
        ]);
  const referee = wasmAttributes(result, "referee_lease", gs.contracts.marketplace)[0];
  return {
    bond,
    denom,
    refereeLease: referee === undefined ? undefined : Number(referee),
    txHash: result.transactionHash,
    height: result.height,
  };
}
