//! The staking contract's interface: what the marketplace, escrow and governance send it, and what
//! anyone may ask it.
//!
//! `ExecuteMsg::DepositRewards {}` and `ReceiveMsg::DepositRewards {}` serialize exactly like
//! [`crate::fee_collector::FeeCollectorExecuteMsg`] and [`crate::fee_collector::FeeCollectorReceiveMsg`],
//! which is what escrow sends with every fee.

use crate::denom::{Denom, UncheckedDenom};
use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Decimal, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;

#[cw_serde]
pub struct InstantiateMsg {
    /// May change the configuration until governance takes over; defaults to the instantiator.
    pub owner: Option<String>,
    /// The only address that may lock collateral and report work; it may also slash.
    pub marketplace: String,
    /// Receives the part of every slash that does not compensate anyone.
    pub treasury: String,
    /// The one token that is bonded (and paid as work emissions): a cw20 or a native denom.
    pub stake_denom: UncheckedDenom,
    /// Seconds between `Unbond` and the moment its claim may be taken.
    pub unbonding_period: u64,
    /// Collateral a provider must keep bonded for every GPU it lists.
    pub min_stake_per_gpu: Uint128,
    /// Share (at most 1) of a slash paid to its compensation recipient; the treasury gets the rest.
    pub compensation_ratio: Decimal,
    /// Denoms accepted by `DepositRewards` (between 1 and the contract's maximum).
    pub reward_denoms: Vec<UncheckedDenom>,
    /// Length of a work-emission epoch in seconds; epoch 0 starts at instantiation. Fixed for the
    /// life of the contract.
    pub epoch_seconds: u64,
    /// Stake-denom units each epoch reserves from the emission pool (split by fee weight).
    pub emission_per_epoch: Uint128,
    /// Emission weight per base unit of fee, per fee denom (a denom without a weight earns no
    /// emissions). Defaults to weight 1 for every reward denom.
    pub emission_weights: Option<Vec<UncheckedEmissionWeight>>,
}

/// How much emission weight one base unit of fee in `denom` carries, as a user writes it.
#[cw_serde]
pub struct UncheckedEmissionWeight {
    /// The fee denom; at most one entry per denom (duplicates are refused).
    pub denom: UncheckedDenom,
    /// Emission-weight units per base unit of fee in `denom`, at most 2^64 − 1; 0 earns nothing.
    pub weight: Uint128,
}

/// How much emission weight one base unit of fee in `denom` carries.
#[cw_serde]
pub struct EmissionWeight {
    /// The fee denom the weight applies to.
    pub denom: Denom,
    /// Emission-weight units per base unit of fee in `denom` (at most 2^64 − 1; 0 earns nothing).
    pub weight: Uint128,
}

/// Emission parameters that take effect at the start of epoch `from_epoch`.
#[cw_serde]
pub struct ScheduledEmission {
    /// The first epoch (index, counted from 0 at instantiation) these values apply to: the
    /// epoch after the one in which the owner changed them.
    pub from_epoch: u64,
    /// Stake-denom base units each epoch from `from_epoch` on reserves from the emission pool.
    pub emission_per_epoch: Uint128,
    /// Fee weights from `from_epoch` on, sorted by denom; a denom missing here earns nothing.
    pub emission_weights: Vec<EmissionWeight>,
}

/// How much of a provider's stake one slash takes.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum SlashRule {
    /// A fixed amount of the stake token.
    Fixed {
        /// Stake-denom base units to take (capped at the provider's bond plus pending claims).
        amount: Uint128,
    },
    /// Basis points of the provider's bond when the slash executes (rounded down; at most
    /// 10 000 counts).
    BondBps {
        /// Basis points of the current bond (10 000 = all of it); values above 10 000 count as
        /// 10 000.
        bps: u16,
    },
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Bonds exactly one attached coin of the stake denom (when the stake denom is native).
    Bond {},
    /// cw20 entry: `Bond` and `FundEmissions` with the stake token, `DepositRewards` with an
    /// accepted reward token.
    Receive(Cw20ReceiveMsg),
    /// Moves `amount` of the sender's bonded stake into a claim released after the unbonding
    /// period. The stake stops counting for collateral, voting and rewards at once. Never below
    /// the amount the marketplace has locked.
    Unbond {
        /// Stake-denom base units to unbond: positive, at most the bond minus the locked amount.
        amount: Uint128,
    },
    /// Pays the sender every claim that has matured.
    Claim {},
    /// Marketplace only. Sets the part of `provider`'s bond that backs listed GPUs and cannot be
    /// unbonded (0 releases it). May not exceed the current bond.
    SetLocked {
        /// The provider's address (bech32).
        provider: String,
        /// The new locked amount in stake-denom base units (replaces the previous one). Raising it
        /// above the current bond is refused; lowering it is always allowed.
        amount: Uint128,
    },
    /// Marketplace only (governance slashes through the marketplace's dispute and parameter
    /// paths). Takes what `rule` asks of `provider`'s stake as it is when this message executes,
    /// so several slashes in one transaction compound: bonded stake first, then pending claims,
    /// latest-maturing first, never more than exists. What was taken is split between
    /// `compensation` (by the compensation ratio, rounded down) and the treasury. A slash that
    /// computes to zero succeeds and changes nothing (its `slash` event says so).
    Slash {
        /// The provider whose stake is taken (bech32 address).
        provider: String,
        /// How much to take: a fixed amount or basis points of the current bond.
        rule: SlashRule,
        /// Why, for the `slash` event: 1 to 256 bytes.
        reason: String,
        /// The marketplace lease the slash is for; only reported in the event (`none` if unset).
        lease_id: Option<u64>,
        /// Receives `compensation_ratio` of what was taken (rounded down). Unset: everything goes
        /// to the treasury.
        compensation: Option<String>,
    },
    /// Anyone. The attached native coins (of accepted reward denoms) are rewards for stakers.
    DepositRewards {},
    /// Pays the sender its rewards in every reward denom.
    ClaimRewards {},
    /// Anyone. Adds exactly one attached coin of the stake denom (when native) to the emission
    /// pool; if the current epoch has reserved less than its emission, it is topped up first.
    FundEmissions {},
    /// Marketplace only. Credits an accepted lease's work to `provider` in the current epoch:
    /// `gpu_seconds` delivered (accepted units × billable seconds) and the fee its payment
    /// carried, which weighs the provider's share of the epoch's emission (`fee_paid.amount ×` the
    /// denom's emission weight). `fee_paid` is `None` when the lease paid no fee or renter and
    /// provider are the same account; such work is recorded but earns no emissions.
    ReportWork {
        /// The provider credited with the work (bech32 address).
        provider: String,
        /// GPU-seconds delivered (accepted units × billable seconds); must be positive. Recorded
        /// for statistics only; it does not weigh the emission share.
        gpu_seconds: u64,
        /// The fee the lease's payment carried (denom and base units); its amount × the denom's
        /// emission weight is the work's weight. `None`: recorded with weight 0.
        fee_paid: Option<DenomAmount>,
    },
    /// Pays the sender its share of finished epochs' emissions, oldest first, for at most `limit`
    /// epochs (default and maximum: the contract's cap).
    ClaimEmissions {
        /// Finished epochs to settle at most: 1 to 32 (0 or more than 32 is refused); default 32.
        limit: Option<u32>,
    },
    /// Owner only. Fields left out keep their value. The stake denom and the epoch length are
    /// fixed. `emission_per_epoch` and `emission_weights` take effect from the next epoch.
    /// `reward_denoms` (and `marketplace`) are refused when a denom escrow accepts would no
    /// longer be a reward denom (checked through the marketplace's config; skipped while the
    /// marketplace address does not answer that query).
    UpdateConfig {
        /// New marketplace address: the only sender of `SetLocked`, `Slash` and `ReportWork`.
        marketplace: Option<String>,
        /// New treasury address: receives the uncompensated part of every slash.
        treasury: Option<String>,
        /// New unbonding period in seconds; applies to later `Unbond`s only (existing claims keep
        /// their release time).
        unbonding_period: Option<u64>,
        /// New collateral per listed GPU, in stake-denom base units.
        min_stake_per_gpu: Option<Uint128>,
        /// New share of each slash paid to its compensation recipient, 0 to 1.
        compensation_ratio: Option<Decimal>,
        /// Replaces the denoms `DepositRewards` accepts: 1 to 16, deduplicated. Reward pools are
        /// never removed and at most 16 may ever exist.
        reward_denoms: Option<Vec<UncheckedDenom>>,
        /// New stake-denom base units reserved per epoch, from the next epoch on.
        emission_per_epoch: Option<Uint128>,
        /// Replaces the whole fee-weight list (at most 16 entries, one per denom) from the next
        /// epoch on.
        emission_weights: Option<Vec<UncheckedEmissionWeight>>,
    },
    /// Two-step hand-over: the owner offers the contract (to governance, after launch), the
    /// new owner accepts.
    UpdateOwnership(crate::owner::OwnerAction),
}

/// The hook message inside a cw20 `Send` to staking.
#[cw_serde]
pub enum ReceiveMsg {
    /// The stake token only: bonds the amount for the cw20 sender.
    Bond {},
    /// An accepted reward token: the amount is rewards for stakers.
    DepositRewards {},
    /// The stake token only: the amount joins the emission pool.
    FundEmissions {},
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The configuration, with the emission parameters in force for the current epoch.
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    /// One address's bond, lock and unbonding total.
    #[returns(StakerResponse)]
    Staker {
        /// The staker's address (bech32).
        address: String,
    },
    /// Addresses with bonded stake, by ascending address.
    #[returns(StakersResponse)]
    Stakers {
        /// Exclusive cursor: the last address of the previous page.
        start_after: Option<String>,
        /// Stakers to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Pending unbonding claims of one address, by ascending claim id.
    #[returns(ClaimsResponse)]
    Claims {
        /// The staker's address (bech32).
        address: String,
        /// Exclusive cursor: the last claim id of the previous page.
        start_after: Option<u64>,
        /// Claims to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Whether `address`'s bond covers `min_stake_per_gpu × gpus`.
    #[returns(CollateralResponse)]
    Collateral {
        /// The provider's address (bech32).
        address: String,
        /// GPUs the bond must cover; `required` is `min_stake_per_gpu × gpus`.
        gpus: u32,
    },
    /// Rewards `address` could claim now, per reward denom.
    #[returns(PendingRewardsResponse)]
    PendingRewards {
        /// The staker's address (bech32).
        address: String,
    },
    /// The accounting of every reward denom ever accepted.
    #[returns(RewardPoolsResponse)]
    RewardPools {},
    /// Bonded stake of `address` at the start of block `height` (default: now).
    #[returns(VotingPowerResponse)]
    VotingPowerAtHeight {
        /// The staker's address (bech32).
        address: String,
        /// Block height; a change made in block `h` counts from `h + 1`. Default: the current
        /// bond.
        height: Option<u64>,
    },
    /// Total bonded stake at the start of block `height` (default: now).
    #[returns(VotingPowerResponse)]
    TotalPowerAtHeight {
        /// Block height; a change made in block `h` counts from `h + 1`. Default: the current
        /// total.
        height: Option<u64>,
    },
    /// The emission pool and the epoch clock.
    #[returns(EmissionsResponse)]
    Emissions {},
    /// One epoch's work and emission (default: the current epoch).
    #[returns(EpochResponse)]
    Epoch {
        /// Epoch index (0 is the instantiation's epoch); default: the current epoch.
        epoch: Option<u64>,
    },
    /// Unclaimed work of one provider, by ascending epoch.
    #[returns(ProviderWorkResponse)]
    ProviderWork {
        /// The provider's address (bech32).
        address: String,
        /// Exclusive cursor: the last epoch index of the previous page.
        start_after: Option<u64>,
        /// Epochs to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// What the contract must hold, per denom.
    #[returns(TotalsResponse)]
    Totals {},
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// May send `UpdateConfig` and offer the contract to a new owner.
    pub owner: Addr,
    /// The only sender of `SetLocked`, `Slash` and `ReportWork`.
    pub marketplace: Addr,
    /// Receives the part of every slash that does not compensate anyone.
    pub treasury: Addr,
    /// The token that is bonded and paid as work emissions; fixed for the contract's life.
    pub stake_denom: Denom,
    /// Seconds between an `Unbond` and the moment its claim may be taken.
    pub unbonding_period: u64,
    /// Collateral per listed GPU, in stake-denom base units.
    pub min_stake_per_gpu: Uint128,
    /// Share (0 to 1) of a slash paid to its compensation recipient; the treasury gets the rest.
    pub compensation_ratio: Decimal,
    /// Denoms `DepositRewards` accepts now, sorted.
    pub reward_denoms: Vec<Denom>,
    /// Length of an epoch in seconds; fixed for the contract's life.
    pub epoch_seconds: u64,
    /// In force for the current epoch.
    pub emission_per_epoch: Uint128,
    /// In force for the current epoch, by denom.
    pub emission_weights: Vec<EmissionWeight>,
    /// A change that takes effect from a later epoch, if any.
    pub scheduled_emission: Option<ScheduledEmission>,
}

#[cw_serde]
pub struct StakerResponse {
    /// The staker.
    pub address: Addr,
    /// Bonded stake in stake-denom base units: its collateral, voting power and reward share.
    pub bonded: Uint128,
    /// The part of `bonded` the marketplace has locked as collateral (may exceed `bonded` after a slash).
    pub locked: Uint128,
    /// Sum of the pending claims.
    pub unbonding: Uint128,
    /// Number of pending unbonding claims (at most 16).
    pub claims: u32,
}

#[cw_serde]
pub struct StakersResponse {
    /// One page of stakers with a non-zero bond, by ascending address.
    pub stakers: Vec<StakerResponse>,
}

#[cw_serde]
pub struct ClaimResponse {
    /// The claim's id (unique across all stakers); the pagination cursor.
    pub id: u64,
    /// Stake-denom base units the claim pays (less whatever slashes have taken from it).
    pub amount: Uint128,
    /// Seconds since the Unix epoch at which the claim may be taken.
    pub release_at: u64,
    /// Whether `release_at` has passed at the current block time, so `Claim` pays it.
    pub matured: bool,
}

#[cw_serde]
pub struct ClaimsResponse {
    /// One page of the address's pending claims, by ascending id.
    pub claims: Vec<ClaimResponse>,
}

#[cw_serde]
pub struct CollateralResponse {
    /// The address's bonded stake, in stake-denom base units.
    pub bonded: Uint128,
    /// The part of the bond the marketplace has locked (may exceed `bonded` after a slash).
    pub locked: Uint128,
    /// `min_stake_per_gpu × gpus`.
    pub required: Uint128,
    /// `bonded ≥ required`.
    pub sufficient: bool,
}

#[cw_serde]
pub struct DenomAmount {
    /// The denom the amount is in.
    pub denom: Denom,
    /// In base units of `denom`.
    pub amount: Uint128,
}

#[cw_serde]
pub struct PendingRewardsResponse {
    /// Whole base units `ClaimRewards` would pay now, one entry per reward pool (zeros included).
    pub rewards: Vec<DenomAmount>,
}

#[cw_serde]
pub struct RewardPoolResponse {
    /// The reward denom; all amounts below are in its base units.
    pub denom: Denom,
    /// Whether `DepositRewards` still accepts this denom (claims always work).
    pub accepted: bool,
    /// Reward per bonded unit, scaled by `REWARD_SCALE`.
    pub index: Uint256,
    /// Everything ever deposited.
    pub deposited: Uint128,
    /// Everything ever paid to stakers.
    pub claimed: Uint128,
    /// Deposited while nothing was bonded; joins the next deposit made while something is bonded.
    pub undistributed: Uint128,
    /// Owed to stakers (whole units, including stakers' sub-unit remainders that add up).
    pub unclaimed: Uint128,
    /// Rounding remainder held here and attributed to no staker yet.
    pub dust: Uint128,
}

#[cw_serde]
pub struct RewardPoolsResponse {
    /// Every reward pool (at most 16), by denom.
    pub pools: Vec<RewardPoolResponse>,
}

#[cw_serde]
pub struct VotingPowerResponse {
    /// Bonded stake (stake-denom base units) at the start of block `height`.
    pub power: Uint128,
    /// The height asked for, or the current block height when none was given.
    pub height: u64,
}

#[cw_serde]
pub struct EmissionsResponse {
    /// Stake-denom units funded and not yet reserved by any epoch.
    pub pool: Uint128,
    /// Reserved by epochs (the current one included) and not yet paid (including rounding
    /// remainders of epochs whose providers have not all claimed).
    pub allocated: Uint128,
    /// Everything ever added with `FundEmissions`, in stake-denom base units.
    pub funded: Uint128,
    /// Everything ever paid to providers by `ClaimEmissions`, in stake-denom base units.
    pub paid: Uint128,
    /// Index of the epoch that contains the current block time.
    pub current_epoch: u64,
    /// Seconds since the Unix epoch at which epoch 0 started.
    pub genesis: u64,
    /// Length of an epoch in seconds.
    pub epoch_seconds: u64,
    /// In force for the current epoch.
    pub emission_per_epoch: Uint128,
}

#[cw_serde]
pub struct EpochResponse {
    /// The epoch's index.
    pub epoch: u64,
    /// Seconds since the Unix epoch at which the epoch starts (`genesis + epoch × epoch_seconds`).
    pub start: u64,
    /// Seconds since the Unix epoch at which it ends (exclusive): `start + epoch_seconds`.
    pub end: u64,
    /// Whether the epoch is over, so its work can be claimed.
    pub finished: bool,
    /// GPU-seconds reported (statistics; emissions follow `total_weight`).
    pub total_work: Uint128,
    /// Fee weight reported; the emission is split by it.
    pub total_weight: Uint256,
    /// Reserved from the pool when the first weighted work opened the epoch, topped up by
    /// `FundEmissions` while the epoch was current; final once it is finished. `None` while no
    /// weighted work has been reported (such an epoch reserves nothing).
    pub emission: Option<Uint128>,
    /// The `emission_per_epoch` in force for this epoch when it opened: what top-ups aim at.
    pub emission_target: Option<Uint128>,
    /// GPU-seconds of the work whose providers have claimed.
    pub claimed_work: Uint128,
    /// Fee weight of the work whose providers have claimed.
    pub claimed_weight: Uint256,
    /// Stake-denom base units paid to this epoch's providers so far.
    pub paid: Uint128,
}

#[cw_serde]
pub struct WorkResponse {
    /// The epoch the work was reported in.
    pub epoch: u64,
    /// GPU-seconds the provider delivered in the epoch (statistics).
    pub gpu_seconds: Uint128,
    /// Fee weight: this provider's share of the epoch's emission is `weight / total_weight`.
    pub weight: Uint256,
    /// Whether the epoch is over, so `ClaimEmissions` can pay this work.
    pub finished: bool,
}

#[cw_serde]
pub struct ProviderWorkResponse {
    /// One page of the provider's unclaimed work, by ascending epoch (claimed work is removed).
    pub work: Vec<WorkResponse>,
}

/// What the contract must hold in one denom; `total` is the sum of the other fields.
#[cw_serde]
pub struct DenomHoldings {
    /// The denom; all amounts below are in its base units.
    pub denom: Denom,
    /// Total bonded stake (the stake denom only; 0 otherwise).
    pub bonded: Uint128,
    /// Sum of all pending unbonding claims (the stake denom only; 0 otherwise).
    pub claims: Uint128,
    /// Rewards owed to stakers and not yet paid (0 for a denom that is not a reward denom).
    pub rewards_unclaimed: Uint128,
    /// Rewards deposited while nothing was bonded, waiting for the next deposit.
    pub rewards_undistributed: Uint128,
    /// Reward rounding remainder attributed to no staker yet.
    pub rewards_dust: Uint128,
    /// Emission funding not yet reserved by any epoch (the stake denom only; 0 otherwise).
    pub emission_pool: Uint128,
    /// Emissions reserved by epochs and not yet paid (the stake denom only; 0 otherwise).
    pub emissions_allocated: Uint128,
    /// The sum of the fields above: what the contract must hold in this denom.
    pub total: Uint128,
}

#[cw_serde]
pub struct TotalsResponse {
    /// The stake denom first, then every other denom that has a reward pool.
    pub totals: Vec<DenomHoldings>,
}
