//! Work emissions: a pre-funded pool of the stake denom, split each epoch by delivered GPU-seconds.

use super::load_marketplace_config;
use crate::state::{EmissionState, Epoch, CONFIG, EMISSIONS, EPOCHS, WORK};
use crate::{ContractError, MAX_EMISSION_CLAIM_EPOCHS};
use cosmwasm_std::{Addr, DepsMut, Env, Order, Response, StdResult, Uint128};
use cw_storage_plus::Bound;

/// The epoch that contains `now`. `epoch_seconds` is never zero (checked at instantiation).
pub fn epoch_at(genesis: u64, epoch_seconds: u64, now: u64) -> u64 {
    now.saturating_sub(genesis)
        .checked_div(epoch_seconds)
        .unwrap_or_default()
}

pub(crate) fn current_epoch(state: &EmissionState, epoch_seconds: u64, env: &Env) -> u64 {
    epoch_at(state.genesis, epoch_seconds, env.block.time.seconds())
}

/// Adds `amount` of the stake denom (already received and checked) to the pool.
pub fn fund_emissions(
    deps: DepsMut,
    sender: &Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut state = EMISSIONS.load(deps.storage)?;
    state.pool = state.pool.checked_add(amount)?;
    state.funded = state.funded.checked_add(amount)?;
    EMISSIONS.save(deps.storage, &state)?;
    Ok(Response::new()
        .add_attribute("action", "fund_emissions")
        .add_attribute("sender", sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("pool", state.pool))
}

pub fn report_work(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    provider: String,
    gpu_seconds: u64,
) -> Result<Response, ContractError> {
    let config = load_marketplace_config(deps.storage, sender)?;
    if gpu_seconds == 0 {
        return Err(ContractError::ZeroWork);
    }
    let provider = deps.api.addr_validate(&provider)?;
    let state = EMISSIONS.load(deps.storage)?;
    let epoch = current_epoch(&state, config.epoch_seconds, env);
    let work = Uint128::from(gpu_seconds);

    let mut info = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    info.total_work = info.total_work.checked_add(work)?;
    let provider_work = WORK
        .may_load(deps.storage, (&provider, epoch))?
        .unwrap_or_default()
        .checked_add(work)?;
    EPOCHS.save(deps.storage, epoch, &info)?;
    WORK.save(deps.storage, (&provider, epoch), &provider_work)?;

    Ok(Response::new()
        .add_attribute("action", "report_work")
        .add_attribute("provider", provider.as_str())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("gpu_seconds", gpu_seconds.to_string())
        .add_attribute("provider_work", provider_work)
        .add_attribute("epoch_work", info.total_work))
}

pub fn claim_emissions(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let limit = limit.unwrap_or(MAX_EMISSION_CLAIM_EPOCHS);
    if limit == 0 || limit > MAX_EMISSION_CLAIM_EPOCHS {
        return Err(ContractError::InvalidClaimLimit {
            got: limit,
            max: MAX_EMISSION_CLAIM_EPOCHS,
        });
    }
    let config = CONFIG.load(deps.storage)?;
    let mut state = EMISSIONS.load(deps.storage)?;
    let current = current_epoch(&state, config.epoch_seconds, env);
    let finished: Vec<(u64, Uint128)> = WORK
        .prefix(sender)
        .range(
            deps.storage,
            None,
            Some(Bound::exclusive(current)),
            Order::Ascending,
        )
        .take(limit as usize)
        .collect::<StdResult<_>>()?;
    if finished.is_empty() {
        return Err(ContractError::NoEmissions {
            address: sender.to_string(),
            current_epoch: current,
        });
    }

    let mut total = Uint128::zero();
    for (epoch, work) in &finished {
        let mut info: Epoch = EPOCHS.load(deps.storage, *epoch)?;
        let emission = match info.emission {
            Some(emission) => emission,
            None => {
                // First claim from this finished epoch: fix its emission from the pool.
                let emission = config.emission_per_epoch.min(state.pool);
                state.pool = state.pool.checked_sub(emission)?;
                state.allocated = state.allocated.checked_add(emission)?;
                info.emission = Some(emission);
                emission
            }
        };
        let share = emission.checked_multiply_ratio(*work, info.total_work)?;
        info.claimed_work = info.claimed_work.checked_add(*work)?;
        info.paid = info.paid.checked_add(share)?;
        state.allocated = state.allocated.checked_sub(share)?;
        if info.claimed_work >= info.total_work {
            // Every provider of the epoch has claimed: its rounding remainder returns to the pool.
            let remainder = emission.checked_sub(info.paid)?;
            state.allocated = state.allocated.checked_sub(remainder)?;
            state.pool = state.pool.checked_add(remainder)?;
        }
        EPOCHS.save(deps.storage, *epoch, &info)?;
        WORK.remove(deps.storage, (sender, *epoch));
        total = total.checked_add(share)?;
    }
    state.paid = state.paid.checked_add(total)?;
    EMISSIONS.save(deps.storage, &state)?;

    let mut response = Response::new();
    if !total.is_zero() {
        response = response.add_message(config.stake_denom.transfer_msg(sender, total)?);
    }
    Ok(response
        .add_attribute("action", "claim_emissions")
        .add_attribute("provider", sender.as_str())
        .add_attribute("epochs", finished.len().to_string())
        .add_attribute("amount", total))
}
