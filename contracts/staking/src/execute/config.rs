//! The owner's levers (governance's, once it takes over).

use super::emissions::{current_epoch, params_for};
use super::ensure_owner;
use crate::accumulator;
use crate::msg::{EmissionWeight, ScheduledEmission, UncheckedEmissionWeight};
use crate::state::{Config, CONFIG, EMISSIONS, REWARD_POOLS};
use crate::{ContractError, MAX_EMISSION_WEIGHT, MAX_REWARD_DENOMS};
use cosmwasm_std::{
    Addr, Api, Decimal, DepsMut, Env, Order, QuerierWrapper, Response, StdResult, Storage, Uint128,
};
use gridshare_plumbing::denoms::{ensure_subset, validate_denom_list};
use gridshare_types::{Denom, UncheckedDenom};
use serde::Deserialize;

pub fn validate_reward_denoms(
    api: &dyn Api,
    denoms: &[UncheckedDenom],
) -> Result<Vec<Denom>, ContractError> {
    Ok(validate_denom_list(api, denoms, MAX_REWARD_DENOMS)?)
}

/// At most `MAX_REWARD_DENOMS` weights, one per denom (sorted by denom), each at most
/// `MAX_EMISSION_WEIGHT`; a weight of zero is allowed and earns nothing, like a denom without a
/// weight.
pub fn validate_emission_weights(
    api: &dyn Api,
    weights: &[UncheckedEmissionWeight],
) -> Result<Vec<EmissionWeight>, ContractError> {
    if weights.len() > MAX_REWARD_DENOMS {
        return Err(ContractError::TooManyEmissionWeights {
            got: weights.len(),
            max: MAX_REWARD_DENOMS,
        });
    }
    let mut validated = weights
        .iter()
        .map(|w| {
            let denom = w.denom.validate(api)?;
            if w.weight > Uint128::new(MAX_EMISSION_WEIGHT) {
                return Err(ContractError::EmissionWeightTooLarge {
                    denom: denom.to_string(),
                    weight: w.weight,
                    max: Uint128::new(MAX_EMISSION_WEIGHT),
                });
            }
            Ok(EmissionWeight {
                denom,
                weight: w.weight,
            })
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    validated.sort_by(|a, b| a.denom.cmp(&b.denom));
    if let Some(pair) = validated.windows(2).find(|p| p[0].denom == p[1].denom) {
        return Err(ContractError::DuplicateEmissionWeight {
            denom: pair[0].denom.to_string(),
        });
    }
    Ok(validated)
}

/// Weight 1 per base unit of every reward denom: a fee's weight is its amount.
pub fn default_emission_weights(reward_denoms: &[Denom]) -> Vec<EmissionWeight> {
    reward_denoms
        .iter()
        .map(|denom| EmissionWeight {
            denom: denom.clone(),
            weight: Uint128::one(),
        })
        .collect()
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

/// The one field staking reads of the marketplace's `ConfigResponse` (other fields are ignored,
/// so a marketplace that grows its config does not break this check).
#[derive(Deserialize)]
struct MarketplaceEscrow {
    escrow: Addr,
}

/// The one field staking reads of escrow's `ConfigResponse`.
#[derive(Deserialize)]
struct EscrowDenoms {
    accepted_denoms: Vec<Denom>,
}

/// How the reward denoms were checked against escrow's accepted denoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenomCheck {
    /// Escrow was found through the marketplace and every denom it accepts is a reward denom.
    Checked,
    /// The marketplace address does not answer `marketplace::QueryMsg::Config {}` (a placeholder
    /// while the contracts are being wired): there is no escrow to check against yet.
    Skipped,
}

impl DenomCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            DenomCheck::Checked => "checked",
            DenomCheck::Skipped => "skipped",
        }
    }
}

/// Refuses reward denoms that would leave a denom escrow accepts without a reward pool: escrow's
/// fee deliveries in it would revert, and no lease in it could settle. Escrow is found through
/// the marketplace's config; while `marketplace` does not answer that query the check is skipped.
pub fn check_escrow_denoms(
    querier: &QuerierWrapper,
    marketplace: &Addr,
    reward_denoms: &[Denom],
) -> Result<DenomCheck, ContractError> {
    let market_query = gridshare_types::marketplace::QueryMsg::Config {};
    let Ok(market) = querier.query_wasm_smart::<MarketplaceEscrow>(marketplace, &market_query)
    else {
        return Ok(DenomCheck::Skipped);
    };
    let escrow: EscrowDenoms = querier
        .query_wasm_smart(
            &market.escrow,
            &gridshare_types::escrow::QueryMsg::Config {},
        )
        .map_err(|err| ContractError::EscrowUnreachable {
            escrow: market.escrow.to_string(),
            error: err.to_string(),
        })?;
    ensure_subset(
        &escrow.accepted_denoms,
        reward_denoms,
        "escrow's accepted denoms",
        "staking's reward denoms",
    )?;
    Ok(DenomCheck::Checked)
}

pub struct ConfigUpdate {
    pub marketplace: Option<String>,
    pub treasury: Option<String>,
    pub unbonding_period: Option<u64>,
    pub min_stake_per_gpu: Option<Uint128>,
    pub compensation_ratio: Option<Decimal>,
    pub reward_denoms: Option<Vec<UncheckedDenom>>,
    pub emission_per_epoch: Option<Uint128>,
    pub emission_weights: Option<Vec<UncheckedEmissionWeight>>,
}

/// Schedules new emission parameters for the epoch after `current`. A schedule already in force
/// becomes the base first; one still pending is replaced (fields left out keep its values).
fn schedule_emission(
    config: &mut Config,
    current: u64,
    emission_per_epoch: Option<Uint128>,
    emission_weights: Option<Vec<EmissionWeight>>,
) {
    if let Some(next) = config.scheduled_emission.take() {
        if next.from_epoch <= current {
            config.emission_per_epoch = next.emission_per_epoch;
            config.emission_weights = next.emission_weights;
        } else {
            config.scheduled_emission = Some(next);
        }
    }
    if emission_per_epoch.is_none() && emission_weights.is_none() {
        return;
    }
    let (per_epoch, weights) = params_for(config, current.saturating_add(1));
    let weights = weights.to_vec();
    config.scheduled_emission = Some(ScheduledEmission {
        from_epoch: current.saturating_add(1),
        emission_per_epoch: emission_per_epoch.unwrap_or(per_epoch),
        emission_weights: emission_weights.unwrap_or(weights),
    });
}

pub fn update_config(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    ensure_owner(&config, sender)?;
    let current = current_epoch(&EMISSIONS.load(deps.storage)?, config.epoch_seconds, env);
    let recheck_denoms = update.marketplace.is_some() || update.reward_denoms.is_some();
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
    let weights = update
        .emission_weights
        .map(|w| validate_emission_weights(deps.api, &w))
        .transpose()?;
    schedule_emission(&mut config, current, update.emission_per_epoch, weights);
    if let Some(denoms) = update.reward_denoms {
        config.reward_denoms = validate_reward_denoms(deps.api, &denoms)?;
    }
    let denom_check = if recheck_denoms {
        check_escrow_denoms(&deps.querier, &config.marketplace, &config.reward_denoms)?.as_str()
    } else {
        "unchanged"
    };
    // Last: the only step that writes besides the config itself.
    ensure_pools(deps.storage, &config.reward_denoms)?;
    CONFIG.save(deps.storage, &config)?;

    let (per_epoch, _) = params_for(&config, current);
    let mut response = Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("marketplace", config.marketplace.as_str())
        .add_attribute("treasury", config.treasury.as_str())
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute("min_stake_per_gpu", config.min_stake_per_gpu)
        .add_attribute("compensation_ratio", config.compensation_ratio.to_string())
        .add_attribute("emission_per_epoch", per_epoch)
        .add_attribute("reward_denoms_check", denom_check);
    if let Some(next) = &config.scheduled_emission {
        if next.from_epoch > current {
            response = response
                .add_attribute("next_emission_per_epoch", next.emission_per_epoch)
                .add_attribute("next_emission_from_epoch", next.from_epoch.to_string());
        }
    }
    Ok(response)
}
