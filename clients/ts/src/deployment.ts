// Where the suite lives on a chain: what `gridshare-keeper deploy` writes to
// `deployments/<chain-id>.json`.

/** The five contract addresses a client talks to. */
export interface ContractAddresses {
  /** GRID, the cw20 staking and governance token with premium tiers (access-token). */
  grid: string;
  staking: string;
  escrow: string;
  marketplace: string;
  governance: string;
}

export interface CodeRecord {
  code_id: number;
  checksum: string;
}

/** The deployment file, as written by the keeper. */
export interface Deployment {
  chain_id: string;
  deployer: string;
  codes: Record<string, CodeRecord>;
  contracts: ContractAddresses;
}

export const CONTRACT_KEYS = ["grid", "staking", "escrow", "marketplace", "governance"] as const;

/** Checks a parsed deployment file (from `fetch` or `readFile`) and returns it typed. */
export function parseDeployment(json: unknown): Deployment {
  const d = json as Partial<Deployment> | null;
  if (!d || typeof d.chain_id !== "string" || typeof d.contracts !== "object" || d.contracts === null) {
    throw new TypeError("not a GridShare deployment file: chain_id and contracts are required");
  }
  for (const key of CONTRACT_KEYS) {
    if (typeof d.contracts[key] !== "string" || d.contracts[key].length === 0) {
      throw new TypeError(`deployment ${d.chain_id}: contracts.${key} is missing`);
    }
  }
  return d as Deployment;
}

/** Contract name by address, for error messages (`grid` is reported as `access-token`). */
export function contractNames(contracts: ContractAddresses): Map<string, string> {
  return new Map<string, string>([
    [contracts.grid, "access-token"],
    [contracts.staking, "staking"],
    [contracts.escrow, "escrow"],
    [contracts.marketplace, "marketplace"],
    [contracts.governance, "governance"],
  ]);
}
