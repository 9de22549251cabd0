//! Governance's messages.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Coin, Decimal, Uint128};
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
    /// A native denom or a cw20 token (e.g. GRID).
    pub denom: Denom,
    /// In base units of `denom`.
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
        /// The contract to execute (bech32 address, validated when the proposal is made).
        contract: String,
        /// Base64 of the JSON execute message; at most 16 KiB decoded.
        msg: Binary,
        /// Native coins to attach: positive amounts of distinct denoms (stored sorted); may be
        /// empty.
        funds: Vec<Coin>,
    },
    /// Migrates `contract` (governance must be its wasm admin) to `new_code_id`.
    WasmMigrate {
        /// The contract to migrate (bech32 address, validated when the proposal is made).
        contract: String,
        /// The stored code to migrate to; not 0.
        new_code_id: u64,
        /// Base64 of the JSON migrate message; at most 16 KiB decoded.
        msg: Binary,
    },
    /// Pays native coins from the treasury (this contract's balance).
    BankSend {
        /// The recipient (bech32 address, validated when the proposal is made).
        to: String,
        /// At least one coin: positive amounts of distinct native denoms (stored sorted).
        amount: Vec<Coin>,
    },
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum VoteOption {
    /// For the proposal.
    Yes,
    /// Against the proposal.
    No,
    /// Counts towards the quorum only.
    Abstain,
    /// No, and the proposal should not have been made: enough veto forfeits the deposit.
    Veto,
}

/// How a deposit is set by `UpdateConfig`.
#[cw_serde]
pub enum DepositSetting {
    /// Every new proposal must carry exactly this deposit (positive amount).
    Require(UncheckedDeposit),
    /// No deposit (a positive `min_proposer_power` must then be in force).
    Waive {},
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Opens a proposal; the native deposit, if one is configured, is attached.
    Propose {
        /// Non-blank, at most 256 bytes.
        title: String,
        /// At most 10 000 bytes; may be empty.
        description: String,
        /// At most 16 messages, run in order as governance when the proposal executes; none: a
        /// signalling vote. The stored proposal is at most 64 KiB.
        messages: Vec<ProposalMessage>,
    },
    /// cw20 entry: `Propose` with the configured cw20 deposit.
    Receive(Cw20ReceiveMsg),
    /// One vote per address, weighted by its staked power at the proposal's start height; final.
    Vote {
        /// An open proposal whose voting period has not ended.
        proposal_id: u64,
        /// The ballot; a second vote from the same address is refused.
        vote: VoteOption,
    },
    /// Anyone, once voting has ended: records the outcome and settles the deposit.
    Close {
        /// An open proposal whose voting period has ended.
        proposal_id: u64,
    },
    /// Anyone, once a passed proposal's timelock is over (closing it first if needed): runs its
    /// messages, all or nothing. A failure is recorded as `ExecutionFailed`, not returned.
    Execute {
        /// A passed (or passing, not yet closed) proposal whose timelock is over.
        proposal_id: u64,
    },
    /// Governance itself only (through a proposal). Fields left out keep their value; proposals
    /// already open keep the rules they started with. `timelock` may not go below the
    /// `min_timelock` fixed at instantiation, which no message changes.
    UpdateConfig {
        /// New staking contract whose snapshots weigh the votes of proposals opened from now on.
        staking: Option<String>,
        /// Require a (new) deposit, or waive it.
        deposit: Option<DepositSetting>,
        /// Staked power (stake-denom base units) a proposer needs at the start height; 0: none,
        /// which needs a deposit.
        min_proposer_power: Option<Uint128>,
        /// Share of the total power that must vote, in (0, 1].
        quorum: Option<Decimal>,
        /// Passing share of `yes / (yes + no + veto)` (strictly above), in [0.5, 1).
        threshold: Option<Decimal>,
        /// Veto share of all votes (strictly above) that vetoes, in (0, 1].
        veto_threshold: Option<Decimal>,
        /// Voting period in seconds, 1 to 31 536 000 (a year).
        voting_period: Option<u64>,
        /// Timelock in seconds, from `min_timelock` to 31 536 000 (a year).
        timelock: Option<u64>,
    },
    /// Internal: governance itself only, during `Execute`. Emits the proposal's messages.
    DispatchProposal {
        /// The proposal `Execute` is dispatching; any other is refused.
        proposal_id: u64,
    },
    /// Internal: governance itself only, after a proposal's messages. Fails when the treasury no
    /// longer covers the deposits held for open proposals.
    AssertDepositsHeld {},
}

/// The hook message inside a cw20 `Send` to governance.
#[cw_serde]
pub enum ReceiveMsg {
    /// Opens a proposal for the cw20 `Send`'s sender; the tokens sent must be exactly the
    /// configured cw20 deposit.
    Propose {
        /// Non-blank, at most 256 bytes.
        title: String,
        /// At most 10 000 bytes; may be empty.
        description: String,
        /// At most 16 messages, run in order as governance when the proposal executes; none: a
        /// signalling vote. The stored proposal is at most 64 KiB.
        messages: Vec<ProposalMessage>,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The configuration: the rules new proposals open with.
    #[returns(ConfigResponse)]
    Config {},
    /// One proposal, with its status as of the current block; an error if it does not exist.
    #[returns(ProposalResponse)]
    Proposal {
        /// The proposal's id (ids start at 1).
        proposal_id: u64,
    },
    /// Proposals by ascending id: at most `MAX_PROPOSALS_LIMIT` (8) per page, whatever `limit`
    /// asks (a proposal is at most `MAX_PROPOSAL_BYTES`, so a page stays well inside a query's
    /// gas limit). Page with `start_after` = the last id returned.
    #[returns(ProposalsResponse)]
    Proposals {
        /// Exclusive cursor: the last proposal id of the previous page.
        start_after: Option<u64>,
        /// Proposals to return: default and maximum 8.
        limit: Option<u32>,
    },
    /// One voter's ballot on a proposal (`None` if it has not voted).
    #[returns(VoteResponse)]
    Vote {
        /// The proposal's id.
        proposal_id: u64,
        /// The voter's address (bech32).
        voter: String,
    },
    /// Ballots on a proposal by ascending voter address.
    #[returns(VotesResponse)]
    Votes {
        /// The proposal's id.
        proposal_id: u64,
        /// Exclusive cursor: the last voter address of the previous page.
        start_after: Option<String>,
        /// Ballots to return: default 10, at most 100.
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
    /// The staking contract whose snapshots weigh the votes of new proposals.
    pub staking: Addr,
    /// The deposit every proposal must carry, exactly; `None`: no deposit.
    pub deposit: Option<Deposit>,
    /// Staked power (stake-denom base units) a proposer needs at the start height; 0: none.
    pub min_proposer_power: Uint128,
    /// Share of the total power at the start height that must vote (any option), in (0, 1].
    pub quorum: Decimal,
    /// A proposal passes when `yes / (yes + no + veto)` is strictly above this, in [0.5, 1).
    pub threshold: Decimal,
    /// A proposal is vetoed when `veto / all votes` is strictly above this, in (0, 1].
    pub veto_threshold: Decimal,
    /// Seconds a new proposal is open for votes.
    pub voting_period: u64,
    /// Seconds between the end of a passed vote and the moment it may be executed.
    pub timelock: u64,
    /// Fixed at instantiation: `timelock` can never be set below it.
    pub min_timelock: u64,
}

/// The rules a proposal is decided by, fixed when it opens.
#[cw_serde]
#[derive(Copy)]
pub struct VotingRules {
    /// Share of the total power at the start height that must vote (any option).
    pub quorum: Decimal,
    /// Passes when `yes / (yes + no + veto)` is strictly above this.
    pub threshold: Decimal,
    /// Vetoed (deposit forfeited) when `veto / all votes` is strictly above this.
    pub veto_threshold: Decimal,
}

#[cw_serde]
#[derive(Default, Copy)]
pub struct Tally {
    /// Voting power (stake-denom base units at the start height) cast `yes`.
    pub yes: Uint128,
    /// Voting power cast `no`.
    pub no: Uint128,
    /// Voting power cast `abstain` (counts for the quorum only).
    pub abstain: Uint128,
    /// Voting power cast `veto`.
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
    ExecutionFailed {
        /// The error of the failing message, truncated to 1 024 bytes.
        reason: String,
    },
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
    /// The deposit's denom: a native denom or a cw20 token.
    pub denom: Denom,
    /// In base units of `denom`.
    pub amount: Uint128,
    /// Who paid it (the proposer); receives the refund.
    pub depositor: Addr,
    /// Held, refunded or forfeited.
    pub status: DepositStatus,
}

#[cw_serde]
pub struct ProposalResponse {
    /// The proposal's id (ids start at 1).
    pub id: u64,
    /// The proposal's title.
    pub title: String,
    /// The proposal's description.
    pub description: String,
    /// Who made the proposal.
    pub proposer: Addr,
    /// What executing it runs, in order, as stored (addresses validated, coins sorted).
    pub messages: Vec<ProposalMessage>,
    /// The staking contract whose snapshots weigh this proposal's votes.
    pub staking: Addr,
    /// Voting power is read at this height (the block the proposal was made in: stake bonded in
    /// that block or later does not count).
    pub start_height: u64,
    /// Block time of the proposal, in seconds since the Unix epoch.
    pub start_time: u64,
    /// Votes are accepted while the block time is before this.
    pub voting_ends_at: u64,
    /// `voting_ends_at + timelock`: a passed proposal may be executed from then on.
    pub executable_at: u64,
    /// Total staked power at the start height: the base of the quorum.
    pub total_power: Uint128,
    /// The voting rules in force when it opened; later config changes do not affect it.
    pub rules: VotingRules,
    /// The voting power cast so far, by option.
    pub tally: Tally,
    /// As of the current block: an open proposal whose voting has ended shows the outcome that
    /// `Close` (or `Execute`) will record.
    pub status: ProposalStatus,
    /// The deposit paid with it; `None` when none was required.
    pub deposit: Option<ProposalDeposit>,
}

#[cw_serde]
pub struct ProposalsResponse {
    /// One page of proposals by ascending id, at most 8.
    pub proposals: Vec<ProposalResponse>,
}

#[cw_serde]
pub struct VoteInfo {
    /// Who voted.
    pub voter: Addr,
    /// The option chosen (final).
    pub vote: VoteOption,
    /// The voter's staked power at the proposal's start height, all cast for `vote`.
    pub power: Uint128,
}

#[cw_serde]
pub struct VoteResponse {
    /// The ballot; `None` if the address has not voted on the proposal.
    pub vote: Option<VoteInfo>,
}

#[cw_serde]
pub struct VotesResponse {
    /// One page of ballots by ascending voter address.
    pub votes: Vec<VoteInfo>,
}

#[cw_serde]
pub struct DepositsResponse {
    /// Per denom, the total held for proposals not yet closed, by ascending denom key (at most
    /// 100 denoms).
    pub deposits: Vec<Deposit>,
}
