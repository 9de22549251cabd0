// Private jobs in the browser (README "Security"): this browser's X25519 key, to which outputs are
// sealed, and each private order's secret, which its matched providers' keepers receive sealed to
// their own keys. Both live in `localStorage` beside the dispute salts (../salts.ts), keyed by
// chain id and marketplace address; clearing the site's data loses them, and with them the outputs
// of private orders still running. A script injected into this origin could read them.

import { deliverOrderKey, generatePrivacyKey, type GridShare, type LeaseResponse, type OrderResponse, type PrivacyKey } from "@gridshare/client";
import type { SaltStorage } from "./salts";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));

function read(storage: SaltStorage | undefined, key: string): PrivacyKey | undefined {
  try {
    const value = storage?.getItem(key);
    if (!value) return undefined;
    const parsed = JSON.parse(value) as { secret?: string; publicKey?: string };
    if (!/^[0-9a-f]{64}$/.test(parsed.secret ?? "") || !/^x25519:[0-9a-f]{64}$/.test(parsed.publicKey ?? "")) return undefined;
    return { secret: unhex(parsed.secret ?? ""), publicKey: parsed.publicKey ?? "" };
  } catch {
    return undefined;
  }
}

function write(storage: SaltStorage | undefined, key: string, value: PrivacyKey): boolean {
  if (!storage) return false;
  try {
    const text = JSON.stringify({ secret: hex(value.secret), publicKey: value.publicKey });
    storage.setItem(key, text);
    return storage.getItem(key) === text;
  } catch {
    return false;
  }
}

export const renterKeyName = (chainId: string, marketplace: string) => `gridshare:renter-key:${chainId}:${marketplace}`;
export const orderKeyName = (chainId: string, marketplace: string, orderId: number) =>
  `gridshare:order-key:${chainId}:${marketplace}:${orderId}`;

/** This browser's key for outputs, made on first use; `undefined` without working storage. */
export async function renterKey(storage: SaltStorage | undefined, name: string): Promise<PrivacyKey | undefined> {
  const kept = read(storage, name);
  if (kept) return kept;
  const fresh = await generatePrivacyKey();
  return write(storage, name, fresh) ? fresh : undefined;
}

export const saveOrderKey = write;
export const loadKey = read;

/**
 * Hands each matched replica of a private order its key, once per lease and page: the keeper keeps
 * a valid envelope, so sending one again is harmless. Failures are retried at the next refresh.
 */
export async function deliverKeys(
  gs: GridShare,
  order: OrderResponse,
  leases: readonly LeaseResponse[],
  orderKey: PrivacyKey | undefined,
  delivered: Set<number>,
): Promise<void> {
  if (!order.spec.output_key || !orderKey) return;
  for (const lease of leases.filter((l) => l.state === "active" && !delivered.has(l.lease_id))) {
    try {
      const provider = await gs.query.marketplace.provider({ address: lease.provider });
      await deliverOrderKey(provider, lease, orderKey.secret);
      delivered.add(lease.lease_id);
    } catch {
      // The keeper may not be up yet or not see the lease yet: the next refresh tries again.
    }
  }
}
