// Private jobs, as the keeper speaks them (keeper/src/privacy.rs; README "Security"): RFC 9180
// HPKE in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305, each use
// bound to its purpose and lease by HPKE's `info`. A sealed message is the 32-byte encapsulated
// key followed by the ciphertext. Pure JavaScript and WebCrypto: the same code runs in browsers
// and Node ≥ 20.

import { Chacha20Poly1305 } from "@hpke/chacha20poly1305";
import { CipherSuite, HkdfSha256 } from "@hpke/core";
import { DhkemX25519HkdfSha256 } from "@hpke/dhkem-x25519";
import { GridShareError } from "./errors.js";
import type { LeaseResponse, ProviderResponse } from "./generated/Marketplace.types.js";

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Chacha20Poly1305(),
});

export const X25519_KEY_PREFIX = "x25519:";
const INPUT_INFO = "gridshare/v1 input";
const text = (s: string) => new TextEncoder().encode(s);
const keyInfo = (leaseId: number) => text(`gridshare/v1 key lease ${leaseId}`);
const outputInfo = (leaseId: number) => text(`gridshare/v1 output lease ${leaseId}`);

/** A private job's keys failed: a key that is not one, a message that does not open. */
export class PrivacyError extends GridShareError {}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
function fromHex(value: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(value)) throw new PrivacyError(`not lowercase hex: ${value.slice(0, 16)}…`);
  return Uint8Array.from(value.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** An X25519 key pair: the secret's 32 bytes, and the public key as `x25519:<64 hex>` (keep both). */
export interface PrivacyKey {
  secret: Uint8Array;
  publicKey: string;
}

export async function generatePrivacyKey(): Promise<PrivacyKey> {
  const pair = await suite.kem.generateKeyPair();
  const secret = new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey));
  const pub = new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey));
  return { secret, publicKey: X25519_KEY_PREFIX + hex(pub) };
}

function parsePublicKey(value: string): Uint8Array {
  if (!value.startsWith(X25519_KEY_PREFIX) || value.length !== X25519_KEY_PREFIX.length + 64) {
    throw new PrivacyError(`not an x25519 key: ${value}`);
  }
  return fromHex(value.slice(X25519_KEY_PREFIX.length));
}

async function seal(publicKey: Uint8Array, info: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(publicKey);
  const { enc, ct } = await suite.seal({ recipientPublicKey, info }, plaintext);
  const out = new Uint8Array(enc.byteLength + ct.byteLength);
  out.set(new Uint8Array(enc), 0);
  out.set(new Uint8Array(ct), enc.byteLength);
  return out;
}

async function open(secret: Uint8Array, info: Uint8Array, sealed: Uint8Array, what: string): Promise<Uint8Array> {
  if (sealed.length < 32) throw new PrivacyError(`${what} is too short to open`);
  try {
    const recipientKey = await suite.kem.deserializePrivateKey(secret);
    const pt = await suite.open({ recipientKey, enc: sealed.slice(0, 32), info }, sealed.slice(32));
    return new Uint8Array(pt);
  } catch (e) {
    throw new PrivacyError(`${what} does not open with this key (wrong key, wrong lease, or tampered): ${String(e)}`);
  }
}

/**
 * A private job's input as its order carries it: the one-off order key's public half, then the
 * input sealed to it. Keep `order.secret`: each matched provider gets it sealed ({@link deliverOrderKey}).
 */
export async function sealInput(order: PrivacyKey, input: Uint8Array): Promise<Uint8Array> {
  const pub = parsePublicKey(order.publicKey);
  const sealed = await seal(pub, text(INPUT_INFO), input);
  const out = new Uint8Array(32 + sealed.length);
  out.set(pub, 0);
  out.set(sealed, 32);
  return out;
}

/** The order secret sealed to `provider`'s registered key for `lease` (one envelope per replica). */
export async function orderKeyEnvelope(provider: ProviderResponse, leaseId: number, orderSecret: Uint8Array): Promise<Uint8Array> {
  return seal(parsePublicKey(provider.public_key), keyInfo(leaseId), orderSecret);
}

/** Hands `lease`'s provider the order secret (its keeper checks it against the order's input). */
export async function deliverOrderKey(
  provider: ProviderResponse,
  lease: LeaseResponse,
  orderSecret: Uint8Array,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const envelope = await orderKeyEnvelope(provider, lease.lease_id, orderSecret);
  const url = `${provider.endpoint.replace(/\/+$/, "")}/leases/${lease.lease_id}/key`;
  const response = await fetchImpl(url, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: envelope as Uint8Array<ArrayBuffer>,
  });
  if (!response.ok) throw new PrivacyError(`${url}: HTTP ${response.status}: ${(await response.text()).trim()}`);
}

/** A private job's output, as a keeper serves it, opened with the renter's secret. */
export async function openOutput(renterSecret: Uint8Array, leaseId: number, sealed: Uint8Array): Promise<Uint8Array> {
  return open(renterSecret, outputInfo(leaseId), sealed, `the output of lease ${leaseId}`);
}
