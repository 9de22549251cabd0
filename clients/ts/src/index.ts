// @gridshare/client: typed clients generated from the contracts' schemas (`contracts.*`), and the
// hand-written CosmJS layer a dApp needs on top of them.

export * from "./generated/index.js";
export * from "./client.js";
export * from "./deployment.js";
export * from "./dispute.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./follow.js";
export * from "./governance.js";
export * from "./market.js";
export * from "./orders.js";
export * from "./output.js";
export * from "./pagination.js";
export * from "./privacy.js";
export * from "./staking.js";

// The types a dApp handles most, by name (everything else: `contracts.<Contract>.<Type>`).
export type {
  CloseReason,
  Denom,
  JobInputs,
  JobSpec,
  LeaseResponse,
  LeaseResult,
  LeaseState,
  MarketStatsResponse,
  ModelResponse,
  OfferResponse,
  OrderResponse,
  OrderStatus,
  ProviderResponse,
  Requirements,
  Workload,
} from "./generated/Marketplace.types.js";
export type { ProposalMessage, ProposalResponse, ProposalStatus, VoteOption } from "./generated/Governance.types.js";
export type { StakerResponse } from "./generated/Staking.types.js";
