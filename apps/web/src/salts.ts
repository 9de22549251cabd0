// Dispute salts, kept in this browser. Posting an order commits the sha256 of a secret salt
// (`dispute_salt_hash`); disputing its result later needs the salt itself, which is nowhere on
// chain. The renter view keeps each order's salt in `localStorage` under
// `gridshare:dispute-salt:<chain id>:<marketplace address>:<order id>`: order ids restart at 1 on
// every chain and every deployment, so the chain id and the marketplace's address are part of the
// key and one browser can serve several without mixing them up. Clearing the site's data loses the
// salts, and with them the possibility to dispute those orders.

/** The part of the Web Storage API used here (`localStorage`, or a stand-in in tests). */
export interface SaltStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const PREFIX = "gridshare:dispute-salt";

/** The storage key of order `orderId`'s dispute salt on `chainId`'s marketplace `marketplace`. */
export function disputeSaltKey(chainId: string, marketplace: string, orderId: number): string {
  return `${PREFIX}:${chainId}:${marketplace}:${orderId}`;
}

/** The browser's `localStorage`, or `undefined` where it is unavailable (disabled, sandboxed). */
export function browserStorage(): SaltStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores a salt; `false` when the storage is missing or refuses it (full, disabled). */
export function saveDisputeSalt(storage: SaltStorage | undefined, key: string, salt: string): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, salt);
    return storage.getItem(key) === salt;
  } catch {
    return false;
  }
}

/** The stored salt, if this browser has one (64 hex digits as the client makes them; 32–64 accepted). */
export function loadDisputeSalt(storage: SaltStorage | undefined, key: string): string | undefined {
  try {
    const salt = storage?.getItem(key) ?? undefined;
    return salt !== undefined && /^(?:[0-9a-fA-F]{2}){16,32}$/.test(salt) ? salt : undefined;
  } catch {
    return undefined;
  }
}
