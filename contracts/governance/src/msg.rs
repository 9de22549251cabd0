//! Governance's messages.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Coin, Decimal, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use gridshare_types::{Denom, UncheckedDenom};
use std::fmt;

/// A proposal deposit as written in a message.
#[cw_serde]
pub struct UncheckedDeposit {
    /// A native denom (attach it to `Propose`) or a cw20 such as GRID (`Send` it with a
    /// `{"propose":{…}}` hook).
    pub denom: UncheckedDenom,
    /// Exactly this amount must come with every proposal; positive.
    pub amount: Uint128,
}

/// A validated proposal deposit.
#[cw_serde]
pub struct Deposit {
    pub denom: Denom,
    pub amount: Uint128,
}

#[cw_serde]
pub struct InstantiateMsg {
    /// The staking contract whose `VotingPowerAtHeight` / `TotalPowerAtHeight` weigh the votes.
    pub staking: String,
    /// The deposit every proposal must carry (`None`: no deposit).
    pub deposit: Option<UncheckedDeposit>,
    /// Voting power (at the proposal's start height) a proposer must have; 0: none. At least one
    /// of a deposit and a positive minimum power is required, so proposing is never free.
    pub min_proposer_power: Uint128,
    /// Share of the total power at the start height that must vote (any option), in (0, 1].
    pub quorum: Decimal,
    /// A proposal passes when `yes / (yes + no + veto)` is strictly above this, in [0.5, 1).
    pub threshold: Decimal,
    /// A proposal is vetoed (deposit forfeited) when `veto / all votes` is strictly above this,
    /// in (0, 1].
    pub veto_threshold: Decimal,
    /// Seconds a proposal is open for votes; between 1 and `MAX_VOTING_PERIOD`.
    pub voting_period: u64,
    /// Seconds between the end of a passed vote and the moment it may be executed; at least
    /// `min_timelock`, at most `MAX_TIMELOCK`.
    pub timelock: u64,
    /// The floor under `timelock`, fixed for good here: no `UpdateConfig` can set the timelock
    /// below it. At least 1 s (a passed proposal never runs in the block its vote ends), at most
    /// `MAX_TIMELOCK`. Development chains use 1; a production deployment should choose the
    /// shortest delay holders must always get to react to a passed proposal (e.g. 86400, a day).
    pub min_timelock: u64,
}

/// What a proposal does when executed, as governance itself (sender = this contract). Each `msg`
/// is at most `MAX_MSG_BYTES` (16 KiB), and the whole proposal as stored, with every `msg`
/// base64-encoded, at most `MAX_PROPOSAL_BYTES` (64 KiB).
#[cw_serde]
pub enum ProposalMessage {
    /// Executes `msg` on `contract` with `funds` from the treasury attached.
    WasmExecute {
        contract: String,
        msg: Binary,
        funds: Vec<Coin>,
    },
    /// Migrates `contract` (governance must be its wasm admin) to `new_code_id`.
    WasmMigrate {
        contract: String,
        new_code_id: u64,
        msg: Binary,
    },
    /// Pays native coins from the treasury (this contract's balance).
    BankSend { to: String, amount: Vec<Coin> },
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum VoteOption {
    Yes,
    No,
    Abstain,
    /// No, and the proposal should not have been made: enough veto forfeits the deposit.
    Veto,
}

/// How a deposit is set by `UpdateConfig`.
#[cw_serde]
pub enum DepositSetting {
    Require(UncheckedDeposit),
    /// No deposit (a positive `min_proposer_power` must then be in force).
    Waive {},
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Opens a proposal; the native deposit, if one is configured, is attached.
    Propose {
        title: String,
        description: String,
        messages: Vec<ProposalMessage>,
    },
    /// cw20 entry: `Propose` with the configured cw20 deposit.
    Receive(Cw20ReceiveMsg),
    /// One vote per address, weighted by its staked power at the proposal's start height; final.
    Vote { proposal_id: u64, vote: VoteOption },
    /// Anyone, once voting has ended: records the outcome and settles the deposit.
    Close { proposal_id: u64 },
    /// Anyone, once a passed proposal's timelock is over (closing it first if needed): runs its
    /// messages, all or nothing. A failure is recorded as `ExecutionFailed`, not returned.
    Execute { proposal_id: u64 },
    /// Governance itself only (through a proposal). Fields left out keep their value; proposals
    /// already open keep the rules they started with. `timelock` may not go below the
    /// `min_timelock` fixed at instantiation, which no message changes.
    UpdateConfig {
        staking: Option<String>,
        deposit: Option<DepositSetting>,
        min_proposer_power: Option<Uint128>,
        quorum: Option<Decimal>,
        threshold: Option<Decimal>,
        veto_threshold: Option<Decimal>,
        voting_period: Option<u64>,
        timelock: Option<u64>,
    },
    /// Internal: governance itself only, during `Execute`. Emits the proposal's messages.
    DispatchProposal { proposal_id: u64 },
    /// Internal: governance itself only, after a proposal's messages. Fails when the treasury no
    /// longer covers the deposits held for open proposals.
    AssertDepositsHeld {},
}

/// The hook message inside a cw20 `Send` to governance.
#[cw_serde]
pub enum ReceiveMsg {
    Propose {
        title: String,
        description: String,
        messages: Vec<ProposalMessage>,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    #[returns(ProposalResponse)]
    Proposal { proposal_id: u64 },
    /// Proposals by ascending id: at most `MAX_PROPOSALS_LIMIT` (8) per page, whatever `limit`
    /// asks (a proposal is at most `MAX_PROPOSAL_BYTES`, so a page stays well inside a query's
    /// gas limit). Page with `start_after` = the last id returned.
    #[returns(ProposalsResponse)]
    Proposals {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// One voter's ballot on a proposal (`None` if it has not voted).
    #[returns(VoteResponse)]
    Vote { proposal_id: u64, voter: String },
    /// Ballots on a proposal by ascending voter address.
    #[returns(VotesResponse)]
    Votes {
        proposal_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Deposits held for proposals not yet closed, per denom.
    #[returns(DepositsResponse)]
    Deposits {},
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    pub staking: Addr,
    pub deposit: Option<Deposit>,
    pub min_proposer_power: Uint128,
    pub quorum: Decimal,
    pub threshold: Decimal,
    pub veto_threshold: Decimal,
    pub voting_period: u64,
    pub timelock: u64,
    /// Fixed at instantiation: `timelock` can never be set below it.
    pub min_timelock: u64,
}

/// The rules a proposal is decided by, fixed when it opens.
#[cw_serde]
#[derive(Copy)]
pub struct VotingRules {
    pub quorum: Decimal,
    pub threshold: Decimal,
    pub veto_threshold: Decimal,
}

#[cw_serde]
#[derive(Default, Copy)]
pub struct Tally {
    pub yes: Uint128,
    pub no: Uint128,
    pub abstain: Uint128,
    pub veto: Uint128,
}

#[cw_serde]
pub enum ProposalStatus {
    /// Voting (or voting ended and nobody has closed it yet).
    Open,
    /// Quorum reached, not vetoed, threshold met: executable after the timelock.
    Passed,
    /// Quorum missed or threshold not met; the deposit was refunded.
    Rejected,
    /// Quorum reached and the veto share above the veto threshold; the deposit was forfeited.
    Vetoed,
    /// The messages ran, all of them successfully.
    Executed,
    /// One of the messages failed; none of them took effect. Final.
    ExecutionFailed { reason: String },
}

impl fmt::Display for ProposalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProposalStatus::Open => f.write_str("open"),
            ProposalStatus::Passed => f.write_str("passed"),
            ProposalStatus::Rejected => f.write_str("rejected"),
            ProposalStatus::Vetoed => f.write_str("vetoed"),
            ProposalStatus::Executed => f.write_str("executed"),
            ProposalStatus::ExecutionFailed { .. } => f.write_str("execution_failed"),
        }
    }
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum DepositStatus {
    /// Held by governance until the proposal closes.
    Held,
    /// Returned to the depositor when the proposal closed without a veto.
    Refunded,
    /// Kept in the treasury because the proposal was vetoed.
    Forfeited,
}

#[cw_serde]
pub struct ProposalDeposit {
    pub denom: Denom,
    pub amount: Uint128,
    pub depositor: Addr,
    pub status: DepositStatus,
}

#[cw_serde]
pub struct ProposalResponse {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub proposer: Addr,
    pub messages: Vec<ProposalMessage>,
    /// The staking contract whose snapshots weigh this proposal's votes.
    pub staking: Addr,
    /// Voting power is read at this height (the block the proposal was made in: stake bonded in
    /// that block or later does not count).
    pub start_height: u64,
    pub start_time: Timestamp,
    /// Votes are accepted while the block time is before this.
    pub voting_ends_at: Timestamp,
    /// `voting_ends_at + timelock`: a passed proposal may be executed from then on.
    pub executable_at: Timestamp,
    /// Total staked power at the start height: the base of the quorum.
    pub total_power: Uint128,
    pub rules: VotingRules,
    pub tally: Tally,
    /// As of the current block: an open proposal whose voting has ended shows the outcome that
    /// `Close` (or `Execute`) will record.
    pub status: ProposalStatus,
    pub deposit: Option<ProposalDeposit>,
}

#[cw_serde]
pub struct ProposalsResponse {
    pub proposals: Vec<ProposalResponse>,
}

#[cw_serde]
pub struct VoteInfo {
    pub voter: Addr,
    pub vote: VoteOption,
    pub power: Uint128,
}

#[cw_serde]
pub struct VoteResponse {
    pub vote: Option<VoteInfo>,
}

#[cw_serde]
pub struct VotesResponse {
    pub votes: Vec<VoteInfo>,
}

#[cw_serde]
pub struct DepositsResponse {
    pub deposits: Vec<Deposit>,
}
