//! What arrived with a message, as a typed deposit or a typed error.

use crate::state::Config;
use crate::ContractError;
use cosmwasm_std::{Coin, MessageInfo};
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

/// Rejects funds sent with a message that does not take any: nothing would account for them.
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

/// The id of an accepted denom, or a typed error.
pub fn accepted_denom_id(config: &Config, denom: &Denom) -> Result<u32, ContractError> {
    config
        .denom_id(denom)
        .ok_or_else(|| ContractError::DenomNotAccepted {
            denom: denom.to_string(),
        })
}
