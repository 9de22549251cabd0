// A result is only as good as its bytes: download the output a provider serves and check it against
// the sha256 the provider revealed on chain (opening its earlier commitment) before trusting it.
// Which result to trust is the order's verdict: an accepted lease whose revealed sha256 is the
// order's `canonical_sha256` (set by quorum, the end of the dispute window, or a referee).

import { NoResultError, OutputFetchError, OutputHashMismatchError } from "./errors.js";
import type { LeaseResponse, OrderResponse } from "./generated/Marketplace.types.js";
import { openOutput } from "./privacy.js";

export interface VerifiedOutput {
  bytes: Uint8Array;
  sha256: string;
  url: string;
  leaseId: number;
}

export interface FetchOutputOptions {
  /** Refuse outputs larger than this many bytes. Default 256 MiB. */
  maxBytes?: number;
  /** For tests and unusual runtimes; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** A private job's renter secret: the served output is sealed to it and opened before hashing. */
  renterSecret?: Uint8Array;
  signal?: AbortSignal;
}

/** Lowercase hex sha256 (WebCrypto: the same code runs in browsers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The lease whose result stands for the order: `accepted`, with a revealed sha256 equal to the
 * order's `canonical_sha256`. `undefined` until the order has accepted a result (a committed or
 * revealed result is not one yet: it may still be outvoted or disputed).
 */
export function acceptedLease(order: OrderResponse, leases: readonly LeaseResponse[]): LeaseResponse | undefined {
  const canonical = order.canonical_sha256?.toLowerCase();
  if (!canonical) return undefined;
  return leases.find((l) => l.state === "accepted" && l.result?.sha256?.toLowerCase() === canonical);
}

/**
 * Downloads a lease's output and verifies it against the sha256 revealed on chain. A lease whose
 * result is not revealed yet (no result, or only a commitment) is a `NoResultError`. Use
 * `acceptedLease` to pick the lease whose output the order accepted.
 */
export async function fetchVerifiedOutput(lease: LeaseResponse, options: FetchOutputOptions = {}): Promise<VerifiedOutput> {
  const result = lease.result;
  if (!result) throw new NoResultError(lease.order_id, `lease ${lease.lease_id} is ${lease.state} with no result`);
  const expected = result.sha256;
  if (expected == null) {
    throw new NoResultError(lease.order_id, `lease ${lease.lease_id} is ${lease.state}: its output hash is not revealed yet`);
  }
  const url = result.output_uri;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let bytes: Uint8Array;
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: options.signal });
    if (!response.ok) throw new OutputFetchError(url, `HTTP ${response.status}`);
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) throw new OutputFetchError(url, `${declared} bytes is over the ${maxBytes}-byte limit`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof OutputFetchError) throw error;
    throw new OutputFetchError(url, error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (bytes.length > maxBytes) throw new OutputFetchError(url, `${bytes.length} bytes is over the ${maxBytes}-byte limit`);
  if (options.renterSecret) bytes = await openOutput(options.renterSecret, lease.lease_id, bytes);
  const actual = await sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) throw new OutputHashMismatchError(url, expected, actual);
  return { bytes, sha256: actual, url, leaseId: lease.lease_id };
}
