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
//! **Sizes are capped**, so that no proposal, and no page of the `Proposals` query, can outgrow a
//! query's gas limit: each message's `msg` is at most [`MAX_MSG_BYTES`] (16 KiB;
//! `MessageTooLarge { index, size, max }`), and the whole proposal as stored (its JSON: title and
//! description as escaped, every `msg` base64-encoded, i.e. 4/3 of its bytes, funds, addresses and
//! the fixed fields) at most [`MAX_PROPOSAL_BYTES`] (64 KiB; `ProposalTooLarge { size, max }`).
//! `Proposals` returns at most [`MAX_PROPOSALS_LIMIT`] (8) proposals per page, whatever `limit` asks:
//! a full page of the largest proposals reads about 564 KiB, some 1.7 M gas at the SDK's 3 gas per
//! byte, well inside wasmd's default smart-query limit of 3 M. Clients page with
//! `start_after` = the last id returned, and must not take a page shorter than their `limit` as
//! the end of the list.
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
//! The timelock is never zero: `min_timelock` (at least 1 s) is fixed at instantiation, and no
//! configuration, hence no proposal, can set the timelock below it (`TimelockBelowMinimum`). So
//! holders always get at least that long between a vote's end and its effect, e.g. to unbond or
//! exit. (A migration of governance itself, which only a proposal can do and which waits out the
//! current timelock like any other, is the one way to change the floor.)
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
//! passed proposal addressed to this contract. There is no owner key and no owner-like role:
//! governance owns itself (and, after the hand-over, is its own wasm admin), so there is nothing
//! to hand over in two steps here. `min_timelock` is not part of `UpdateConfig` at all.
//!
//! # Hand-over procedure
//! How the deployer hands the suite to governance, after which no key has any power. The
//! `handover` integration test performs these steps.
//!
//! Every GridShare contract with a privileged owner (escrow, staking, the marketplace, and GRID's
//! tier admin) changes hands in **two steps** (`gridshare_plumbing::owner`): the owner offers the
//! contract with `{"update_ownership":{"transfer_ownership":{"new_owner":"<addr>","expiry":null}}}`,
//! and nothing changes until `<addr>` itself sends `{"update_ownership":{"accept_ownership":{}}}`.
//! Governance sends that acceptance the only way it sends anything: as a message of a proposal
//! that passed and waited out its timelock. There is deliberately no permissionless "accept"
//! shortcut: the acceptance proposal is the proof that this governance, as configured (staking
//! address, quorum, deposit, timelock), can actually pass and execute a proposal. If it cannot,
//! the proposal never executes and the deployer, still the owner, can fix or redeploy
//! governance; with an automatic acceptance a misconfigured governance would take the suite and
//! lock it for good. It also lets the holders see, and vote on, the moment they take over.
//!
//! 1. **Stake first.** Bond GRID in staking (a proposal cannot be made while nothing is staked,
//!    and only bonded stake votes). Decide the parameters: quorum, threshold, veto threshold,
//!    voting period, timelock and its floor `min_timelock` (production: at least a day, say
//!    `86400`; it can never be lowered), and the deposit (e.g. GRID, paid with `Send`) and/or
//!    `min_proposer_power`.
//! 2. **Deploy governance**: store the code and instantiate it with `staking` = the staking
//!    contract, with the deployer as its wasm admin for now.
//! 3. **Offer** each owned contract to governance, from the deployer's key:
//!    `{"update_ownership":{"transfer_ownership":{"new_owner":"<governance>","expiry":null}}}` to
//!    escrow, staking, the marketplace and the access token (GRID's tier admin). Nothing changes
//!    yet; `{"ownership":{}}` on each shows the pending owner. An `expiry` (block time in seconds)
//!    must leave room for the whole vote and timelock, or the acceptance fails; `null` is simplest,
//!    and `{"update_ownership":{"cancel_transfer":{}}}` withdraws an offer.
//! 4. **Accept by proposal**: anyone who may propose submits one proposal whose messages are
//!    `WasmExecute { contract, msg: {"update_ownership":{"accept_ownership":{}}}, funds: [] }` for
//!    each of the four contracts. The stakers vote; after the voting period and the timelock
//!    anyone executes it. Its messages apply all together or not at all: if any offer was
//!    withdrawn or expired, none is accepted (`ExecutionFailed`), and the deployer offers again
//!    and a new proposal accepts.
//! 5. **The one-step roles**, now that governance has shown it works: `MsgUpdateAdmin` to
//!    governance for escrow, staking, the marketplace, the access token, and governance itself
//!    (so that only a proposal can migrate governance). GRID's cw20-base roles keep cw20-base's
//!    one-step messages: if GRID has a minter, `{"update_minter":{"new_minter":"<governance>"}}`
//!    (or `null` to fix the supply for good); if it has a marketing role,
//!    `{"update_marketing":{"marketing":"<governance>"}}`.
//! 6. **Verify**, for every contract: `{"ownership":{}}` names governance as owner with no pending
//!    owner (and GRID's `{"admin":{}}` names governance), and `ContractInfo` names governance as
//!    wasm admin; an `update_config` or `update_ownership` from the deployer's key now fails
//!    (not the owner), and so does a `MsgMigrateContract` or `MsgUpdateAdmin` from it. From here
//!    on, a parameter changes (e.g. staking's `unbonding_period` through
//!    `{"update_config":{"unbonding_period":…}}`, the marketplace's take rate through
//!    `{"update_params":{"take_rate_bps":…}}`, a premium tier through `{"set_tier":{…}}`), a
//!    contract migrates (`WasmMigrate`), or a contract is offered on to a successor
//!    (`transfer_ownership`, which the successor must accept) only through a proposal that passed
//!    and waited out its timelock.
//! 7. The deployer key holds no role any more; retire it.

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
/// Longest `msg` of one `WasmExecute` or `WasmMigrate` message, in bytes (decoded, 16 KiB).
pub const MAX_MSG_BYTES: usize = 16 * 1024;
/// Largest proposal as stored, in bytes of its JSON (64 KiB): title, description, messages (each
/// `msg` base64-encoded, so 4/3 of its bytes, funds and addresses included) and the fixed fields.
pub const MAX_PROPOSAL_BYTES: usize = 64 * 1024;
/// What a stored proposal may grow by after it is made: the recorded failure reason (at most
/// [`MAX_REASON_LEN`] bytes, each at most 6 in JSON), the tally's counts and the deposit status.
pub const MAX_PROPOSAL_GROWTH: usize = 6 * MAX_REASON_LEN + 512;
/// Proposals one `Proposals` page returns at most, whatever its `limit`.
///
/// Reading a page costs about 3 gas per stored byte (the SDK's `ReadCostPerByte`), so a full page
/// of the largest proposals, `8 × (64 KiB + 6.5 KiB)` ≈ 564 KiB, costs about 1.7 M gas: well below
/// wasmd's default smart-query gas limit of 3 M, and no set of proposals can push it higher.
pub const MAX_PROPOSALS_LIMIT: usize = 8;
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
