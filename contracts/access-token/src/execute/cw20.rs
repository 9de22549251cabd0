//! The standard cw20 messages, answered by cw20-base's own functions.
//!
//! The only code here guards the two additions cw20-base makes without checking (a mint and an
//! allowance increase), so that an overflow is a typed error rather than an abort.

use crate::ContractError;
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use cw20_base::state::{ALLOWANCES, TOKEN_INFO};

pub fn mint(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    // Only the minter's mint reaches cw20-base's unchecked addition; anyone else is refused there.
    let token = TOKEN_INFO.load(deps.storage)?;
    if token
        .mint
        .as_ref()
        .is_some_and(|mint| mint.minter == info.sender)
    {
        token.total_supply.checked_add(amount)?;
    }
    Ok(cw20_base::contract::execute_mint(
        deps, env, info, recipient, amount,
    )?)
}

pub fn increase_allowance(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spender: String,
    amount: Uint128,
    expires: Option<cw20::Expiration>,
) -> Result<Response, ContractError> {
    if let Ok(spender_addr) = deps.api.addr_validate(&spender) {
        if let Some(current) = ALLOWANCES.may_load(deps.storage, (&info.sender, &spender_addr))? {
            current.allowance.checked_add(amount)?;
        }
    }
    Ok(cw20_base::allowances::execute_increase_allowance(
        deps, env, info, spender, amount, expires,
    )?)
}
