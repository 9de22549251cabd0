// Token holders govern through the governance contract: propose (with the configured deposit),
// vote with staked power, and execute a passed proposal after its timelock.

import type { Coin } from "@cosmjs/amino";
import { toBinary } from "@cosmjs/cosmwasm-stargate";
import type { GridShare } from "./client.js";
import { wasmId } from "./events.js";
import type {
  ProposalMessage,
  ProposalResponse,
  VoteOption,
  VoteInfo,
} from "./generated/Governance.types.js";
import { collect, type PageOptions } from "./pagination.js";

export interface NewProposal {
  title: string;
  description: string;
  messages: ProposalMessage[];
}

/** A proposal message that executes `msg` (a plain object, JSON-encoded here) on `contract`. */
export function wasmExecute(contract: string, msg: object, funds: Coin[] = []): ProposalMessage {
  return { wasm_execute: { contract, msg: toBinary(msg), funds } };
}

/**
 * Opens a proposal and returns its id. A configured deposit is paid the way governance wants it:
 * attached for a native denom, a cw20 `Send` with a `propose` hook for GRID.
 */
export async function propose(gs: GridShare, proposal: NewProposal): Promise<number> {
  const config = await gs.query.governance.config();
  const deposit = config.deposit;
  let result;
  if (deposit && "cw20" in deposit.denom) {
    const hook = { propose: proposal };
    result = await gs.signingClient.execute(
      gs.address,
      deposit.denom.cw20,
      { send: { contract: gs.contracts.governance, amount: deposit.amount, msg: toBinary(hook) } },
      "auto",
    );
  } else {
    const funds = deposit && "native" in deposit.denom ? [{ denom: deposit.denom.native, amount: deposit.amount }] : [];
    result = await gs.tx.governance.propose(proposal, "auto", undefined, funds);
  }
  return wasmId(result, "proposal_id", gs.contracts.governance);
}

/** Votes with the sender's staked power at the proposal's start height. One vote, final. */
export async function vote(gs: GridShare, proposalId: number, option: VoteOption): Promise<string> {
  const result = await gs.tx.governance.vote({ proposalId, vote: option });
  return result.transactionHash;
}

/** Runs a passed proposal once its timelock is over (closing it first if nobody has). */
export async function executeProposal(gs: GridShare, proposalId: number): Promise<ProposalResponse> {
  await gs.tx.governance.execute({ proposalId });
  return gs.query.governance.proposal({ proposalId });
}

/** Records the outcome of a proposal whose vote has ended. */
export async function closeProposal(gs: GridShare, proposalId: number): Promise<ProposalResponse> {
  await gs.tx.governance.close({ proposalId });
  return gs.query.governance.proposal({ proposalId });
}

/** Proposals by ascending id. */
export function proposals(gs: GridShare, options?: PageOptions): Promise<ProposalResponse[]> {
  return collect(
    async (startAfter: number | undefined, limit) =>
      (await gs.query.governance.proposals({ startAfter, limit })).proposals,
    (p) => p.id,
    options,
  );
}

/** Ballots on a proposal by ascending voter address. */
export function votes(gs: GridShare, proposalId: number, options?: PageOptions): Promise<VoteInfo[]> {
  return collect(
    async (startAfter: string | undefined, limit) =>
      (await gs.query.governance.votes({ proposalId, startAfter, limit })).votes,
    (v) => v.voter,
    options,
  );
}

/** Seconds (chain time) until voting ends and until the proposal may be executed; 0 once passed. */
export async function proposalTimes(gs: GridShare, proposal: ProposalResponse) {
  const now = await gs.chainTimeSeconds();
  return {
    votingEndsIn: Math.max(0, proposal.voting_ends_at - now),
    executableIn: Math.max(0, proposal.executable_at - now),
  };
}
