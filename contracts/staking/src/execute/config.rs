//! The owner's levers (governance's, once it takes over).

use super::ensure_owner;
use crate::accumulator;
use crate::state::{CONFIG, REWARD_POOLS};
use crate::{ContractError, MAX_REWARD_DENOMS};
use cosmwasm_std::{Addr, Api, Decimal, DepsMut, Order, Response, StdResult, Storage, Uint128};
use gridshare_types::{Denom, UncheckedDenom};

pub fn validate_reward_denoms(
    api: &dyn Api,
    denoms: &[UncheckedDenom],
) -> Result<Vec<Denom>, ContractError> {
    if denoms.is_empty() || denoms.len() > MAX_REWARD_DENOMS {
        return Err(ContractError::InvalidRewardDenoms {
            got: denoms.len(),
            max: MAX_REWARD_DENOMS,
        });
    }
    let mut validated = denoms
        .iter()
        .map(|d| d.validate(api))
        .collect::<Result<Vec<_>, _>>()?;
    validated.sort();
    validated.dedup();
    Ok(validated)
}

pub fn validate_compensation_ratio(ratio: Decimal) -> Result<Decimal, ContractError> {
    if ratio > Decimal::one() {
        Err(ContractError::InvalidCompensationRatio { ratio })
    } else {
        Ok(ratio)
    }
}

/// Creates a pool for every denom that has none, unless more than `MAX_REWARD_DENOMS` pools would
/// then exist (pools are never removed, so their stakers can always claim).
pub fn ensure_pools(storage: &mut dyn Storage, denoms: &[Denom]) -> Result<(), ContractError> {
    let existing: Vec<String> = REWARD_POOLS
        .keys(storage, None, None, Order::Ascending)
        .take(MAX_REWARD_DENOMS.saturating_add(1))
        .collect::<StdResult<_>>()?;
    let new: Vec<&Denom> = denoms
        .iter()
        .filter(|d| !existing.contains(&d.key()))
        .collect();
    if existing.len().saturating_add(new.len()) > MAX_REWARD_DENOMS {
        return Err(ContractError::TooManyRewardPools {
            existing: existing.len(),
            new: new.len(),
            max: MAX_REWARD_DENOMS,
        });
    }
    for denom in new {
        REWARD_POOLS.save(storage, &denom.key(), &accumulator::new_pool(denom.clone()))?;
    }
    Ok(())
}

pub struct ConfigUpdate {
    pub marketplace: Option<String>,
    pub treasury: Option<String>,
    pub unbonding_period: Option<u64>,
    pub min_stake_per_gpu: Option<Uint128>,
    pub compensation_ratio: Option<Decimal>,
    pub reward_denoms: Option<Vec<UncheckedDenom>>,
    pub emission_per_epoch: Option<Uint128>,
}

pub fn update_config(
    deps: DepsMut,
    sender: &Addr,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    if let Some(marketplace) = update.marketplace {
        config.marketplace = deps.api.addr_validate(&marketplace)?;
    }
    if let Some(treasury) = update.treasury {
        config.treasury = deps.api.addr_validate(&treasury)?;
    }
    if let Some(period) = update.unbonding_period {
        config.unbonding_period = period;
    }
    if let Some(min_stake) = update.min_stake_per_gpu {
        config.min_stake_per_gpu = min_stake;
    }
    if let Some(ratio) = update.compensation_ratio {
        config.compensation_ratio = validate_compensation_ratio(ratio)?;
    }
    if let Some(emission) = update.emission_per_epoch {
        config.emission_per_epoch = emission;
    }
    if let Some(denoms) = update.reward_denoms {
        config.reward_denoms = validate_reward_denoms(deps.api, &denoms)?;
        // Last: the only step that writes besides the config itself.
        ensure_pools(deps.storage, &config.reward_denoms)?;
    }
    CONFIG.save(deps.storage, &config)?;

    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("treasury", config.treasury.as_str())
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute("min_stake_per_gpu", config.min_stake_per_gpu)
        .add_attribute("compensation_ratio", config.compensation_ratio.to_string())
        .add_attribute("emission_per_epoch", config.emission_per_epoch))
}

pub fn update_owner(
    deps: DepsMut,
    sender: &Addr,
    owner: String,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    config.owner = deps.api.addr_validate(&owner)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_owner")
        .add_attribute("owner", config.owner.as_str()))
}
