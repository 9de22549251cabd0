//! GridShare staking: provider collateral, unbonding claims, slashing, staker rewards, work
//! emissions and voting-power snapshots.
//!
//! # Bonds and claims
//! One stake denom (a cw20 through `Receive { Bond {} }`, or a native denom through `Bond {}`) is
//! bonded per address. `Unbond` moves stake into a claim released after `unbonding_period`;
//! unbonded stake stops counting for collateral, voting and rewards at once. An address holds at
//! most [`MAX_CLAIMS`] pending claims (unbonds that mature in the same second share one claim).
//!
//! # Collateral lock
//! The marketplace tells staking how much of a provider's bond backs its listed GPUs with
//! `SetLocked { provider, amount }` (marketplace only). Staking therefore never queries the
//! marketplace: there is no query cycle between the two contracts, and the check at unbond time
//! is O(1) — a provider cannot unbond below its locked amount (`StakeLocked` carries bonded,
//! locked and requested). `min_stake_per_gpu` lives in this contract's config, and
//! `Collateral { address, gpus }` tells the marketplace whether a bond covers
//! `min_stake_per_gpu × gpus`. A slash may leave the bond below the lock; the lock is the
//! marketplace's to lower, and until it does the provider cannot unbond.
//!
//! # Slashing
//! The marketplace or the owner slashes up to the requested amount: bonded stake first, then
//! pending claims, latest-maturing first (the stake that would leave last is the stake the
//! provider is least likely to have counted on). It never takes more than exists; the response
//! and the `wasm-slash` event report the requested and the slashed amounts. The slashed tokens
//! are split by `compensation_ratio`: the compensation part is rounded down, and the treasury
//! receives the rest, so nothing is lost.
//!
//! # Rewards
//! Each accepted reward denom has a reward-per-share accumulator (`index`, a `Uint256` scaled by
//! [`REWARD_SCALE`]). A deposit raises the index by `amount × SCALE / total_bonded`; a staker's
//! entitlement is `bonded × (index − staker_index)`, settled before every change of its bond
//! (bond, unbond, slash) and on claim, so no operation loops over stakers. Entitlements are kept
//! in scaled units: the per-deposit division remainder is carried into the next deposit, and a
//! staker is paid whole units only, keeping its sub-unit remainder for later. So no rounding ever
//! favours a claimer and nothing is lost; the unassigned remainder is reported as `dust`.
//! Rewards deposited while nothing is bonded are kept as `undistributed` and distributed with the
//! next deposit made while something is bonded, pro rata to the stake bonded at that moment (not
//! at bond time: a bond alone never moves the index). Claims (unbonding stake) earn nothing.
//! `DepositRewards` refuses denoms that are not accepted, so every fee denom escrow may send must
//! be on the reward list. At most [`MAX_REWARD_DENOMS`] reward denoms ever exist, so `ClaimRewards` is
//! bounded.
//!
//! # Work emissions
//! The marketplace reports delivered GPU-seconds per provider with `ReportWork` (marketplace
//! only). Time is divided into epochs of `epoch_seconds` from instantiation. An epoch's emission
//! is `min(emission_per_epoch, pool)`, fixed when a provider first claims from the finished epoch,
//! and split by work share (rounded down; an epoch's remainder returns to the pool once every
//! provider of that epoch has claimed). Epochs without work emit nothing. The emission budget is a
//! pre-funded pool (`FundEmissions`, anyone, in the stake denom) rather than minting rights:
//! staking needs no privilege over the token contract (which may be any cw20 or a native denom),
//! the total ever emitted is bounded by what was funded, and governance controls the budget simply
//! by funding (or not funding) the pool from the treasury.
//!
//! # Voting power
//! Bonded stake per address is a `SnapshotMap<&Addr, Uint128>` and the total a
//! `SnapshotItem<Uint128>`, both with `Strategy::EveryBlock`. With cw-storage-plus semantics a
//! query at height `h` returns the value at the start of block `h`: a change made at height `h`
//! is visible from `h + 1`. `height: None` returns the current value.
//!
//! # Conservation
//! For every denom the contract holds exactly `bonded + claims + unclaimed rewards +
//! undistributed rewards + reward dust + emission pool + allocated emissions`, as reported by
//! `Totals {}`.

pub mod accumulator;
pub mod contract;
pub mod error;
pub mod execute;
pub mod funds;
pub mod msg;
pub mod query;
pub mod state;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;

pub const CONTRACT_NAME: &str = env!("CARGO_PKG_NAME");
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Pending unbonding claims per address; every loop over them is bounded by this.
pub const MAX_CLAIMS: u32 = 16;
/// Reward denoms that may ever exist (accepted now or in the past); `ClaimRewards` pays them all.
pub const MAX_REWARD_DENOMS: usize = 16;
/// Epochs one `ClaimEmissions` pays at most.
pub const MAX_EMISSION_CLAIM_EPOCHS: u32 = 32;
/// Longest slash reason, in bytes.
pub const MAX_REASON_LEN: usize = 256;
/// The reward index is reward per bonded unit times this.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;
