//! What arrived with a message, as a typed deposit or a typed error. The generic checks are
//! `gridshare_plumbing::funds`; this module adds staking's denoms (the stake denom, which may be a
//! cw20, and the accepted reward denoms).

use crate::state::Config;
use crate::ContractError;
use cosmwasm_std::{MessageInfo, Uint128};
pub use gridshare_plumbing::funds::{ensure_positive, nonpayable, one_coin};
use gridshare_plumbing::FundsError;
use gridshare_types::Denom;

/// Exactly one non-zero coin of the stake denom.
pub fn stake_coin(config: &Config, info: &MessageInfo) -> Result<Uint128, ContractError> {
    let coin = one_coin(info)?;
    ensure_stake_denom(config, &Denom::Native(coin.denom))?;
    Ok(coin.amount)
}

/// One or more non-zero coins, each of an accepted reward denom.
pub fn reward_coins(
    config: &Config,
    info: &MessageInfo,
) -> Result<Vec<(Denom, Uint128)>, ContractError> {
    if info.funds.is_empty() {
        return Err(FundsError::NoFunds.into());
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

/// The stake denom, named as `native:…` or `cw20:…` in the error since it may be either.
pub fn ensure_stake_denom(config: &Config, denom: &Denom) -> Result<(), ContractError> {
    if *denom == config.stake_denom {
        Ok(())
    } else {
        Err(FundsError::WrongDenom {
            expected: config.stake_denom.to_string(),
            got: denom.to_string(),
        }
        .into())
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
