// The entry point: one object per connection that holds the typed contract clients, turns chain
// failures into typed errors and carries the fee settings, so the helpers stay free functions.

import { CosmWasmClient, SigningCosmWasmClient } from "@cosmjs/cosmwasm-stargate";
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";
import { type CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { AccessTokenClient, AccessTokenQueryClient } from "./generated/AccessToken.client.js";
import { EscrowClient, EscrowQueryClient } from "./generated/Escrow.client.js";
import { GovernanceClient, GovernanceQueryClient } from "./generated/Governance.client.js";
import { MarketplaceClient, MarketplaceQueryClient } from "./generated/Marketplace.client.js";
import { StakingClient, StakingQueryClient } from "./generated/Staking.client.js";
import { type ContractAddresses, contractNames, type Deployment } from "./deployment.js";
import { type ContractNames, InvalidRequestError, ReadOnlyError, toGridShareError } from "./errors.js";

export interface ConnectOptions {
  /** CometBFT RPC, e.g. `http://127.0.0.1:26657`; its websocket (`/websocket`) carries events. */
  rpcUrl: string;
  /** The deployment file, or just the contract addresses. */
  contracts: ContractAddresses | Deployment;
  /** Gas price for fees, e.g. `0.025ugrid` (the local chain's minimum). */
  gasPrice?: string;
  /** Simulated gas is multiplied by this; contract work can vary between simulation and block. */
  gasMultiplier?: number;
}

export interface QueryClients {
  grid: AccessTokenQueryClient;
  staking: StakingQueryClient;
  escrow: EscrowQueryClient;
  marketplace: MarketplaceQueryClient;
  governance: GovernanceQueryClient;
}

export interface ExecuteClients {
  grid: AccessTokenClient;
  staking: StakingClient;
  escrow: EscrowClient;
  marketplace: MarketplaceClient;
  governance: GovernanceClient;
}

export const DEFAULT_GAS_PRICE = "0.025ugrid";
export const DEFAULT_GAS_MULTIPLIER = 1.5;

export class GridShare {
  /** Typed queries on every contract; they throw `ContractError` with the contract's reason. */
  readonly query: QueryClients;
  readonly contracts: ContractAddresses;
  readonly names: ContractNames;
  private cometClient: CometClient | undefined;

  private constructor(
    readonly rpcUrl: string,
    contracts: ContractAddresses,
    /** The CosmJS client underneath, for anything this package does not wrap. */
    readonly cosmwasm: CosmWasmClient,
    private readonly signing: { client: SigningCosmWasmClient; sender: string } | undefined,
  ) {
    this.contracts = { ...contracts };
    this.names = contractNames(contracts);
    const c = this.contracts;
    this.query = {
      grid: new AccessTokenQueryClient(cosmwasm, c.grid),
      staking: new StakingQueryClient(cosmwasm, c.staking),
      escrow: new EscrowQueryClient(cosmwasm, c.escrow),
      marketplace: new MarketplaceQueryClient(cosmwasm, c.marketplace),
      governance: new GovernanceQueryClient(cosmwasm, c.governance),
    };
  }

  /** Connects with any CosmJS `OfflineSigner` (a mnemonic wallet, Keplr's `getOfflineSigner`). */
  static async connect(signer: OfflineSigner, options: ConnectOptions): Promise<GridShare> {
    const contracts = addressesOf(options.contracts);
    const names = contractNames(contracts);
    const [account] = await signer.getAccounts();
    if (!account) throw new InvalidRequestError("the signer offers no account to sign with");
    let client: SigningCosmWasmClient;
    try {
      client = await SigningCosmWasmClient.connectWithSigner(options.rpcUrl, signer, {
        gasPrice: GasPrice.fromString(options.gasPrice ?? DEFAULT_GAS_PRICE),
      });
    } catch (error) {
      throw toGridShareError(error, "query", [], names);
    }
    const typed = withTypedErrors(client, names, options.gasMultiplier ?? DEFAULT_GAS_MULTIPLIER);
    return new GridShare(options.rpcUrl, contracts, typed, { client: typed, sender: account.address });
  }

  /** Queries only: market data for visitors without a wallet. */
  static async connectReadOnly(options: Omit<ConnectOptions, "gasPrice" | "gasMultiplier">): Promise<GridShare> {
    const contracts = addressesOf(options.contracts);
    const names = contractNames(contracts);
    let client: CosmWasmClient;
    try {
      client = await CosmWasmClient.connect(options.rpcUrl);
    } catch (error) {
      throw toGridShareError(error, "query", [], names);
    }
    return new GridShare(options.rpcUrl, contracts, withTypedErrors(client, names, 1), undefined);
  }

  /** The signer's address; throws `ReadOnlyError` on a read-only connection. */
  get address(): string {
    return this.requireSigner("address").sender;
  }

  get canSign(): boolean {
    return this.signing !== undefined;
  }

  /** Typed execute clients (fee `"auto"`: simulated gas × `gasMultiplier`). */
  get tx(): ExecuteClients {
    const { client, sender } = this.requireSigner("sending a transaction");
    const c = this.contracts;
    return {
      grid: new AccessTokenClient(client, sender, c.grid),
      staking: new StakingClient(client, sender, c.staking),
      escrow: new EscrowClient(client, sender, c.escrow),
      marketplace: new MarketplaceClient(client, sender, c.marketplace),
      governance: new GovernanceClient(client, sender, c.governance),
    };
  }

  /** The signing CosmJS client, for transactions this package does not wrap. */
  get signingClient(): SigningCosmWasmClient {
    return this.requireSigner("the signing client").client;
  }

  /** Chain time of the latest block, in whole seconds. */
  async chainTimeSeconds(): Promise<number> {
    try {
      const block = await this.cosmwasm.getBlock();
      return Math.floor(Date.parse(block.header.time) / 1000);
    } catch (error) {
      throw toGridShareError(error, "query", [], this.names);
    }
  }

  /** Balance of a native denom, as a bigint of base units. */
  async balance(address: string, denom: string): Promise<bigint> {
    try {
      return BigInt((await this.cosmwasm.getBalance(address, denom)).amount);
    } catch (error) {
      throw toGridShareError(error, "query", [], this.names);
    }
  }

  /** A CometBFT RPC client for what CosmWasm queries cannot answer (the tx index). */
  async comet(): Promise<CometClient> {
    try {
      this.cometClient ??= await connectComet(this.rpcUrl);
      return this.cometClient;
    } catch (error) {
      throw toGridShareError(error, "query", [], this.names);
    }
  }

  disconnect(): void {
    this.cosmwasm.disconnect();
    this.cometClient?.disconnect();
  }

  private requireSigner(operation: string) {
    if (!this.signing) throw new ReadOnlyError(operation);
    return this.signing;
  }
}

function addressesOf(contracts: ContractAddresses | Deployment): ContractAddresses {
  return "contracts" in contracts ? contracts.contracts : contracts;
}

/**
 * Wraps a CosmJS client so that every contract call made through it (by the generated clients too)
 * throws a typed error, and `"auto"` fees use our gas multiplier instead of CosmJS's default.
 */
function withTypedErrors<T extends CosmWasmClient>(client: T, names: ContractNames, gasMultiplier: number): T {
  const fee = <F>(f: F): F | number => (f === "auto" ? gasMultiplier : f);
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      switch (property) {
        case "execute":
          return async (sender: string, contract: string, msg: unknown, f: unknown, ...rest: unknown[]) => {
            try {
              return await method.call(target, sender, contract, msg, fee(f), ...rest);
            } catch (error) {
              throw toGridShareError(error, "execute", [contract], names);
            }
          };
        case "executeMultiple":
          return async (sender: string, instructions: { contractAddress: string }[], f: unknown, ...rest: unknown[]) => {
            try {
              return await method.call(target, sender, instructions, fee(f), ...rest);
            } catch (error) {
              const addresses = instructions.map((i) => i.contractAddress);
              throw toGridShareError(error, "execute", addresses, names);
            }
          };
        case "queryContractSmart":
          return async (contract: string, query: unknown) => {
            try {
              return await method.call(target, contract, query);
            } catch (error) {
              throw toGridShareError(error, "query", [contract], names);
            }
          };
        default:
          return method.bind(target);
      }
    },
  });
}
