// What the app is pointed at, read from `config.json` next to index.html (written by
// `make app` for the local chain; by whoever deploys the app for a real one).

import { type Deployment, parseDeployment } from "@gridshare/client";

export interface DevAccount {
  name: string;
  mnemonic: string;
}

export interface AppConfig {
  rpcUrl: string;
  chainId: string;
  deployment: Deployment;
  /** The denom renters pay in, and how to show it. */
  paymentDenom: string;
  gasPrice: string;
  /** Local chains only: development keys a tester can switch between. Never on a real chain. */
  devAccounts: DevAccount[];
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("./config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status} (run the app with 'make app')`);
  const raw = (await response.json()) as Partial<AppConfig>;
  if (typeof raw.rpcUrl !== "string" || typeof raw.chainId !== "string") {
    throw new Error("config.json needs rpcUrl and chainId");
  }
  return {
    rpcUrl: raw.rpcUrl,
    chainId: raw.chainId,
    deployment: parseDeployment(raw.deployment),
    paymentDenom: raw.paymentDenom ?? "uusdc",
    gasPrice: raw.gasPrice ?? "0.025ugrid",
    devAccounts: Array.isArray(raw.devAccounts) ? raw.devAccounts : [],
  };
}
