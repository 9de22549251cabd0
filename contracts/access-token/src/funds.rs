//! Native coins are never accepted: a token contract could not move them ever again.

use crate::ContractError;
use cosmwasm_std::{Coin, MessageInfo};

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
