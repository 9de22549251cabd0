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
    pub denom: UncheckedDenom,
    pub weight: Uint128,
}

/// How much emission weight one base unit of fee in `denom` carries.
#[cw_serde]
pub struct EmissionWeight {
    pub denom: Denom,
    pub weight: Uint128,
}

/// Emission parameters that take effect at the start of epoch `from_epoch`.
#[cw_serde]
pub struct ScheduledEmission {
    pub from_epoch: u64,
    pub emission_per_epoch: Uint128,
    pub emission_weights: Vec<EmissionWeight>,
}

/// How much of a provider's stake one slash takes.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum SlashRule {
    /// A fixed amount of the stake token.
    Fixed { amount: Uint128 },
    /// Basis points of the provider's bond when the slash executes (rounded down; at most
    /// 10 000 counts).
    BondBps { bps: u16 },
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
    Unbond { amount: Uint128 },
    /// Pays the sender every claim that has matured.
    Claim {},
    /// Marketplace only. Sets the part of `provider`'s bond that backs listed GPUs and cannot be
    /// unbonded (0 releases it). May not exceed the current bond.
    SetLocked { provider: String, amount: Uint128 },
    /// Marketplace only (governance slashes through the marketplace's dispute and parameter
    /// paths). Takes what `rule` asks of `provider`'s stake as it is when this message executes,
    /// so several slashes in one transaction compound: bonded stake first, then pending claims,
    /// latest-maturing first, never more than exists. What was taken is split between
    /// `compensation` (by the compensation ratio, rounded down) and the treasury. A slash that
    /// computes to zero succeeds and changes nothing (its `slash` event says so).
    Slash {
        provider: String,
        rule: SlashRule,
        reason: String,
        lease_id: Option<u64>,
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
        provider: String,
        gpu_seconds: u64,
        fee_paid: Option<DenomAmount>,
    },
    /// Pays the sender its share of finished epochs' emissions, oldest first, for at most `limit`
    /// epochs (default and maximum: the contract's cap).
    ClaimEmissions { limit: Option<u32> },
    /// Owner only. Fields left out keep their value. The stake denom and the epoch length are
    /// fixed. `emission_per_epoch` and `emission_weights` take effect from the next epoch.
    /// `reward_denoms` (and `marketplace`) are refused when a denom escrow accepts would no
    /// longer be a reward denom (checked through the marketplace's config; skipped while the
    /// marketplace address does not answer that query).
    UpdateConfig {
        marketplace: Option<String>,
        treasury: Option<String>,
        unbonding_period: Option<u64>,
        min_stake_per_gpu: Option<Uint128>,
        compensation_ratio: Option<Decimal>,
        reward_denoms: Option<Vec<UncheckedDenom>>,
        emission_per_epoch: Option<Uint128>,
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
    #[returns(ConfigResponse)]
    Config {},
    /// The owner and any pending ownership offer.
    #[returns(crate::owner::OwnershipResponse)]
    Ownership {},
    /// One address's bond, lock and unbonding total.
    #[returns(StakerResponse)]
    Staker { address: String },
    /// Addresses with bonded stake, by ascending address.
    #[returns(StakersResponse)]
    Stakers {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Pending unbonding claims of one address, by ascending claim id.
    #[returns(ClaimsResponse)]
    Claims {
        address: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// Whether `address`'s bond covers `min_stake_per_gpu × gpus`.
    #[returns(CollateralResponse)]
    Collateral { address: String, gpus: u32 },
    /// Rewards `address` could claim now, per reward denom.
    #[returns(PendingRewardsResponse)]
    PendingRewards { address: String },
    /// The accounting of every reward denom ever accepted.
    #[returns(RewardPoolsResponse)]
    RewardPools {},
    /// Bonded stake of `address` at the start of block `height` (default: now).
    #[returns(VotingPowerResponse)]
    VotingPowerAtHeight {
        address: String,
        height: Option<u64>,
    },
    /// Total bonded stake at the start of block `height` (default: now).
    #[returns(VotingPowerResponse)]
    TotalPowerAtHeight { height: Option<u64> },
    /// The emission pool and the epoch clock.
    #[returns(EmissionsResponse)]
    Emissions {},
    /// One epoch's work and emission (default: the current epoch).
    #[returns(EpochResponse)]
    Epoch { epoch: Option<u64> },
    /// Unclaimed work of one provider, by ascending epoch.
    #[returns(ProviderWorkResponse)]
    ProviderWork {
        address: String,
        start_after: Option<u64>,
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
    pub owner: Addr,
    pub marketplace: Addr,
    pub treasury: Addr,
    pub stake_denom: Denom,
    pub unbonding_period: u64,
    pub min_stake_per_gpu: Uint128,
    pub compensation_ratio: Decimal,
    pub reward_denoms: Vec<Denom>,
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
    pub address: Addr,
    pub bonded: Uint128,
    /// The part of `bonded` the marketplace has locked as collateral (may exceed `bonded` after a slash).
    pub locked: Uint128,
    /// Sum of the pending claims.
    pub unbonding: Uint128,
    pub claims: u32,
}

#[cw_serde]
pub struct StakersResponse {
    pub stakers: Vec<StakerResponse>,
}

#[cw_serde]
pub struct ClaimResponse {
    pub id: u64,
    pub amount: Uint128,
    /// Seconds since the Unix epoch at which the claim may be taken.
    pub release_at: u64,
    pub matured: bool,
}

#[cw_serde]
pub struct ClaimsResponse {
    pub claims: Vec<ClaimResponse>,
}

#[cw_serde]
pub struct CollateralResponse {
    pub bonded: Uint128,
    pub locked: Uint128,
    /// `min_stake_per_gpu × gpus`.
    pub required: Uint128,
    /// `bonded ≥ required`.
    pub sufficient: bool,
}

#[cw_serde]
pub struct DenomAmount {
    pub denom: Denom,
    pub amount: Uint128,
}

#[cw_serde]
pub struct PendingRewardsResponse {
    pub rewards: Vec<DenomAmount>,
}

#[cw_serde]
pub struct RewardPoolResponse {
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
    pub pools: Vec<RewardPoolResponse>,
}

#[cw_serde]
pub struct VotingPowerResponse {
    pub power: Uint128,
    pub height: u64,
}

#[cw_serde]
pub struct EmissionsResponse {
    /// Stake-denom units funded and not yet reserved by any epoch.
    pub pool: Uint128,
    /// Reserved by epochs (the current one included) and not yet paid (including rounding
    /// remainders of epochs whose providers have not all claimed).
    pub allocated: Uint128,
    pub funded: Uint128,
    pub paid: Uint128,
    pub current_epoch: u64,
    /// Seconds since the Unix epoch at which epoch 0 started.
    pub genesis: u64,
    pub epoch_seconds: u64,
    /// In force for the current epoch.
    pub emission_per_epoch: Uint128,
}

#[cw_serde]
pub struct EpochResponse {
    pub epoch: u64,
    pub start: u64,
    pub end: u64,
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
    pub claimed_work: Uint128,
    pub claimed_weight: Uint256,
    pub paid: Uint128,
}

#[cw_serde]
pub struct WorkResponse {
    pub epoch: u64,
    pub gpu_seconds: Uint128,
    /// Fee weight: this provider's share of the epoch's emission is `weight / total_weight`.
    pub weight: Uint256,
    pub finished: bool,
}

#[cw_serde]
pub struct ProviderWorkResponse {
    pub work: Vec<WorkResponse>,
}

/// What the contract must hold in one denom; `total` is the sum of the other fields.
#[cw_serde]
pub struct DenomHoldings {
    pub denom: Denom,
    pub bonded: Uint128,
    pub claims: Uint128,
    pub rewards_unclaimed: Uint128,
    pub rewards_undistributed: Uint128,
    pub rewards_dust: Uint128,
    pub emission_pool: Uint128,
    pub emissions_allocated: Uint128,
    pub total: Uint128,
}

#[cw_serde]
pub struct TotalsResponse {
    pub totals: Vec<DenomHoldings>,
}
