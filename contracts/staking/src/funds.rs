//! What arrived with a message, as a typed deposit or a typed error.

use crate::state::Config;
use crate::ContractError;
use cosmwasm_std::{Coin, MessageInfo, Uint128};
use gridshare_types::Denom;

/// Exactly one non-zero native coin.
pub fn single_coin(info: &MessageInfo) -> Result<Coin, ContractError> {
    match info.funds.as_slice() {
        [] => Err(ContractError::NoFunds),
        [coin] if coin.amount.is_zero() => Err(ContractError::ZeroAmount),
        [coin] => Ok(coin.clone()),
        coins => Err(ContractError::MultipleDenoms {
            denoms: coins
                .iter()
                .map(|c| c.denom.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }),
    }
}

/// Exactly one non-zero coin of the stake denom.
pub fn stake_coin(config: &Config, info: &MessageInfo) -> Result<Uint128, ContractError> {
    let coin = single_coin(info)?;
    ensure_stake_denom(config, &Denom::Native(coin.denom))?;
    Ok(coin.amount)
}

/// One or more non-zero coins, each of an accepted reward denom.
pub fn reward_coins(
    config: &Config,
    info: &MessageInfo,
) -> Result<Vec<(Denom, Uint128)>, ContractError> {
    if info.funds.is_empty() {
        return Err(ContractError::NoFunds);
    }
    info.funds
        .iter()
        .map(|coin| {
            ensure_positive(coin.amount)?;
            let denom = Denom::Native(coin.denom.clone());
            ensure_reward_denom(config, &denom)?;
            Ok((denom, coin.amount))
        })
        .collect()
}

/// Rejects funds sent with a message that does not take any: they would be held for no one.
pub fn nonpayable(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::UnexpectedFunds {
            funds: info
                .funds
                .iter()
                .map(Coin::to_string)
                .collect::<Vec<_>>()
                .join(","),
        })
    }
}

pub fn ensure_stake_denom(config: &Config, denom: &Denom) -> Result<(), ContractError> {
    if *denom == config.stake_denom {
        Ok(())
    } else {
        Err(ContractError::WrongDenom {
            expected: config.stake_denom.to_string(),
            got: denom.to_string(),
        })
    }
}

pub fn ensure_reward_denom(config: &Config, denom: &Denom) -> Result<(), ContractError> {
    if config.reward_denoms.contains(denom) {
        Ok(())
    } else {
        Err(ContractError::DenomNotAccepted {
            denom: denom.to_string(),
        })
    }
}

pub fn ensure_positive(amount: Uint128) -> Result<(), ContractError> {
    if amount.is_zero() {
        Err(ContractError::ZeroAmount)
    } else {
        Ok(())
    }
}
