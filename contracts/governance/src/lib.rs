//! GridShare governance: proposals carrying contract messages, votes weighted by staked power,
//! and timelocked execution. After the hand-over (below) governance owns every GridShare contract,
//! so the suite needs no privileged key.
//!
//! # Proposals
//! A proposal has a title (at most [`MAX_TITLE_LEN`] bytes), a description (at most
//! [`MAX_DESCRIPTION_LEN`]) and up to [`MAX_PROPOSAL_MESSAGES`] messages, each executed as
//! governance: `WasmExecute { contract, msg, funds }`, `WasmMigrate { contract, new_code_id, msg }`
//! (governance must be the contract's wasm admin) and `BankSend { to, amount }` from the treasury,
//! which is simply this contract's balance. Addresses are validated and coins checked (positive,
//! valid, distinct denoms, sorted) when the proposal is made. A proposal without messages is a
//! signalling vote.
//!
//! Proposing is never free: the config requires a deposit, a minimum voting power, or both.
//! - **Deposit**: exactly the configured amount, either native coins attached to `Propose` or a cw20
//!   (e.g. GRID) sent with `Send { msg: {"propose":{…}} }`. Anything else (no deposit, another
//!   denom or token, another amount, a deposit when none is configured) is a typed error. The
//!   deposit is held until the proposal closes, then refunded to the proposer — unless the
//!   proposal was **vetoed**, in which case it stays in the treasury. Held deposits are not
//!   treasury: after every proposal's messages, `AssertDepositsHeld` checks that the contract
//!   still holds them, and the execution fails otherwise.
//! - **Minimum power**: the proposer's staked power at the proposal's start height must reach
//!   `min_proposer_power`.
//!
//! A proposal made at height `h` takes its voting power from staking's snapshots at `h`
//! (`VotingPowerAtHeight { height: Some(h) }`, `TotalPowerAtHeight`), i.e. the bonds at the start
//! of block `h`: stake bonded in that block or later gives no power on it, and stake unbonded
//! before it gives none either. The total power at `h` is the base of the quorum; a proposal
//! cannot be made while nothing is staked. The voting rules (quorum, threshold, veto threshold),
//! the timelock and the staking contract are fixed for a proposal when it opens; later config
//! changes do not touch it.
//!
//! # Votes
//! `Vote { proposal_id, vote }` with `yes`, `no`, `abstain` or `veto`, weighted by the voter's power
//! at the start height (no power: `NoVotingPower`). One vote per address, and **votes are final**:
//! voting again is refused with `AlreadyVoted` (the tally only grows, nobody can flip at the last
//! second, and each ballot is an exact record). Votes are accepted while the block time is before
//! `voting_ends_at = start + voting_period`; afterwards `VotingClosed`. There is no early end.
//!
//! # Outcome
//! Once voting has ended, anyone may `Close` the proposal (or `Execute` it, which closes it
//! first). In this order: fewer votes than `ceil(quorum × total power)` → `Rejected`; `veto >
//! veto_threshold × all votes` → `Vetoed` (deposit forfeited); `yes > threshold × (yes + no +
//! veto)` → `Passed`; otherwise `Rejected`. Abstentions count for the quorum only. Closing refunds
//! the deposit unless vetoed.
//!
//! # Execution
//! A passed proposal may be executed by anyone from `executable_at = voting_ends_at + timelock`.
//! Earlier: `TimelockActive`; a rejected or vetoed one: `NotPassed`; twice: `AlreadyExecuted`.
//! `Execute` dispatches the messages through a single `SubMsg` to governance itself with
//! `reply_on_error`, so they apply all together or not at all: if any message fails, none takes
//! effect, the reply records `ExecutionFailed { reason }`, and the transaction still succeeds —
//! a broken message never bricks governance. A failed proposal is final
//! (`ExecutionAlreadyFailed`): its messages were written for the state of the chain at the time,
//! so it must be proposed again.
//!
//! # Configuration
//! `UpdateConfig` is accepted only from governance itself, i.e. as a `WasmExecute` message of a
//! passed proposal addressed to this contract. There is no owner key.
//!
//! # Hand-over procedure
//! How the deployer hands the suite to governance, after which no key has any power. The
//! `handover` integration test performs these steps.
//!
//! 1. **Stake first.** Bond GRID in staking (a proposal cannot be made while nothing is staked,
//!    and only bonded stake votes). Decide the parameters: quorum, threshold, veto threshold,
//!    voting period, timelock, and the deposit (e.g. GRID, paid with `Send`) and/or
//!    `min_proposer_power`.
//! 2. **Deploy governance**: store the code and instantiate it with `staking` = the staking
//!    contract, with the deployer as its wasm admin for now. Then make governance its own wasm
//!    admin: `MsgUpdateAdmin { contract: governance, new_admin: governance }`, so that only a
//!    proposal can migrate governance.
//! 3. **Escrow**: `{"update_owner":{"owner":"<governance>"}}` from the current owner, then
//!    `MsgUpdateAdmin { contract: escrow, new_admin: governance }`.
//! 4. **Staking**: `{"update_owner":{"owner":"<governance>"}}`, then
//!    `MsgUpdateAdmin { contract: staking, new_admin: governance }`.
//! 5. **Access token (GRID)**: `{"update_admin":{"admin":"<governance>"}}` (tiers), then
//!    `MsgUpdateAdmin { contract: access-token, new_admin: governance }`. If GRID has a minter,
//!    `{"update_minter":{"new_minter":"<governance>"}}` (or `null` to fix the supply for good); if
//!    it has a marketing role, `{"update_marketing":{"marketing":"<governance>"}}`.
//! 6. **Marketplace**: `{"update_owner":{"owner":"<governance>"}}` (parameters and the GPU
//!    catalogue), then `MsgUpdateAdmin { contract: marketplace, new_admin: governance }`.
//! 7. **Verify**, for every contract: its config query names governance as owner/admin, and
//!    `ContractInfo` names governance as wasm admin; an `update_config` from the deployer's key
//!    now fails with `Unauthorized`, and so does a `MsgMigrateContract` or `MsgUpdateAdmin` from
//!    it. From here on, a parameter changes (e.g. staking's `unbonding_period` through
//!    `{"update_config":{"unbonding_period":…}}`, the marketplace's take rate through
//!    `{"update_params":{"take_rate_bps":…}}`, a premium tier through `{"set_tier":{…}}`) or a
//!    contract migrates (`WasmMigrate`) only through a proposal that passed and waited out its
//!    timelock.
//! 8. The deployer key holds no role any more; retire it.

pub mod contract;
pub mod error;
pub mod execute;
pub mod funds;
pub mod msg;
pub mod power;
pub mod query;
pub mod state;
pub mod tally;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Messages one proposal may carry.
pub const MAX_PROPOSAL_MESSAGES: usize = 16;
/// Longest title, in bytes.
pub const MAX_TITLE_LEN: usize = 256;
/// Longest description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 10_000;
/// Longest voting period, in seconds (one year).
pub const MAX_VOTING_PERIOD: u64 = 365 * 24 * 3600;
/// Longest timelock, in seconds (one year).
pub const MAX_TIMELOCK: u64 = 365 * 24 * 3600;
/// Longest recorded execution failure reason, in bytes.
pub const MAX_REASON_LEN: usize = 1_024;
