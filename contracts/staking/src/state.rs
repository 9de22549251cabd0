use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, Uint128, Uint256};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
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
    pub emission_per_epoch: Uint128,
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
    /// Funded and not yet fixed to an epoch.
    pub pool: Uint128,
    /// Fixed to finished epochs and not yet paid.
    pub allocated: Uint128,
    pub funded: Uint128,
    pub paid: Uint128,
}

#[cw_serde]
#[derive(Default)]
pub struct Epoch {
    pub total_work: Uint128,
    /// Fixed when the finished epoch is first claimed from.
    pub emission: Option<Uint128>,
    pub claimed_work: Uint128,
    pub paid: Uint128,
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
/// Unclaimed GPU-seconds by (provider, epoch).
pub const WORK: Map<(&Addr, u64), Uint128> = Map::new("work");
