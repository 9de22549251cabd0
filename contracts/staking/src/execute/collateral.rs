//! The marketplace's collateral lock: the part of a provider's bond backing its listed GPUs.

use super::{ledger, load_marketplace_config};
use crate::state::LOCKED;
use crate::ContractError;
use cosmwasm_std::{Addr, DepsMut, Response, Uint128};

pub fn set_locked(
    deps: DepsMut,
    sender: &Addr,
    provider: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    load_marketplace_config(deps.storage, sender)?;
    let provider = deps.api.addr_validate(&provider)?;
    let bonded = ledger::bonded(deps.storage, &provider)?;
    let previous = LOCKED
        .may_load(deps.storage, &provider)?
        .unwrap_or_default();
    // Raising the lock above the bond is refused; lowering it is always allowed (a slash may have
    // left the bond below an earlier lock).
    if amount > bonded && amount > previous {
        return Err(ContractError::LockExceedsBond {
            bonded,
            requested: amount,
        });
    }
    if amount.is_zero() {
        LOCKED.remove(deps.storage, &provider);
    } else {
        LOCKED.save(deps.storage, &provider, &amount)?;
    }

    Ok(Response::new()
        .add_attribute("action", "set_locked")
        .add_attribute("provider", provider.as_str())
        .add_attribute("previous", previous)
        .add_attribute("locked", amount)
        .add_attribute("bonded", bonded))
}
