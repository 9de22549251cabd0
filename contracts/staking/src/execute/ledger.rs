//! The only code that changes bonded stake and pending claims, so the totals and the voting-power
//! snapshots always move with them.

use crate::state::{Claim, BONDED, CLAIMS, CLAIM_COUNT, TOTAL_BONDED, TOTAL_CLAIMS};
use crate::ContractError;
use cosmwasm_std::{Addr, Order, StdResult, Storage, Uint128};

use crate::MAX_CLAIMS;

pub fn bonded(storage: &dyn Storage, addr: &Addr) -> Result<Uint128, ContractError> {
    Ok(BONDED.may_load(storage, addr)?.unwrap_or_default())
}

pub fn total_bonded(storage: &dyn Storage) -> Result<Uint128, ContractError> {
    Ok(TOTAL_BONDED.may_load(storage)?.unwrap_or_default())
}

/// Moves `addr`'s bond from `old` to `new` at `height`. Rewards must be settled before.
pub fn set_bonded(
    storage: &mut dyn Storage,
    height: u64,
    addr: &Addr,
    old: Uint128,
    new: Uint128,
) -> Result<(), ContractError> {
    if old == new {
        return Ok(());
    }
    if new.is_zero() {
        BONDED.remove(storage, addr, height)?;
    } else {
        BONDED.save(storage, addr, &new, height)?;
    }
    let total = total_bonded(storage)?.checked_sub(old)?.checked_add(new)?;
    TOTAL_BONDED.save(storage, &total, height)?;
    Ok(())
}

pub fn claim_count(storage: &dyn Storage, addr: &Addr) -> Result<u32, ContractError> {
    Ok(CLAIM_COUNT.may_load(storage, addr)?.unwrap_or_default())
}

pub fn total_claims(storage: &dyn Storage) -> Result<Uint128, ContractError> {
    Ok(TOTAL_CLAIMS.may_load(storage)?.unwrap_or_default())
}

/// Every pending claim of `addr` by ascending id (at most `MAX_CLAIMS`).
pub fn claims_of(storage: &dyn Storage, addr: &Addr) -> Result<Vec<(u64, Claim)>, ContractError> {
    Ok(CLAIMS
        .prefix(addr)
        .range(storage, None, None, Order::Ascending)
        .take(MAX_CLAIMS as usize)
        .collect::<StdResult<_>>()?)
}

pub fn add_to_total_claims(
    storage: &mut dyn Storage,
    amount: Uint128,
) -> Result<(), ContractError> {
    let total = total_claims(storage)?.checked_add(amount)?;
    TOTAL_CLAIMS.save(storage, &total)?;
    Ok(())
}

pub fn sub_from_total_claims(
    storage: &mut dyn Storage,
    amount: Uint128,
) -> Result<(), ContractError> {
    let total = total_claims(storage)?.checked_sub(amount)?;
    TOTAL_CLAIMS.save(storage, &total)?;
    Ok(())
}

pub fn set_claim_count(
    storage: &mut dyn Storage,
    addr: &Addr,
    count: u32,
) -> Result<(), ContractError> {
    if count == 0 {
        CLAIM_COUNT.remove(storage, addr);
    } else {
        CLAIM_COUNT.save(storage, addr, &count)?;
    }
    Ok(())
}
