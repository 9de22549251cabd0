// Writes config.json for the app from what localnet/suite.sh exports: the chain, the deployment
// file and, because this is a local development chain, the development keys.
//   node scripts/write-config.mjs <dir>
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const { GRIDSHARE_RPC: rpcUrl, GRIDSHARE_CHAIN_ID: chainId, GRIDSHARE_DEPLOYMENT: deploymentFile } = process.env;
if (!rpcUrl || !chainId || !deploymentFile) {
  console.error("GRIDSHARE_RPC, GRIDSHARE_CHAIN_ID and GRIDSHARE_DEPLOYMENT must be set (localnet/suite.sh sets them)");
  process.exit(2);
}
const devAccounts = readFileSync(join(repo, "localnet/dev-accounts.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("#"))
  .map((line) => {
    const [name, ...words] = line.trim().split(/\s+/);
    return { name, mnemonic: words.join(" ") };
  });
const config = {
  rpcUrl,
  chainId,
  deployment: JSON.parse(readFileSync(deploymentFile, "utf8")),
  paymentDenom: "uusdc",
  gasPrice: "0.025ugrid",
  devAccounts,
};
const out = join(resolve(process.argv[2] ?? "dist"), "config.json");
writeFileSync(out, JSON.stringify(config, null, 2) + "\n");
console.log(`wrote ${out} (${chainId} at ${rpcUrl})`);
