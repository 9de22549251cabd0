// How amounts, times and errors read to a person.

import {
  ContractError,
  GridShareError,
  InsufficientFundsError,
  type LeaseResponse,
  NetworkError,
  OutputHashMismatchError,
} from "@gridshare/client";

const DECIMALS = 6n;
const ONE = 10n ** DECIMALS;

/** `uusdc` 1234567 → `1.234567 USDC`: the micro-denoms of the local chain have 6 decimals. */
export function amount(value: string | bigint | null | undefined, denom: string): string {
  if (value === null || value === undefined) return "–";
  const v = BigInt(value);
  const unit = denom.startsWith("u") ? denom.slice(1).toUpperCase() : denom;
  if (!denom.startsWith("u")) return `${v} ${denom}`;
  const whole = v / ONE;
  const frac = (v % ONE).toString().padStart(Number(DECIMALS), "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} ${unit}`;
}

/** Parses `1.5` (USDC) into base units, refusing more decimals than the denom has. */
export function parseAmount(text: string): bigint {
  const match = /^\s*(\d+)(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not an amount with at most 6 decimals`);
  return BigInt(match[1]) * ONE + BigInt((match[2] ?? "").padEnd(6, "0"));
}

export function denomName(denom: { native: string } | { cw20: string }): string {
  return "native" in denom ? denom.native : `cw20:${denom.cw20.slice(0, 12)}…`;
}

/** A keeper's energy figure (milliwatt-hours): `null` is "unmeasured", never a zero. */
export function energy(mwh: number | null | undefined): string {
  if (mwh === null || mwh === undefined) return "unmeasured";
  if (mwh < 1000) return `${mwh} mWh`;
  if (mwh < 1_000_000) return `${(mwh / 1000).toFixed(mwh < 10_000 ? 2 : 1)} Wh`;
  return `${(mwh / 1_000_000).toFixed(2)} kWh`;
}

export function short(address: string): string {
  return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-6)}` : address;
}

/** A time of the contracts' API: whole seconds since the Unix epoch. */
export function time(seconds: number | null | undefined): string {
  if (seconds == null) return "–";
  return new Date(seconds * 1000).toLocaleTimeString();
}

/**
 * Where a lease stands in commit–reveal, and the contract's next deadline for it, from the
 * lease response's own times: an active lease commits by `commit_deadline`; a committed one
 * reveals by `reveal_deadline` once reveals open; a revealed single-replica result can be disputed
 * until `dispute_deadline` (once disputed: the referee's deadline); then `Finalize` moves it on at
 * `finalizable_at`. A final lease shows when and why it closed.
 */
export function leaseProgress(lease: LeaseResponse): string {
  switch (lease.state) {
    case "active":
      return `commit by ${time(lease.commit_deadline)}`;
    case "committed":
      return lease.reveal_deadline ? `reveal by ${time(lease.reveal_deadline)}` : "reveals open when every replica committed";
    case "revealed":
      if (lease.disputed) {
        return lease.dispute_deadline ? `disputed: referee decides by ${time(lease.dispute_deadline)}` : "disputed: the referee decides";
      }
      if (lease.dispute_deadline) return `disputable until ${time(lease.dispute_deadline)}`;
      if (lease.finalizable_at) return `final at ${time(lease.finalizable_at)}`;
      return "waiting for the other replicas";
    default: {
      const reason = lease.close_reason ? ` (${lease.close_reason.replace(/_/g, " ")})` : "";
      return lease.closed_at ? `closed ${time(lease.closed_at)}${reason}` : `${lease.state}${reason}`;
    }
  }
}

export function percent(bps: number): string {
  return `${(bps / 100).toFixed(1)}%`;
}

/** A sentence a person can act on, from any error the client throws. */
export function errorMessage(error: unknown): string {
  if (error instanceof ContractError) return `The ${error.contract} contract refused: ${error.reason}`;
  if (error instanceof InsufficientFundsError) return `Not enough funds: ${error.detail}`;
  if (error instanceof OutputHashMismatchError) return `The output does not match the hash the provider revealed (got ${error.actual.slice(0, 16)}…): do not use it, and dispute it while its dispute window is open.`;
  if (error instanceof NetworkError) return `The chain cannot be reached (${error.message}). Retrying may help.`;
  if (error instanceof GridShareError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
