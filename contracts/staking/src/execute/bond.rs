//! Bonding the stake denom.

use super::{ledger, rewards};
use crate::funds::ensure_positive;
use crate::ContractError;
use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint128};

/// Bonds `amount` of the stake denom (already received and checked) for `staker`.
pub fn bond(
    deps: DepsMut,
    env: &Env,
    staker: &Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    ensure_positive(amount)?;
    let old = ledger::bonded(deps.storage, staker)?;
    let new = old.checked_add(amount)?;
    // Refuse an overflowing total before anything is written.
    ledger::total_bonded(deps.storage)?.checked_add(amount)?;
    rewards::settle_user(deps.storage, staker, old)?;
    ledger::set_bonded(deps.storage, env.block.height, staker, old, new)?;

    Ok(Response::new()
        .add_attribute("action", "bond")
        .add_attribute("staker", staker.as_str())
        .add_attribute("amount", amount)
        .add_attribute("bonded", new))
}
