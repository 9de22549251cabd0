//! The only code that changes an account's balance, so the per-denom totals always move with it.

use crate::state::{Account, TOTALS};
use crate::ContractError;
use cosmwasm_std::{Storage, Uint128};
use gridshare_types::escrow::DenomTotal;

/// Coins arrived for `account`.
pub fn credit(
    storage: &mut dyn Storage,
    account: &mut Account,
    amount: Uint128,
) -> Result<(), ContractError> {
    account.balance = account.balance.checked_add(amount)?;
    let key = account.denom.key();
    let mut total = TOTALS
        .may_load(storage, &key)?
        .unwrap_or_else(|| DenomTotal {
            denom: account.denom.clone(),
            amount: Uint128::zero(),
        });
    total.amount = total.amount.checked_add(amount)?;
    TOTALS.save(storage, &key, &total)?;
    Ok(())
}

/// Coins leave `account` (the caller sends them in the same response).
pub fn debit(
    storage: &mut dyn Storage,
    account: &mut Account,
    amount: Uint128,
) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Ok(());
    }
    account.balance = account.balance.checked_sub(amount)?;
    let key = account.denom.key();
    let mut total = TOTALS.load(storage, &key)?;
    total.amount = total.amount.checked_sub(amount)?;
    TOTALS.save(storage, &key, &total)?;
    Ok(())
}
