// A result is only as good as its bytes: download the output a provider serves and check it against
// the sha256 the provider committed on chain before trusting it.

import { NoResultError, OutputFetchError, OutputHashMismatchError } from "./errors.js";
import type { LeaseResponse, OrderResponse } from "./generated/Marketplace.types.js";

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
  signal?: AbortSignal;
}

/** Lowercase hex sha256 (WebCrypto: the same code runs in browsers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The lease whose result stands for the order: accepted, with the canonical hash when there is one. */
export function acceptedLease(order: OrderResponse, leases: readonly LeaseResponse[]): LeaseResponse | undefined {
  return leases.find(
    (l) =>
      l.state === "accepted" &&
      l.result != null &&
      (order.canonical_sha256 == null || order.canonical_sha256 === l.result.sha256),
  );
}

/** Downloads a lease's output and verifies it against the on-chain commitment. */
export async function fetchVerifiedOutput(lease: LeaseResponse, options: FetchOutputOptions = {}): Promise<VerifiedOutput> {
  const result = lease.result;
  if (!result) throw new NoResultError(lease.order_id, `lease ${lease.lease_id} is ${lease.state} with no result`);
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
  const actual = await sha256Hex(bytes);
  if (actual !== result.sha256.toLowerCase()) throw new OutputHashMismatchError(url, result.sha256, actual);
  return { bytes, sha256: actual, url, leaseId: lease.lease_id };
}
