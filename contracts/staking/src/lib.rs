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
//! Only the marketplace slashes (`Slash { provider, rule, reason, lease_id, compensation }`);
//! governance acts through the marketplace's dispute and parameter paths, never directly, so
//! every slash is tied to a lease or a rule the marketplace enforces. The amount is computed from
//! `rule` against the provider's bond **when the message executes**: `Fixed { amount }` takes
//! `amount`; `BondBps { bps }` takes `bonded × bps / 10 000`, rounded down, with `bps` capped at
//! 10 000. Several slashes in one transaction therefore compound (two `BondBps { 5000 }` leave a
//! quarter of the bond). The amount is taken from bonded stake first, then from pending claims,
//! latest-maturing first (the stake that would leave last is the stake the provider is least
//! likely to have counted on); it never takes more than exists. A slash that computes to zero
//! (zero bps, a bond too small for the rounding, nothing bonded) is a successful no-op: a crank
//! that settles leases must never revert because of it. The `wasm-slash` event always reports the
//! rule, the bond it was applied to, the requested and the slashed amounts and an `outcome`
//! (`slashed`, `zero_amount`, or `nothing_to_slash` when a positive amount found no stake). The
//! slashed tokens are split by `compensation_ratio`: the compensation part is rounded down, and
//! the treasury receives the rest, so nothing is lost.
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
//! # Reward denoms never break fee delivery
//! The suite keeps `escrow's accepted denoms ⊆ staking's reward denoms` (see
//! `gridshare_plumbing::denoms`): an `UpdateConfig` that changes `reward_denoms` or `marketplace`
//! (and instantiation) finds escrow by querying the marketplace's `Config {}` (its `escrow`
//! field), then escrow's `Config {}` (its `accepted_denoms`), and is refused with
//! `DenomListError::NotSubset`, naming the missing denom, if a denom escrow accepts would no
//! longer be a reward denom. While the configured marketplace does not answer that query — during
//! wiring it is a placeholder (the deployer), since staking is instantiated before the
//! marketplace exists — there is no escrow to check and the check is skipped; the response's
//! `reward_denoms_check` attribute says `checked`, `skipped` or `unchanged`. If the marketplace
//! answers but the escrow it names does not, the update is refused (`EscrowUnreachable`). Escrow
//! checks the same chain from its side when its own list changes.
//!
//! # Work emissions
//! Time is divided into epochs of `epoch_seconds` from instantiation. The emission budget is a
//! pre-funded pool (`FundEmissions`, anyone, in the stake denom) rather than minting rights:
//! staking needs no privilege over the token contract (which may be any cw20 or a native denom),
//! the total ever emitted is bounded by what was funded, and governance controls the budget simply
//! by funding (or not funding) the pool from the treasury.
//!
//! **Weight is the fee paid, not GPU-seconds.** For every accepted lease the marketplace sends
//! `ReportWork { provider, gpu_seconds, fee }`. `gpu_seconds` is recorded per provider and epoch
//! for statistics only (`ProviderWork`, `Epoch.total_work`); a provider's share of an epoch's
//! emission is its fee weight over the epoch's: `fee.amount × emission_weight(fee.denom)`. The
//! marketplace reports `fee: None` when the lease paid no fee or renter and provider are the same
//! account, and such work earns nothing; so does a fee in a denom without a weight (or with weight
//! 0). `emission_weights` (`[{denom, weight}]`, emission-weight units per base unit of fee, at
//! most [`MAX_EMISSION_WEIGHT`]) makes fee denoms comparable; it defaults to weight 1 for every
//! reward denom at instantiation (it does not follow later changes of the reward denoms). Why
//! fees: GPU-seconds cost a wash trader nothing (renting its own GPUs from itself, or reporting
//! idle capacity as work), so any emission paid for them could be farmed for free. A fee is paid
//! by the renter and delivered to stakers through escrow; weighing by it means that to earn a
//! share of the emission an attacker must pay exactly the fees that stakers receive, so wash
//! trading is never cheaper than buying the same share honestly, and it costs in proportion to the
//! share it buys.
//!
//! **An epoch's emission is fixed by the epoch, not by whoever claims first.** The first report
//! with a positive weight opens the epoch: it reserves `min(emission_per_epoch in force, pool)`
//! from the pool (moved to `allocated`) and records `emission_per_epoch` as the epoch's target.
//! While the epoch is the current one, every `FundEmissions` tops its reservation up towards the
//! target before the rest stays pooled. Once the epoch is finished its reservation is final:
//! claims only distribute what was reserved, so a claim made while the pool is empty can no longer
//! zero an epoch, and funding that arrives after an epoch has finished serves later epochs only.
//! Epochs without weighted work (no work, or only `fee: None` work) reserve nothing, so nothing
//! ever has to be returned from them. Providers claim finished epochs with `ClaimEmissions`
//! (oldest first, at most [`MAX_EMISSION_CLAIM_EPOCHS`] per call); each gets
//! `reserved × weight / total_weight`, rounded down, and the rounding remainder returns to the
//! pool when the last weighted provider of the epoch has claimed.
//!
//! **Parameter changes apply from the next epoch.** `UpdateConfig { emission_per_epoch,
//! emission_weights }` stores the new values with the epoch they take effect from (the next one;
//! `ConfigResponse.scheduled_emission` shows a pending change, and a second change in the same
//! epoch replaces it), so neither the current epoch's emission nor the weights of work already
//! reported in it can be changed under the providers' feet.
//!
//! # Ownership
//! Owner-only messages (`UpdateConfig`) check the owner stored in the config. The owner hands the
//! contract over in two steps with `UpdateOwnership` (`gridshare_plumbing::owner`): it offers the
//! contract to a new owner (optionally with an expiry), who must accept; the offer can be
//! cancelled. `Ownership {}` shows the owner and any pending offer.
//!
//! # Errors
//! Funds checks, ownership and the denom lists come from `gridshare_plumbing`; their errors are
//! wrapped transparently in [`ContractError`] (`Funds`, `Owner`, `DenomList`), so the message a
//! user reads is the plumbing's own and carries the values that were wrong.
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
/// Largest emission weight per base unit of fee. A fee (at most 2^128) times a weight is then at
/// most 2^192, so an epoch's total weight (a `Uint256`) cannot overflow in any realistic number of
/// reports, and `ReportWork` — part of the marketplace's settlement — never fails on it.
pub const MAX_EMISSION_WEIGHT: u128 = u64::MAX as u128;
/// Longest slash reason, in bytes.
pub const MAX_REASON_LEN: usize = 256;
/// The reward index is reward per bonded unit times this.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;
