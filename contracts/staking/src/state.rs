use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, Uint128, Uint256};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
use gridshare_types::staking::{EmissionWeight, ScheduledEmission};
use gridshare_types::Denom;

#[cw_serde]
pub struct Config {
    pub owner: Addr,
    pub marketplace: Addr,
    pub treasury: Addr,
    pub stake_denom: Denom,
    pub unbonding_period: u64,
    pub min_stake_per_gpu: Uint128,
    pub compensation_ratio: Decimal,
    /// Denoms `DepositRewards` accepts now (a subset of the reward pools).
    pub reward_denoms: Vec<Denom>,
    pub epoch_seconds: u64,
    /// In force up to the epoch before `scheduled_emission.from_epoch` (for good when nothing is
    /// scheduled). Read through `emissions::params_for`, never directly.
    pub emission_per_epoch: Uint128,
    /// Emission weight per base unit of fee, sorted by denom; same rule as `emission_per_epoch`.
    pub emission_weights: Vec<EmissionWeight>,
    /// The owner's last change, in force from `from_epoch` on.
    pub scheduled_emission: Option<ScheduledEmission>,
}

/// One pending unbonding claim.
#[cw_serde]
pub struct Claim {
    pub amount: Uint128,
    /// Seconds since the Unix epoch.
    pub release_at: u64,
}

/// The accounting of one reward denom. All scaled figures are in units × `REWARD_SCALE`.
///
/// `deposited × SCALE = undistributed × SCALE + carry + distributed` always holds, and
/// `distributed − claimed × SCALE` is what stakers are owed (settled or not).
#[cw_serde]
pub struct RewardPool {
    pub denom: Denom,
    /// Reward per bonded unit, scaled.
    pub index: Uint256,
    /// Scaled remainder of past distributions that did not divide evenly; joins the next one.
    pub carry: Uint256,
    /// Scaled rewards assigned to stakers through the index.
    pub distributed: Uint256,
    pub deposited: Uint128,
    pub claimed: Uint128,
    /// Deposited while nothing was bonded.
    pub undistributed: Uint128,
}

/// A staker's position in one reward pool.
#[cw_serde]
#[derive(Default)]
pub struct UserReward {
    /// The pool index up to which `pending` has been settled.
    pub index: Uint256,
    /// Scaled rewards owed and not yet paid.
    pub pending: Uint256,
}

#[cw_serde]
pub struct EmissionState {
    /// Seconds since the Unix epoch at which epoch 0 started.
    pub genesis: u64,
    /// Funded and not yet reserved by an epoch.
    pub pool: Uint128,
    /// Reserved by epochs (the current one included) and not yet paid or returned to the pool.
    pub allocated: Uint128,
    pub funded: Uint128,
    pub paid: Uint128,
}

#[cw_serde]
#[derive(Default)]
pub struct Epoch {
    /// GPU-seconds reported (statistics).
    pub total_work: Uint128,
    /// Fee weight reported; the emission is split by it.
    pub total_weight: Uint256,
    /// Reserved from the pool by the first weighted report (the epoch "opens"), topped up by
    /// `FundEmissions` while the epoch is current. `Some` exactly when `total_weight > 0`.
    pub emission: Option<Uint128>,
    /// The `emission_per_epoch` in force for this epoch, recorded when it opens.
    pub target: Uint128,
    pub claimed_work: Uint128,
    pub claimed_weight: Uint256,
    pub paid: Uint128,
}

/// One provider's unclaimed work in one epoch.
#[cw_serde]
#[derive(Default)]
pub struct Work {
    pub gpu_seconds: Uint128,
    pub weight: Uint256,
}

pub const CONFIG: Item<Config> = Item::new("config");

/// Bonded stake per address; voting power. Entries at zero are removed.
pub const BONDED: SnapshotMap<&Addr, Uint128> = SnapshotMap::new(
    "bonded",
    "bonded__checkpoints",
    "bonded__changelog",
    Strategy::EveryBlock,
);
/// Total bonded stake; total voting power.
pub const TOTAL_BONDED: SnapshotItem<Uint128> = SnapshotItem::new(
    "total_bonded",
    "total_bonded__checkpoints",
    "total_bonded__changelog",
    Strategy::EveryBlock,
);
/// Collateral the marketplace has locked per provider (absent = 0).
pub const LOCKED: Map<&Addr, Uint128> = Map::new("locked");

/// Pending claims by (address, claim id).
pub const CLAIMS: Map<(&Addr, u64), Claim> = Map::new("claims");
/// Pending claims per address (absent = 0); never above `MAX_CLAIMS`.
pub const CLAIM_COUNT: Map<&Addr, u32> = Map::new("claim_count");
pub const NEXT_CLAIM_ID: Item<u64> = Item::new("next_claim_id");
/// Sum of all pending claims.
pub const TOTAL_CLAIMS: Item<Uint128> = Item::new("total_claims");

/// Every reward denom ever accepted, by denom key.
pub const REWARD_POOLS: Map<&str, RewardPool> = Map::new("reward_pools");
/// Staker positions by (address, denom key).
pub const USER_REWARDS: Map<(&Addr, &str), UserReward> = Map::new("user_rewards");

pub const EMISSIONS: Item<EmissionState> = Item::new("emissions");
pub const EPOCHS: Map<u64, Epoch> = Map::new("epochs");
/// Unclaimed work by (provider, epoch).
pub const WORK: Map<(&Addr, u64), Work> = Map::new("work");
