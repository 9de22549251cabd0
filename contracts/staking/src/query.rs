//! Read-only views; every list over user-controlled collections is paginated and clamped.

use crate::accumulator;
use crate::execute::emissions::{current_epoch, epoch_at, params_for};
use crate::execute::ledger;
use crate::execute::rewards::all_pools;
use crate::state::{
    BONDED, CLAIMS, CONFIG, EMISSIONS, EPOCHS, LOCKED, REWARD_POOLS, TOTAL_BONDED, USER_REWARDS,
    WORK,
};
use crate::ContractError;
use cosmwasm_std::{Addr, Deps, Env, Order, StdError, StdResult, Uint128};
use cw_storage_plus::Bound;
use gridshare_types::owner::OwnershipResponse;
use gridshare_types::pagination::clamp_limit;
use gridshare_types::staking::{
    ClaimResponse, ClaimsResponse, CollateralResponse, ConfigResponse, DenomAmount, DenomHoldings,
    EmissionsResponse, EpochResponse, PendingRewardsResponse, ProviderWorkResponse,
    RewardPoolResponse, RewardPoolsResponse, StakerResponse, StakersResponse, TotalsResponse,
    VotingPowerResponse, WorkResponse,
};
use gridshare_types::Denom;

fn std_err(err: ContractError) -> StdError {
    match err {
        ContractError::Std(err) => err,
        other => StdError::generic_err(other.to_string()),
    }
}

/// The configuration, with the emission parameters in force for the current epoch and a change
/// scheduled for a later one (if any).
pub fn config(deps: Deps, env: &Env) -> StdResult<ConfigResponse> {
    let config = CONFIG.load(deps.storage)?;
    let state = EMISSIONS.load(deps.storage)?;
    let current = current_epoch(&state, config.epoch_seconds, env);
    let (emission_per_epoch, weights) = params_for(&config, current);
    let emission_weights = weights.to_vec();
    let scheduled_emission = config
        .scheduled_emission
        .filter(|next| next.from_epoch > current);
    Ok(ConfigResponse {
        owner: config.owner,
        marketplace: config.marketplace,
        treasury: config.treasury,
        stake_denom: config.stake_denom,
        unbonding_period: config.unbonding_period,
        min_stake_per_gpu: config.min_stake_per_gpu,
        compensation_ratio: config.compensation_ratio,
        reward_denoms: config.reward_denoms,
        epoch_seconds: config.epoch_seconds,
        emission_per_epoch,
        emission_weights,
        scheduled_emission,
    })
}

pub fn ownership(deps: Deps) -> StdResult<OwnershipResponse> {
    let config = CONFIG.load(deps.storage)?;
    gridshare_plumbing::owner::ownership(deps.storage, config.owner)
}

fn staker_response(deps: Deps, address: Addr, bonded: Uint128) -> StdResult<StakerResponse> {
    let claims = ledger::claims_of(deps.storage, &address).map_err(std_err)?;
    let mut unbonding = Uint128::zero();
    for (_, claim) in &claims {
        unbonding = unbonding.checked_add(claim.amount)?;
    }
    Ok(StakerResponse {
        locked: LOCKED.may_load(deps.storage, &address)?.unwrap_or_default(),
        claims: u32::try_from(claims.len()).unwrap_or(u32::MAX),
        address,
        bonded,
        unbonding,
    })
}

pub fn staker(deps: Deps, address: String) -> StdResult<StakerResponse> {
    let address = deps.api.addr_validate(&address)?;
    let bonded = BONDED.may_load(deps.storage, &address)?.unwrap_or_default();
    staker_response(deps, address, bonded)
}

pub fn stakers(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> StdResult<StakersResponse> {
    let start = start_after
        .map(|a| deps.api.addr_validate(&a))
        .transpose()?;
    let stakers = BONDED
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (address, bonded) = item?;
            staker_response(deps, address, bonded)
        })
        .collect::<StdResult<_>>()?;
    Ok(StakersResponse { stakers })
}

pub fn claims(
    deps: Deps,
    env: &Env,
    address: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ClaimsResponse> {
    let address = deps.api.addr_validate(&address)?;
    let now = env.block.time.seconds();
    let claims = CLAIMS
        .prefix(&address)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (id, claim) = item?;
            Ok(ClaimResponse {
                id,
                amount: claim.amount,
                release_at: claim.release_at,
                matured: claim.release_at <= now,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ClaimsResponse { claims })
}

pub fn collateral(deps: Deps, address: String, gpus: u32) -> StdResult<CollateralResponse> {
    let address = deps.api.addr_validate(&address)?;
    let config = CONFIG.load(deps.storage)?;
    let bonded = BONDED.may_load(deps.storage, &address)?.unwrap_or_default();
    let required = config.min_stake_per_gpu.checked_mul(Uint128::from(gpus))?;
    Ok(CollateralResponse {
        bonded,
        locked: LOCKED.may_load(deps.storage, &address)?.unwrap_or_default(),
        required,
        sufficient: bonded >= required,
    })
}

pub fn pending_rewards(deps: Deps, address: String) -> StdResult<PendingRewardsResponse> {
    let address = deps.api.addr_validate(&address)?;
    let bonded = BONDED.may_load(deps.storage, &address)?.unwrap_or_default();
    let rewards = all_pools(deps.storage)
        .map_err(std_err)?
        .into_iter()
        .map(|pool| {
            let user = USER_REWARDS
                .may_load(deps.storage, (&address, &pool.denom.key()))?
                .unwrap_or_default();
            let settled = accumulator::settle(&pool, &user, bonded).map_err(std_err)?;
            let (amount, _) = accumulator::payable(&settled).map_err(std_err)?;
            Ok(DenomAmount {
                denom: pool.denom,
                amount,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(PendingRewardsResponse { rewards })
}

pub fn reward_pools(deps: Deps) -> StdResult<RewardPoolsResponse> {
    let config = CONFIG.load(deps.storage)?;
    let pools = all_pools(deps.storage)
        .map_err(std_err)?
        .into_iter()
        .map(|pool| {
            Ok(RewardPoolResponse {
                accepted: config.reward_denoms.contains(&pool.denom),
                index: pool.index,
                deposited: pool.deposited,
                claimed: pool.claimed,
                undistributed: pool.undistributed,
                unclaimed: accumulator::unclaimed(&pool).map_err(std_err)?,
                dust: accumulator::dust(&pool).map_err(std_err)?,
                denom: pool.denom,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(RewardPoolsResponse { pools })
}

pub fn voting_power(
    deps: Deps,
    env: &Env,
    address: String,
    height: Option<u64>,
) -> StdResult<VotingPowerResponse> {
    let address = deps.api.addr_validate(&address)?;
    let power = match height {
        Some(height) => BONDED.may_load_at_height(deps.storage, &address, height)?,
        None => BONDED.may_load(deps.storage, &address)?,
    };
    Ok(VotingPowerResponse {
        power: power.unwrap_or_default(),
        height: height.unwrap_or(env.block.height),
    })
}

pub fn total_power(deps: Deps, env: &Env, height: Option<u64>) -> StdResult<VotingPowerResponse> {
    let power = match height {
        Some(height) => TOTAL_BONDED.may_load_at_height(deps.storage, height)?,
        None => TOTAL_BONDED.may_load(deps.storage)?,
    };
    Ok(VotingPowerResponse {
        power: power.unwrap_or_default(),
        height: height.unwrap_or(env.block.height),
    })
}

pub fn emissions(deps: Deps, env: &Env) -> StdResult<EmissionsResponse> {
    let config = CONFIG.load(deps.storage)?;
    let state = EMISSIONS.load(deps.storage)?;
    let current = current_epoch(&state, config.epoch_seconds, env);
    Ok(EmissionsResponse {
        pool: state.pool,
        allocated: state.allocated,
        funded: state.funded,
        paid: state.paid,
        current_epoch: current,
        genesis: state.genesis,
        epoch_seconds: config.epoch_seconds,
        emission_per_epoch: params_for(&config, current).0,
    })
}

pub fn epoch(deps: Deps, env: &Env, epoch: Option<u64>) -> StdResult<EpochResponse> {
    let config = CONFIG.load(deps.storage)?;
    let state = EMISSIONS.load(deps.storage)?;
    let current = current_epoch(&state, config.epoch_seconds, env);
    let epoch = epoch.unwrap_or(current);
    let info = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    let start = epoch
        .checked_mul(config.epoch_seconds)
        .and_then(|offset| offset.checked_add(state.genesis))
        .ok_or_else(|| StdError::generic_err(format!("epoch {epoch} is out of range")))?;
    Ok(EpochResponse {
        epoch,
        start,
        end: start.saturating_add(config.epoch_seconds),
        finished: epoch < current,
        total_work: info.total_work,
        total_weight: info.total_weight,
        emission_target: info.emission.map(|_| info.target),
        emission: info.emission,
        claimed_work: info.claimed_work,
        claimed_weight: info.claimed_weight,
        paid: info.paid,
    })
}

pub fn provider_work(
    deps: Deps,
    env: &Env,
    address: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ProviderWorkResponse> {
    let address = deps.api.addr_validate(&address)?;
    let config = CONFIG.load(deps.storage)?;
    let state = EMISSIONS.load(deps.storage)?;
    let current = epoch_at(
        state.genesis,
        config.epoch_seconds,
        env.block.time.seconds(),
    );
    let work = WORK
        .prefix(&address)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(clamp_limit(limit))
        .map(|item| {
            let (epoch, work) = item?;
            Ok(WorkResponse {
                epoch,
                gpu_seconds: work.gpu_seconds,
                weight: work.weight,
                finished: epoch < current,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ProviderWorkResponse { work })
}

fn holdings(denom: Denom) -> DenomHoldings {
    DenomHoldings {
        denom,
        bonded: Uint128::zero(),
        claims: Uint128::zero(),
        rewards_unclaimed: Uint128::zero(),
        rewards_undistributed: Uint128::zero(),
        rewards_dust: Uint128::zero(),
        emission_pool: Uint128::zero(),
        emissions_allocated: Uint128::zero(),
        total: Uint128::zero(),
    }
}

/// What the contract must hold, per denom: the stake denom first, then every reward denom that
/// is not the stake denom (bounded by `MAX_REWARD_DENOMS`).
pub fn totals(deps: Deps) -> StdResult<TotalsResponse> {
    let config = CONFIG.load(deps.storage)?;
    let state = EMISSIONS.load(deps.storage)?;
    let mut stake = holdings(config.stake_denom.clone());
    stake.bonded = TOTAL_BONDED.may_load(deps.storage)?.unwrap_or_default();
    stake.claims = ledger::total_claims(deps.storage).map_err(std_err)?;
    stake.emission_pool = state.pool;
    stake.emissions_allocated = state.allocated;
    let mut totals = vec![stake];
    for item in REWARD_POOLS
        .range(deps.storage, None, None, Order::Ascending)
        .take(crate::MAX_REWARD_DENOMS)
    {
        let (_, pool) = item?;
        if !totals.iter().any(|h| h.denom == pool.denom) {
            totals.push(holdings(pool.denom.clone()));
        }
        let entry = totals
            .iter_mut()
            .find(|h| h.denom == pool.denom)
            .ok_or_else(|| StdError::not_found(pool.denom.key()))?;
        entry.rewards_unclaimed = accumulator::unclaimed(&pool).map_err(std_err)?;
        entry.rewards_undistributed = pool.undistributed;
        entry.rewards_dust = accumulator::dust(&pool).map_err(std_err)?;
    }
    for entry in &mut totals {
        entry.total = [
            entry.bonded,
            entry.claims,
            entry.rewards_unclaimed,
            entry.rewards_undistributed,
            entry.rewards_dust,
            entry.emission_pool,
            entry.emissions_allocated,
        ]
        .iter()
        .try_fold(Uint128::zero(), |sum, x| sum.checked_add(*x))?;
    }
    Ok(TotalsResponse { totals })
}
