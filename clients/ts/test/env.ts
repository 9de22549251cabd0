// The local chain the tests run against: `make ts-test` (scripts/localchain-test.sh) starts a fresh
// node, deploys the suite, starts a provider's keeper and passes where everything is in the
// environment. Without it the chain tests skip and say why.

import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Deployment, GridShare, parseDeployment } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../../.."); // dist/test -> repository root

export const rpcUrl = process.env.GRIDSHARE_RPC ?? "";
const deploymentFile = process.env.GRIDSHARE_DEPLOYMENT ?? "";

/** `{ skip }` for `describe` when no chain was started for the tests. */
export const chain = {
  skip: rpcUrl && deploymentFile ? false : "no local chain: run `make ts-test` (GRIDSHARE_RPC, GRIDSHARE_DEPLOYMENT unset)",
};

export function deployment(): Deployment {
  return parseDeployment(JSON.parse(readFileSync(deploymentFile, "utf8")));
}

/** A development account's mnemonic from localnet/dev-accounts.txt. */
export function mnemonic(account: string): string {
  const line = readFileSync(resolve(repo, "localnet/dev-accounts.txt"), "utf8")
    .split("\n")
    .find((l) => l.split(/\s+/)[0] === account);
  if (!line) throw new Error(`no development account ${account}`);
  return line.split(/\s+/).slice(1).join(" ").trim();
}

export async function wallet(account: string): Promise<DirectSecp256k1HdWallet> {
  return DirectSecp256k1HdWallet.fromMnemonic(mnemonic(account), { prefix: "wasm" });
}

/** Connects as a development account, the way a dApp connects with a wallet's signer. */
export async function connectAs(account: string): Promise<GridShare> {
  return GridShare.connect(await wallet(account), { rpcUrl, contracts: deployment() });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
