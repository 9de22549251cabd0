// Signers: a development key on local chains, or a Keplr-style extension (`window.keplr`).

import { DirectSecp256k1HdWallet, type OfflineSigner } from "@cosmjs/proto-signing";
import type { AppConfig } from "./config";

interface Keplr {
  experimentalSuggestChain(info: unknown): Promise<void>;
  enable(chainId: string): Promise<void>;
  getOfflineSigner(chainId: string): OfflineSigner;
}

declare global {
  interface Window {
    keplr?: Keplr;
  }
}

export function devSigner(mnemonic: string): Promise<OfflineSigner> {
  return DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "wasm" });
}

export function hasKeplr(): boolean {
  return typeof window.keplr?.getOfflineSigner === "function";
}

/** Asks the extension for this chain's signer, suggesting the chain first (local chains are unknown to it). */
export async function keplrSigner(config: AppConfig): Promise<OfflineSigner> {
  const keplr = window.keplr;
  if (!keplr) throw new Error("no Keplr-compatible wallet found");
  const [fee] = config.gasPrice.match(/[a-z][a-z0-9/]*$/i) ?? ["ugrid"];
  const currency = (denom: string) => ({ coinDenom: denom.slice(1).toUpperCase(), coinMinimalDenom: denom, coinDecimals: 6 });
  await keplr.experimentalSuggestChain({
    chainId: config.chainId,
    chainName: `GridShare (${config.chainId})`,
    rpc: config.rpcUrl,
    rest: config.rpcUrl,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: "wasm",
      bech32PrefixAccPub: "wasmpub",
      bech32PrefixValAddr: "wasmvaloper",
      bech32PrefixValPub: "wasmvaloperpub",
      bech32PrefixConsAddr: "wasmvalcons",
      bech32PrefixConsPub: "wasmvalconspub",
    },
    currencies: [currency(fee), currency(config.paymentDenom)],
    feeCurrencies: [{ ...currency(fee), gasPriceStep: { low: 0.025, average: 0.03, high: 0.04 } }],
    stakeCurrency: currency(fee),
  });
  await keplr.enable(config.chainId);
  return keplr.getOfflineSigner(config.chainId);
}
