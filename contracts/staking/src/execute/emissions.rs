//! Work emissions: a pre-funded pool of the stake denom. Each epoch reserves its emission from the
//! pool when its first fee-weighted work is reported, is topped up by funding that arrives while
//! it is current, and is split by fee weight once it is finished.

use super::load_marketplace_config;
use crate::msg::{DenomAmount, EmissionWeight};
use crate::state::{Config, EmissionState, Epoch, Work, CONFIG, EMISSIONS, EPOCHS, WORK};
use crate::{ContractError, MAX_EMISSION_CLAIM_EPOCHS};
use cosmwasm_std::{Addr, DepsMut, Env, Order, Response, StdResult, Storage, Uint128, Uint256};
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

/// The emission per epoch and the fee weights in force for `epoch`: the scheduled change from
/// its first epoch on, the earlier values before it.
pub(crate) fn params_for(config: &Config, epoch: u64) -> (Uint128, &[EmissionWeight]) {
    match &config.scheduled_emission {
        Some(next) if epoch >= next.from_epoch => {
            (next.emission_per_epoch, next.emission_weights.as_slice())
        }
        _ => (
            config.emission_per_epoch,
            config.emission_weights.as_slice(),
        ),
    }
}

/// Emission weight of a fee: `amount × weight` of its denom; zero without a fee, for a zero fee,
/// and for a denom without a weight. Below 2^192 (weights are at most `MAX_EMISSION_WEIGHT`), and
/// any product of two `Uint128` fits a `Uint256`, so the multiplication never saturates.
pub fn fee_weight(weights: &[EmissionWeight], fee: Option<&DenomAmount>) -> Uint256 {
    let Some(fee) = fee else {
        return Uint256::zero();
    };
    weights
        .iter()
        .find(|w| w.denom == fee.denom)
        .map_or(Uint256::zero(), |w| {
            Uint256::from(fee.amount).saturating_mul(Uint256::from(w.weight))
        })
}

/// Moves up to `target − reserved` from the pool into `epoch`'s reservation; returns what moved.
fn top_up(state: &mut EmissionState, epoch: &mut Epoch) -> Result<Uint128, ContractError> {
    let Some(reserved) = epoch.emission else {
        return Ok(Uint128::zero());
    };
    let add = epoch.target.saturating_sub(reserved).min(state.pool);
    if !add.is_zero() {
        state.pool = state.pool.checked_sub(add)?;
        state.allocated = state.allocated.checked_add(add)?;
        epoch.emission = Some(reserved.checked_add(add)?);
    }
    Ok(add)
}

/// Adds `amount` of the stake denom (already received and checked) to the pool, then tops up the
/// current epoch's reservation if it has opened short of its emission.
pub fn fund_emissions(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut state = EMISSIONS.load(deps.storage)?;
    state.pool = state.pool.checked_add(amount)?;
    state.funded = state.funded.checked_add(amount)?;
    let epoch = current_epoch(&state, config.epoch_seconds, env);
    let mut topped_up = Uint128::zero();
    if let Some(mut info) = EPOCHS.may_load(deps.storage, epoch)? {
        topped_up = top_up(&mut state, &mut info)?;
        if !topped_up.is_zero() {
            EPOCHS.save(deps.storage, epoch, &info)?;
        }
    }
    EMISSIONS.save(deps.storage, &state)?;
    Ok(Response::new()
        .add_attribute("action", "fund_emissions")
        .add_attribute("sender", sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("topped_up", topped_up)
        .add_attribute("pool", state.pool))
}

pub fn report_work(
    deps: DepsMut,
    env: &Env,
    sender: &Addr,
    provider: String,
    gpu_seconds: u64,
    fee: Option<DenomAmount>,
) -> Result<Response, ContractError> {
    let config = load_marketplace_config(deps.storage, sender)?;
    if gpu_seconds == 0 {
        return Err(ContractError::ZeroWork);
    }
    let provider = deps.api.addr_validate(&provider)?;
    let mut state = EMISSIONS.load(deps.storage)?;
    let epoch = current_epoch(&state, config.epoch_seconds, env);
    let (emission_per_epoch, weights) = params_for(&config, epoch);
    let gpu_seconds = Uint128::from(gpu_seconds);
    let weight = fee_weight(weights, fee.as_ref());

    let mut info = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    info.total_work = info.total_work.checked_add(gpu_seconds)?;
    info.total_weight = info.total_weight.checked_add(weight)?;
    let mut work = WORK
        .may_load(deps.storage, (&provider, epoch))?
        .unwrap_or_default();
    work.gpu_seconds = work.gpu_seconds.checked_add(gpu_seconds)?;
    work.weight = work.weight.checked_add(weight)?;
    // The first weighted work opens the epoch: it reserves the emission in force for it, as far
    // as the pool allows. Epochs without weighted work reserve nothing.
    let mut opened = None;
    if !weight.is_zero() && info.emission.is_none() {
        info.emission = Some(Uint128::zero());
        info.target = emission_per_epoch;
        opened = Some(top_up(&mut state, &mut info)?);
        EMISSIONS.save(deps.storage, &state)?;
    }
    EPOCHS.save(deps.storage, epoch, &info)?;
    WORK.save(deps.storage, (&provider, epoch), &work)?;

    let fee_text = fee.map_or_else(
        || "none".to_string(),
        |f| format!("{} {}", f.amount, f.denom),
    );
    let mut response = Response::new()
        .add_attribute("action", "report_work")
        .add_attribute("provider", provider.as_str())
        .add_attribute("epoch", epoch.to_string())
        .add_attribute("gpu_seconds", gpu_seconds)
        .add_attribute("fee", fee_text)
        .add_attribute("weight", weight.to_string())
        .add_attribute("provider_work", work.gpu_seconds)
        .add_attribute("provider_weight", work.weight.to_string())
        .add_attribute("epoch_work", info.total_work)
        .add_attribute("epoch_weight", info.total_weight.to_string());
    if let Some(reserved) = opened {
        // Only the report that opened the epoch says what it reserved (of what it aims at).
        response = response
            .add_attribute("reserved", reserved)
            .add_attribute("emission_target", emission_per_epoch);
    }
    Ok(response)
}

/// The part of `emission` that `weight` of `total` earns, rounded down.
fn share_of(emission: Uint128, weight: Uint256, total: Uint256) -> Result<Uint128, ContractError> {
    if weight.is_zero() || total.is_zero() {
        return Ok(Uint128::zero());
    }
    let share = Uint256::from(emission).checked_multiply_ratio(weight, total)?;
    Ok(Uint128::try_from(share)?)
}

/// Settles `sender`'s work in one finished epoch; returns what it earned.
fn settle_epoch(
    storage: &mut dyn Storage,
    state: &mut EmissionState,
    sender: &Addr,
    epoch: u64,
    work: &Work,
) -> Result<Uint128, ContractError> {
    let mut info: Epoch = EPOCHS.load(storage, epoch)?;
    let emission = info.emission.unwrap_or_default();
    let share = share_of(emission, work.weight, info.total_weight)?;
    info.claimed_work = info.claimed_work.checked_add(work.gpu_seconds)?;
    info.claimed_weight = info.claimed_weight.checked_add(work.weight)?;
    info.paid = info.paid.checked_add(share)?;
    state.allocated = state.allocated.checked_sub(share)?;
    // The claim that completes the epoch's weight returns its rounding remainder to the pool
    // (claims of unweighted work after it change nothing).
    if !work.weight.is_zero() && info.claimed_weight >= info.total_weight {
        let remainder = emission.checked_sub(info.paid)?;
        state.allocated = state.allocated.checked_sub(remainder)?;
        state.pool = state.pool.checked_add(remainder)?;
    }
    EPOCHS.save(storage, epoch, &info)?;
    WORK.remove(storage, (sender, epoch));
    Ok(share)
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
    let finished: Vec<(u64, Work)> = WORK
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
        let share = settle_epoch(deps.storage, &mut state, sender, *epoch, work)?;
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
